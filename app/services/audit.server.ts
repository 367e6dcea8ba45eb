/**
 * The hash-chained audit log. Every staff read or write on a tip, key or account appends a row:
 *
 *   hash = SHA-256( prev_hash ‖ "\n" ‖ canonical JSON of [seq, at, actor, action, type, id, detail] )
 *
 * The first row's prev_hash is 64 zeros. Editing, deleting or reordering any row breaks every
 * later hash; `verifyAuditChain` names the first broken row (scripts/verify-audit.ts).
 *
 * `appendAudit` takes the transaction of the action it records (`withTx`): the action and its
 * audit row commit together or not at all. Appends are serialized (`serializeOn`), so concurrent
 * transactions — on one node or several — extend one chain instead of racing for the same head.
 */
import { createHash } from "node:crypto";
import { asc, desc, gt } from "drizzle-orm";
import { serializeOn, type Db, type Tx } from "../../db/client";
import { auditLog, type AuditRow } from "../../db/schema";
import { formatAuditAnchor, type AuditAnchor } from "../shared/audit-anchor";

export { formatAuditAnchor, parseAuditAnchor, type AuditAnchor } from "../shared/audit-anchor";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditEntry {
  actorId: string | null;
  /** Dotted verb, e.g. "tip.read", "tip.status.set", "key.sign", "session.create". */
  action: string;
  objectType: "tip" | "key" | "account" | "session" | "finding" | "team" | "system" | string;
  objectId: string | null;
  /** Small structured detail. Never plaintext of a tip, a receipt or an address. */
  detail?: Record<string, string | number | boolean | null>;
  at?: Date;
}

type Chainable = Pick<
  AuditRow,
  "seq" | "at" | "actorId" | "action" | "objectType" | "objectId" | "detail"
>;

export function rowHash(prevHash: string, row: Chainable): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at.getTime(),
    row.actorId,
    row.action,
    row.objectType,
    row.objectId,
    row.detail,
  ]);
  return createHash("sha256").update(prevHash).update("\n").update(canonical).digest("hex");
}

/** Canonical detail text: keys sorted, so the same detail always hashes the same. */
function canonicalDetail(detail: AuditEntry["detail"]): string | null {
  if (!detail) return null;
  const sorted = Object.fromEntries(Object.entries(detail).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify(sorted);
}

/** Appends one row inside the transaction of the action it records. */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<AuditRow> {
  return (await appendAuditMany(tx, [entry]))[0]!;
}

/** Rows per INSERT when appending many (well under both engines' bound-parameter limits). */
const AUDIT_BATCH = 500;

/**
 * Appends rows in order inside one transaction (bulk actions: an import, the demo seed): one read
 * of the chain's head, the hashes chained in memory, multi-row inserts. Same rows as calling
 * `appendAudit` for each entry in turn.
 */
export async function appendAuditMany(tx: Tx, entries: readonly AuditEntry[]): Promise<AuditRow[]> {
  if (entries.length === 0) return [];
  await serializeOn(tx, "audit_log");
  const [last] = await tx.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows: AuditRow[] = entries.map((entry) => {
    const row: Chainable = {
      seq: ++seq,
      at: entry.at ?? new Date(),
      actorId: entry.actorId,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      detail: canonicalDetail(entry.detail),
    };
    const full = { ...row, prevHash, hash: rowHash(prevHash, row) };
    prevHash = full.hash;
    return full;
  });
  for (let at = 0; at < rows.length; at += AUDIT_BATCH) {
    await tx.insert(auditLog).values(rows.slice(at, at + AUDIT_BATCH));
  }
  return rows;
}

export type AuditBreak =
  /** The row's content no longer matches its hash: it was edited. */
  | "hash"
  /** The row does not link to the one before: a row before it was removed or replaced. */
  | "prev_hash"
  /** Sequence numbers skip: rows were removed. */
  | "sequence"
  /** The chain is consistent but row <rows> differs from the anchor: rows up to it were rewritten and the chain recomputed. */
  | "anchor_hash"
  /** The chain is shorter than an anchor: its tail was cut off. */
  | "anchor_missing";

export type AuditVerdict =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; brokenSeq: number; reason: AuditBreak };

export interface VerifyOptions {
  /** Anchors recorded earlier; each must still hold (see AuditAnchor). */
  anchors?: readonly AuditAnchor[];
  pageSize?: number;
}

/**
 * Walks the whole chain in order, a page at a time; stops at the first row that does not fit,
 * or at the first anchor the chain no longer matches.
 */
export async function verifyAuditChain(db: Db, options: VerifyOptions = {}): Promise<AuditVerdict> {
  const pageSize = options.pageSize ?? 5000;
  const anchors = new Map<number, string>();
  for (const a of options.anchors ?? []) {
    const hash = a.hash.toLowerCase();
    const other = anchors.get(a.rows);
    // Two different hashes for one row: at most one can hold, so the chain cannot match both.
    if (other !== undefined && other !== hash)
      return { ok: false, rows: 0, brokenSeq: a.rows, reason: "anchor_hash" };
    anchors.set(a.rows, hash);
  }
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let after = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, after))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    for (const row of page) {
      count++;
      if (row.seq !== expectedSeq)
        return { ok: false, rows: count, brokenSeq: row.seq, reason: "sequence" };
      if (row.prevHash !== prev)
        return { ok: false, rows: count, brokenSeq: row.seq, reason: "prev_hash" };
      if (rowHash(prev, row) !== row.hash)
        return { ok: false, rows: count, brokenSeq: row.seq, reason: "hash" };
      const anchored = anchors.get(row.seq);
      if (anchored !== undefined && anchored !== row.hash)
        return { ok: false, rows: count, brokenSeq: row.seq, reason: "anchor_hash" };
      prev = row.hash;
      expectedSeq++;
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  const beyond = [...anchors.keys()].filter((rows) => rows > count).sort((a, b) => a - b)[0];
  if (beyond !== undefined)
    return { ok: false, rows: count, brokenSeq: beyond, reason: "anchor_missing" };
  return { ok: true, rows: count, head: prev };
}

/**
 * What a print-out (the round scorecard, its CSV) carries so the office can file it as an anchor:
 * the chain verified now, and its `<rows>:<head hash>` (formatAuditAnchor, the same text
 * `npm run verify-audit` prints). A broken chain prints where it breaks instead; an empty chain
 * has nothing to anchor.
 */
export type PrintAnchor =
  | { state: "anchor"; anchor: string; at: string }
  | { state: "empty"; at: string }
  | { state: "broken"; brokenSeq: number; at: string };

export async function auditAnchorForPrint(db: Db, now = new Date()): Promise<PrintAnchor> {
  const verdict = await verifyAuditChain(db);
  const at = now.toISOString();
  if (!verdict.ok) return { state: "broken", brokenSeq: verdict.brokenSeq, at };
  if (verdict.rows === 0) return { state: "empty", at };
  return {
    state: "anchor",
    anchor: formatAuditAnchor({ rows: verdict.rows, hash: verdict.head }),
    at,
  };
}
