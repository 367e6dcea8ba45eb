/**
 * Who can read a tip about a district (DESIGN §5).
 *
 * await recipientsFor(target, at) = the newest usable key of every current member of every team
 * stationed in `target` at `at`, minus members whose home district is `target`, members
 * with an active recusal for it, and — for a tip about a unit — members recused from that unit
 * (recusals.server.ts). If nobody is left, the office admins of the
 * district's jurisdiction (same exclusions, same key rules) with a visible notice. If still
 * nobody, a typed refusal: a tip is never stored without a reader.
 *
 * A key is usable when it is `active`, not revoked, valid after `at`, not a low-order X25519
 * point, carries an office signature whose signed home district equals the member's current
 * home district, and the injected verifier (the crypto module's Ed25519 check against the office
 * public key compiled into the build) accepts it. On top of that, the key must be listed for the
 * member in a current roster the office signed (`deps.rosterReaders`, ADR 017): a team member in a
 * team roster for the district, an office admin in the office's fallback roster. The database
 * alone therefore cannot add a reader — not by a key row, nor by a `team_members` row.
 *
 * Time windows are half-open: a stationing covers startsAt <= at < endsAt, a membership
 * joinedAt <= at < leftAt (leftAt null = still a member).
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { isLowOrderPublicKey, toHex } from "../../crypto/index";
import { preparedQuery, type Db } from "../../db/client";
import { alias } from "../../db/columns";
import {
  districts,
  rounds,
  staffKeys,
  staffRoles,
  staffUsers,
  stationings,
  teamMembers,
  teams,
  type StaffKey,
  type TEAM_ROLES,
} from "../../db/schema";
import { activeRecusals, isRecusedFrom, type RecusalTarget } from "./recusals.server";

type TeamRole = (typeof TEAM_ROLES)[number];

/** A key row that passed the database checks and now needs its office signature verified. */
export type VerifiableStaffKey = StaffKey & {
  officeSignature: Buffer;
  validUntil: Date;
  /** The member's current home district (what the signature must cover). */
  homeDistrictId: string | null;
  /** The member's jurisdiction as routing read it (whose office key checks the signature). */
  jurisdictionId?: string;
};

/** Reader keys the office's signed rosters allow for a district (ADR 017), by box key hex. */
export interface RosterReaderSet {
  team: Map<string, { memberId: string }>;
  office: Map<string, { memberId: string }>;
}

export interface RoutingDeps {
  /** Ed25519 check of the office signature over (staff id, box key, home district, valid-until). */
  verifyKeySignature: (key: VerifiableStaffKey) => boolean | Promise<boolean>;
  /**
   * The readers the office's signed rosters list for the district at `at`
   * (rosters.server.ts). Routing keeps a member's key only if a roster of the matching kind
   * lists it, so the database alone cannot add a reader. Left out only by unit tests of the
   * database rules.
   */
  rosterReaders?: (targetDistrictId: string, at: Date) => Promise<RosterReaderSet>;
}

export interface RoutedStationing {
  stationingId: string;
  roundId: string;
  roundNameZh: string;
  roundNameEn: string;
  teamId: string;
  teamNameZh: string;
  teamNameEn: string;
  teamHomeDistrictId: string | null;
  teamHomeDistrictNameZh: string | null;
  teamHomeDistrictNameEn: string | null;
  startsAt: Date;
  endsAt: Date;
}

export interface Recipient {
  staffId: string;
  staffKeyId: string;
  boxPublicKey: Buffer;
  fingerprint: string;
  displayName: string;
  /** The first stationed team the member belongs to; null for office recipients. */
  teamId: string | null;
  /** Every stationed team the member belongs to (a member is listed once). */
  teamIds: string[];
  teamRole: TeamRole | null;
}

export type RoutingResult =
  | {
      ok: true;
      routedTo: "team";
      notice: null;
      targetDistrictId: string;
      /** Stationings active at `at`, oldest first; the first is the one to record on the tip. */
      stationings: RoutedStationing[];
      recipients: Recipient[];
    }
  | {
      ok: true;
      routedTo: "office";
      notice: "office_fallback";
      targetDistrictId: string;
      /** Teams stationed but without a usable reader (often empty: nobody stationed). */
      stationings: RoutedStationing[];
      recipients: Recipient[];
    }
  | { ok: false; reason: "no_reader" | "unknown_district" };

