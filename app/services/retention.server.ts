/**
 * Retention (issue 12 item 3, ADR 019): a closed case whose last activity is older than its
 * state's period (app/shared/retention.ts) loses everything that was ever sealed or written about
 * it — the sealed payload and identity block, the tipster's envelope and key, every staff
 * envelope, message, attachment, label, identity-reveal request and status message — and the
 * receipt stops opening it. The team's messages to the tipster and status notes stay as empty
 * rows (kind and time only): the scorecard's feedback-on-time figures count them. What stays is the row's clear structured fields (district, unit,
 * stationing, category, corruption type, status, key-minority flag, deadlines and dates) and its
 * links to findings: the scorecards and the public results board count those, so their numbers do
 * not change when a case's contents are deleted. Each deletion is one `tip.retention.purged` audit
 * row.
 *
 * The bytes leave the disk, not only the tables: SQLite's writer runs with `secure_delete = ON`
 * (db/client.ts), which zeroes freed cells and pages, and after a sweep the WAL is checkpointed
 * and truncated, so the old page images there are gone too. PostgreSQL has no such switch: rows
 * are deleted and the tables vacuumed, but old tuple bytes can stay in free space and in WAL
 * segments or archives until overwritten (docs/operations.md says so).
 */
import { and, eq, gt, inArray, isNotNull, isNull, lte, ne, notExists, or } from "drizzle-orm";
import { reclaimFreedSpace, withTx, type Db } from "../../db/client";
import {
  attachments,
  identityReveals,
  messages,
  tipEnvelopes,
  tipLabels,
  tipStatusHistory,
  tips,
} from "../../db/schema";
import { log } from "../log.server";
import { CLOSED_STATES, type ClosedState, type RetentionPolicy } from "../shared/retention";
import { appendAuditMany } from "./audit.server";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Cases deleted per transaction: short transactions, so reports keep flowing during a sweep. */
const BATCH = 25;
/** The tables a purge deletes from or blanks: their freed space is reclaimed after a sweep. */
const CONTENT_TABLES = [
  "tips",
  "tip_envelopes",
  "tip_status_history",
  "tip_labels",
  "messages",
  "attachments",
  "attachment_chunks",
  "identity_reveals",
];

export interface RetentionSweep {
  purged: number;
  byState: Partial<Record<ClosedState, number>>;
  /** SQLite: whether the WAL was checkpointed and truncated; PostgreSQL: whether VACUUM ran. */
  compacted: boolean;
}

/**
 * The query for ids of closed cases past their period, at most `limit`. Its conditions on `tips`
 * are all in `tips_retention_idx` (db/schema.ts): the sweep runs at every start and must not read
 * each tip's row, whose status and dates SQLite reaches only through the sealed payload's
 * overflow pages (exported for the test that checks the plan).
 */
export function expiredQuery(db: Db, state: ClosedState, days: number, now: Date, limit: number) {
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  return db
    .select({ id: tips.id })
    .from(tips)
    .where(
      and(
        eq(tips.status, state),
        isNull(tips.purgedAt),
        lte(tips.createdAt, cutoff),
        or(isNull(tips.updatedAt), lte(tips.updatedAt, cutoff)),
        // Last activity: the newest status change and the newest message both before the cutoff.
        notExists(
          db
            .select({ one: tipStatusHistory.id })
            .from(tipStatusHistory)
            .where(
              and(eq(tipStatusHistory.tipId, tips.id), gt(tipStatusHistory.createdAt, cutoff)),
            ),
        ),
        notExists(
          db
            .select({ one: messages.id })
            .from(messages)
            .where(and(eq(messages.tipId, tips.id), gt(messages.createdAt, cutoff))),
        ),
      ),
    )
    .limit(limit);
}

async function expired(
  db: Db,
  state: ClosedState,
  days: number,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = await expiredQuery(db, state, days, now, limit);
  return rows.map((r) => r.id);
}

