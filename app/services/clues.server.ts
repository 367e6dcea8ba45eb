/**
 * Clue transfers (DESIGN §6, issue 9 item 2): a team hands a finding's clue to a receiving body
 * (a district 纪委监委, a court, an audit office) from the registry; the body's receivers see only
 * clues addressed to their body, decrypt them in the browser and record the outcome; the office
 * sees clues without a final outcome after a configurable number of days (the commission's case
 * supervision office chases them).
 *
 * A transfer is one transaction: the transfer row, F re-wrapped (in the team member's browser)
 * for every current receiver of the body, the finding's status, and every linked tip moved to
 * "transferred" with a message to its tipster through the cases' status path (setStatus), so the
 * tipster reads it with the receipt like any other message from the team.
 */
import { and, asc, desc, eq, inArray, lt, ne } from "drizzle-orm";
import { withTx, type Db } from "../../db/client";
import {
  type TRANSFER_OUTCOMES,
  clueTransfers,
  districts,
  findingEnvelopes,
  findingTips,
  findings,
  receivingBodies,
  rounds,
  staffKeys,
  stationings,
  teams,
} from "../../db/schema";
import type { Env } from "../env.server";
import { canFollow, isFinalOutcome } from "../shared/outcome-metrics";
import { appendAudit } from "./audit.server";
import { addMessage, b64u, caseAccess, newRowId, setStatus } from "./cases.server";
import { bodyReceivers, readerWire } from "./finding-readers.server";
import {
  FindingError,
  bodiesOf,
  checkSealed,
  insertEnvelopes,
  matchReaders,
  requireFinding,
  type IncomingEnvelope,
} from "./findings.server";
import type { StaffSession } from "./sessions.server";

export interface TipsterMessage {
  tipId: string;
  forTipster: Uint8Array;
  teamCopy: Uint8Array;
}

/** Receiving bodies of the finding's jurisdiction, with each body's current receivers' keys. */
export async function bodiesForFinding(
  db: Db,
  env: Env,
  session: StaffSession,
  findingId: string,
  now = new Date(),
) {
  const ctx = await requireFinding(db, session, findingId, ["team"], now);
  const bodies = await db
    .select()
    .from(receivingBodies)
    .where(eq(receivingBodies.jurisdictionId, ctx.jurisdictionId))
    .orderBy(asc(receivingBodies.districtId), asc(receivingBodies.kind), asc(receivingBodies.id));
  const out = [];
  for (const b of bodies) {
    out.push({
      id: b.id,
      kind: b.kind,
      districtId: b.districtId,
      nameZh: b.nameZh,
      nameEn: b.nameEn,
      // The finding's own district first in the list: that is where its clue usually goes.
      local: b.districtId === ctx.targetDistrictId,
      receivers: (await bodyReceivers(db, env, b.id, now)).map((r) => readerWire(env, r)),
    });
  }
  return out.sort((a, b) => Number(b.local) - Number(a.local));
}

/**
 * Every linked tip needs its message, and only linked tips may get one. The caller must be able
 * to open each (they seal the message with the tip's key in their browser).
 */
export async function checkTipsterMessages(
  db: Db,
  session: StaffSession,
  findingId: string,
  messages: readonly TipsterMessage[],
  now: Date,
): Promise<void> {
  const linked = (
    await db
      .select({ tipId: findingTips.tipId })
      .from(findingTips)
      .where(eq(findingTips.findingId, findingId))
  ).map((r) => r.tipId);
  const given = new Set(messages.map((m) => m.tipId));
  if (given.size !== messages.length || given.size !== linked.length) {
    throw new FindingError("missing_tipsters");
  }
  for (const tipId of linked) {
    if (!given.has(tipId)) throw new FindingError("missing_tipsters");
    const access = await caseAccess(db, session, tipId, now);
    if (!access.ok) throw new Response(null, { status: access.status });
  }
}

