/**
 * Assistance rounds (帮扶) on the office's round page (issue 10 item 3, DESIGN §2):
 *
 * - The teams page forms the round's mixed teams (no home district) with their people and roles;
 *   those people are the planner's pool. `assistanceRoundPage` gives the page the pool (with who
 *   may lead or act as liaison: the accounts' team_leader / liaison roles), the registry's
 *   districts and units, recusals in force, each team's current members and a first target per
 *   team (the county its local deputy leader comes from; teams sharing a county get one unit
 *   each, in registry order, when there are enough units).
 * - `proposeAssistance` runs the planner (app/shared/planner/assistance.ts, ADR 015) on the
 *   targets the office picked: who sits in which team and seat — visiting leader, local deputy
 *   leader, visiting and local liaison — or the named constraint that makes it impossible.
 * - `publishAssistance` checks the (possibly hand-edited) plan again with the same rules
 *   (`checkAssistanceRound`; any error refuses, nothing is written), then in one transaction
 *   moves people to the teams and roles of the plan (audited `team.member.*`, as the teams page
 *   does), creates one stationing per team on its district with its units, ends other rounds'
 *   stationings in those districts at the round's start and audits `round.publish`. As for zone
 *   and rotation rounds, nobody reads until the office signs the new rosters (ADR 017), and the
 *   rosters never list a local member (their home is the district): locals read only what a
 *   visiting teammate shares with them (shares.server.ts).
 */
import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { serializeOn, withTx, type Db } from "../../db/client";
import {
  districts,
  type rounds,
  staffRoles,
  staffUsers,
  stationings,
  stationingUnits,
  teamMembers,
} from "../../db/schema";
import {
  hasErrors,
  planRound,
  type PlanResult,
  type PoolPerson,
  type TeamRole,
  type Violation,
} from "../shared/planner";
import {
  assistancePlanFrom,
  assistanceTeams,
  checkAssistanceRound,
  type AssistanceBase,
} from "../shared/planner/assistance-round";
import { appendAudit } from "./audit.server";
import { activeRecusals } from "./recusals.server";
import { roundOf, roundPublished, RoundError, takenOver, teamsInOrder } from "./rounds.server";
import type { StaffSession } from "./sessions.server";
import { unitsOfDistricts } from "./teams.server";

const newRowId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url")}`;

export type Placement = { teamId: string; role: TeamRole };

export interface AssistanceRoundPage {
  base: AssistanceBase;
  units: { id: string; districtId: string; nameZh: string; nameEn: string }[];
  teamIds: string[];
  people: { id: string; name: string; homeDistrictId: string; homeOrganisation: string | null }[];
  /** Where the page starts: a target per team (`d:…`/`u:…`) and the teams page's membership. */
  targets: Record<string, string>;
  placements: Record<string, Placement>;
}

type RoundRow = typeof rounds.$inferSelect;

