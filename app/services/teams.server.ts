/**
 * The office forms a round's teams (issue 10 item 2): teams with a home district (or mixed, in an
 * assistance round), members with a role — leader, deputy leader, liaison, member — and a
 * required home district (and, in an assistance round, a recorded home organisation: the office
 * they are sent from, which the planner mixes teams by), and recusals with a reason at district
 * or unit level.
 *
 * What these rows change, and when:
 * - A member added or removed changes who *may* read only once the office signs the stationing's
 *   roster again (ADR 017): routing trusts signed rosters, never a `team_members` row alone. The
 *   page says so and links to the roster page, where the drafted roster shows the change.
 * - A recusal takes effect at once: routing, the inbox, the case page and grants all consult
 *   `activeRecusals` (recusals.server.ts), so recording one needs no signature.
 * Every change is audited (`team.create`, `team.member.add`, `team.member.role`,
 * `team.member.remove`, `recusal.add`, `recusal.withdraw`).
 */
import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { z } from "zod";
import { serializeOn, withTx, type Db } from "../../db/client";
import {
  districts,
  recusals,
  rounds,
  staffUsers,
  TEAM_ROLES,
  teamMembers,
  teams,
  units,
} from "../../db/schema";
import { appendAudit } from "./audit.server";
import { districtsOf } from "./invitations.server";
import { teamsInOrder } from "./rounds.server";
import type { StaffSession } from "./sessions.server";

const newRowId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url")}`;

/** Leaders a team may have: one, or two in an assistance round (dual leaders, DESIGN §5). */
const maxLeaders = (mode: string) => (mode === "assistance" ? 2 : 1);

export class TeamError extends Error {
  constructor(
    readonly code:
      | "not_found"
      | "ended"
      | "bad_member"
      | "no_home"
      | "no_organisation"
      | "in_other_team"
      | "too_many_leaders"
      | "bad_district"
      | "bad_unit"
      | "duplicate_recusal",
  ) {
    super(code);
  }
}

const id = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
/** A name without control characters (a NUL reaches PostgreSQL as an error). */
const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20));

/** Every form of the teams page; anything else is a 400. */
export const TeamsForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create-team"),
    nameZh: name,
    nameEn: name,
    homeDistrictId: z.union([z.literal(""), id]),
  }),
  z.object({
    intent: z.literal("add-member"),
    teamId: id,
    staffId: id,
    role: z.enum(TEAM_ROLES),
  }),
  z.object({
    intent: z.literal("set-role"),
    teamId: id,
    staffId: id,
    role: z.enum(TEAM_ROLES),
  }),
  z.object({ intent: z.literal("remove-member"), teamId: id, staffId: id }),
  z.object({
    intent: z.literal("add-recusal"),
    staffId: id,
    districtId: id,
    unitId: z.union([z.literal(""), id]),
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .refine((s) => !s.includes("\0")),
  }),
  z.object({ intent: z.literal("withdraw-recusal"), recusalId: id }),
]);
export type TeamsFormInput = z.infer<typeof TeamsForm>;

export interface TeamsPage {
  round: {
    id: string;
    nameZh: string;
    nameEn: string;
    mode: string;
    startsAtMs: number;
    endsAtMs: number;
    ended: boolean;
  };
  teams: {
    id: string;
    nameZh: string;
    nameEn: string;
    homeDistrictId: string | null;
    members: {
      staffId: string;
      name: string;
      username: string;
      role: string;
      home: string;
      /** Home organisation (the office they are sent from), or null when none is recorded. */
      organisation: string | null;
    }[];
  }[];
  /** Active accounts of this office with a home district: who can join a team. */
  people: {
    id: string;
    name: string;
    username: string;
    home: string;
    organisation: string | null;
    teamId: string | null;
  }[];
  districts: { id: string; nameZh: string; nameEn: string }[];
  units: { id: string; districtId: string; nameZh: string; nameEn: string }[];
  recusals: {
    id: string;
    staffId: string;
    districtId: string;
    unitId: string | null;
    reason: string;
    createdAtMs: number;
  }[];
}

async function roundOf(db: Db, jurisdictionId: string, roundId: string) {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(roundId)) throw new TeamError("not_found");
  const [round] = await db
    .select()
    .from(rounds)
    .where(and(eq(rounds.id, roundId), eq(rounds.jurisdictionId, jurisdictionId)))
    .limit(1);
  if (!round) throw new TeamError("not_found");
  return round;
}

