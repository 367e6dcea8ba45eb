/**
 * GET /api/report/readers?district=…&unit=… — who can read a report about one unit of a district
 * (DESIGN §5): the report page's reader panel with members recused from that unit left out.
 * The report page asks for it just before sealing when the resident chose a unit; the browser
 * still seals only to keys the office's signed rosters list for the district, and only to keys
 * the page already showed (so this answer can remove a reader, never add one).
 *
 * Answers `{ panel }`, or a localized `{ error: { code, message } }`: 400 for a malformed query,
 * 404 for an unknown district or a unit that is not one of its units, 409 `no_reader` when nobody
 * can read it now, 429 past the same per-client budget as the report page.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { serverT } from "~/i18n/messages.server";
import { apiError, NO_STORE } from "~/services/http.server";
import { reportPageViews } from "~/services/rate-limit.server";
import { reportPageDistrict } from "~/services/report.server";

const Query = z.object({
  district: z.string().min(1).max(100),
  unit: z.string().min(1).max(100),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { t } = serverT(request);
  const url = new URL(request.url);
  if (!reportPageViews.hit(context.clientKey)) {
    const minutes = reportPageViews.retryAfterMinutes(context.clientKey);
    return apiError(429, "too_many", t("resident.errors.tooMany", { minutes }), {
      "Retry-After": String(minutes * 60),
    });
  }
  const query = Query.safeParse({
    district: url.searchParams.get("district") ?? undefined,
    unit: url.searchParams.get("unit") ?? undefined,
  });
  if (!query.success) {
    return apiError(400, "bad_query", t("resident.errors.unknownUnit"));
  }
  const page = await reportPageDistrict(
    context.db,
    context.env,
    query.data.district,
    new Date(),
    query.data.unit,
  );
  if (!page) return apiError(404, "unknown_unit", t("resident.errors.unknownUnit"));
  if (!page.panel) return apiError(409, "no_reader", t("resident.errors.noReader"));
  return Response.json({ panel: page.panel }, { headers: NO_STORE });
}
