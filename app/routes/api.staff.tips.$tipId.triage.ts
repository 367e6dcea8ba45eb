/** POST /api/staff/tips/:tipId/triage — priority, labels, and (with tip:assign:team) assignee. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { PRIORITIES } from "../../db/schema";
import { badRequest, handleCaseApi, readCaseJson, triage } from "~/services/cases.server";
import { can } from "~/services/permissions.server";

// Strict, and at least one field: a body of unknown keys is a malformed request (400), not a
// triage that changes nothing (the hostile-input sweep found it answered 200).
const Body = z
  .object({
    priority: z.enum(PRIORITIES).optional(),
    assigneeId: z.string().max(64).nullable().optional(),
    labels: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  })
  .strict()
  .refine((b) => b.priority !== undefined || b.assigneeId !== undefined || b.labels !== undefined);

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
