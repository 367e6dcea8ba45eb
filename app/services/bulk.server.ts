/**
 * Bulk triage from the inbox: one action (assign, add or remove a label, set a public status)
 * applied to the tips an inspector selected. Each tip goes through the same service as the case
 * page (`triage`, `setStatus`): the same access rule, the same checks, its own transaction and
 * its own audit row. A tip that cannot be changed is reported with the reason; the others are
 * changed.
 *
 * Statuses that need a note to the tipster (not accepted, merged) are not offered in bulk
 * (BULK_STATUSES): each of those tipsters deserves their own explanation.
 */
import type { Db } from "../../db/client";
import { BULK_STATUSES, type BulkStatus } from "../components/cases/enums";
import { CaseError, setStatus, triage } from "./cases.server";
import type { StaffSession } from "./sessions.server";

export { BULK_STATUSES };

/** At most this many tips per request (an inbox page is 100 rows). */
export const MAX_BULK_TIPS = 500;

export type BulkAction =
  | { kind: "assign"; assigneeId: string | null }
  | { kind: "addLabel"; label: string }
  | { kind: "removeLabel"; label: string }
  | { kind: "status"; status: BulkStatus };

export interface BulkResult {
  updated: string[];
  failed: { id: string; code: string }[];
}

export async function bulkUpdate(
  db: Db,
  session: StaffSession,
  tipIds: string[],
  action: BulkAction,
  opts: { canAssign: boolean },
  now = new Date(),
): Promise<BulkResult> {
  if (action.kind === "assign" && !opts.canAssign) {
    throw new Response("Forbidden", { status: 403 });
  }
  const result: BulkResult = { updated: [], failed: [] };
  for (const id of new Set(tipIds)) {
    try {
      switch (action.kind) {
        case "assign":
          await triage(db, session, id, { assigneeId: action.assigneeId }, opts, now);
          break;
        case "addLabel":
          await triage(db, session, id, { addLabels: [action.label] }, opts, now);
          break;
        case "removeLabel":
          await triage(db, session, id, { removeLabels: [action.label] }, opts, now);
          break;
        case "status":
          await setStatus(db, session, id, { status: action.status, message: null }, now);
          break;
      }
      result.updated.push(id);
    } catch (err) {
      if (err instanceof Response) {
        result.failed.push({ id, code: err.status === 404 ? "not_found" : "no_access" });
      } else if (err instanceof CaseError) {
        result.failed.push({ id, code: err.code });
      } else {
        throw err;
      }
    }
  }
  return result;
}
