/**
 * Who a finding is sealed to (DESIGN §4): the team's readers and the office at creation, and the
 * receivers of a receiving body once its clue is transferred. Each reader's newest key that is
 * active, unexpired, signed for the member's current home district and verified against the
 * office key from configuration (never the database) — the same key rule as routing.
 *
 * Team readers exclude members whose home district is the stationing's target and members recused
 * from it, exactly as for tips; and, as routing does (ADR 017), team and office readers are kept
 * only if a current roster the office signed for the target district lists that key for that
 * member, and receivers only if the body's current signed roster does: the database can remove a
 * reader of a finding, never add one.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
  receivingBodyMembers,
  recusals,
  rounds,
  staffKeys,
  staffRoles,
  staffUsers,
  stationings,
  teamMembers,
  teams,
} from "../../db/schema";
import type { Env } from "../env.server";
import { bodyRosterReaders, rosterReadersByKind } from "./rosters.server";
import { keySignatureVerifier, NO_HOME_DISTRICT } from "./staff-keys.server";

export interface FindingReader {
  staffId: string;
  staffKeyId: string;
  boxPublicKey: Buffer;
  signPublicKey: Buffer | null;
  officeSignature: Buffer;
  validUntil: Date;
  homeDistrictId: string | null;
  jurisdictionId: string;
  fingerprint: string;
  displayName: string;
}

interface Person {
  staffId: string;
  homeDistrictId: string | null;
  jurisdictionId: string;
  displayName: string;
  disabledAt: Date | null;
}

async function usableKeys(db: Db, env: Env, people: Person[], now: Date): Promise<FindingReader[]> {
  const active = people.filter((p) => !p.disabledAt || p.disabledAt > now);
  if (active.length === 0) return [];
  const keys = await db
    .select()
    .from(staffKeys)
    .where(
      and(
        inArray(
          staffKeys.staffId,
          active.map((p) => p.staffId),
        ),
        eq(staffKeys.status, "active"),
        isNull(staffKeys.revokedAt),
        gt(staffKeys.validUntil, now),
        isNotNull(staffKeys.officeSignature),
      ),
    )
    .orderBy(desc(staffKeys.signedAt), desc(staffKeys.createdAt), asc(staffKeys.id));
  const out: FindingReader[] = [];
  for (const p of active) {
    const verify = keySignatureVerifier(env, () => p.jurisdictionId, now);
    // The member's newest key whose office signature verifies (awaited: a pending promise is
    // truthy, and an unverified key must never become a reader).
    let key: (typeof keys)[number] | undefined;
    for (const k of keys) {
      if (
        k.staffId === p.staffId &&
        (k.signedHomeDistrictId ?? null) === p.homeDistrictId &&
        k.officeSignature !== null &&
        k.validUntil !== null &&
        (await verify({
          ...k,
          officeSignature: k.officeSignature,
          validUntil: k.validUntil,
          homeDistrictId: p.homeDistrictId,
        }))
      ) {
        key = k;
        break;
      }
    }
    if (!key || !key.officeSignature || !key.validUntil) continue;
    out.push({
      staffId: p.staffId,
      staffKeyId: key.id,
      boxPublicKey: key.boxPublicKey,
      signPublicKey: key.signPublicKey,
      officeSignature: key.officeSignature,
      validUntil: key.validUntil,
      homeDistrictId: p.homeDistrictId,
      jurisdictionId: p.jurisdictionId,
      fingerprint: key.fingerprint,
      displayName: p.displayName,
    });
  }
  return out;
}

/** Only the readers a current signed roster of `kind` for `districtId` lists (key and member). */
async function rostered(
  db: Db,
  districtId: string,
  kind: "team" | "office",
  readers: FindingReader[],
  now: Date,
): Promise<FindingReader[]> {
  const listed = (await rosterReadersByKind(db, districtId, now))[kind];
  return readers.filter(
    (r) => listed.get(Buffer.from(r.boxPublicKey).toString("hex"))?.memberId === r.staffId,
  );
}

const person = {
  staffId: staffUsers.id,
  homeDistrictId: staffUsers.homeDistrictId,
  jurisdictionId: staffUsers.jurisdictionId,
  displayName: staffUsers.displayName,
  disabledAt: staffUsers.disabledAt,
};

