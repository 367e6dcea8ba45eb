/** GET /api/staff/tips/:tipId/findings — the findings this tip is linked to (the case page's side). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCase } from "~/services/cases.server";
import { findingsOfTip } from "~/services/findings.server";
import { handleOutcomesApi } from "~/services/outcomes-api.server";

export function loader(args: LoaderFunctionArgs) {
  return handleOutcomesApi(args, "tip:read:team", null, async (session) => {
    const tipId = args.params.tipId ?? "";
    await requireCase(args.context.db, session, tipId);
    return { findings: await findingsOfTip(args.context.db, session, tipId) };
  });
}
