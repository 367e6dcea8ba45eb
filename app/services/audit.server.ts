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
  await serializeOn(tx, "audit_log");
  const [last] = await tx.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const row: Chainable = {
    seq: (last?.seq ?? 0) + 1,
    at: entry.at ?? new Date(),
    actorId: entry.actorId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    detail: canonicalDetail(entry.detail),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const full = { ...row, prevHash, hash: rowHash(prevHash, row) };
  await tx.insert(auditLog).values(full);
  return full;
}

export type AuditVerdict =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; brokenSeq: number; reason: "prev_hash" | "hash" | "sequence" };

/** Walks the whole chain in order, a page at a time; stops at the first row that does not fit. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<AuditVerdict> {
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
      prev = row.hash;
      expectedSeq++;
    }
    if (page.length < pageSize) return { ok: true, rows: count, head: prev };
    after = page[page.length - 1]!.seq;
  }
}
