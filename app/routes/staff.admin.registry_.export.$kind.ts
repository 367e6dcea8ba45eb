/**
 * /staff/admin/registry/export/:kind — the office's zones, districts or units as a CSV file in the
 * import format (UTF-8 with BOM, formula-looking cells guarded).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { STAFF_NO_STORE } from "~/components/staff/route-helpers";
import { requirePermission } from "~/services/permissions.server";
import { exportRegistry, isOfficeRegistryKind } from "~/services/registry.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const kind = params.kind ?? "";
  if (!isOfficeRegistryKind(kind)) throw new Response("Not found", { status: 404 });
  const csv = await exportRegistry(context.db, session.staff.jurisdictionId, kind);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${session.staff.jurisdictionId}-${kind}.csv"`,
      ...STAFF_NO_STORE,
    },
  });
}
