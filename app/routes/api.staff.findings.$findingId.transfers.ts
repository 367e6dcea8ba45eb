/**
 * GET /api/staff/findings/:id/transfers — receiving bodies of the jurisdiction with their current
 * receivers' approved keys (the browser verifies each signature before re-wrapping F).
 * POST — hand the clue over: receivers' envelopes of F, an optional sealed note, and one message
 * per linked tipster (those tips move to "transferred").
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bodiesForFinding, createTransfer } from "~/services/clues.server";
import { handleOutcomesApi, TransferBody } from "~/services/outcomes-api.server";

export function loader(args: LoaderFunctionArgs) {
  return handleOutcomesApi(args, "finding:write:team", null, async (session) => ({
    bodies: await bodiesForFinding(
      args.context.db,
      args.context.env,
      session,
      args.params.findingId ?? "",
    ),
  }));
}

export function action(args: ActionFunctionArgs) {
  return handleOutcomesApi(args, "finding:write:team", TransferBody, async (session, body) => ({
    id: await createTransfer(
      args.context.db,
      args.context.env,
      session,
      args.params.findingId ?? "",
      body,
    ),
  }));
}
