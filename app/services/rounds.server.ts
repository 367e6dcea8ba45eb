/**
 * Rounds and their plans (issue 10 item 3), for the office of one jurisdiction:
 *
 * - `createRound`: a round with a mode and a window; its teams are carried over whole (整建制)
 *   from an earlier round — the same cadres under the same home district, joining at the start.
 * - `roundPlanPage`: the planner's input built from the registry (districts with unit counts, the
 *   round's teams and their current members, recusals in force, every earlier pairing of the
 *   office), the proposed team → target plan (app/shared/planner, ADR 015) or the constraint
 *   that makes one impossible, and the earlier stationings the round will take over from.
 * - `publishPlan`: checks the (possibly hand-edited) plan again with the same rules — any error
 *   refuses, nothing is written — then, in one transaction, creates the stationings for the
 *   round's window, ends the earlier stationings in the same districts at the round's start (one
 *   team per district: the next round takes over) and audits `round.publish`. Who can read is
 *   then decided by rosters: the new stationings' rosters are due on /staff/admin/rosters
 *   (drafted from the registry, signed in the admin's browser, ADR 017); until they are signed,
 *   the districts handed over fall back to the office's readers.
 * Assistance rounds (mixed teams, several per county) are planned and published by
 * assistance-rounds.server.ts with the helpers exported here.
 */
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne } from "drizzle-orm";
import { z } from "zod";
import { serializeOn, withTx, type Db } from "../../db/client";
import {
  districts,
  ROUND_MODES,
  rounds,
  staffUsers,
  stationings,
  stationingUnits,
  teamMembers,
  teams,
  units,
  zones,
} from "../../db/schema";
import {
  hasErrors,
  planRound,
  validatePlan,
  type CirculationInput,
  type CirculationPlan,
  type PlanResult,
  type Violation,
} from "../shared/planner";
import { appendAudit } from "./audit.server";
import { activeRecusals } from "./recusals.server";
import type { StaffSession } from "./sessions.server";

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Longest round window the office can set. */
export const MAX_ROUND_DAYS = 366;

const newRowId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url")}`;

/** Midnight in Asia/Shanghai of a calendar date (YYYY-MM-DD), as a UTC instant. */
export function shanghaiMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));
const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !s.includes("\0"));

export const CreateRoundForm = z
  .object({
    intent: z.literal("create"),
    nameZh: name,
    nameEn: name,
    mode: z.enum(ROUND_MODES),
    /** First day of the window (Asia/Shanghai). */
    startDate: isoDate,
    /** Last day of the window, inclusive. */
    endDate: isoDate,
    sourceRoundId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{0,100}$/)
      .optional(),
  })
  .refine((f) => f.endDate >= f.startDate, { path: ["endDate"], message: "end_before_start" })
  .refine(
    (f) =>
      shanghaiMidnight(f.endDate).getTime() - shanghaiMidnight(f.startDate).getTime() <
      MAX_ROUND_DAYS * DAY_MS,
    { path: ["endDate"], message: "too_long" },
  );
export type CreateRoundInput = z.infer<typeof CreateRoundForm>;

export class RoundError extends Error {
  constructor(
    readonly code:
      "not_found" | "ended" | "no_teams" | "already_published" | "mode_unsupported" | "bad_plan",
    readonly violations: Violation[] = [],
  ) {
    super(code);
  }
}

export interface RoundListItem {
  id: string;
  nameZh: string;
  nameEn: string;
  mode: (typeof ROUND_MODES)[number];
  startsAtMs: number;
  endsAtMs: number;
  teams: number;
  stationings: number;
}

export async function listRounds(db: Db, jurisdictionId: string): Promise<RoundListItem[]> {
  const list = await db
    .select()
    .from(rounds)
    .where(eq(rounds.jurisdictionId, jurisdictionId))
    .orderBy(desc(rounds.startsAt), asc(rounds.id));
  if (list.length === 0) return [];
  const ids = list.map((r) => r.id);
  const teamRows = await db
    .select({ id: teams.id, roundId: teams.roundId })
    .from(teams)
    .where(inArray(teams.roundId, ids));
  const stRows = await db
    .select({ roundId: teams.roundId })
    .from(stationings)
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .where(inArray(teams.roundId, ids));
  return list.map((r) => ({
    id: r.id,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    mode: r.mode,
    startsAtMs: r.startsAt.getTime(),
    endsAtMs: r.endsAt.getTime(),
    teams: teamRows.filter((t) => t.roundId === r.id).length,
    stationings: stRows.filter((s) => s.roundId === r.id).length,
  }));
}

