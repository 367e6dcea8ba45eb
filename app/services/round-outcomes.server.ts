/**
 * A round's outcomes for the office: the look-back (回头看), the scorecard per district and per
 * team (issue 10 item 8), and the publication review of the public results board. Every figure
 * is computed here from records by the pure functions of app/shared/outcome-metrics.ts and
 * app/shared/results-board.ts; nothing is typed in.
 */
import { and, asc, eq, inArray, isNull, min, sql } from "drizzle-orm";
import { stringify } from "csv-stringify/sync";
import { isUniqueViolation, serializeOn, withTx, type Db } from "../../db/client";
import {
  type RECTIFICATION_VERDICTS,
  clueTransfers,
  districts,
  findings,
  lookBackChecks,
  lookBacks,
  messages,
  resolutions,
  resultPublications,
  rounds,
  stationings,
  teams,
  tipStatusHistory,
  tips,
} from "../../db/schema";
import type { T } from "../i18n/translate";
import type { Locale } from "../i18n/types";
import {
  lookBackMetrics,
  scorecard,
  type ClueOutcome,
  type Ratio,
  type Scorecard,
  type ScorecardFinding,
  type ScorecardTip,
} from "../shared/outcome-metrics";
import {
  MONEY_RETURNING_KINDS,
  boardFigures,
  publishBoard,
  type BoardFigures,
  type BoardFinding,
} from "../shared/results-board";
import { appendAudit, appendAuditMany, type PrintAnchor } from "./audit.server";
import { newRowId } from "./cases.server";
import { FindingError, checkSealed, requireFinding } from "./findings.server";
import type { StaffSession } from "./sessions.server";

/** The office admin of the round's jurisdiction, or 403/404. */
export async function requireOfficeRound(db: Db, session: StaffSession, roundId: string) {
  const round = (await db.select().from(rounds).where(eq(rounds.id, roundId)).limit(1))[0];
  if (!round) throw new Response(null, { status: 404 });
  if (
    !session.roles.includes("office_admin") ||
    session.staff.jurisdictionId !== round.jurisdictionId
  ) {
    throw new Response(null, { status: 403 });
  }
  return round;
}

export async function officeRounds(db: Db, session: StaffSession) {
  if (!session.roles.includes("office_admin")) return [];
  return await db
    .select()
    .from(rounds)
    .where(eq(rounds.jurisdictionId, session.staff.jurisdictionId))
    .orderBy(asc(rounds.startsAt));
}

// ---------------------------------------------------------------- rows of a round
interface RoundFinding extends ScorecardFinding, BoardFinding {
  id: string;
  districtId: string;
  teamId: string;
}

/** Every finding of the round with its transfers and resolutions, in clear fields only. */
export async function roundFindings(db: Db, roundId: string): Promise<RoundFinding[]> {
  const rows = await db
    .select({
      id: findings.id,
      category: findings.category,
      keyMinority: findings.keyMinority,
      immediateRectification: findings.immediateRectification,
      districtId: stationings.targetDistrictId,
      teamId: stationings.teamId,
    })
    .from(findings)
    .innerJoin(stationings, eq(stationings.id, findings.stationingId))
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .where(eq(teams.roundId, roundId));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const transfers = await db
    .select({ findingId: clueTransfers.findingId, outcome: clueTransfers.outcome })
    .from(clueTransfers)
    .where(inArray(clueTransfers.findingId, ids));
  const resolved = await db
    .select({
      findingId: resolutions.findingId,
      kind: resolutions.kind,
      amountFen: resolutions.amountFen,
      beneficiaries: resolutions.beneficiaries,
    })
    .from(resolutions)
    .where(inArray(resolutions.findingId, ids));
  const outcomesOf = new Map<string, ClueOutcome[]>();
  for (const t of transfers)
    outcomesOf.set(t.findingId, [...(outcomesOf.get(t.findingId) ?? []), t.outcome]);
  const resolutionsOf = new Map<string, typeof resolved>();
  for (const r of resolved)
    resolutionsOf.set(r.findingId, [...(resolutionsOf.get(r.findingId) ?? []), r]);
  return rows.map((r) => {
    const res = resolutionsOf.get(r.id) ?? [];
    return {
      ...r,
      clueOutcomes: outcomesOf.get(r.id) ?? [],
      resolutions: res,
      moneyReturnedFen: res
        .filter((x) => (MONEY_RETURNING_KINDS as readonly string[]).includes(x.kind))
        .reduce((a, x) => a + (x.amountFen ?? 0), 0),
      beneficiaries: res.reduce((a, x) => a + (x.beneficiaries ?? 0), 0),
    };
  });
}

