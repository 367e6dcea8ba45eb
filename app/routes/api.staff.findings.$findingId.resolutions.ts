/**
 * POST /api/staff/findings/:id/resolutions — record a refund, recovery, rectification, sanction
 * or policy change with sealed details and encrypted evidence files; every linked tipster gets
 * the message sealed for them (their tips move to "resolved").
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { createResolution } from "~/services/resolutions.server";
import { handleOutcomesApi, ResolutionBody } from "~/services/outcomes-api.server";

export function action(args: ActionFunctionArgs) {
  return handleOutcomesApi(args, "finding:write:team", ResolutionBody, async (session, body) => ({
    id: await createResolution(args.context.db, session, args.params.findingId ?? "", body),
  }));
}