/** The team behind `stationingId`: current members, not local to the target, not recused. */
export async function teamReaders(
  db: Db,
  env: Env,
  stationingId: string,
  now: Date,
): Promise<FindingReader[]> {
  const st = (
    await db
      .select({ teamId: stationings.teamId, target: stationings.targetDistrictId })
      .from(stationings)
      .where(eq(stationings.id, stationingId))
      .limit(1)
  )[0];
  if (!st) return [];
  const members = await db
    .select(person)
    .from(teamMembers)
    .innerJoin(staffUsers, eq(staffUsers.id, teamMembers.staffId))
    .where(and(eq(teamMembers.teamId, st.teamId), isNull(teamMembers.leftAt)))
    .orderBy(asc(staffUsers.id));
  const recused = new Set(
    (
      await db
        .select({ s: recusals.staffId })
        .from(recusals)
        .where(
          and(
            eq(recusals.districtId, st.target),
            isNull(recusals.unitId),
            or(isNull(recusals.withdrawnAt), gt(recusals.withdrawnAt, now)),
          ),
        )
    ).map((r) => r.s),
  );
  const usable = await usableKeys(
    db,
    env,
    members.filter((m) => m.homeDistrictId !== st.target && !recused.has(m.staffId)),
    now,
  );
  return rostered(db, st.target, "team", usable, now);
}

/** Office admins of the jurisdiction that runs the stationing's round. */
export async function officeReaders(
  db: Db,
  env: Env,
  stationingId: string,
  now: Date,
): Promise<FindingReader[]> {
  const round = (
    await db
      .select({ jurisdictionId: rounds.jurisdictionId, target: stationings.targetDistrictId })
      .from(stationings)
      .innerJoin(teams, eq(teams.id, stationings.teamId))
      .innerJoin(rounds, eq(rounds.id, teams.roundId))
      .where(eq(stationings.id, stationingId))
      .limit(1)
  )[0];
  if (!round) return [];
  const admins = await db
    .select(person)
    .from(staffUsers)
    .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
    .where(
      and(eq(staffUsers.jurisdictionId, round.jurisdictionId), eq(staffRoles.role, "office_admin")),
    )
    .orderBy(asc(staffUsers.id));
  const usable = await usableKeys(
    db,
    env,
    admins.filter((a) => a.homeDistrictId !== round.target),
    now,
  );
  return rostered(db, round.target, "office", usable, now);
}

/**
 * The current receivers of a receiving body: commission_receiver staff listed as its members whose
 * key the body's current office-signed roster lists for them (ADR 017's rule, issue 9 item 2).
 */
export async function bodyReceivers(
  db: Db,
  env: Env,
  bodyId: string,
  now: Date,
): Promise<FindingReader[]> {
  const members = await db
    .select(person)
    .from(receivingBodyMembers)
    .innerJoin(staffUsers, eq(staffUsers.id, receivingBodyMembers.staffId))
    .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
    .where(
      and(
        eq(receivingBodyMembers.bodyId, bodyId),
        isNull(receivingBodyMembers.leftAt),
        eq(staffRoles.role, "commission_receiver"),
      ),
    )
    .orderBy(asc(staffUsers.id));
  const listed = await bodyRosterReaders(db, bodyId, now);
  return (await usableKeys(db, env, members, now)).filter(
    (r) => listed.get(Buffer.from(r.boxPublicKey).toString("hex")) === r.staffId,
  );
}

/**
 * What a staff browser needs to check a reader before sealing to them (DESIGN §4): the same
 * approval shape the report page verifies (app/client/report/report-client.ts).
 */
export function readerWire(env: Env, r: FindingReader) {
  const officeKey = env.officeSigningKeys[r.jurisdictionId];
  return {
    staffId: r.staffId,
    staffKeyId: r.staffKeyId,
    displayName: r.displayName,
    boxPublicKey: r.boxPublicKey.toString("base64url"),
    fingerprint: r.fingerprint,
    approval: officeKey
      ? {
          memberId: r.staffId,
          signPublicKey: r.signPublicKey ? r.signPublicKey.toString("base64url") : null,
          homeDistrictId: r.homeDistrictId ?? NO_HOME_DISTRICT,
          validUntilMs: r.validUntil.getTime(),
          signature: r.officeSignature.toString("base64url"),
          officeKey: Buffer.from(officeKey).toString("base64url"),
        }
      : null,
  };
}
