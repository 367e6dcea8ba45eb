/**
 * POST /api/staff/keys/:keyId/approve — the office admin's browser signed the member's approval
 * tuple; the key becomes active only if the signature verifies under the office key compiled
 * into this build for the member's jurisdiction (ADR 016).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { badRequest, handleCaseApi, readCaseJson } from "~/services/cases.server";
import { b64urlField } from "~/services/http.server";
import { approveKey } from "~/services/keys.server";

const Body = z.object({
  signature: b64urlField({ max: 150 }),
  validUntilMs: z.number().int().positive(),
});

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "key:sign:office", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 2048));
    if (!parsed.success) return badRequest(args.request);
    await approveKey(args.context.db, args.context.env, session, args.params.keyId ?? "", {
      signature: parsed.data.signature,
      validUntil: new Date(parsed.data.validUntilMs),
    });
    return { ok: true };
  });
}