async function assistanceData(db: Db, round: RoundRow, now: Date) {
  const ds = await db
    .select({ id: districts.id, zoneId: districts.zoneId })
    .from(districts)
    .where(eq(districts.jurisdictionId, round.jurisdictionId))
    .orderBy(asc(districts.sortOrder), asc(districts.id));
  const unitRows = await unitsOfDistricts(
    db,
    ds.map((d) => d.id),
  );
  const teamRows = await teamsInOrder(db, round.id);
  const members =
    teamRows.length === 0
      ? []
      : await db
          .select({
            teamId: teamMembers.teamId,
            staffId: teamMembers.staffId,
            role: teamMembers.role,
            name: staffUsers.displayName,
            homeDistrictId: staffUsers.homeDistrictId,
            homeOrganisation: staffUsers.homeOrganisation,
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
          .orderBy(asc(staffUsers.username));
  // A member without a registered home district is never a reader: not in the pool.
  const inPool = members.filter((m) => m.homeDistrictId !== null);
  const roles =
    inPool.length === 0
      ? []
      : await db
          .select()
          .from(staffRoles)
          .where(
            inArray(
              staffRoles.staffId,
              inPool.map((m) => m.staffId),
            ),
          );
  const has = (staffId: string, role: string) =>
    roles.some((r) => r.staffId === staffId && r.role === role);
  const pool: PoolPerson[] = inPool.map((m) => ({
    staffId: m.staffId,
    homeDistrictId: m.homeDistrictId!,
    homeOrganisation: m.homeOrganisation,
    canLead: has(m.staffId, "team_leader"),
    canLiaise: has(m.staffId, "liaison"),
  }));
  const recs = await activeRecusals(
    db,
    pool.map((p) => p.staffId),
    now,
  );
  const base: AssistanceBase = {
    mode: "assistance",
    districts: ds.map((d) => ({
      id: d.id,
      zoneId: d.zoneId,
      unitCount: unitRows.filter((u) => u.districtId === d.id).length,
    })),
    pool,
    recusals: recs.map((r) => ({ staffId: r.staffId, districtId: r.districtId, unitId: r.unitId })),
  };
  return { base, units: unitRows, teamRows, members: inPool };
}

export async function assistanceRoundPage(
  db: Db,
  jurisdictionId: string,
  roundId: string,
  now = new Date(),
): Promise<AssistanceRoundPage> {
  const round = await roundOf(db, jurisdictionId, roundId);
  const { base, units: unitRows, teamRows, members } = await assistanceData(db, round, now);
  // A first target: the county the team's local deputy leader comes from; teams sharing it get
  // one unit each (registry order) when there are enough, else the whole county.
  const county = new Map<string, string>();
  for (const t of teamRows) {
    const deputy = members.find((m) => m.teamId === t.id && m.role === "deputy_leader");
    if (deputy?.homeDistrictId) county.set(t.id, deputy.homeDistrictId);
  }
  const targets: Record<string, string> = {};
  for (const [teamId, districtId] of county) {
    const sharing = [...county].filter(([, d]) => d === districtId).map(([id]) => id);
    const inCounty = unitRows.filter((u) => u.districtId === districtId);
    targets[teamId] =
      sharing.length > 1 && inCounty.length >= sharing.length
        ? `u:${inCounty[sharing.indexOf(teamId)]!.id}`
        : `d:${districtId}`;
  }
  return {
    base,
    units: unitRows,
    teamIds: teamRows.map((t) => t.id),
    people: members.map((m) => ({
      id: m.staffId,
      name: m.name,
      homeDistrictId: m.homeDistrictId!,
      homeOrganisation: m.homeOrganisation,
    })),
    targets,
    placements: Object.fromEntries(
      members.map((m) => [m.staffId, { teamId: m.teamId, role: m.role }]),
    ),
  };
}

/** The planner's proposal for the targets the office picked (or why there is none). */
export async function proposeAssistance(
  db: Db,
  jurisdictionId: string,
  roundId: string,
  targets: ReadonlyMap<string, string>,
  now = new Date(),
): Promise<{ result: PlanResult | null; violations: Violation[] }> {
  const round = await roundOf(db, jurisdictionId, roundId);
  if (round.mode !== "assistance") throw new RoundError("mode_unsupported");
  const { base, units: unitRows, teamRows } = await assistanceData(db, round, now);
  const { teams, violations } = assistanceTeams(
    teamRows.map((t) => t.id),
    targets,
    base,
    unitRows,
  );
  if (teams.length === 0 || violations.length > 0) return { result: null, violations };
  return { result: planRound({ ...base, teams }), violations: [] };
}

/**
 * Publishes an assistance round's plan: every rule checked again (errors refuse with the list),
 * then membership, stationings and the hand-over written in one transaction.
 */
export async function publishAssistance(
  db: Db,
  session: StaffSession,
  roundId: string,
  submitted: { targets: ReadonlyMap<string, string>; placements: ReadonlyMap<string, Placement> },
  now = new Date(),
): Promise<{ created: number; ended: number; moved: number }> {
  const round = await roundOf(db, session.staff.jurisdictionId, roundId);
  if (round.mode !== "assistance") throw new RoundError("mode_unsupported");
  if (round.endsAt <= now) throw new RoundError("ended");
  if (await roundPublished(db, roundId)) throw new RoundError("already_published");
  const actorId = session.staff.id;

  return await withTx(db, async (tx) => {
    // The round's teams and members are read and the plan checked under the round's lock, the
    // one team changes take (teams.server.ts): read before it, a member added or moved by another
    // admin meanwhile would be missed by the checks and then moved by this plan.
    await serializeOn(tx, `round:${roundId}`);
    if (await roundPublished(tx, roundId)) throw new RoundError("already_published");
    const { base, units: unitRows, teamRows, members } = await assistanceData(tx, round, now);
    if (teamRows.length === 0) throw new RoundError("no_teams");
    const teamIds = teamRows.map((t) => t.id);
    const plan = assistancePlanFrom(teamIds, submitted.placements);
    const violations = checkAssistanceRound(base, unitRows, teamIds, submitted.targets, plan);
    if (hasErrors(violations)) throw new RoundError("bad_plan", violations);
    const { teams } = assistanceTeams(teamIds, submitted.targets, base, unitRows);
    // People to the plan's teams and roles (the pool is the round's teams: nobody else moves).
    let moved = 0;
    for (const m of members) {
      const want = submitted.placements.get(m.staffId);
      if (want && want.teamId === m.teamId) {
        if (want.role === m.role) continue;
        await tx
          .update(teamMembers)
          .set({ role: want.role })
          .where(and(eq(teamMembers.teamId, m.teamId), eq(teamMembers.staffId, m.staffId)));
        await appendAudit(tx, {
          actorId,
          action: "team.member.role",
          objectType: "team",
          objectId: m.teamId,
          detail: { staffId: m.staffId, role: want.role },
          at: now,
        });
        moved++;
        continue;
      }
      await tx
        .update(teamMembers)
        .set({ leftAt: now })
        .where(and(eq(teamMembers.teamId, m.teamId), eq(teamMembers.staffId, m.staffId)));
      await appendAudit(tx, {
        actorId,
        action: "team.member.remove",
        objectType: "team",
        objectId: m.teamId,
        detail: { staffId: m.staffId },
        at: now,
      });
      moved++;
      if (!want) continue;
      // Someone who was in that team before gets their row again, joining now.
      const [before] = await tx
        .select({ staffId: teamMembers.staffId })
        .from(teamMembers)
        .where(and(eq(teamMembers.teamId, want.teamId), eq(teamMembers.staffId, m.staffId)))
        .limit(1);
      if (before)
        await tx
          .update(teamMembers)
          .set({ role: want.role, joinedAt: now, leftAt: null })
          .where(and(eq(teamMembers.teamId, want.teamId), eq(teamMembers.staffId, m.staffId)));
      else
        await tx
          .insert(teamMembers)
          .values({ teamId: want.teamId, staffId: m.staffId, role: want.role, joinedAt: now });
      await appendAudit(tx, {
        actorId,
        action: "team.member.add",
        objectType: "team",
        objectId: want.teamId,
        detail: { staffId: m.staffId, role: want.role },
        at: now,
      });
    }
    const targets = [...new Set(teams.map((t) => t.targetDistrictId))];
    const ended = await takenOver(tx, round, targets);
    for (const e of ended)
      await tx.update(stationings).set({ endsAt: round.startsAt }).where(eq(stationings.id, e.id));
    for (const t of teams) {
      const id = newRowId("st");
      await tx.insert(stationings).values({
        id,
        teamId: t.id,
        targetDistrictId: t.targetDistrictId,
        startsAt: round.startsAt,
        endsAt: round.endsAt,
      });
      if (t.unitIds.length > 0)
        await tx
          .insert(stationingUnits)
          .values(t.unitIds.map((unitId) => ({ stationingId: id, unitId })));
    }
    await appendAudit(tx, {
      actorId,
      action: "round.publish",
      objectType: "round",
      objectId: roundId,
      detail: {
        stationings: teams
          .map((t) => `${t.id}>${t.targetDistrictId}:${t.unitIds.length}`)
          .join(","),
        ended: ended.map((e) => e.id).join(","),
        moved,
        warnings: violations.length,
      },
      at: now,
    });
    return { created: teams.length, ended: ended.length, moved };
  });
}
