/** GET /api/staff/clues — clues addressed to the caller's receiving bodies (receivers only). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { receiverClues } from "~/services/clues.server";
import { handleOutcomesApi } from "~/services/outcomes-api.server";

export function loader(args: LoaderFunctionArgs) {
  return handleOutcomesApi(args, "transfer:receive:commission", null, async (session) => ({
    clues: await receiverClues(args.context.db, session),
  }));
}
