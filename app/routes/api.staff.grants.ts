/**
 * /api/staff/grants — GET: teammates waiting for existing tips (with my envelopes, so my browser
 * can re-wrap); POST { staffKeyId, envelopes }: store the batch. The server refuses envelopes for
 * members whose home district is the tip's district.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { badRequest, handleCaseApi, readCaseJson } from "~/services/cases.server";
import { applyGrant, pendingGrants } from "~/services/grants.server";
import { b64urlField } from "~/services/http.server";

const Body = z.object({
  staffKeyId: z.string().max(64),
  envelopes: z
    .array(
      z.object({
        tipId: z.string().max(64),
        envelope: b64urlField({ max: 300 }),
      }),
    )
    .min(1)
    .max(5000),
});

export async function loader(args: LoaderFunctionArgs) {
  return await handleCaseApi(args, "key:grant:team", async (session) => ({
    pending: await pendingGrants(args.context.db, args.context.env, session),
  }));
}

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "key:grant:team", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 3_000_000));
    if (!parsed.success) return badRequest(args.request);
    const added = await applyGrant(args.context.db, args.context.env, session, {
      staffKeyId: parsed.data.staffKeyId,
      envelopes: parsed.data.envelopes,
    });
    return { ok: true, added };
  });
}