/*
 * Every submission routes its tip, and the report page asks for the readers: the routing reads
 * run once or twice per report. They are prepared once per database handle (`preparedQuery`;
 * building a query's SQL with drizzle cost more than running it: issue 13, submissions), with
 * their values as placeholders. `recipientsFor` itself remembers nothing; `routeTip`
 * (tips.server.ts) remembers its answers while the routing generation and the time window say
 * nothing they read can have changed (routing-cache.server.ts, ADR 038), so an office's change
 * counts from the next report on. A new table, staff_users column or time rule read here must be
 * added to the generation's triggers (db/routing-generation.ts) and the cache's TIME_COLUMNS.
 */
/** The time `at` as a placeholder, encoded as `column` stores it (SQLite ms, PostgreSQL time). */
const atPlaceholder = (column: Parameters<typeof sql.param>[1]) =>
  sql.param(sql.placeholder("at"), column);
/** IN lists up to this long get a prepared query per length; longer ones are built each time. */
const PREPARED_LIST_MAX = 16;
const listPlaceholders = (n: number) =>
  Array.from({ length: n }, (_, i) => sql.placeholder(`v${i}`));
const listValues = (values: readonly string[]) =>
  Object.fromEntries(values.map((v, i) => [`v${i}`, v]));

const TEAM_ROLE_ORDER: Record<TeamRole, number> = {
  leader: 0,
  deputy_leader: 1,
  liaison: 2,
  member: 3,
};

/** Teams stationed in `targetDistrictId` at `at` (startsAt <= at < endsAt). */
export async function activeStationings(
  db: Db,
  targetDistrictId: string,
  at: Date,
): Promise<RoutedStationing[]> {
  return await preparedQuery(db, "cw_route_stationings", (d) => {
    const home = alias(districts, "team_home");
    return d
      .select({
        stationingId: stationings.id,
        roundId: rounds.id,
        roundNameZh: rounds.nameZh,
        roundNameEn: rounds.nameEn,
        teamId: teams.id,
        teamNameZh: teams.nameZh,
        teamNameEn: teams.nameEn,
        teamHomeDistrictId: teams.homeDistrictId,
        teamHomeDistrictNameZh: home.nameZh,
        teamHomeDistrictNameEn: home.nameEn,
        startsAt: stationings.startsAt,
        endsAt: stationings.endsAt,
      })
      .from(stationings)
      .innerJoin(teams, eq(teams.id, stationings.teamId))
      .innerJoin(rounds, eq(rounds.id, teams.roundId))
      .leftJoin(home, eq(home.id, teams.homeDistrictId))
      .where(
        and(
          eq(stationings.targetDistrictId, sql.placeholder("district")),
          lte(stationings.startsAt, atPlaceholder(stationings.startsAt)),
          gt(stationings.endsAt, atPlaceholder(stationings.endsAt)),
        ),
      )
      .orderBy(asc(stationings.startsAt), asc(stationings.id))
      .prepare("cw_route_stationings");
  }).execute({ district: targetDistrictId, at });
}

interface Candidate {
  staffId: string;
  displayName: string;
  homeDistrictId: string | null;
  jurisdictionId: string;
  teamIds: string[];
  teamRole: TeamRole | null;
}

