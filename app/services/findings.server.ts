/**
 * Findings (DESIGN §6, issue 9): what a team found during a stationing, linked to any number of
 * tips, handed to receiving bodies as clues, resolved, checked by the look-back.
 *
 * Who may reach a finding (`findingAccess`, the one rule every findings route goes through):
 * - its team: a current member of the stationing's team with `finding:write:team`, whose home
 *   district is not the stationing's target and who is not recused from it;
 * - its office: an office admin of the round's jurisdiction;
 * - a receiver: a current member of a receiving body the finding's clue was transferred to.
 * Everyone else gets 403 with no ciphertext (404 only when the finding does not exist). The sealed
 * body needs the caller's own envelope of F besides; the clear fields do not.
 *
 * Every read of a finding and every write is audited in the same transaction as the write.
 */
import { and, asc, desc, eq, gt, inArray, isNull, ne, or } from "drizzle-orm";
import { isUniqueViolation, withTx, type Db, type Tx } from "../../db/client";
import {
  type CATEGORIES,
  type CORRUPTION_TYPES,
  type FINDING_STATUSES,
  clueTransfers,
  districts,
  findingEnvelopes,
  findingTips,
  findings,
  receivingBodies,
  receivingBodyMembers,
  recusals,
  resolutions,
  rounds,
  staffKeys,
  stationings,
  teamMembers,
  teams,
  tipEnvelopes,
  tips,
  units,
  type Finding,
} from "../../db/schema";
import type { Env } from "../env.server";
import { appendAudit, appendAuditMany } from "./audit.server";
import { caseAccess, b64u } from "./cases.server";
import { can } from "./permissions.server";
import type { StaffSession } from "./sessions.server";
import { teamReaders, officeReaders, type FindingReader } from "./finding-readers.server";

export type FindingErrorCode =
  | "not_found"
  | "forbidden"
  | "bad_input"
  | "outcome_order"
  | "bad_ciphertext"
  | "missing_readers"
  | "no_receivers"
  | "missing_tipsters"
  | "wrong_district"
  | "already_open"
  | "not_transferred";

/** Maps to `outcomes.errors.<camelCase>` and an HTTP status in outcomes-api.server.ts. */
export class FindingError extends Error {
  constructor(readonly code: FindingErrorCode) {
    super(code);
  }
}

export type FindingRole = "team" | "office" | "receiver";

export interface FindingContext {
  finding: Finding;
  roundId: string;
  jurisdictionId: string;
  teamId: string;
  targetDistrictId: string;
  roles: Set<FindingRole>;
  /** The caller's envelope of F under a key that is not revoked, if any. */
  envelope: Buffer | null;
  /** Receiving bodies (of transfers of this finding) the caller is a member of. */
  receiverBodyIds: string[];
}

/** Ids of receiving bodies `staffId` is a current member of. */
export async function bodiesOf(db: Db, staffId: string): Promise<string[]> {
  const rows = await db
    .select({ id: receivingBodyMembers.bodyId })
    .from(receivingBodyMembers)
    .where(and(eq(receivingBodyMembers.staffId, staffId), isNull(receivingBodyMembers.leftAt)));
  return rows.map((r) => r.id);
}