/**
 * Creates a round; for zone and rotation rounds its teams are the source round's teams with a
 * home district, with their current members (still active accounts), joining at the round's start.
 */
export async function createRound(
  db: Db,
  session: StaffSession,
  input: CreateRoundInput,
  now = new Date(),
): Promise<string> {
  const jurisdictionId = session.staff.jurisdictionId;
  const startsAt = shanghaiMidnight(input.startDate);
  const endsAt = new Date(shanghaiMidnight(input.endDate).getTime() + DAY_MS);
  if (endsAt <= now) throw new RoundError("ended");
  let source: { id: string } | undefined;
  if (input.sourceRoundId) {
    [source] = await db
      .select({ id: rounds.id })
      .from(rounds)
      .where(and(eq(rounds.id, input.sourceRoundId), eq(rounds.jurisdictionId, jurisdictionId)))
      .limit(1);
    if (!source) throw new RoundError("not_found");
  }
  const sourceTeams = source
    ? await db
        .select()
        .from(teams)
        .where(eq(teams.roundId, source.id))
        .orderBy(asc(teams.createdAt), asc(teams.id))
    : [];
  const homeNames = new Map(
    (
      await db
        .select({
          id: districts.id,
          nameZh: districts.nameZh,
          nameEn: districts.nameEn,
          sortOrder: districts.sortOrder,
        })
        .from(districts)
        .where(eq(districts.jurisdictionId, jurisdictionId))
    ).map((d) => [d.id, d]),
  );
  // Numbered in the registry's district order, as the office lists its districts.
  const rank = (t: { homeDistrictId: string | null }) =>
    homeNames.get(t.homeDistrictId ?? "")?.sortOrder ?? Number.MAX_SAFE_INTEGER;
  const carried = sourceTeams
    .filter((t) => t.homeDistrictId !== null && homeNames.has(t.homeDistrictId))
    .sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
  const members =
    carried.length === 0
      ? []
      : await db
          .select({
            teamId: teamMembers.teamId,
            staffId: teamMembers.staffId,
            role: teamMembers.role,
          })
          .from(teamMembers)
          .innerJoin(staffUsers, eq(staffUsers.id, teamMembers.staffId))
          .where(
            and(
              inArray(
                teamMembers.teamId,
                carried.map((t) => t.id),
              ),
              isNull(teamMembers.leftAt),
              isNull(staffUsers.disabledAt),
              eq(staffUsers.jurisdictionId, jurisdictionId),
            ),
          );
  const roundId = newRowId("rnd");
  await withTx(db, async (tx) => {
    await tx.insert(rounds).values({
      id: roundId,
      jurisdictionId,
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      mode: input.mode,
      startsAt,
      endsAt,
    });
    for (const [i, t] of carried.entries()) {
      const teamId = newRowId("team");
      const home = homeNames.get(t.homeDistrictId!);
      await tx.insert(teams).values({
        id: teamId,
        roundId,
        nameZh: `第${i + 1}巡察组（${home?.nameZh ?? t.homeDistrictId}）`,
        nameEn: `Team ${i + 1} (${home?.nameEn ?? t.homeDistrictId})`,
        homeDistrictId: t.homeDistrictId,
      });
      const rows = members.filter((m) => m.teamId === t.id);
      if (rows.length > 0)
        await tx
          .insert(teamMembers)
          .values(
            rows.map((m) => ({ teamId, staffId: m.staffId, role: m.role, joinedAt: startsAt })),
          );
    }
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "round.create",
      objectType: "round",
      objectId: roundId,
      detail: { mode: input.mode, teams: carried.length, source: source?.id ?? null },
      at: now,
    });
  });
  return roundId;
}