/** Tips routed through the round's stationings, with their deadlines and first answer. */
async function roundTips(db: Db, roundId: string) {
  const rows = await db
    .select({
      id: tips.id,
      districtId: tips.targetDistrictId,
      teamId: stationings.teamId,
      acknowledgeBy: tips.acknowledgeBy,
      acknowledgedAt: tips.acknowledgedAt,
      feedbackBy: tips.feedbackBy,
    })
    .from(tips)
    .innerJoin(stationings, eq(stationings.id, tips.stationingId))
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .where(eq(teams.roundId, roundId));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // The first thing the tipster could read: a message or a status note with a message.
  const firstMessage = await db
    .select({ tipId: messages.tipId, at: min(messages.createdAt) })
    .from(messages)
    .where(and(inArray(messages.tipId, ids), eq(messages.kind, "to_tipster")))
    .groupBy(messages.tipId);
  const firstNote = await db
    .select({ tipId: tipStatusHistory.tipId, at: min(tipStatusHistory.createdAt) })
    .from(tipStatusHistory)
    .where(
      and(inArray(tipStatusHistory.tipId, ids), sql`${tipStatusHistory.publicMessage} is not null`),
    )
    .groupBy(tipStatusHistory.tipId);
  const first = new Map<string, number>();
  for (const r of [...firstMessage, ...firstNote]) {
    if (!r.at) continue;
    const t = new Date(r.at as unknown as Date | number).getTime();
    first.set(r.tipId, Math.min(first.get(r.tipId) ?? Infinity, t));
  }
  return rows.map((r) => ({
    districtId: r.districtId,
    teamId: r.teamId,
    acknowledgeBy: r.acknowledgeBy.getTime(),
    acknowledgedAt: r.acknowledgedAt?.getTime() ?? null,
    feedbackBy: r.feedbackBy.getTime(),
    firstFeedbackAt: first.get(r.id) ?? null,
  }));
}

// ---------------------------------------------------------------- scorecard
export interface ScorecardReport {
  round: Scorecard;
  districts: { id: string; nameZh: string; nameEn: string; card: Scorecard }[];
  teams: { id: string; nameZh: string; nameEn: string; card: Scorecard }[];
}

export async function roundScorecard(
  db: Db,
  roundId: string,
  now = new Date(),
): Promise<ScorecardReport> {
  const [found, received] = await Promise.all([roundFindings(db, roundId), roundTips(db, roundId)]);
  const stationed = await db
    .select({
      teamId: teams.id,
      teamNameZh: teams.nameZh,
      teamNameEn: teams.nameEn,
      districtId: districts.id,
      districtNameZh: districts.nameZh,
      districtNameEn: districts.nameEn,
      sortOrder: districts.sortOrder,
    })
    .from(stationings)
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .innerJoin(districts, eq(districts.id, stationings.targetDistrictId))
    .where(eq(teams.roundId, roundId))
    .orderBy(asc(districts.sortOrder), asc(districts.id));
  const card = (f: RoundFinding[], t: ScorecardTip[]) =>
    scorecard({ findings: f, tips: t, now: now.getTime() });
  const districtList = [...new Map(stationed.map((s) => [s.districtId, s])).values()];
  const teamList = [...new Map(stationed.map((s) => [s.teamId, s])).values()];
  return {
    round: card(found, received),
    districts: districtList.map((d) => ({
      id: d.districtId,
      nameZh: d.districtNameZh,
      nameEn: d.districtNameEn,
      card: card(
        found.filter((f) => f.districtId === d.districtId),
        received.filter((t) => t.districtId === d.districtId),
      ),
    })),
    teams: teamList.map((t) => ({
      id: t.teamId,
      nameZh: t.teamNameZh,
      nameEn: t.teamNameEn,
      card: card(
        found.filter((f) => f.teamId === t.teamId),
        received.filter((x) => x.teamId === t.teamId),
      ),
    })),
  };
}

