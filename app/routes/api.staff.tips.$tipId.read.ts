/**
 * POST /api/staff/tips/:tipId/read — the member has decrypted and seen the tipster's messages:
 * they are marked read for the team (audited as tip.thread.read). Loading the case (GET) never
 * changes them.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { badRequest, handleCaseApi, markThreadRead, readCaseJson } from "~/services/cases.server";

const Body = z.object({}).strict();

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "tip:read:team", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 1024));
    if (!parsed.success) return badRequest(args.request);
    const marked = await markThreadRead(args.context.db, session, args.params.tipId ?? "");
    return { ok: true, marked };
  });
}
