/**
 * Inbox decryption and search in the browser: all envelopes are opened in one batch
 * (openTipsAsStaff, native X25519 where the browser has it), then filters, sort, search and paging
 * run over the decrypted rows in memory.
 */
import type { JsonObject, StaffKeys } from "../../../crypto/index";
import type { InboxRow } from "../../services/inbox.server";
import { staffApi } from "./api";
import { loadCrypto } from "./key-store";

/** The inbox row as the API sends it (type only: nothing of the server module is bundled). */
export type InboxWireRow = InboxRow;

export interface DecryptedRow extends InboxWireRow {
  /** the tip text, or null when it could not be opened */
  text: string | null;
  /** lower-cased text + labels + unit names, for search */
  haystack: string;
}

export async function fetchAndDecryptInbox(
  keys: StaffKeys,
): Promise<{ rows: DecryptedRow[]; fetchMs: number; decryptMs: number }> {
  const t0 = performance.now();
  const [c, wire] = await Promise.all([
    loadCrypto(),
    staffApi<{ tips: InboxWireRow[] }>("/api/staff/inbox", ""),
  ]);
  const t1 = performance.now();
  const opened = await c.openTipsAsStaff(
    wire.tips.map((r) => ({
      payload: c.base64urlDecode(r.payload ?? ""),
      envelope: c.base64urlDecode(r.envelope ?? ""),
    })),
    keys.boxSecretKey,
  );
  const rows = wire.tips.map((r, i) => {
    const o = opened[i]!;
    const payload: JsonObject | null = o.ok ? o.value.payload : null;
    const text = payload && typeof payload.text === "string" ? payload.text : null;
    const { payload: _p, envelope: _e, ...meta } = r;
    return {
      ...meta,
      text,
      haystack: [text ?? "", ...r.labels, r.unit?.zh ?? "", r.unit?.en ?? "", r.id]
        .join("\n")
        .toLowerCase(),
    };
  });
  return { rows, fetchMs: t1 - t0, decryptMs: performance.now() - t1 };
}

export interface InboxQuery {
  search: string;
  status: string;
  priority: string;
  overdue: boolean;
  unread: boolean;
  /** staff id: only tips assigned to this member; "" for everyone's */
  assignee: string;
  sort: "newest" | "oldest" | "deadline" | "priority";
}

const PRIORITY_RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export function queryInbox<T extends InboxWireRow & { haystack?: string }>(
  rows: T[],
  q: InboxQuery,
): T[] {
  const needle = q.search.trim().toLowerCase();
  const out = rows.filter(
    (r) =>
      (!needle || (r.haystack ?? "").includes(needle)) &&
      (!q.status || r.status === q.status) &&
      (!q.priority || r.priority === q.priority) &&
      (!q.overdue || r.acknowledgeOverdue || r.feedbackOverdue) &&
      (!q.unread || r.unread > 0) &&
      (!q.assignee || r.assignee?.id === q.assignee),
  );
  const by: Record<InboxQuery["sort"], (a: T, b: T) => number> = {
    newest: (a, b) => b.receivedAt.localeCompare(a.receivedAt),
    oldest: (a, b) => a.receivedAt.localeCompare(b.receivedAt),
    deadline: (a, b) => a.acknowledgeBy.localeCompare(b.acknowledgeBy),
    priority: (a, b) =>
      (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9) ||
      b.receivedAt.localeCompare(a.receivedAt),
  };
  return out.sort(by[q.sort]);
}