// ---------------------------------------------------------------- look-back
export async function openLookBack(
  db: Db,
  session: StaffSession,
  roundId: string,
  now = new Date(),
) {
  await requireOfficeRound(db, session, roundId);
  const id = newRowId("lb");
  try {
    await withTx(db, async (tx) => {
      const existing = await tx
        .select({ id: lookBacks.id })
        .from(lookBacks)
        .where(eq(lookBacks.roundId, roundId));
      if (existing.length > 0) throw new FindingError("already_open");
      await tx.insert(lookBacks).values({ id, roundId, openedBy: session.staff.id, openedAt: now });
      await appendAudit(tx, {
        actorId: session.staff.id,
        action: "lookback.open",
        objectType: "round",
        objectId: roundId,
        detail: { lookBack: id },
        at: now,
      });
    });
  } catch (err) {
    // Two openings at once (PostgreSQL, READ COMMITTED) both find none; the unique index on the
    // round refuses the second insert, which is the same answer as the check's.
    if (isUniqueViolation(err, lookBacks.roundId)) throw new FindingError("already_open");
    throw err;
  }
  return id;
}

export interface LookBackCheck {
  findingId: string;
  problemConfirmed: boolean;
  rectification: (typeof RECTIFICATION_VERDICTS)[number];
  note: Uint8Array | null;
}

export async function recordCheck(
  db: Db,
  session: StaffSession,
  roundId: string,
  input: LookBackCheck,
  now = new Date(),
): Promise<void> {
  await requireOfficeRound(db, session, roundId);
  const ctx = await requireFinding(db, session, input.findingId, ["office"], now);
  if (ctx.roundId !== roundId) throw new FindingError("bad_input");
  await writeChecks(db, session, roundId, [input], now);
}

/**
 * Records many look-back checks of the round at once (the office's bulk entry, the demo seed):
 * the office admin of the round reaches every finding of it, so one query checks that each
 * finding belongs to the round.
 */
export async function recordChecks(
  db: Db,
  session: StaffSession,
  roundId: string,
  inputs: readonly LookBackCheck[],
  now = new Date(),
): Promise<void> {
  await requireOfficeRound(db, session, roundId);
  const ofRound = new Set((await roundFindings(db, roundId)).map((f) => f.id));
  if (inputs.some((i) => !ofRound.has(i.findingId))) throw new FindingError("bad_input");
  await writeChecks(db, session, roundId, inputs, now);
}

async function writeChecks(
  db: Db,
  session: StaffSession,
  roundId: string,
  inputs: readonly LookBackCheck[],
  now: Date,
): Promise<void> {
  for (const input of inputs) checkSealed(input.note, "note");
  if (new Set(inputs.map((i) => i.findingId)).size !== inputs.length) {
    throw new FindingError("bad_input");
  }
  const lb = (await db.select().from(lookBacks).where(eq(lookBacks.roundId, roundId)).limit(1))[0];
  if (!lb) throw new FindingError("bad_input");
  await withTx(db, async (tx) => {
    // A check replaces the finding's earlier one (delete, then insert): parallel checks of one
    // finding would each delete nothing the other inserted and then collide on the primary key.
    await serializeOn(tx, `look_back:${lb.id}`);
    for (const input of inputs) {
      await tx
        .delete(lookBackChecks)
        .where(
          and(eq(lookBackChecks.lookBackId, lb.id), eq(lookBackChecks.findingId, input.findingId)),
        );
      const verification = input.rectification === "not_required" ? null : input.rectification;
      if (verification) {
        await tx
          .update(resolutions)
          .set({ verification })
          .where(eq(resolutions.findingId, input.findingId));
      }
    }
    for (let at = 0; at < inputs.length; at += 200) {
      await tx.insert(lookBackChecks).values(
        inputs.slice(at, at + 200).map((input) => ({
          lookBackId: lb.id,
          findingId: input.findingId,
          problemConfirmed: input.problemConfirmed,
          rectification: input.rectification,
          note: input.note ? Buffer.from(input.note) : null,
          checkedBy: session.staff.id,
          checkedAt: now,
        })),
      );
    }
    await appendAuditMany(
      tx,
      inputs.map((input) => ({
        actorId: session.staff.id,
        action: "lookback.check",
        objectType: "finding",
        objectId: input.findingId,
        detail: { confirmed: input.problemConfirmed, rectification: input.rectification },
        at: now,
      })),
    );
  });
}

/** Findings per page of the office's look-back list. */
export const LOOK_BACK_PAGE = 20;