export async function createTransfer(
  db: Db,
  env: Env,
  session: StaffSession,
  findingId: string,
  input: {
    bodyId: string;
    reference: string | null;
    note: Uint8Array | null;
    envelopes: IncomingEnvelope[];
    tipMessages: TipsterMessage[];
    /**
     * Only the demo seed sets this (the API's schema cannot): its Tianjin bodies' receivers have
     * no keys, and their hand-overs are recorded for the round's scorecard all the same.
     */
    allowNoReceivers?: boolean;
  },
  now = new Date(),
): Promise<string> {
  const ctx = await requireFinding(db, session, findingId, ["team"], now);
  checkSealed(input.note, "note");
  const body = (
    await db.select().from(receivingBodies).where(eq(receivingBodies.id, input.bodyId)).limit(1)
  )[0];
  if (!body || body.jurisdictionId !== ctx.jurisdictionId) throw new FindingError("bad_input");
  const receivers = await bodyReceivers(db, env, body.id, now);
  // A clue nobody at the body can open is no hand-over: refuse, so the office signs a roster first.
  if (receivers.length === 0 && !input.allowNoReceivers) throw new FindingError("no_receivers");
  const matched = matchReaders(receivers, input.envelopes);
  await checkTipsterMessages(db, session, findingId, input.tipMessages, now);
  const id = newRowId("ct");
  await withTx(db, async (tx) => {
    await tx.insert(clueTransfers).values({
      id,
      findingId,
      receivingBodyId: body.id,
      reference: input.reference,
      note: input.note ? Buffer.from(input.note) : null,
      transferredAt: now,
      transferredBy: session.staff.id,
      outcome: "pending",
    });
    // A receiver who already holds F (an earlier transfer to the same body) keeps that envelope.
    const held = new Set(
      (
        await tx
          .select({ k: findingEnvelopes.staffKeyId })
          .from(findingEnvelopes)
          .where(eq(findingEnvelopes.findingId, findingId))
      ).map((r) => r.k),
    );
    await insertEnvelopes(
      tx,
      matched.filter((m) => !held.has(m.reader.staffKeyId)).map((m) => ({ ...m, findingId })),
      session.staff.id,
      now,
    );
    await tx
      .update(findings)
      .set({ status: "transferred", updatedAt: now })
      .where(eq(findings.id, findingId));
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "finding.transfer",
      objectType: "finding",
      objectId: findingId,
      detail: {
        transfer: id,
        body: body.id,
        receivers: matched.length,
        tips: input.tipMessages.length,
      },
      at: now,
    });
    for (const m of input.tipMessages) {
      await setStatus(
        tx,
        session,
        m.tipId,
        { status: "transferred", message: { forTipster: m.forTipster, teamCopy: m.teamCopy } },
        now,
      );
    }
  });
  return id;
}

/** The receiver's list: clues addressed to the bodies they belong to, with their envelopes. */
export async function receiverClues(db: Db, session: StaffSession) {
  const mine = await bodiesOf(db, session.staff.id);
  if (mine.length === 0) return [];
  const rows = await db
    .select({
      id: clueTransfers.id,
      findingId: clueTransfers.findingId,
      bodyId: clueTransfers.receivingBodyId,
      bodyNameZh: receivingBodies.nameZh,
      bodyNameEn: receivingBodies.nameEn,
      reference: clueTransfers.reference,
      transferredAt: clueTransfers.transferredAt,
      outcome: clueTransfers.outcome,
      outcomeAt: clueTransfers.outcomeAt,
      category: findings.category,
      keyMinority: findings.keyMinority,
      amountInvolvedFen: findings.amountInvolvedFen,
      districtNameZh: districts.nameZh,
      districtNameEn: districts.nameEn,
      body: findings.body,
    })
    .from(clueTransfers)
    .innerJoin(receivingBodies, eq(receivingBodies.id, clueTransfers.receivingBodyId))
    .innerJoin(findings, eq(findings.id, clueTransfers.findingId))
    .innerJoin(stationings, eq(stationings.id, findings.stationingId))
    .innerJoin(districts, eq(districts.id, stationings.targetDistrictId))
    .where(inArray(clueTransfers.receivingBodyId, mine))
    .orderBy(desc(clueTransfers.transferredAt));
  const envelopes = rows.length
    ? await db
        .select({ findingId: findingEnvelopes.findingId, envelope: findingEnvelopes.envelope })
        .from(findingEnvelopes)
        .innerJoin(staffKeys, eq(staffKeys.id, findingEnvelopes.staffKeyId))
        .where(
          and(
            eq(findingEnvelopes.staffId, session.staff.id),
            ne(staffKeys.status, "revoked"),
            inArray(
              findingEnvelopes.findingId,
              rows.map((r) => r.findingId),
            ),
          ),
        )
    : [];
  const envOf = new Map(envelopes.map((e) => [e.findingId, e.envelope]));
  return rows.map((r) => ({
    ...r,
    transferredAt: r.transferredAt.toISOString(),
    outcomeAt: r.outcomeAt?.toISOString() ?? null,
    body: b64u(r.body),
    envelope: envOf.has(r.findingId) ? b64u(envOf.get(r.findingId)!) : null,
  }));
}

/** One transfer, for its receiver (403 for a receiver of another body) or the finding's team. */
export async function requireTransfer(db: Db, session: StaffSession, transferId: string) {
  const t = (
    await db.select().from(clueTransfers).where(eq(clueTransfers.id, transferId)).limit(1)
  )[0];
  if (!t) throw new Response(null, { status: 404 });
  const mine = await bodiesOf(db, session.staff.id);
  if (!mine.includes(t.receivingBodyId)) throw new Response(null, { status: 403 });
  return t;
}

