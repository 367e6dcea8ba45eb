/** POST /api/staff/tips/:tipId/triage — priority, labels, and (with tip:assign:team) assignee. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { PRIORITIES } from "../../db/schema";
import { badRequest, handleCaseApi, readCaseJson, triage } from "~/services/cases.server";
import { can } from "~/services/permissions.server";

const Body = z.object({
  priority: z.enum(PRIORITIES).optional(),
  assigneeId: z.string().max(64).nullable().optional(),
  labels: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
});

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "tip:triage:team", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 8192));
    if (!parsed.success) return badRequest(args.request);
    await triage(args.context.db, session, args.params.tipId ?? "", parsed.data, {
      canAssign: can(session.roles, "tip:assign:team"),
    });
    return { ok: true };
  });
}