/** The units of these districts (id, district, names), by district then id. */
export async function unitsOfDistricts(db: Db, districtIds: string[]) {
  if (districtIds.length === 0) return [];
  return db
    .select({
      id: units.id,
      districtId: units.districtId,
      nameZh: units.nameZh,
      nameEn: units.nameEn,
    })
    .from(units)
    .where(inArray(units.districtId, districtIds))
    .orderBy(asc(units.districtId), asc(units.id));
}

export async function teamsPage(
  db: Db,
  jurisdictionId: string,
  roundId: string,
  now = new Date(),
): Promise<TeamsPage> {
  const round = await roundOf(db, jurisdictionId, roundId);
  const teamRows = await teamsInOrder(db, round.id);
  const memberRows =
    teamRows.length === 0
      ? []
      : await db
          .select({
            teamId: teamMembers.teamId,
            staffId: teamMembers.staffId,
            role: teamMembers.role,
          })
          .from(teamMembers)
          .where(
            and(
              inArray(
                teamMembers.teamId,
                teamRows.map((t) => t.id),
              ),
              isNull(teamMembers.leftAt),
            ),
          );
  const staff = await db
    .select({
      id: staffUsers.id,
      name: staffUsers.displayName,
      username: staffUsers.username,
      home: staffUsers.homeDistrictId,
      organisation: staffUsers.homeOrganisation,
      disabledAt: staffUsers.disabledAt,
    })
    .from(staffUsers)
    .where(eq(staffUsers.jurisdictionId, jurisdictionId))
    .orderBy(asc(staffUsers.username));
  const staffById = new Map(staff.map((s) => [s.id, s]));
  const districtRows = await districtsOf(db, jurisdictionId);
  const unitRows = await unitsOfDistricts(
    db,
    districtRows.map((d) => d.id),
  );
  const recusalRows =
    staff.length === 0
      ? []
      : await db
          .select()
          .from(recusals)
          .where(
            and(
              inArray(
                recusals.staffId,
                staff.map((s) => s.id),
              ),
              isNull(recusals.withdrawnAt),
            ),
          )
          .orderBy(asc(recusals.createdAt), asc(recusals.id));
  const teamOf = new Map(memberRows.map((m) => [m.staffId, m.teamId]));
  return {
    round: {
      id: round.id,
      nameZh: round.nameZh,
      nameEn: round.nameEn,
      mode: round.mode,
      startsAtMs: round.startsAt.getTime(),
      endsAtMs: round.endsAt.getTime(),
      ended: round.endsAt <= now,
    },
    // As the round page lists them (teamsInOrder).
    teams: teamRows.map((t) => ({
      id: t.id,
      nameZh: t.nameZh,
      nameEn: t.nameEn,
      homeDistrictId: t.homeDistrictId,
      members: memberRows
        .filter((m) => m.teamId === t.id)
        .map((m) => {
          const s = staffById.get(m.staffId);
          return {
            staffId: m.staffId,
            name: s?.name ?? m.staffId,
            username: s?.username ?? "",
            role: m.role,
            home: s?.home ?? "",
            organisation: s?.organisation ?? null,
          };
        })
        .sort(
          (a, b) =>
            TEAM_ROLES.indexOf(a.role as (typeof TEAM_ROLES)[number]) -
              TEAM_ROLES.indexOf(b.role as (typeof TEAM_ROLES)[number]) ||
            a.username.localeCompare(b.username),
        ),
    })),
    people: staff
      .filter((s) => s.home !== null && s.disabledAt === null)
      .map((s) => ({
        id: s.id,
        name: s.name,
        username: s.username,
        home: s.home!,
        organisation: s.organisation,
        teamId: teamOf.get(s.id) ?? null,
      })),
    districts: districtRows,
    units: unitRows,
    recusals: recusalRows.map((r) => ({
      id: r.id,
      staffId: r.staffId,
      districtId: r.districtId,
      unitId: r.unitId,
      reason: r.reason,
      createdAtMs: r.createdAt.getTime(),
    })),
  };
}