/**
 * The office's look-back worklist for one district of the round: its findings in clear fields
 * (what was found, clue outcomes, resolutions) with the check recorded so far, findings not yet
 * checked first, LOOK_BACK_PAGE at a time. The sealed narrative stays on the finding's page.
 */
export async function lookBackList(
  db: Db,
  session: StaffSession,
  roundId: string,
  districtId: string | null,
  page: number,
) {
  await requireOfficeRound(db, session, roundId);
  const lb = (await db.select().from(lookBacks).where(eq(lookBacks.roundId, roundId)).limit(1))[0];
  const districtsOfRound = await db
    .selectDistinct({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn })
    .from(stationings)
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .innerJoin(districts, eq(districts.id, stationings.targetDistrictId))
    .where(eq(teams.roundId, roundId))
    .orderBy(asc(districts.id));
  const district = districtsOfRound.find((d) => d.id === districtId) ?? districtsOfRound[0];
  if (!lb || !district) return { open: !!lb, districts: districtsOfRound, district: null };
  const found = (await roundFindings(db, roundId)).filter((f) => f.districtId === district.id);
  const ids = found.map((f) => f.id);
  const clear = ids.length
    ? await db
        .select({
          id: findings.id,
          corruptionType: findings.corruptionType,
          amountInvolvedFen: findings.amountInvolvedFen,
          status: findings.status,
          createdAt: findings.createdAt,
        })
        .from(findings)
        .where(inArray(findings.id, ids))
    : [];
  const checks = ids.length
    ? await db
        .select()
        .from(lookBackChecks)
        .where(and(eq(lookBackChecks.lookBackId, lb.id), inArray(lookBackChecks.findingId, ids)))
    : [];
  const clearOf = new Map(clear.map((c) => [c.id, c]));
  const checkOf = new Map(checks.map((c) => [c.findingId, c]));
  const rows = found
    .map((f) => {
      const c = clearOf.get(f.id)!;
      const check = checkOf.get(f.id);
      return {
        id: f.id,
        category: f.category,
        keyMinority: f.keyMinority,
        immediateRectification: f.immediateRectification,
        corruptionType: c.corruptionType,
        amountInvolvedFen: c.amountInvolvedFen,
        status: c.status,
        createdAt: c.createdAt,
        clueOutcomes: f.clueOutcomes,
        moneyReturnedFen: f.moneyReturnedFen,
        beneficiaries: f.beneficiaries,
        check: check
          ? {
              problemConfirmed: check.problemConfirmed,
              rectification: check.rectification,
              checkedAt: check.checkedAt.toISOString(),
            }
          : null,
      };
    })
    .sort(
      (a, b) =>
        Number(!!a.check) - Number(!!b.check) ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (a.id < b.id ? -1 : 1),
    );
  const pages = Math.max(1, Math.ceil(rows.length / LOOK_BACK_PAGE));
  const at = Math.min(Math.max(1, page), pages);
  return {
    open: true,
    districts: districtsOfRound,
    district: {
      ...district,
      total: rows.length,
      checked: checks.length,
      page: at,
      pages,
      rows: rows
        .slice((at - 1) * LOOK_BACK_PAGE, at * LOOK_BACK_PAGE)
        .map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    },
  };
}

export async function lookBackReport(db: Db, session: StaffSession, roundId: string) {
  const round = await requireOfficeRound(db, session, roundId);
  const lb = (await db.select().from(lookBacks).where(eq(lookBacks.roundId, roundId)).limit(1))[0];
  const checks = lb
    ? await db.select().from(lookBackChecks).where(eq(lookBackChecks.lookBackId, lb.id))
    : [];
  const found = await roundFindings(db, roundId);
  const metrics = lookBackMetrics({
    checks,
    clueOutcomes: found.flatMap((f) => f.clueOutcomes),
  });
  return {
    round,
    openedAt: lb?.openedAt.toISOString() ?? null,
    checked: checks.length,
    findings: found.length,
    metrics,
  };
}