export async function loadClue(
  db: Db,
  session: StaffSession,
  transferId: string,
  now = new Date(),
) {
  const t = await requireTransfer(db, session, transferId);
  const ctx = await requireFinding(db, session, t.findingId, ["receiver"], now);
  await withTx(db, (tx) =>
    appendAudit(tx, {
      actorId: session.staff.id,
      action: "clue.read",
      objectType: "clue_transfer",
      objectId: t.id,
      at: now,
    }),
  );
  return {
    id: t.id,
    findingId: t.findingId,
    reference: t.reference,
    note: t.note ? b64u(t.note) : null,
    transferredAt: t.transferredAt.toISOString(),
    outcome: t.outcome,
    outcomeAt: t.outcomeAt?.toISOString() ?? null,
    outcomeNote: t.outcomeNote ? b64u(t.outcomeNote) : null,
    category: ctx.finding.category,
    keyMinority: ctx.finding.keyMinority,
    amountInvolvedFen: ctx.finding.amountInvolvedFen,
    body: b64u(ctx.finding.body),
    envelope: ctx.envelope ? b64u(ctx.envelope) : null,
  };
}

export async function recordOutcome(
  db: Db,
  session: StaffSession,
  transferId: string,
  input: { outcome: (typeof TRANSFER_OUTCOMES)[number]; note: Uint8Array | null },
  now = new Date(),
): Promise<void> {
  const t = await requireTransfer(db, session, transferId);
  if (input.outcome === "pending") throw new FindingError("bad_input");
  checkSealed(input.note, "note");
  if (!canFollow(t.outcome, input.outcome)) throw new FindingError("outcome_order");
  await withTx(db, async (tx) => {
    // Only from the outcome this check saw: a concurrent step by another receiver is not undone.
    const moved = await tx
      .update(clueTransfers)
      .set({
        outcome: input.outcome,
        outcomeAt: now,
        outcomeNote: input.note ? Buffer.from(input.note) : null,
        outcomeBy: session.staff.id,
      })
      .where(and(eq(clueTransfers.id, t.id), eq(clueTransfers.outcome, t.outcome)))
      .returning({ id: clueTransfers.id });
    if (moved.length === 0) throw new FindingError("outcome_order");
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "clue.outcome",
      objectType: "clue_transfer",
      objectId: t.id,
      detail: { outcome: input.outcome, finding: t.findingId },
      at: now,
    });
  });
}

/** Clues of the office's jurisdiction with no final outcome `days` after their transfer. */
export async function overdueClues(db: Db, session: StaffSession, days: number, now = new Date()) {
  if (!session.roles.includes("office_admin")) throw new Response(null, { status: 403 });
  const before = new Date(now.getTime() - days * 86_400_000);
  const rows = await db
    .select({
      id: clueTransfers.id,
      findingId: clueTransfers.findingId,
      bodyNameZh: receivingBodies.nameZh,
      bodyNameEn: receivingBodies.nameEn,
      reference: clueTransfers.reference,
      transferredAt: clueTransfers.transferredAt,
      outcome: clueTransfers.outcome,
      districtNameZh: districts.nameZh,
      districtNameEn: districts.nameEn,
    })
    .from(clueTransfers)
    .innerJoin(receivingBodies, eq(receivingBodies.id, clueTransfers.receivingBodyId))
    .innerJoin(findings, eq(findings.id, clueTransfers.findingId))
    .innerJoin(stationings, eq(stationings.id, findings.stationingId))
    .innerJoin(districts, eq(districts.id, stationings.targetDistrictId))
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .innerJoin(rounds, eq(rounds.id, teams.roundId))
    .where(
      and(
        eq(rounds.jurisdictionId, session.staff.jurisdictionId),
        lt(clueTransfers.transferredAt, before),
      ),
    )
    .orderBy(asc(clueTransfers.transferredAt));
  return rows
    .filter((r) => !isFinalOutcome(r.outcome))
    .map((r) => ({
      ...r,
      transferredAt: r.transferredAt.toISOString(),
      daysOpen: Math.floor((now.getTime() - r.transferredAt.getTime()) / 86_400_000),
    }));
}

/**
 * Tells every linked tipster about a step (e.g. the receiving body opened a case): one message per
 * linked tip, sealed in the team member's browser, through the cases' message path.
 */
export async function notifyTipsters(
  db: Db,
  session: StaffSession,
  findingId: string,
  tipMessages: TipsterMessage[],
  now = new Date(),
): Promise<void> {
  await requireFinding(db, session, findingId, ["team"], now);
  await checkTipsterMessages(db, session, findingId, tipMessages, now);
  await withTx(db, async (tx) => {
    for (const m of tipMessages) {
      await addMessage(
        tx,
        session,
        m.tipId,
        { kind: "to_tipster", forTipster: m.forTipster, teamCopy: m.teamCopy },
        now,
      );
    }
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "finding.tipsters.notify",
      objectType: "finding",
      objectId: findingId,
      detail: { tips: tipMessages.length },
      at: now,
    });
  });
}