/** Carries out one form of the teams page for the office of `session`, audited. */
export async function changeTeams(
  db: Db,
  session: StaffSession,
  roundId: string,
  input: TeamsFormInput,
  now = new Date(),
): Promise<void> {
  const jurisdictionId = session.staff.jurisdictionId;
  const actorId = session.staff.id;
  const round = await roundOf(db, jurisdictionId, roundId);
  const district = async (districtId: string) => {
    const [d] = await db
      .select({ id: districts.id })
      .from(districts)
      .where(and(eq(districts.id, districtId), eq(districts.jurisdictionId, jurisdictionId)))
      .limit(1);
    if (!d) throw new TeamError("bad_district");
  };
  const member = async (staffId: string) => {
    const [s] = await db
      .select({
        id: staffUsers.id,
        home: staffUsers.homeDistrictId,
        organisation: staffUsers.homeOrganisation,
      })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.id, staffId),
          eq(staffUsers.jurisdictionId, jurisdictionId),
          isNull(staffUsers.disabledAt),
        ),
      )
      .limit(1);
    if (!s) throw new TeamError("bad_member");
    return s;
  };

  // Recusals are about people, not this round: they may be recorded at any time.
  if (input.intent === "add-recusal") {
    await member(input.staffId);
    await district(input.districtId);
    if (input.unitId) {
      const [u] = await db
        .select({ id: units.id })
        .from(units)
        .where(and(eq(units.id, input.unitId), eq(units.districtId, input.districtId)))
        .limit(1);
      if (!u) throw new TeamError("bad_unit");
    }
    const recusalId = newRowId("rec");
    await withTx(db, async (tx) => {
      // Checked under the member's lock: two admins recording the same recusal at once would
      // each find none (PostgreSQL, READ COMMITTED) and store it twice.
      await serializeOn(tx, `recusals:${input.staffId}`);
      const same = await tx
        .select({ id: recusals.id, unitId: recusals.unitId })
        .from(recusals)
        .where(
          and(
            eq(recusals.staffId, input.staffId),
            eq(recusals.districtId, input.districtId),
            isNull(recusals.withdrawnAt),
          ),
        );
      if (same.some((r) => r.unitId === null || r.unitId === (input.unitId || null)))
        throw new TeamError("duplicate_recusal");
      await tx.insert(recusals).values({
        id: recusalId,
        staffId: input.staffId,
        districtId: input.districtId,
        unitId: input.unitId || null,
        reason: input.reason,
        createdBy: actorId,
        createdAt: now,
      });
      await appendAudit(tx, {
        actorId,
        action: "recusal.add",
        objectType: "account",
        objectId: input.staffId,
        detail: { recusalId, districtId: input.districtId, unitId: input.unitId || null },
        at: now,
      });
    });
    return;
  }
  if (input.intent === "withdraw-recusal") {
    const [r] = await db
      .select({ id: recusals.id, staffId: recusals.staffId })
      .from(recusals)
      .innerJoin(staffUsers, eq(staffUsers.id, recusals.staffId))
      .where(
        and(
          eq(recusals.id, input.recusalId),
          eq(staffUsers.jurisdictionId, jurisdictionId),
          isNull(recusals.withdrawnAt),
        ),
      )
      .limit(1);
    if (!r) throw new TeamError("not_found");
    await withTx(db, async (tx) => {
      // Withdrawn once (one audit row, the first time kept): the read above is outside this
      // transaction, and parallel withdrawals all find the recusal standing.
      const withdrawn = await tx
        .update(recusals)
        .set({ withdrawnAt: now })
        .where(and(eq(recusals.id, r.id), isNull(recusals.withdrawnAt)))
        .returning({ id: recusals.id });
      if (withdrawn.length === 0) throw new TeamError("not_found");
      await appendAudit(tx, {
        actorId,
        action: "recusal.withdraw",
        objectType: "account",
        objectId: r.staffId,
        detail: { recusalId: r.id },
        at: now,
      });
    });
    return;
  }

  if (round.endsAt <= now) throw new TeamError("ended");
  if (input.intent === "create-team") {
    if (input.homeDistrictId) await district(input.homeDistrictId);
    else if (round.mode !== "assistance") throw new TeamError("bad_district");
    const teamId = newRowId("team");
    await withTx(db, async (tx) => {
      await tx.insert(teams).values({
        id: teamId,
        roundId: round.id,
        nameZh: input.nameZh,
        nameEn: input.nameEn,
        homeDistrictId: input.homeDistrictId || null,
        createdAt: now,
      });
      await appendAudit(tx, {
        actorId,
        action: "team.create",
        objectType: "team",
        objectId: teamId,
        detail: { roundId: round.id, homeDistrictId: input.homeDistrictId || null },
        at: now,
      });
    });
    return;
  }

  const [team] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.id, input.teamId), eq(teams.roundId, round.id)))
    .limit(1);
  if (!team) throw new TeamError("not_found");
  // add-member: an active account of this office with a home district, in no other team of
  // this round (one person, one team per round); in an assistance round, with an organisation.
  const adding = input.intent === "add-member" ? await member(input.staffId) : null;
  if (adding && !adding.home) throw new TeamError("no_home");
  // An assistance round mixes its teams by the office each member is sent from (DESIGN §2): a
  // member whose office is not recorded would be planned as if from their home district.
  if (adding && round.mode === "assistance" && !adding.organisation)
    throw new TeamError("no_organisation");

  // The team's members (and, for a new member, the round's other teams) are checked inside the
  // transaction under the round's lock, the one its publication takes (rounds.server.ts):
  // checked before it, two admins at once (or two nodes) could each add one person to two teams
  // of the round, or each make a second leader.
  await withTx(db, async (tx) => {
    await serializeOn(tx, `round:${round.id}`);
    const current = await tx
      .select({ staffId: teamMembers.staffId, role: teamMembers.role })
      .from(teamMembers)
      .where(and(eq(teamMembers.teamId, team.id), isNull(teamMembers.leftAt)));
    const leadersAfter = (staffId: string, role: string) =>
      current.filter((m) => m.staffId !== staffId && m.role === "leader").length +
      (role === "leader" ? 1 : 0);

    if (input.intent === "remove-member") {
      if (!current.some((m) => m.staffId === input.staffId)) throw new TeamError("not_found");
      await tx
        .update(teamMembers)
        .set({ leftAt: now })
        .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.staffId, input.staffId)));
      await appendAudit(tx, {
        actorId,
        action: "team.member.remove",
        objectType: "team",
        objectId: team.id,
        detail: { staffId: input.staffId },
        at: now,
      });
      return;
    }
    if (leadersAfter(input.staffId, input.role) > maxLeaders(round.mode))
      throw new TeamError("too_many_leaders");
    if (input.intent === "set-role") {
      if (!current.some((m) => m.staffId === input.staffId)) throw new TeamError("not_found");
      await tx
        .update(teamMembers)
        .set({ role: input.role })
        .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.staffId, input.staffId)));
      await appendAudit(tx, {
        actorId,
        action: "team.member.role",
        objectType: "team",
        objectId: team.id,
        detail: { staffId: input.staffId, role: input.role },
        at: now,
      });
      return;
    }
    const person = adding!;
    const roundTeams = await tx
      .select({ id: teams.id })
      .from(teams)
      .where(eq(teams.roundId, round.id));
    const elsewhere = await tx
      .select({ teamId: teamMembers.teamId })
      .from(teamMembers)
      .where(
        and(
          eq(teamMembers.staffId, person.id),
          inArray(
            teamMembers.teamId,
            roundTeams.map((t) => t.id),
          ),
          isNull(teamMembers.leftAt),
        ),
      );
    if (elsewhere.length > 0) throw new TeamError("in_other_team");
    // Someone who left this team and comes back gets their row again, joining now.
    const [before] = await tx
      .select({ staffId: teamMembers.staffId })
      .from(teamMembers)
      .where(
        and(
          eq(teamMembers.teamId, team.id),
          eq(teamMembers.staffId, person.id),
          isNotNull(teamMembers.leftAt),
        ),
      )
      .limit(1);
    if (before) {
      await tx
        .update(teamMembers)
        .set({ role: input.role, joinedAt: now, leftAt: null })
        .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.staffId, person.id)));
    } else {
      await tx.insert(teamMembers).values({
        teamId: team.id,
        staffId: person.id,
        role: input.role,
        joinedAt: now,
      });
    }
    await appendAudit(tx, {
      actorId,
      action: "team.member.add",
      objectType: "team",
      objectId: team.id,
      detail: { staffId: person.id, role: input.role },
      at: now,
    });
  });
}
