/**
 * GET /api/staff/clues/:id — one clue for a receiver of the body it was addressed to (403 for
 * anyone else). POST — record its outcome with an optional sealed note.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { loadClue, recordOutcome } from "~/services/clues.server";
import { handleOutcomesApi, OutcomeBody } from "~/services/outcomes-api.server";

export function loader(args: LoaderFunctionArgs) {
  return handleOutcomesApi(args, "transfer:receive:commission", null, async (session) => ({
    clue: await loadClue(args.context.db, session, args.params.transferId ?? ""),
  }));
}

export function action(args: ActionFunctionArgs) {
  return handleOutcomesApi(
    args,
    "transfer:receive:commission",
    OutcomeBody,
    async (session, body) => {
      await recordOutcome(args.context.db, session, args.params.transferId ?? "", body);
      return { ok: true };
    },
  );
}