// ---------------------------------------------------------------- publication
/** Raw figures per district of the round (what the office previews), and what is published. */
export async function publicationReview(
  db: Db,
  session: StaffSession,
  roundId: string,
  minimum: number,
) {
  const round = await requireOfficeRound(db, session, roundId);
  const found = await roundFindings(db, roundId);
  const byDistrict = new Map<string, RoundFinding[]>();
  for (const f of found) byDistrict.set(f.districtId, [...(byDistrict.get(f.districtId) ?? []), f]);
  const names = await db
    .select()
    .from(districts)
    .where(inArray(districts.id, [...byDistrict.keys(), "-"]))
    .orderBy(asc(districts.sortOrder));
  const active = await db
    .select()
    .from(resultPublications)
    .where(and(eq(resultPublications.roundId, roundId), isNull(resultPublications.withdrawnAt)));
  const rows = names.map((d) => {
    const figures = boardFigures(byDistrict.get(d.id) ?? []);
    const published = active.find((p) => p.districtId === d.id) ?? null;
    return {
      districtId: d.id,
      nameZh: d.nameZh,
      nameEn: d.nameEn,
      findings: (byDistrict.get(d.id) ?? []).length,
      figures,
      published: published
        ? {
            id: published.id,
            approvedAt: published.approvedAt.toISOString(),
            figures: JSON.parse(published.figures) as BoardFigures,
          }
        : null,
    };
  });
  const preview = publishBoard(
    rows.map((r) => ({ key: r.districtId, figures: r.figures })),
    minimum,
  );
  return { round, rows, preview };
}

/** Approves the district's current figures for the public board (superseding an earlier one). */
export async function approvePublication(
  db: Db,
  session: StaffSession,
  roundId: string,
  districtId: string,
  now = new Date(),
): Promise<string> {
  return (await approvePublications(db, session, roundId, [districtId], now))[0]!;
}

/**
 * Approves several districts of the round at once ("approve all" on the review page, the demo
 * seed): the round's findings are read once; one publication and one audit row per district.
 */
export async function approvePublications(
  db: Db,
  session: StaffSession,
  roundId: string,
  districtIds: readonly string[],
  now = new Date(),
): Promise<string[]> {
  await requireOfficeRound(db, session, roundId);
  if (new Set(districtIds).size !== districtIds.length) throw new FindingError("bad_input");
  const all = await roundFindings(db, roundId);
  const approvals = districtIds.map((districtId) => {
    const found = all.filter((f) => f.districtId === districtId);
    if (found.length === 0) throw new FindingError("bad_input");
    return { districtId, id: newRowId("rp"), figures: boardFigures(found), count: found.length };
  });
  await withTx(db, async (tx) => {
    // One live publication per round and district: withdraw-then-insert under the round's board
    // lock, or parallel approvals each withdraw the old one and both insert a live one.
    await serializeOn(tx, `results:${roundId}`);
    for (const a of approvals) {
      await tx
        .update(resultPublications)
        .set({ withdrawnAt: now, withdrawnBy: session.staff.id })
        .where(
          and(
            eq(resultPublications.roundId, roundId),
            eq(resultPublications.districtId, a.districtId),
            isNull(resultPublications.withdrawnAt),
          ),
        );
      await tx.insert(resultPublications).values({
        id: a.id,
        roundId,
        districtId: a.districtId,
        figures: JSON.stringify(a.figures),
        findingCount: a.count,
        approvedBy: session.staff.id,
        approvedAt: now,
      });
    }
    await appendAuditMany(
      tx,
      approvals.map((a) => ({
        actorId: session.staff.id,
        action: "results.approve",
        objectType: "round",
        objectId: roundId,
        detail: { district: a.districtId, publication: a.id, findings: a.count },
        at: now,
      })),
    );
  });
  return approvals.map((a) => a.id);
}

export async function withdrawPublication(
  db: Db,
  session: StaffSession,
  roundId: string,
  districtId: string,
  now = new Date(),
): Promise<void> {
  await requireOfficeRound(db, session, roundId);
  await withTx(db, async (tx) => {
    await tx
      .update(resultPublications)
      .set({ withdrawnAt: now, withdrawnBy: session.staff.id })
      .where(
        and(
          eq(resultPublications.roundId, roundId),
          eq(resultPublications.districtId, districtId),
          isNull(resultPublications.withdrawnAt),
        ),
      );
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "results.withdraw",
      objectType: "round",
      objectId: roundId,
      detail: { district: districtId },
      at: now,
    });
  });
}