export interface PlanTeam {
  id: string;
  nameZh: string;
  nameEn: string;
  homeDistrictId: string | null;
  members: number;
}

export interface RoundPlanPage {
  round: RoundListItem & { jurisdictionId: string };
  /** The round's stationings once published. */
  published: { id: string; teamId: string; targetDistrictId: string }[];
  /** Planner input (circulation rounds not yet published); null otherwise. */
  input: CirculationInput | null;
  proposal: PlanResult | null;
  teams: PlanTeam[];
  districts: { id: string; zoneId: string | null; nameZh: string; nameEn: string }[];
  zones: { id: string; nameZh: string; nameEn: string }[];
  people: { id: string; name: string }[];
  /** Earlier stationings the round takes over from, by target district. */
  replaced: {
    id: string;
    teamId: string;
    teamNameZh: string;
    teamNameEn: string;
    targetDistrictId: string;
  }[];
}

/** Round ids are readable seed ids or `rnd_…`: anything else (NUL, control bytes) is no round. */
const ROUND_ID = /^[A-Za-z0-9_-]{1,100}$/;

export async function roundOf(db: Db, jurisdictionId: string, roundId: string) {
  // PostgreSQL refuses NUL in a text parameter (a 500): refuse such ids before the query.
  if (!ROUND_ID.test(roundId)) throw new RoundError("not_found");
  const [round] = await db
    .select()
    .from(rounds)
    .where(and(eq(rounds.id, roundId), eq(rounds.jurisdictionId, jurisdictionId)))
    .limit(1);
  if (!round) throw new RoundError("not_found");
  return round;
}

/**
 * A round's teams as every office page lists them: in the registry's order of their home
 * districts, mixed teams last; teams of one district (or mixed ones) in the order the office
 * created them, then by name ("第2协作组" before "第10协作组"), never by their random ids.
 */
export async function teamsInOrder(db: Db, roundId: string) {
  const rows = await db
    .select({ team: teams, sortOrder: districts.sortOrder })
    .from(teams)
    .leftJoin(districts, eq(districts.id, teams.homeDistrictId))
    .where(eq(teams.roundId, roundId));
  return rows
    .sort(
      (a, b) =>
        (a.sortOrder ?? Number.MAX_SAFE_INTEGER) - (b.sortOrder ?? Number.MAX_SAFE_INTEGER) ||
        a.team.createdAt.getTime() - b.team.createdAt.getTime() ||
        a.team.nameZh.localeCompare(b.team.nameZh, "zh-CN", { numeric: true }) ||
        a.team.id.localeCompare(b.team.id),
    )
    .map((r) => r.team);
}

