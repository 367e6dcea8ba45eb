/** POST /api/staff/findings/:id/tips — link or unlink a tip (both must be reachable; audited). */
import type { ActionFunctionArgs } from "@remix-run/node";
import { linkTip, unlinkTip } from "~/services/findings.server";
import { handleOutcomesApi, LinkBody } from "~/services/outcomes-api.server";

export function action(args: ActionFunctionArgs) {
  return handleOutcomesApi(args, "finding:write:team", LinkBody, async (session, body) => {
    const id = args.params.findingId ?? "";
    if (body.op === "link") await linkTip(args.context.db, session, id, body.tipId);
    else await unlinkTip(args.context.db, session, id, body.tipId);
    return { ok: true };
  });
}