/** Current members (joinedAt <= at < leftAt) of the given teams, one entry per person. */
async function currentMembers(db: Db, teamIds: string[], at: Date): Promise<Candidate[]> {
  if (teamIds.length === 0) return [];
  const query = (d: Db, ids: readonly (string | ReturnType<typeof sql.placeholder>)[]) =>
    d
      .select({
        teamId: teamMembers.teamId,
        role: teamMembers.role,
        staffId: staffUsers.id,
        displayName: staffUsers.displayName,
        homeDistrictId: staffUsers.homeDistrictId,
        jurisdictionId: staffUsers.jurisdictionId,
        disabledAt: staffUsers.disabledAt,
      })
      .from(teamMembers)
      .innerJoin(staffUsers, eq(staffUsers.id, teamMembers.staffId))
      .where(
        and(
          inArray(teamMembers.teamId, ids),
          lte(teamMembers.joinedAt, atPlaceholder(teamMembers.joinedAt)),
          or(isNull(teamMembers.leftAt), gt(teamMembers.leftAt, atPlaceholder(teamMembers.leftAt))),
        ),
      );
  const n = teamIds.length;
  const rows =
    n <= PREPARED_LIST_MAX
      ? await preparedQuery(db, `cw_route_members_${n}`, (d) =>
          query(d, listPlaceholders(n)).prepare(`cw_route_members_${n}`),
        ).execute({ ...listValues(teamIds), at })
      : await query(db, teamIds).prepare("").execute({ at });
  const teamOrder = new Map(teamIds.map((id, i) => [id, i]));
  rows.sort(
    (a, b) =>
      (teamOrder.get(a.teamId) ?? 0) - (teamOrder.get(b.teamId) ?? 0) ||
      TEAM_ROLE_ORDER[a.role] - TEAM_ROLE_ORDER[b.role] ||
      a.staffId.localeCompare(b.staffId),
  );
  const byStaff = new Map<string, Candidate>();
  for (const r of rows) {
    // A disabled account reads nothing new.
    if (r.disabledAt !== null && r.disabledAt.getTime() <= at.getTime()) continue;
    const seen = byStaff.get(r.staffId);
    if (seen) {
      seen.teamIds.push(r.teamId);
      continue;
    }
    byStaff.set(r.staffId, {
      staffId: r.staffId,
      displayName: r.displayName,
      homeDistrictId: r.homeDistrictId,
      jurisdictionId: r.jurisdictionId,
      teamIds: [r.teamId],
      teamRole: r.role,
    });
  }
  return [...byStaff.values()];
}

/** Home-district and recusal exclusions shared by the team and the office paths. */
async function excludeConflicted(
  db: Db,
  target: RecusalTarget,
  candidates: Candidate[],
  at: Date,
): Promise<Candidate[]> {
  const notLocal = candidates.filter((c) => c.homeDistrictId !== target.targetDistrictId);
  const recs = await activeRecusals(
    db,
    notLocal.map((c) => c.staffId),
    at,
    target.targetDistrictId,
  );
  return notLocal.filter((c) => !isRecusedFrom(recs, c.staffId, target));
}

/** Each candidate's newest usable key; candidates without one are dropped. */
async function withUsableKeys(
  db: Db,
  candidates: Candidate[],
  at: Date,
  deps: RoutingDeps,
  office: boolean,
  rostered: RosterReaderSet | null,
): Promise<Recipient[]> {
  if (candidates.length === 0) return [];
  const query = (d: Db, ids: readonly (string | ReturnType<typeof sql.placeholder>)[]) =>
    d
      .select()
      .from(staffKeys)
      .where(
        and(
          inArray(staffKeys.staffId, ids),
          eq(staffKeys.status, "active"),
          isNull(staffKeys.revokedAt),
          gt(staffKeys.validUntil, atPlaceholder(staffKeys.validUntil)),
          isNotNull(staffKeys.officeSignature),
        ),
      )
      .orderBy(desc(staffKeys.signedAt), desc(staffKeys.createdAt), asc(staffKeys.id));
  const staffIds = candidates.map((c) => c.staffId);
  const n = staffIds.length;
  const keys =
    n <= PREPARED_LIST_MAX
      ? await preparedQuery(db, `cw_route_keys_${n}`, (d) =>
          query(d, listPlaceholders(n)).prepare(`cw_route_keys_${n}`),
        ).execute({ ...listValues(staffIds), at })
      : await query(db, staffIds).prepare("").execute({ at });
  const recipients: Recipient[] = [];
  for (const c of candidates) {
    for (const key of keys) {
      if (key.staffId !== c.staffId) continue;
      if (key.officeSignature === null || key.validUntil === null) continue;
      if ((key.signedHomeDistrictId ?? null) !== c.homeDistrictId) continue;
      // A low-order point: every envelope to it would open with a public constant.
      if (isLowOrderPublicKey(key.boxPublicKey)) continue;
      // Only a key the office listed, for this member, in a roster of this kind (team / office).
      if (rostered) {
        const listed = rostered[office ? "office" : "team"].get(
          toHex(new Uint8Array(key.boxPublicKey)),
        );
        if (listed?.memberId !== c.staffId) continue;
      }
      const verifiable: VerifiableStaffKey = {
        ...key,
        officeSignature: key.officeSignature,
        validUntil: key.validUntil,
        homeDistrictId: c.homeDistrictId,
        jurisdictionId: c.jurisdictionId,
      };
      let valid = false;
      try {
        valid = (await deps.verifyKeySignature(verifiable)) === true;
      } catch {
        valid = false;
      }
      if (!valid) continue;
      recipients.push({
        staffId: c.staffId,
        staffKeyId: key.id,
        boxPublicKey: key.boxPublicKey,
        fingerprint: key.fingerprint,
        displayName: c.displayName,
        teamId: office ? null : (c.teamIds[0] ?? null),
        teamIds: office ? [] : c.teamIds,
        teamRole: office ? null : c.teamRole,
      });
      break;
    }
  }
  return recipients;
}