export async function isRecusedFrom(
  db: Db,
  staffId: string,
  districtId: string,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .select({ id: recusals.id })
    .from(recusals)
    .where(
      and(
        eq(recusals.staffId, staffId),
        eq(recusals.districtId, districtId),
        isNull(recusals.unitId),
        or(isNull(recusals.withdrawnAt), gt(recusals.withdrawnAt, now)),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

async function isTeamMember(db: Db, staffId: string, teamId: string): Promise<boolean> {
  const rows = await db
    .select({ s: teamMembers.staffId })
    .from(teamMembers)
    .where(
      and(
        eq(teamMembers.teamId, teamId),
        eq(teamMembers.staffId, staffId),
        isNull(teamMembers.leftAt),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function findingAccess(
  db: Db,
  session: StaffSession,
  findingId: string,
  now = new Date(),
): Promise<{ ok: true; ctx: FindingContext } | { ok: false; status: 403 | 404 }> {
  const row = (
    await db
      .select({
        finding: findings,
        teamId: stationings.teamId,
        targetDistrictId: stationings.targetDistrictId,
        roundId: teams.roundId,
        jurisdictionId: rounds.jurisdictionId,
      })
      .from(findings)
      .innerJoin(stationings, eq(stationings.id, findings.stationingId))
      .innerJoin(teams, eq(teams.id, stationings.teamId))
      .innerJoin(rounds, eq(rounds.id, teams.roundId))
      .where(eq(findings.id, findingId))
      .limit(1)
  )[0];
  if (!row) return { ok: false, status: 404 };
  const me = session.staff;
  const roles = new Set<FindingRole>();
  if (
    can(session.roles, "finding:write:team") &&
    me.homeDistrictId !== row.targetDistrictId &&
    (await isTeamMember(db, me.id, row.teamId)) &&
    !(await isRecusedFrom(db, me.id, row.targetDistrictId, now))
  ) {
    roles.add("team");
  }
  if (session.roles.includes("office_admin") && me.jurisdictionId === row.jurisdictionId) {
    roles.add("office");
  }
  let receiverBodyIds: string[] = [];
  if (can(session.roles, "transfer:receive:commission")) {
    const mine = await bodiesOf(db, me.id);
    if (mine.length > 0) {
      const transfers = await db
        .select({ bodyId: clueTransfers.receivingBodyId })
        .from(clueTransfers)
        .where(
          and(eq(clueTransfers.findingId, findingId), inArray(clueTransfers.receivingBodyId, mine)),
        );
      receiverBodyIds = [...new Set(transfers.map((t) => t.bodyId))];
      if (receiverBodyIds.length > 0) roles.add("receiver");
    }
  }
  if (roles.size === 0) return { ok: false, status: 403 };
  const env = (
    await db
      .select({ envelope: findingEnvelopes.envelope })
      .from(findingEnvelopes)
      .innerJoin(staffKeys, eq(staffKeys.id, findingEnvelopes.staffKeyId))
      .where(
        and(
          eq(findingEnvelopes.findingId, findingId),
          eq(findingEnvelopes.staffId, me.id),
          ne(staffKeys.status, "revoked"),
        ),
      )
      .orderBy(desc(findingEnvelopes.createdAt))
      .limit(1)
  )[0];
  return {
    ok: true,
    ctx: {
      finding: row.finding,
      roundId: row.roundId,
      jurisdictionId: row.jurisdictionId,
      teamId: row.teamId,
      targetDistrictId: row.targetDistrictId,
      roles,
      envelope: env?.envelope ?? null,
      receiverBodyIds,
    },
  };
}

/** findingAccess or a thrown 404/403 Response; `need` narrows which roles may act. */
export async function requireFinding(
  db: Db,
  session: StaffSession,
  findingId: string,
  need: readonly FindingRole[] = ["team", "office", "receiver"],
  now = new Date(),
): Promise<FindingContext> {
  const access = await findingAccess(db, session, findingId, now);
  if (!access.ok) throw new Response(null, { status: access.status });
  if (!need.some((r) => access.ctx.roles.has(r))) throw new Response(null, { status: 403 });
  return access.ctx;
}

// ---------------------------------------------------------------- blobs
const BODY_TAG = 0x81;
const NOTE_TAG = 0x82;
/** Tag byte and bucket size of a sealed finding body (1 KiB … 1 MiB) or note (256 B … 64 KiB). */
export function checkSealed(blob: Uint8Array | null | undefined, kind: "body" | "note"): void {
  if (!blob) return;
  const [tag, min, max] =
    kind === "body" ? [BODY_TAG, 41 + 1024, 41 + (1 << 20)] : [NOTE_TAG, 41 + 256, 41 + (1 << 16)];
  if (blob[0] !== tag || blob.length < min || blob.length > max) {
    throw new FindingError("bad_ciphertext");
  }
}
/** A key envelope is 106 bytes with tag 0x11 (docs/crypto.md §5.1). */
export function checkEnvelope(blob: Uint8Array): void {
  if (blob.length !== 106 || blob[0] !== 0x11) throw new FindingError("bad_ciphertext");
}

export interface IncomingEnvelope {
  staffKeyId: string;
  envelope: Uint8Array;
}

/**
 * The envelopes must be exactly one per expected reader key, no more, no fewer: a tampered client
 * can neither leave the office out nor add someone.
 */
export function matchReaders(
  expected: readonly FindingReader[],
  given: readonly IncomingEnvelope[],
): { reader: FindingReader; envelope: Uint8Array }[] {
  const byKey = new Map(given.map((g) => [g.staffKeyId, g.envelope]));
  if (byKey.size !== given.length || given.length !== expected.length) {
    throw new FindingError("missing_readers");
  }
  return expected.map((reader) => {
    const envelope = byKey.get(reader.staffKeyId);
    if (!envelope) throw new FindingError("missing_readers");
    checkEnvelope(envelope);
    return { reader, envelope };
  });
}

// ---------------------------------------------------------------- readers for a new finding
/**
 * Who a new finding of `stationingId` is sealed to: the team's usable readers (home district ≠
 * target, not recused, approved key) and the office admins of the round's jurisdiction.
 */
export async function readersForStationing(
  db: Db,
  env: Env,
  stationingId: string,
  now = new Date(),
): Promise<FindingReader[]> {
  const team = await teamReaders(db, env, stationingId, now);
  const office = await officeReaders(db, env, stationingId, now);
  const seen = new Set<string>();
  return [...team, ...office].filter((r) => (seen.has(r.staffId) ? false : seen.add(r.staffId)));
}

/** Stationings the caller may file findings for: their teams', as long as they are members. */
export async function myStationings(db: Db, session: StaffSession) {
  if (!can(session.roles, "finding:write:team")) return [];
  return await db
    .select({
      id: stationings.id,
      targetDistrictId: stationings.targetDistrictId,
      districtNameZh: districts.nameZh,
      districtNameEn: districts.nameEn,
      teamId: teams.id,
      teamNameZh: teams.nameZh,
      teamNameEn: teams.nameEn,
      startsAt: stationings.startsAt,
      endsAt: stationings.endsAt,
    })
    .from(teamMembers)
    .innerJoin(stationings, eq(stationings.teamId, teamMembers.teamId))
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .innerJoin(districts, eq(districts.id, stationings.targetDistrictId))
    .where(and(eq(teamMembers.staffId, session.staff.id), isNull(teamMembers.leftAt)))
    .orderBy(desc(stationings.startsAt));
}

// ---------------------------------------------------------------- create
export interface NewFinding {
  id: string;
  stationingId: string;
  unitId: string | null;
  category: (typeof CATEGORIES)[number];
  corruptionType: (typeof CORRUPTION_TYPES)[number] | null;
  keyMinority: boolean;
  amountInvolvedFen: number | null;
  immediateRectification: boolean;
  rectifiedAt: Date | null;
  body: Uint8Array;
  envelopes: IncomingEnvelope[];
}

export const FINDING_ID = /^fd_[A-Za-z0-9_-]{16,40}$/;

/** Creates a finding sealed in the caller's browser (in `db`'s transaction when it is a `tx`). */
export async function createFinding(
  db: Db,
  env: Env,
  session: StaffSession,
  input: NewFinding,
  now = new Date(),
): Promise<string> {
  return (await createFindings(db, env, session, [input], now))[0]!;
}

/** Rows per multi-row INSERT (far below both engines' bound-parameter limits). */
const BATCH = 200;

/**
 * Creates findings sealed in the caller's browser, all or none: the same checks as one at a time
 * (the caller's stationings, target district, recusal, unit, readers — once per stationing), one
 * transaction, multi-row inserts, one audit row per finding. The demo seeds a round with it.
 */
export async function createFindings(
  db: Db,
  env: Env,
  session: StaffSession,
  inputs: readonly NewFinding[],
  now = new Date(),
): Promise<string[]> {
  if (inputs.length === 0) return [];
  const ids = new Set<string>();
  for (const input of inputs) {
    if (!FINDING_ID.test(input.id) || ids.has(input.id)) throw new FindingError("bad_input");
    ids.add(input.id);
    checkSealed(input.body, "body");
    if (input.corruptionType && input.category !== "corruption") {
      throw new FindingError("bad_input");
    }
    if (input.immediateRectification !== (input.rectifiedAt !== null)) {
      throw new FindingError("bad_input");
    }
  }
  const mine = await myStationings(db, session);
  const readersOf = new Map<string, FindingReader[]>();
  for (const stationingId of new Set(inputs.map((i) => i.stationingId))) {
    const stationing = mine.find((s) => s.id === stationingId);
    if (!stationing) throw new FindingError("forbidden");
    if (
      session.staff.homeDistrictId === stationing.targetDistrictId ||
      (await isRecusedFrom(db, session.staff.id, stationing.targetDistrictId, now))
    ) {
      throw new FindingError("forbidden");
    }
    readersOf.set(stationingId, await readersForStationing(db, env, stationingId, now));
  }
  const unitIds = [...new Set(inputs.flatMap((i) => (i.unitId ? [i.unitId] : [])))];
  const unitDistrict = new Map<string, string>();
  for (let at = 0; at < unitIds.length; at += BATCH) {
    const rows = await db
      .select({ id: units.id, d: units.districtId })
      .from(units)
      .where(inArray(units.id, unitIds.slice(at, at + BATCH)));
    for (const r of rows) unitDistrict.set(r.id, r.d);
  }
  const matched = inputs.map((input) => {
    const stationing = mine.find((s) => s.id === input.stationingId)!;
    if (input.unitId && unitDistrict.get(input.unitId) !== stationing.targetDistrictId) {
      throw new FindingError("bad_input");
    }
    return matchReaders(readersOf.get(input.stationingId)!, input.envelopes);
  });
  try {
    await withTx(db, async (tx) => {
      const idList = [...ids];
      for (let at = 0; at < idList.length; at += BATCH) {
        const exists = await tx
          .select({ id: findings.id })
          .from(findings)
          .where(inArray(findings.id, idList.slice(at, at + BATCH)));
        if (exists.length > 0) throw new FindingError("bad_input");
      }
      for (let at = 0; at < inputs.length; at += BATCH) {
        await tx.insert(findings).values(
          inputs.slice(at, at + BATCH).map((input) => ({
            id: input.id,
            stationingId: input.stationingId,
            unitId: input.unitId,
            category: input.category,
            corruptionType: input.corruptionType,
            keyMinority: input.keyMinority,
            amountInvolvedFen: input.amountInvolvedFen,
            immediateRectification: input.immediateRectification,
            rectifiedAt: input.rectifiedAt,
            status: "open" as const,
            body: Buffer.from(input.body),
            createdBy: session.staff.id,
            createdAt: now,
            updatedAt: now,
          })),
        );
      }
      await insertEnvelopes(
        tx,
        inputs.flatMap((input, i) => matched[i]!.map((m) => ({ ...m, findingId: input.id }))),
        null,
        now,
      );
      await appendAuditMany(
        tx,
        inputs.map((input, i) => ({
          actorId: session.staff.id,
          action: "finding.create",
          objectType: "finding",
          objectId: input.id,
          detail: {
            stationing: input.stationingId,
            category: input.category,
            readers: matched[i]!.length,
          },
          at: now,
        })),
      );
    });
  } catch (err) {
    // The same ids sent twice at once (a retry): both find them new (PostgreSQL, READ COMMITTED)
    // and the primary key refuses the second, which is the answer the check above gives.
    if (isUniqueViolation(err, findings.id)) throw new FindingError("bad_input");
    throw err;
  }
  return inputs.map((i) => i.id);
}

/** Inserts key envelopes of F, each for its `findingId` (multi-row inserts). */
export async function insertEnvelopes(
  tx: Tx,
  matched: { findingId: string; reader: FindingReader; envelope: Uint8Array }[],
  grantedBy: string | null,
  now: Date,
): Promise<void> {
  for (let at = 0; at < matched.length; at += BATCH) {
    // A reader who holds F already keeps that envelope: of two transfers of one finding at once
    // (clues.server.ts) each may find the reader without one.
    await tx
      .insert(findingEnvelopes)
      .values(
        matched.slice(at, at + BATCH).map((m) => ({
          id: `fe_${m.reader.staffKeyId}_${m.findingId}`.slice(0, 120),
          findingId: m.findingId,
          staffKeyId: m.reader.staffKeyId,
          staffId: m.reader.staffId,
          envelope: Buffer.from(m.envelope),
          grantedBy,
          createdAt: now,
        })),
      )
      .onConflictDoNothing();
  }
}

// ---------------------------------------------------------------- read
export async function loadFinding(
  db: Db,
  session: StaffSession,
  findingId: string,
  now = new Date(),
) {
  const ctx = await requireFinding(db, session, findingId, undefined, now);
  const f = ctx.finding;
  const linked = await db
    .select({
      tipId: findingTips.tipId,
      status: tips.status,
      createdAt: tips.createdAt,
      linkedAt: findingTips.createdAt,
    })
    .from(findingTips)
    .innerJoin(tips, eq(tips.id, findingTips.tipId))
    .where(eq(findingTips.findingId, findingId))
    .orderBy(asc(findingTips.createdAt));
  const transfers = await db
    .select({
      id: clueTransfers.id,
      bodyId: clueTransfers.receivingBodyId,
      bodyNameZh: receivingBodies.nameZh,
      bodyNameEn: receivingBodies.nameEn,
      reference: clueTransfers.reference,
      note: clueTransfers.note,
      transferredAt: clueTransfers.transferredAt,
      outcome: clueTransfers.outcome,
      outcomeAt: clueTransfers.outcomeAt,
      outcomeNote: clueTransfers.outcomeNote,
    })
    .from(clueTransfers)
    .innerJoin(receivingBodies, eq(receivingBodies.id, clueTransfers.receivingBodyId))
    .where(eq(clueTransfers.findingId, findingId))
    .orderBy(asc(clueTransfers.transferredAt));
  const visibleTransfers =
    ctx.roles.has("team") || ctx.roles.has("office")
      ? transfers
      : transfers.filter((t) => ctx.receiverBodyIds.includes(t.bodyId));
  const resolved =
    ctx.roles.has("team") || ctx.roles.has("office")
      ? await db
          .select()
          .from(resolutions)
          .where(eq(resolutions.findingId, findingId))
          .orderBy(asc(resolutions.resolvedAt))
      : [];
  await withTx(db, (tx) =>
    appendAudit(tx, {
      actorId: session.staff.id,
      action: "finding.read",
      objectType: "finding",
      objectId: findingId,
      at: now,
    }),
  );
  return {
    id: f.id,
    stationingId: f.stationingId,
    targetDistrictId: ctx.targetDistrictId,
    unitId: f.unitId,
    category: f.category,
    corruptionType: f.corruptionType,
    keyMinority: f.keyMinority,
    amountInvolvedFen: f.amountInvolvedFen,
    immediateRectification: f.immediateRectification,
    rectifiedAt: f.rectifiedAt?.toISOString() ?? null,
    status: f.status,
    createdAt: f.createdAt.toISOString(),
    roles: [...ctx.roles],
    body: b64u(f.body),
    envelope: ctx.envelope ? b64u(ctx.envelope) : null,
    // Receivers see the clue, not the tips behind it.
    tips:
      ctx.roles.has("team") || ctx.roles.has("office")
        ? linked.map((l) => ({
            tipId: l.tipId,
            status: l.status,
            createdAt: l.createdAt.toISOString(),
            linkedAt: l.linkedAt.toISOString(),
          }))
        : [],
    transfers: visibleTransfers.map((t) => ({
      id: t.id,
      bodyId: t.bodyId,
      bodyNameZh: t.bodyNameZh,
      bodyNameEn: t.bodyNameEn,
      reference: t.reference,
      note: t.note ? b64u(t.note) : null,
      transferredAt: t.transferredAt.toISOString(),
      outcome: t.outcome,
      outcomeAt: t.outcomeAt?.toISOString() ?? null,
      outcomeNote: t.outcomeNote ? b64u(t.outcomeNote) : null,
    })),
    resolutions: resolved.map((r) => ({
      id: r.id,
      kind: r.kind,
      amountFen: r.amountFen,
      beneficiaries: r.beneficiaries,
      details: b64u(r.details),
      resolvedAt: r.resolvedAt.toISOString(),
      verification: r.verification,
    })),
  };
}

/** The findings list of a team member (their teams) or an office admin (their jurisdiction). */
export async function listFindings(db: Db, session: StaffSession) {
  const me = session.staff;
  const base = db
    .select({
      id: findings.id,
      stationingId: findings.stationingId,
      targetDistrictId: stationings.targetDistrictId,
      category: findings.category,
      keyMinority: findings.keyMinority,
      immediateRectification: findings.immediateRectification,
      amountInvolvedFen: findings.amountInvolvedFen,
      status: findings.status,
      createdAt: findings.createdAt,
      body: findings.body,
      teamId: teams.id,
    })
    .from(findings)
    .innerJoin(stationings, eq(stationings.id, findings.stationingId))
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .innerJoin(rounds, eq(rounds.id, teams.roundId));
  let rows: Awaited<typeof base>;
  if (session.roles.includes("office_admin")) {
    rows = await base
      .where(eq(rounds.jurisdictionId, me.jurisdictionId))
      .orderBy(desc(findings.createdAt));
  } else if (can(session.roles, "finding:write:team")) {
    const myTeams = (
      await db
        .select({ t: teamMembers.teamId })
        .from(teamMembers)
        .where(and(eq(teamMembers.staffId, me.id), isNull(teamMembers.leftAt)))
    ).map((r) => r.t);
    if (myTeams.length === 0) return [];
    rows = (await base.where(inArray(teams.id, myTeams)).orderBy(desc(findings.createdAt))).filter(
      (r) => r.targetDistrictId !== me.homeDistrictId,
    );
  } else {
    return [];
  }
  const ids = rows.map((r) => r.id);
  const envelopes = ids.length
    ? await db
        .select({ findingId: findingEnvelopes.findingId, envelope: findingEnvelopes.envelope })
        .from(findingEnvelopes)
        .innerJoin(staffKeys, eq(staffKeys.id, findingEnvelopes.staffKeyId))
        .where(
          and(
            eq(findingEnvelopes.staffId, me.id),
            ne(staffKeys.status, "revoked"),
            inArray(findingEnvelopes.findingId, ids),
          ),
        )
    : [];
  const envOf = new Map(envelopes.map((e) => [e.findingId, e.envelope]));
  return rows.map((r) => ({
    id: r.id,
    stationingId: r.stationingId,
    targetDistrictId: r.targetDistrictId,
    category: r.category,
    keyMinority: r.keyMinority,
    immediateRectification: r.immediateRectification,
    amountInvolvedFen: r.amountInvolvedFen,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    body: b64u(r.body),
    envelope: envOf.has(r.id) ? b64u(envOf.get(r.id)!) : null,
  }));
}

// ---------------------------------------------------------------- link / unlink / status
/** Links a tip to a finding: the caller must reach both, and they must be about one district. */
export async function linkTip(
  db: Db,
  session: StaffSession,
  findingId: string,
  tipId: string,
  now = new Date(),
): Promise<void> {
  const ctx = await requireFinding(db, session, findingId, ["team"], now);
  const tip = await caseAccess(db, session, tipId, now);
  if (!tip.ok) throw new Response(null, { status: tip.status });
  if (tip.tip.targetDistrictId !== ctx.targetDistrictId) throw new FindingError("wrong_district");
  await withTx(db, async (tx) => {
    // The insert is the check: parallel links of one pair (PostgreSQL, READ COMMITTED) would all
    // find none, and the primary key would refuse all but the first with a 500.
    const linked = await tx
      .insert(findingTips)
      .values({ findingId, tipId, linkedBy: session.staff.id, createdAt: now })
      .onConflictDoNothing()
      .returning({ tipId: findingTips.tipId });
    if (linked.length === 0) return;
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "finding.tip.link",
      objectType: "finding",
      objectId: findingId,
      detail: { tip: tipId },
      at: now,
    });
  });
}

export async function unlinkTip(
  db: Db,
  session: StaffSession,
  findingId: string,
  tipId: string,
  now = new Date(),
): Promise<void> {
  await requireFinding(db, session, findingId, ["team"], now);
  await withTx(db, async (tx) => {
    await tx
      .delete(findingTips)
      .where(and(eq(findingTips.findingId, findingId), eq(findingTips.tipId, tipId)));
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "finding.tip.unlink",
      objectType: "finding",
      objectId: findingId,
      detail: { tip: tipId },
      at: now,
    });
  });
}

/** Findings a tip is linked to that the caller can reach (the case page's side of the link). */
export async function findingsOfTip(
  db: Db,
  session: StaffSession,
  tipId: string,
  now = new Date(),
) {
  const rows = await db
    .select({
      id: findings.id,
      category: findings.category,
      status: findings.status,
      body: findings.body,
    })
    .from(findingTips)
    .innerJoin(findings, eq(findings.id, findingTips.findingId))
    .where(eq(findingTips.tipId, tipId));
  const out = [];
  for (const r of rows) {
    const access = await findingAccess(db, session, r.id, now);
    if (!access.ok) continue;
    out.push({
      id: r.id,
      category: r.category,
      status: r.status,
      body: b64u(r.body),
      envelope: access.ctx.envelope ? b64u(access.ctx.envelope) : null,
    });
  }
  return out;
}

export async function setFindingStatus(
  db: Db,
  session: StaffSession,
  findingId: string,
  status: (typeof FINDING_STATUSES)[number],
  now = new Date(),
): Promise<void> {
  await requireFinding(db, session, findingId, ["team", "office"], now);
  await withTx(db, async (tx) => {
    await tx.update(findings).set({ status, updatedAt: now }).where(eq(findings.id, findingId));
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "finding.status.set",
      objectType: "finding",
      objectId: findingId,
      detail: { status },
      at: now,
    });
  });
}

