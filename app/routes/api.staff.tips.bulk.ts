/**
 * POST /api/staff/tips/bulk — one triage action for the tips selected in the inbox: assign,
 * add/remove a label, or a public status without a note. Each tip is checked, changed and
 * audited on its own (app/services/bulk.server.ts); the answer lists what changed and what not.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { BULK_STATUSES, bulkUpdate, MAX_BULK_TIPS } from "~/services/bulk.server";
import { badRequest, handleCaseApi, readCaseJson } from "~/services/cases.server";
import { can } from "~/services/permissions.server";

const label = z.string().trim().min(1).max(40);
const Body = z.object({
  tipIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_TIPS),
  action: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("assign"), assigneeId: z.string().max(64).nullable() }),
    z.object({ kind: z.literal("addLabel"), label }),
    z.object({ kind: z.literal("removeLabel"), label }),
    z.object({ kind: z.literal("status"), status: z.enum(BULK_STATUSES) }),
  ]),
});

export function action(args: ActionFunctionArgs) {
  return handleCaseApi(args, "tip:triage:team", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 64 * 1024));
    if (!parsed.success) return badRequest(args.request);
    return await bulkUpdate(args.context.db, session, parsed.data.tipIds, parsed.data.action, {
      canAssign: can(session.roles, "tip:assign:team"),
    });
  });
}