/** Office admins of the district's jurisdiction (the fallback readers). */
async function officeCandidates(db: Db, jurisdictionId: string, at: Date): Promise<Candidate[]> {
  return (
    await preparedQuery(db, "cw_route_office", (d) =>
      d
        .select({
          staffId: staffUsers.id,
          displayName: staffUsers.displayName,
          homeDistrictId: staffUsers.homeDistrictId,
          jurisdictionId: staffUsers.jurisdictionId,
          disabledAt: staffUsers.disabledAt,
        })
        .from(staffUsers)
        .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
        .where(
          and(
            eq(staffUsers.jurisdictionId, sql.placeholder("jurisdiction")),
            eq(staffRoles.role, "office_admin"),
          ),
        )
        .orderBy(asc(staffUsers.id))
        .prepare("cw_route_office"),
    ).execute({ jurisdiction: jurisdictionId })
  )
    .filter((r) => r.disabledAt === null || r.disabledAt.getTime() > at.getTime())
    .map((r) => ({
      staffId: r.staffId,
      displayName: r.displayName,
      homeDistrictId: r.homeDistrictId,
      jurisdictionId: r.jurisdictionId,
      teamIds: [],
      teamRole: null,
    }));
}

export async function recipientsFor(
  db: Db,
  targetDistrictId: string,
  at: Date,
  deps: RoutingDeps,
  /** The unit the resident chose (a unit-level recusal removes its members); null: none. */
  unitId: string | null = null,
): Promise<RoutingResult> {
  const target: RecusalTarget = { targetDistrictId, unitId };
  const district = (
    await preparedQuery(db, "cw_route_district", (d) =>
      d
        .select({ id: districts.id, jurisdictionId: districts.jurisdictionId })
        .from(districts)
        .where(eq(districts.id, sql.placeholder("district")))
        .limit(1)
        .prepare("cw_route_district"),
    ).execute({ district: targetDistrictId })
  )[0];
  if (!district) return { ok: false, reason: "unknown_district" };

  const stationed = await activeStationings(db, targetDistrictId, at);
  const members = await currentMembers(db, [...new Set(stationed.map((s) => s.teamId))], at);
  const rostered = deps.rosterReaders ? await deps.rosterReaders(targetDistrictId, at) : null;
  const teamRecipients = await withUsableKeys(
    db,
    await excludeConflicted(db, target, members, at),
    at,
    deps,
    false,
    rostered,
  );
  if (teamRecipients.length > 0) {
    return {
      ok: true,
      routedTo: "team",
      notice: null,
      targetDistrictId,
      stationings: stationed,
      recipients: teamRecipients,
    };
  }

  const officeRecipients = await withUsableKeys(
    db,
    await excludeConflicted(
      db,
      target,
      await officeCandidates(db, district.jurisdictionId, at),
      at,
    ),
    at,
    deps,
    true,
    rostered,
  );
  if (officeRecipients.length > 0) {
    return {
      ok: true,
      routedTo: "office",
      notice: "office_fallback",
      targetDistrictId,
      stationings: stationed,
      recipients: officeRecipients,
    };
  }
  return { ok: false, reason: "no_reader" };
}

/**
 * How many current members of the teams stationed in `targetDistrictId` at `at` get no
 * envelope because they come from that district (shown to the resident as a count only).
 */
export async function countLocalMembersExcluded(
  db: Db,
  targetDistrictId: string,
  at: Date,
): Promise<number> {
  const stationed = await activeStationings(db, targetDistrictId, at);
  return (await currentMembers(db, [...new Set(stationed.map((s) => s.teamId))], at)).filter(
    (m) => m.homeDistrictId === targetDistrictId,
  ).length;
}