/** A new sealed body under the same F (an edit of title, narrative or people). */
export async function updateFindingBody(
  db: Db,
  session: StaffSession,
  findingId: string,
  body: Uint8Array,
  now = new Date(),
): Promise<void> {
  await requireFinding(db, session, findingId, ["team"], now);
  checkSealed(body, "body");
  await withTx(db, async (tx) => {
    await tx
      .update(findings)
      .set({ body: Buffer.from(body), updatedAt: now })
      .where(eq(findings.id, findingId));
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "finding.body.update",
      objectType: "finding",
      objectId: findingId,
      at: now,
    });
  });
}

/** Tips the caller holds about the finding's district and could link (newest 200, not linked). */
export async function linkableTips(
  db: Db,
  session: StaffSession,
  findingId: string,
  now = new Date(),
) {
  const ctx = await requireFinding(db, session, findingId, ["team"], now);
  const linked = new Set(
    (
      await db
        .select({ t: findingTips.tipId })
        .from(findingTips)
        .where(eq(findingTips.findingId, findingId))
    ).map((r) => r.t),
  );
  const rows = await db
    .select({
      id: tips.id,
      createdAt: tips.createdAt,
      status: tips.status,
      unitZh: units.nameZh,
      unitEn: units.nameEn,
    })
    .from(tipEnvelopes)
    .innerJoin(tips, eq(tips.id, tipEnvelopes.tipId))
    .leftJoin(units, eq(units.id, tips.unitId))
    .where(
      and(
        eq(tipEnvelopes.staffId, session.staff.id),
        eq(tipEnvelopes.kind, "tip"),
        eq(tips.targetDistrictId, ctx.targetDistrictId),
      ),
    )
    .orderBy(desc(tips.createdAt))
    .limit(200);
  return rows
    .filter((r) => !linked.has(r.id))
    .map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
