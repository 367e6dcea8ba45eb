/**
 * /api/staff/tips/:tipId/shares — POST { staffKeyId, envelope, reason }: a visiting member shares
 * this tip with a named local member of the same team (DESIGN §5, shares.server.ts). The envelope
 * was made in the sharer's browser; the server checks who may receive it and audits the share.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { badRequest, handleCaseApi, readCaseJson } from "~/services/cases.server";
import { b64urlField } from "~/services/http.server";
import { shareTip } from "~/services/shares.server";

const Body = z.object({
  staffKeyId: z.string().max(64),
  envelope: b64urlField({ max: 300 }),
  reason: z.string().max(4000),
});

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "tip:share:local", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 16_384));
    if (!parsed.success) return badRequest(args.request);
    const share = await shareTip(args.context.db, args.context.env, session, {
      tipId: args.params.tipId ?? "",
      staffKeyId: parsed.data.staffKeyId,
      envelope: parsed.data.envelope,
      reason: parsed.data.reason,
    });
    return { ok: true, share };
  });
}
