/** POST /api/staff/rounds/:roundId/look-back — { op: "open" } or { op: "check", … } (office). */
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleOutcomesApi, LookBackBody } from "~/services/outcomes-api.server";
import { openLookBack, recordCheck } from "~/services/round-outcomes.server";

export function action(args: ActionFunctionArgs) {
  return handleOutcomesApi(args, "staff:manage:office", LookBackBody, async (session, body) => {
    const roundId = args.params.roundId ?? "";
    if (body.op === "open") return { id: await openLookBack(args.context.db, session, roundId) };
    await recordCheck(args.context.db, session, roundId, body);
    return { ok: true };
  });
}
