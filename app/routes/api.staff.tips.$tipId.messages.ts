/**
 * POST /api/staff/tips/:tipId/messages — a reply to the tipster (both halves of
 * sealStaffMessage) or an internal note (sealInternalNote), all sealed in the browser.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { addMessage, badRequest, handleCaseApi, readCaseJson } from "~/services/cases.server";
import { b64urlField } from "~/services/http.server";

const b64 = b64urlField({ max: 67_500 });
const Body = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("to_tipster"), forTipster: b64, teamCopy: b64 }),
  z.object({ kind: z.literal("internal_note"), body: b64 }),
]);

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "tip:triage:team", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 200_000));
    if (!parsed.success) return badRequest(args.request);
    const m = parsed.data;
    const id = await addMessage(args.context.db, session, args.params.tipId ?? "", m);
    return { ok: true, id };
  });
}
