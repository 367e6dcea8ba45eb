/**
 * The hash-chained audit log. Every staff read or write on a tip, key or account appends a row:
 *
 *   hash = SHA-256( prev_hash ‖ "\n" ‖ canonical JSON of [seq, at, actor, action, type, id, detail] )
 *
 * The first row's prev_hash is 64 zeros. Editing, deleting or reordering any row breaks every
 * later hash; `verifyAuditChain` names the first broken row (scripts/verify-audit.ts).
 *
 * `appendAudit` is synchronous so it can run inside the same better-sqlite3 transaction as the
 * action it records: the action and its audit row commit together or not at all.
 */
import { createHash } from "node:crypto";
import { asc, desc } from "drizzle-orm";
import type { Db } from "../../db/client";
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

/** Appends one row. Call inside the transaction of the action it records (synchronous). */
export function appendAudit(db: Db, entry: AuditEntry): AuditRow {
  const append = () => {
    const last = db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
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
    db.insert(auditLog).values(full).run();
    return full;
  };
  // Nested calls join the caller's transaction (better-sqlite3 uses savepoints).
  return db.transaction(() => append());
}

export type AuditVerdict =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; brokenSeq: number; reason: "prev_hash" | "hash" | "sequence" };

/** Walks the whole chain in order; stops at the first row that does not fit. */
export function verifyAuditChain(db: Db): AuditVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const row of db.select().from(auditLog).orderBy(asc(auditLog.seq)).all()) {
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
  return { ok: true, rows: count, head: prev };
}