/** The planner's input for a circulation round, from the registry as it is at `now`. */
async function circulationInput(
  db: Db,
  round: typeof rounds.$inferSelect,
  now: Date,
): Promise<CirculationInput> {
  const jurisdictionId = round.jurisdictionId;
  const ds = await db
    .select()
    .from(districts)
    .where(eq(districts.jurisdictionId, jurisdictionId))
    .orderBy(asc(districts.sortOrder), asc(districts.id));
  const unitRows = await db
    .select({ districtId: units.districtId })
    .from(units)
    .innerJoin(districts, eq(districts.id, units.districtId))
    .where(eq(districts.jurisdictionId, jurisdictionId));
  const teamRows = await teamsInOrder(db, round.id);
  const memberRows =
    teamRows.length === 0
      ? []
      : await db
          .select({
            teamId: teamMembers.teamId,
            staffId: teamMembers.staffId,
            role: teamMembers.role,
            homeDistrictId: staffUsers.homeDistrictId,
          })
          .from(teamMembers)
          .innerJoin(staffUsers, eq(staffUsers.id, teamMembers.staffId))
          .where(
            and(
              inArray(
                teamMembers.teamId,
                teamRows.map((t) => t.id),
              ),
              isNull(teamMembers.leftAt),
              isNull(staffUsers.disabledAt),
            ),
          )
          .orderBy(asc(teamMembers.staffId));
  const recs = await activeRecusals(
    db,
    memberRows.map((m) => m.staffId),
    now,
  );
  const past = await db
    .select({
      homeDistrictId: teams.homeDistrictId,
      targetDistrictId: stationings.targetDistrictId,
      startsAt: stationings.startsAt,
    })
    .from(stationings)
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .innerJoin(rounds, eq(rounds.id, teams.roundId))
    .where(and(eq(rounds.jurisdictionId, jurisdictionId), ne(rounds.id, round.id)));
  return {
    mode: round.mode === "rotation" ? "rotation" : "zone",
    districts: ds.map((d) => ({
      id: d.id,
      zoneId: d.zoneId,
      unitCount: unitRows.filter((u) => u.districtId === d.id).length,
    })),
    // The districts of the office's zones, in the registry's order (the ring a rotation rolls on).
    targets: ds.filter((d) => d.zoneId !== null).map((d) => d.id),
    teams: teamRows.map((t) => ({
      id: t.id,
      homeDistrictId: t.homeDistrictId,
      members: memberRows
        .filter((m) => m.teamId === t.id)
        // A member without a registered home district is never a reader (routing refuses them).
        .map((m) => ({
          staffId: m.staffId,
          homeDistrictId: m.homeDistrictId ?? "-",
          role: m.role,
        })),
    })),
    recusals: recs.map((r) => ({ staffId: r.staffId, districtId: r.districtId, unitId: r.unitId })),
    history: past
      .filter((p) => p.homeDistrictId !== null)
      .map((p) => ({
        homeDistrictId: p.homeDistrictId!,
        targetDistrictId: p.targetDistrictId,
        startedAtMs: p.startsAt.getTime(),
      })),
  };
}

/** Earlier stationings in `targets` still running at `from` (the round takes over from them). */
export async function takenOver(db: Db, round: typeof rounds.$inferSelect, targets: string[]) {
  if (targets.length === 0) return [];
  return await db
    .select({
      id: stationings.id,
      teamId: stationings.teamId,
      teamNameZh: teams.nameZh,
      teamNameEn: teams.nameEn,
      targetDistrictId: stationings.targetDistrictId,
    })
    .from(stationings)
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .where(
      and(
        inArray(stationings.targetDistrictId, targets),
        ne(teams.roundId, round.id),
        gt(stationings.endsAt, round.startsAt),
        lt(stationings.startsAt, round.startsAt),
      ),
    )
    .orderBy(asc(stationings.targetDistrictId));
}

export async function roundPlanPage(
  db: Db,
  jurisdictionId: string,
  roundId: string,
  now = new Date(),
): Promise<RoundPlanPage> {
  const round = await roundOf(db, jurisdictionId, roundId);
  const [item] = (await listRounds(db, jurisdictionId)).filter((r) => r.id === roundId);
  const published = await db
    .select({
      id: stationings.id,
      teamId: stationings.teamId,
      targetDistrictId: stationings.targetDistrictId,
    })
    .from(stationings)
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .where(eq(teams.roundId, roundId))
    .orderBy(asc(stationings.targetDistrictId));
  const ds = await db
    .select()
    .from(districts)
    .where(eq(districts.jurisdictionId, jurisdictionId))
    .orderBy(asc(districts.sortOrder), asc(districts.id));
  const zs = await db
    .select()
    .from(zones)
    .where(eq(zones.jurisdictionId, jurisdictionId))
    .orderBy(asc(zones.sortOrder), asc(zones.id));
  const teamRows = await teamsInOrder(db, roundId);
  const circulation = round.mode !== "assistance" && published.length === 0;
  const input = circulation ? await circulationInput(db, round, now) : null;
  const proposal = input && input.teams.length > 0 ? planRound(input) : null;
  const staffIds = input ? input.teams.flatMap((t) => t.members.map((m) => m.staffId)) : [];
  const people =
    staffIds.length === 0
      ? []
      : await db
          .select({ id: staffUsers.id, name: staffUsers.displayName })
          .from(staffUsers)
          .where(inArray(staffUsers.id, staffIds));
  return {
    round: { ...item!, jurisdictionId },
    published,
    input,
    proposal,
    teams: teamRows.map((t) => ({
      id: t.id,
      nameZh: t.nameZh,
      nameEn: t.nameEn,
      homeDistrictId: t.homeDistrictId,
      members: input?.teams.find((x) => x.id === t.id)?.members.length ?? 0,
    })),
    districts: ds.map((d) => ({ id: d.id, zoneId: d.zoneId, nameZh: d.nameZh, nameEn: d.nameEn })),
    zones: zs.map((z) => ({ id: z.id, nameZh: z.nameZh, nameEn: z.nameEn })),
    people,
    replaced: input ? await takenOver(db, round, input.targets) : [],
  };
}