// ---------------------------------------------------------------- public board
/** Rounds with at least one approved, not withdrawn publication (newest first). */
export async function publicRounds(db: Db) {
  const rows = await db
    .select({
      id: rounds.id,
      nameZh: rounds.nameZh,
      nameEn: rounds.nameEn,
      startsAt: rounds.startsAt,
    })
    .from(resultPublications)
    .innerJoin(rounds, eq(rounds.id, resultPublications.roundId))
    .where(isNull(resultPublications.withdrawnAt));
  const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
  return unique.sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
}

/** The published board of one round: only approved figures, small cells withheld. */
export async function publicBoard(db: Db, roundId: string, minimum: number) {
  const rows = await db
    .select({
      id: resultPublications.id,
      districtId: resultPublications.districtId,
      figures: resultPublications.figures,
      approvedAt: resultPublications.approvedAt,
      nameZh: districts.nameZh,
      nameEn: districts.nameEn,
    })
    .from(resultPublications)
    .innerJoin(districts, eq(districts.id, resultPublications.districtId))
    .where(and(eq(resultPublications.roundId, roundId), isNull(resultPublications.withdrawnAt)))
    .orderBy(asc(districts.sortOrder), asc(districts.id));
  const board = publishBoard(
    rows.map((r) => ({ key: r.districtId, figures: JSON.parse(r.figures) as BoardFigures })),
    minimum,
  );
  return {
    board,
    districts: rows.map((r, i) => ({
      id: r.districtId,
      publicationId: r.id,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      approvedAt: r.approvedAt.toISOString(),
      figures: board.rows[i]!.figures,
    })),
  };
}

// ---------------------------------------------------------------- CSV
/**
 * The scorecard as CSV (one row for the round, one per district, one per team), with a UTF-8 BOM
 * so spreadsheet programs read the Chinese names; percentages as numbers with one decimal.
 */
/** The anchor line of a print-out: `<rows>:<hash>`, or why there is none. */
export function printAnchorText(audit: PrintAnchor, t: T): string {
  if (audit.state === "anchor") return audit.anchor;
  if (audit.state === "empty") return t("outcomes.scorecard.anchorEmpty");
  return t("outcomes.scorecard.anchorBroken", { seq: audit.brokenSeq });
}

export function scorecardCsv(
  report: ScorecardReport,
  t: T,
  locale: Locale,
  audit?: PrintAnchor,
): string {
  const name = (x: { nameZh: string; nameEn: string }) => (locale === "en" ? x.nameEn : x.nameZh);
  const pct = (r: Ratio) => (r.value === null ? "" : (r.value * 100).toFixed(1));
  const line = (scope: string, label: string, c: Scorecard) => [
    scope,
    label,
    c.problems.decision,
    c.problems.corruption,
    c.problems.livelihood,
    c.problems.total,
    pct(c.keyMinorityShare),
    c.immediateRectifications,
    c.cluesTransferred,
    pct(c.clueCompletion),
    (c.moneyReturnedFen / 100).toFixed(2),
    c.beneficiaries,
    c.tipsReceived,
    pct(c.acknowledgedOnTime),
    pct(c.answeredOnTime),
  ];
  const header = [
    "",
    "",
    t("outcomes.focus.decision"),
    t("outcomes.focus.corruption"),
    t("outcomes.focus.livelihood"),
    t("outcomes.scorecard.problems"),
    `${t("outcomes.scorecard.keyMinority")} %`,
    t("outcomes.scorecard.immediate"),
    t("outcomes.scorecard.cluesTransferred"),
    `${t("outcomes.scorecard.clueCompletion")} %`,
    `${t("outcomes.scorecard.money")} (CNY)`,
    t("outcomes.scorecard.people"),
    t("outcomes.scorecard.tips"),
    `${t("outcomes.scorecard.acknowledged")} %`,
    `${t("outcomes.scorecard.answered")} %`,
  ];
  const rows = [
    header,
    line(t("outcomes.scorecard.round"), "", report.round),
    ...report.districts.map((d) => line(t("outcomes.scorecard.district"), name(d), d.card)),
    ...report.teams.map((x) => line(t("outcomes.scorecard.team"), name(x), x.card)),
  ];
  // The audit chain's anchor at export time, after a blank row (the office files it).
  if (audit)
    rows.push([], [t("outcomes.scorecard.anchorCsv"), printAnchorText(audit, t), audit.at]);
  return "\uFEFF" + stringify(rows, { record_delimiter: "\r\n" });
}
