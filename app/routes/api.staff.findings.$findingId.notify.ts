/** POST /api/staff/findings/:id/notify — a message to every linked tipster (e.g. a case opened). */
import type { ActionFunctionArgs } from "@remix-run/node";
import { notifyTipsters } from "~/services/clues.server";
import { handleOutcomesApi, NotifyBody } from "~/services/outcomes-api.server";

export function action(args: ActionFunctionArgs) {
  return handleOutcomesApi(args, "finding:write:team", NotifyBody, async (session, body) => {
    await notifyTipsters(args.context.db, session, args.params.findingId ?? "", body.tipMessages);
    return { ok: true };
  });
}
