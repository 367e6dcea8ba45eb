/** POST /api/staff/reveals/:revealId { approve } — a team leader decides a reveal request. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { badRequest, handleCaseApi, readCaseJson } from "~/services/cases.server";
import { decideReveal } from "~/services/reveal.server";

const Body = z.object({ approve: z.boolean() });

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "identity:approve:team", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 1024));
    if (!parsed.success) return badRequest(args.request);
    await decideReveal(args.context.db, session, args.params.revealId ?? "", parsed.data.approve);
    return { ok: true };
  });
}