/** The plan form: `target:<teamId>` = district id, or "" for a team that stays home. */
export function planFromForm(fields: Iterable<[string, FormDataEntryValue]>): CirculationPlan {
  const stationed: CirculationPlan["stationings"] = [];
  for (const [k, v] of fields) {
    if (!k.startsWith("target:") || typeof v !== "string" || v === "") continue;
    stationed.push({ teamId: k.slice("target:".length), targetDistrictId: v });
  }
  return { mode: "zone", stationings: stationed };
}

/** Whether the round has stationings already (one publication per round). */
export async function roundPublished(q: Db, roundId: string): Promise<boolean> {
  return (
    (
      await q
        .select({ id: stationings.id })
        .from(stationings)
        .innerJoin(teams, eq(teams.id, stationings.teamId))
        .where(eq(teams.roundId, roundId))
        .limit(1)
    ).length > 0
  );
}

/**
 * Publishes a plan for a round that has none yet: every rule checked again (errors refuse with
 * the list), then stationings created and earlier ones in the same districts ended, in one
 * transaction. Returns how many stationings were created and how many earlier ones ended.
 */
export async function publishPlan(
  db: Db,
  session: StaffSession,
  roundId: string,
  submitted: CirculationPlan,
  now = new Date(),
): Promise<{ created: number; ended: number }> {
  const jurisdictionId = session.staff.jurisdictionId;
  const round = await roundOf(db, jurisdictionId, roundId);
  if (round.mode === "assistance") throw new RoundError("mode_unsupported");
  if (round.endsAt <= now) throw new RoundError("ended");
  const publishedAlready = (q: Db) => roundPublished(q, roundId);
  if (await publishedAlready(db)) throw new RoundError("already_published");
  const input = await circulationInput(db, round, now);
  if (input.teams.length === 0) throw new RoundError("no_teams");
  const plan: CirculationPlan = { ...submitted, mode: input.mode };
  const violations = validatePlan(input, plan);
  if (hasErrors(violations)) throw new RoundError("bad_plan", violations);
  const targets = plan.stationings.map((s) => s.targetDistrictId);
  const unitRows = await db
    .select({ id: units.id, districtId: units.districtId })
    .from(units)
    .where(inArray(units.districtId, targets));
  return await withTx(db, async (tx) => {
    // Checked again in the transaction: two admins publishing at once get one plan.
    await serializeOn(tx, `round:${roundId}`);
    if (await publishedAlready(tx)) throw new RoundError("already_published");
    const ended = await takenOver(tx, round, targets);
    for (const e of ended)
      await tx.update(stationings).set({ endsAt: round.startsAt }).where(eq(stationings.id, e.id));
    for (const s of plan.stationings) {
      const id = newRowId("st");
      await tx.insert(stationings).values({
        id,
        teamId: s.teamId,
        targetDistrictId: s.targetDistrictId,
        startsAt: round.startsAt,
        endsAt: round.endsAt,
      });
      const inTarget = unitRows.filter((u) => u.districtId === s.targetDistrictId);
      if (inTarget.length > 0)
        await tx
          .insert(stationingUnits)
          .values(inTarget.map((u) => ({ stationingId: id, unitId: u.id })));
    }
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "round.publish",
      objectType: "round",
      objectId: roundId,
      detail: {
        stationings: plan.stationings.map((s) => `${s.teamId}>${s.targetDistrictId}`).join(","),
        ended: ended.map((e) => e.id).join(","),
        warnings: violations.length,
      },
      at: now,
    });
    return { created: plan.stationings.length, ended: ended.length };
  });
}
