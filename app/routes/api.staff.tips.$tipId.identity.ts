/**
 * /api/staff/tips/:tipId/identity
 * POST { reason }: ask to see the identity (audited). GET: the identity block and my identity
 * envelope — only after a team leader approved my request; 403 otherwise, whatever the UI shows.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { badRequest, handleCaseApi, readCaseJson } from "~/services/cases.server";
import { openIdentityBlock, requestReveal } from "~/services/reveal.server";

const Body = z.object({ reason: z.string().max(4000) });

export async function loader(args: LoaderFunctionArgs) {
  return await handleCaseApi(args, "tip:read:team", (session) =>
    openIdentityBlock(args.context.db, session, args.params.tipId ?? ""),
  );
}

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "identity:request:team", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 16_384));
    if (!parsed.success) return badRequest(args.request);
    const id = await requestReveal(
      args.context.db,
      session,
      args.params.tipId ?? "",
      parsed.data.reason,
    );
    return { ok: true, id };
  });
}
