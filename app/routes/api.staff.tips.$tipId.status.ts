/**
 * POST /api/staff/tips/:tipId/status — a public status change, with an optional note to the
 * tipster sealed in the browser (sealStaffMessage: the tipster's box and the team copy).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { PUBLIC_STATUSES } from "../../db/schema";
import { badRequest, handleCaseApi, readCaseJson, setStatus } from "~/services/cases.server";
import { b64urlField } from "~/services/http.server";

const b64 = b64urlField({ max: 67_500 });
const Body = z.object({
  status: z.enum(PUBLIC_STATUSES),
  message: z.object({ forTipster: b64, teamCopy: b64 }).nullable().default(null),
  mergedIntoId: z.string().max(64).nullable().default(null),
});

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "tip:triage:team", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 200_000));
    if (!parsed.success) return badRequest(args.request);
    const { status, message, mergedIntoId } = parsed.data;
    await setStatus(args.context.db, session, args.params.tipId ?? "", {
      status,
      message,
      mergedIntoId,
    });
    return { ok: true };
  });
}