/** Deletes one batch of cases' contents in one transaction, with one audit row each. */
async function purgeBatch(db: Db, ids: string[], state: ClosedState, days: number, now: Date) {
  return withTx(db, async (tx) => {
    // Claimed first, by a conditional UPDATE: a case reopened since the scan is left alone, and
    // of two sweeps at once (two nodes) each case goes to one. A re-read would not do on
    // PostgreSQL (READ COMMITTED): both sweeps would read the same cases as still closed and
    // unpurged, and a reopening committed after the read would be purged anyway; the UPDATE holds
    // the claimed rows until COMMIT and re-checks each one it had to wait for.
    const claimed = await tx
      .update(tips)
      .set({ purgedAt: now })
      .where(and(inArray(tips.id, ids), eq(tips.status, state), isNull(tips.purgedAt)))
      .returning({ id: tips.id });
    const live = claimed.map((r) => r.id);
    if (live.length === 0) return 0;
    // Attachments first (their chunks go with them: ON DELETE CASCADE), then messages. The
    // team's messages to the tipster stay as empty rows (kind and time only), and a status
    // change that carried a note keeps an empty one: the scorecard counts when the tipster first
    // heard back (feedback on time), and those figures must not change when contents go.
    await tx.delete(attachments).where(inArray(attachments.tipId, live));
    await tx
      .delete(messages)
      .where(and(inArray(messages.tipId, live), ne(messages.kind, "to_tipster")));
    await tx
      .update(messages)
      .set({ body: Buffer.alloc(0), teamCopy: null })
      .where(inArray(messages.tipId, live));
    await tx.delete(tipEnvelopes).where(inArray(tipEnvelopes.tipId, live));
    await tx.delete(tipLabels).where(inArray(tipLabels.tipId, live));
    await tx.delete(identityReveals).where(inArray(identityReveals.tipId, live));
    await tx
      .update(tipStatusHistory)
      .set({ publicMessage: Buffer.alloc(0) })
      .where(and(inArray(tipStatusHistory.tipId, live), isNotNull(tipStatusHistory.publicMessage)));
    await tx
      .update(tipStatusHistory)
      .set({ publicMessageCopy: null })
      .where(inArray(tipStatusHistory.tipId, live));
    for (const id of live) {
      await tx
        .update(tips)
        .set({
          payload: Buffer.alloc(0),
          tipsterEnvelope: Buffer.alloc(0),
          tipsterPublicKey: Buffer.alloc(0),
          identityPayload: null,
          // Not a SHA-256: no receipt can ever hash to it, so the receipt opens nothing.
          receiptAuthHash: `purged:${id}`,
          lastTipsterActivityAt: null,
          purgedAt: now,
        })
        .where(eq(tips.id, id));
    }
    await appendAuditMany(
      tx,
      live.map((id) => ({
        actorId: null,
        action: "tip.retention.purged",
        objectType: "tip",
        objectId: id,
        detail: { status: state, retentionDays: days },
        at: now,
      })),
    );
    return live.length;
  });
}

/**
 * One sweep: deletes the contents of every closed case past its period. Safe to run on several
 * nodes at once (each batch re-checks inside its transaction) and at any time.
 */
export async function sweepRetention(
  db: Db,
  policy: RetentionPolicy,
  now = new Date(),
): Promise<RetentionSweep> {
  const result: RetentionSweep = { purged: 0, byState: {}, compacted: false };
  for (const state of CLOSED_STATES) {
    const days = policy[state];
    if (days === undefined) continue;
    for (;;) {
      const ids = await expired(db, state, days, now, BATCH);
      if (ids.length === 0) break;
      const n = await purgeBatch(db, ids, state, days, now);
      result.purged += n;
      result.byState[state] = (result.byState[state] ?? 0) + n;
      if (n === 0) break;
    }
  }
  if (result.purged > 0) {
    // A reader holding an old snapshot makes the checkpoint busy: it ends within moments.
    for (let attempt = 0; attempt < 10 && !result.compacted; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200));
      result.compacted = await reclaimFreedSpace(db, CONTENT_TABLES);
    }
  }
  if (result.purged > 0) {
    log.info("retention.sweep", {
      msg: `retention: ${result.purged} closed cases deleted`,
      purged: result.purged,
      compacted: result.compacted,
    });
  }
  return result;
}
