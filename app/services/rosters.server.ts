/**
 * Signed rosters on the server (DESIGN §4, docs/crypto.md §5.13, ADR 017):
 *
 * - `rosterReaders` — which reader keys the office's signed rosters allow for a district now, by
 *   the same policy the resident's browser runs (`app/shared/roster-trust.ts`). Routing keeps a
 *   database reader only if it is also here, so the database can remove readers but never add one.
 * - `draftRosters` — what the office would sign now: one roster per stationing of its
 *   jurisdiction that has not ended, and its fallback roster, each with who is left out and why.
 * - `publishRoster` — stores a roster the office admin's browser signed, after verifying it under
 *   the office key compiled into this build; routing uses it from the next request on.
 *
 * Verification results are cached by the SHA-256 of (office key, signature, roster bytes) in
 * verified-cache.server.ts: the cache is content-addressed, so a new or re-signed roster is a new
 * entry and nothing ever needs invalidating; verification always runs before, never inside, a
 * write transaction.
 */
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import * as c from "../../crypto/index";
import { preparedQuery, serializeOn, withTx, type Db } from "../../db/client";
import {
  districts,
  receivingBodies,
  receivingBodyMembers,
  recusals,
  rosters,
  staffKeys,
  staffRoles,
  staffUsers,
  stationings,
  teamMembers,
  teams,
  type RosterRow,
} from "../../db/schema";
import { trustedReaders, type SignedRosterWire, type TrustResult } from "../shared/roster-trust";
import {
  bodyRoster,
  officeRoster,
  teamRoster,
  type DraftRoster,
  type RosterCandidate,
} from "../shared/rosters";
import { TRUST } from "../shared/trusted-offices";
import { appendAudit } from "./audit.server";
import type { StaffSession } from "./sessions.server";
import { cachedVerification } from "./verified-cache.server";

// ---------------------------------------------------------------- verification (cached)

/** `verifyRoster`, each distinct (office key, signature, roster bytes) verified once. */
function cachedVerifyRoster(
  rosterBytes: Uint8Array,
  signature: Uint8Array,
  officeKey: Uint8Array,
): c.Roster {
  return cachedVerification("roster", [officeKey, signature, rosterBytes], () =>
    c.verifyRoster(rosterBytes, signature, officeKey),
  );
}

const cachedCrypto = { ...c, verifyRoster: cachedVerifyRoster };

const wireOf = (r: Pick<RosterRow, "roster" | "signature">): SignedRosterWire => ({
  roster: c.base64urlEncode(new Uint8Array(r.roster)),
  signature: c.base64urlEncode(new Uint8Array(r.signature)),
});

export interface RosterTrust extends TrustResult {
  /** The signed rosters that contributed readers, as the browser gets them. */
  wires: SignedRosterWire[];
}

/**
 * Stored rosters of the office covering `districtId` whose window contains `at`: one query (the
 * district's office by a join), prepared once per handle and kinds (`preparedQuery`; every
 * report reads them, issue 13).
 */
async function currentWires(
  db: Db,
  districtId: string,
  at: Date,
  kinds: readonly c.RosterKind[],
): Promise<SignedRosterWire[]> {
  const name = `cw_rosters_${kinds.join("_")}`;
  const rows = await preparedQuery(db, name, (d) =>
    d
      .select({ roster: rosters.roster, signature: rosters.signature })
      .from(rosters)
      .innerJoin(districts, eq(districts.jurisdictionId, rosters.jurisdictionId))
      .where(
        and(
          eq(districts.id, sql.placeholder("district")),
          inArray(rosters.kind, [...kinds]),
          lte(rosters.validFrom, sql.param(sql.placeholder("at"), rosters.validFrom)),
          gt(rosters.validUntil, sql.param(sql.placeholder("at"), rosters.validUntil)),
        ),
      )
      .orderBy(asc(rosters.kind), asc(rosters.rosterId), asc(rosters.serial))
      .prepare(name),
  ).execute({ district: districtId, at });
  return rows.map(wireOf);
}

function trust(
  wires: SignedRosterWire[],
  districtId: string,
  at: Date,
  kinds: readonly c.RosterKind[],
  signedTimes?: number[],
): RosterTrust {
  // With `signedTimes`: every verified roster's signed window is noted (the routing cache's
  // time boundaries, routing-cache.server.ts).
  const crypto = signedTimes
    ? {
        ...cachedCrypto,
        verifyRoster: (rosterBytes: Uint8Array, signature: Uint8Array, officeKey: Uint8Array) => {
          const roster = cachedVerifyRoster(rosterBytes, signature, officeKey);
          signedTimes.push(roster.validFromMs, roster.validUntilMs);
          return roster;
        },
      }
    : cachedCrypto;
  const result = trustedReaders(crypto, {
    rosters: wires,
    districtId,
    nowMs: at.getTime(),
    kinds,
  });
  const rejected = new Set(result.rejected.map((r) => r.index));
  return { ...result, wires: wires.filter((_, i) => !rejected.has(i)) };
}

/** Rosters of the office covering `districtId` that are current at `at`, by the trust policy. */
export async function rosterReaders(
  db: Db,
  districtId: string,
  at: Date,
  kinds: readonly c.RosterKind[] = ["team", "office"],
): Promise<RosterTrust> {
  return trust(await currentWires(db, districtId, at, kinds), districtId, at, kinds);
}

/**
 * The trusted readers per roster kind, for routing: team readers come only from team rosters and
 * office readers only from the office's fallback roster (an office admin listed in both is in both).
 * `signedTimes`: the signed validity bounds (ms) of every roster read that verified — where the
 * answer can change with time alone besides the stored columns (routing-cache.server.ts).
 */
export async function rosterReadersByKind(
  db: Db,
  districtId: string,
  at: Date,
): Promise<{
  team: TrustResult["readers"];
  office: TrustResult["readers"];
  signedTimes: number[];
}> {
  const wires = await currentWires(db, districtId, at, ["team", "office"]);
  const signedTimes: number[] = [];
  return {
    team: trust(wires, districtId, at, ["team"], signedTimes).readers,
    office: trust(wires, districtId, at, ["office"]).readers,
    signedTimes,
  };
}

/**
 * The receivers a receiving body's current signed roster lists (issue 9 item 2), by box key (hex)
 * → member id: the newest serial among the body's rosters that verify under the build's key for
 * the body's office, name that office and the body, and are valid at `at`. A clue handed to the
 * body is sealed only to these, so the database can remove a receiver but never add one.
 */
export async function bodyRosterReaders(
  db: Db,
  bodyId: string,
  at: Date,
): Promise<Map<string, string>> {
  const body = (
    await db
      .select({ jurisdictionId: receivingBodies.jurisdictionId })
      .from(receivingBodies)
      .where(eq(receivingBodies.id, bodyId))
      .limit(1)
  )[0];
  const office = body && TRUST.offices.find((o) => o.jurisdictionId === body.jurisdictionId);
  if (!body || !office) return new Map();
  const rows = await db
    .select({ roster: rosters.roster, signature: rosters.signature })
    .from(rosters)
    .where(
      and(
        eq(rosters.jurisdictionId, body.jurisdictionId),
        eq(rosters.kind, "receiving_body"),
        eq(rosters.rosterId, bodyId),
        lte(rosters.validFrom, at),
        gt(rosters.validUntil, at),
      ),
    );
  const officeKey = c.base64urlDecode(office.signPublicKey);
  let current: c.Roster | null = null;
  for (const r of rows) {
    let roster: c.Roster;
    try {
      roster = cachedVerifyRoster(new Uint8Array(r.roster), new Uint8Array(r.signature), officeKey);
    } catch (err) {
      if (c.isCryptoError(err)) continue;
      throw err;
    }
    if (
      roster.kind === "receiving_body" &&
      roster.jurisdictionId === body.jurisdictionId &&
      roster.rosterId === bodyId &&
      roster.validFromMs <= at.getTime() &&
      at.getTime() < roster.validUntilMs &&
      (!current || roster.serial > current.serial)
    ) {
      current = roster;
    }
  }
  return new Map(
    (current?.readers ?? []).map((r) => [c.toHex(r.boxPublicKey), r.memberId] as const),
  );
}

// ---------------------------------------------------------------- drafting

export interface RosterDraft extends DraftRoster {
  kind: c.RosterKind;
  rosterId: string;
  /** base64url canonical bytes for the browser to sign; null when nobody is left to read. */
  bytes: string | null;
  /** The newest stored serial for this roster id (null: never published). */
  publishedSerial: number | null;
  /** true when the newest published roster lists exactly these readers for the same window. */
  upToDate: boolean;
  /** For display: the stationing's team and target, the office's districts, or the body. */
  label: {
    teamNameZh: string | null;
    teamNameEn: string | null;
    districtIds: string[];
    body?: { zh: string; en: string };
  };
}

const DAY_MS = 86_400_000;

/** The districts whose clues a receiving body takes: its own, or all the office's. */
function bodyDistricts(
  body: { districtId: string | null },
  officeDistrictIds: readonly string[],
): string[] {
  return body.districtId === null ? [...officeDistrictIds] : [body.districtId];
}
/** How long an office fallback roster is valid when (re-)signed. */
export const OFFICE_ROSTER_DAYS = 400;

type CandidateRow = {
  staffId: string;
  homeDistrictId: string | null;
  role: RosterCandidate["role"];
};

async function candidatesWithKeys(
  db: Db,
  rows: CandidateRow[],
  now: Date,
): Promise<RosterCandidate[]> {
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.staffId))];
  const keys = await db
    .select()
    .from(staffKeys)
    .where(
      and(
        inArray(staffKeys.staffId, ids),
        eq(staffKeys.status, "active"),
        isNull(staffKeys.revokedAt),
        gt(staffKeys.validUntil, now),
        isNotNull(staffKeys.officeSignature),
      ),
    )
    .orderBy(desc(staffKeys.signedAt), desc(staffKeys.createdAt), asc(staffKeys.id));
  const recused = await db
    .select({ staffId: recusals.staffId, districtId: recusals.districtId })
    .from(recusals)
    .where(
      and(
        inArray(recusals.staffId, ids),
        isNull(recusals.unitId),
        or(isNull(recusals.withdrawnAt), gt(recusals.withdrawnAt, now)),
      ),
    );
  return rows.map((r) => {
    const key = keys.find(
      (k) =>
        k.staffId === r.staffId &&
        (k.signedHomeDistrictId ?? null) === r.homeDistrictId &&
        !c.isLowOrderPublicKey(new Uint8Array(k.boxPublicKey)),
    );
    return {
      memberId: r.staffId,
      boxPublicKey: key ? new Uint8Array(key.boxPublicKey) : null,
      homeDistrictId: r.homeDistrictId,
      role: r.role,
      recusedDistrictIds: recused.filter((x) => x.staffId === r.staffId).map((x) => x.districtId),
    };
  });
}

const ROLE_ORDER = { leader: 0, deputy_leader: 1, liaison: 2, member: 3 } as const;

function sameReaders(a: c.Roster, b: c.Roster): boolean {
  const key = (r: c.Roster) =>
    JSON.stringify([
      r.validFromMs,
      r.validUntilMs,
      [...r.districtIds].sort(),
      [...r.readers]
        .map((x) => [x.memberId, c.toHex(x.boxPublicKey), x.homeDistrictId, x.role])
        .sort(),
    ]);
  return key(a) === key(b);
}

/** Every roster the office of `jurisdictionId` should have signed now, drafted from the registry. */
export async function draftRosters(
  db: Db,
  jurisdictionId: string,
  now = new Date(),
): Promise<RosterDraft[]> {
  const published = await db
    .select({
      kind: rosters.kind,
      rosterId: rosters.rosterId,
      serial: rosters.serial,
      roster: rosters.roster,
    })
    .from(rosters)
    .where(eq(rosters.jurisdictionId, jurisdictionId))
    .orderBy(desc(rosters.serial));
  const newest = (kind: string, rosterId: string) =>
    published.find((p) => p.kind === kind && p.rosterId === rosterId) ?? null;

  const finish = (
    kind: c.RosterKind,
    rosterId: string,
    draft: (serial: number) => DraftRoster,
    label: RosterDraft["label"],
  ): RosterDraft => {
    const last = newest(kind, rosterId);
    const d = draft((last?.serial ?? 0) + 1);
    let upToDate = false;
    if (last && d.roster) {
      try {
        upToDate = sameReaders(c.decodeRoster(new Uint8Array(last.roster)), d.roster);
      } catch {
        upToDate = false;
      }
    }
    return {
      ...d,
      kind,
      rosterId,
      bytes: d.roster ? c.base64urlEncode(c.encodeRoster(d.roster)) : null,
      publishedSerial: last?.serial ?? null,
      upToDate,
      label,
    };
  };

  const stationed = await db
    .select({
      id: stationings.id,
      teamId: stationings.teamId,
      roundId: teams.roundId,
      teamNameZh: teams.nameZh,
      teamNameEn: teams.nameEn,
      targetDistrictId: stationings.targetDistrictId,
      startsAt: stationings.startsAt,
      endsAt: stationings.endsAt,
    })
    .from(stationings)
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .innerJoin(districts, eq(districts.id, stationings.targetDistrictId))
    .where(and(eq(districts.jurisdictionId, jurisdictionId), gt(stationings.endsAt, now)))
    .orderBy(asc(stationings.startsAt), asc(stationings.id));

  const drafts: RosterDraft[] = [];
  for (const s of stationed) {
    const members = await db
      .select({
        staffId: teamMembers.staffId,
        role: teamMembers.role,
        homeDistrictId: staffUsers.homeDistrictId,
        disabledAt: staffUsers.disabledAt,
        jurisdictionId: staffUsers.jurisdictionId,
      })
      .from(teamMembers)
      .innerJoin(staffUsers, eq(staffUsers.id, teamMembers.staffId))
      .where(
        and(
          eq(teamMembers.teamId, s.teamId),
          or(isNull(teamMembers.leftAt), gt(teamMembers.leftAt, now)),
        ),
      );
    const usable = members
      // Only the office's own staff can be on its roster; a disabled account reads nothing new.
      .filter((m) => m.jurisdictionId === jurisdictionId && m.disabledAt === null)
      .sort(
        (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.staffId.localeCompare(b.staffId),
      );
    const candidates = await candidatesWithKeys(db, usable, now);
    drafts.push(
      finish(
        "team",
        s.id,
        (serial) =>
          teamRoster({
            jurisdictionId,
            roundId: s.roundId,
            stationingId: s.id,
            targetDistrictId: s.targetDistrictId,
            startsAtMs: s.startsAt.getTime(),
            endsAtMs: s.endsAt.getTime(),
            serial,
            issuedAtMs: now.getTime(),
            members: candidates,
          }),
        {
          teamNameZh: s.teamNameZh,
          teamNameEn: s.teamNameEn,
          districtIds: [s.targetDistrictId],
        },
      ),
    );
  }

  const officeIds = (
    await db
      .select({
        staffId: staffUsers.id,
        homeDistrictId: staffUsers.homeDistrictId,
        disabledAt: staffUsers.disabledAt,
      })
      .from(staffUsers)
      .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
      .where(
        and(eq(staffUsers.jurisdictionId, jurisdictionId), eq(staffRoles.role, "office_admin")),
      )
      .orderBy(asc(staffUsers.id))
  ).filter((r) => r.disabledAt === null);
  const officeCandidates = await candidatesWithKeys(
    db,
    officeIds.map((r) => ({ ...r, role: "office" as const })),
    now,
  );
  const districtIds = (
    await db
      .select({ id: districts.id })
      .from(districts)
      .where(eq(districts.jurisdictionId, jurisdictionId))
      .orderBy(asc(districts.id))
  ).map((d) => d.id);
  // A standing roster (office, receiving body) keeps its published window while its readers are
  // unchanged, so "up to date" means something; otherwise it is valid OFFICE_ROSTER_DAYS from now.
  const standing = (
    kind: "office" | "receiving_body",
    rosterId: string,
    make: (window: { validFromMs: number; validUntilMs: number }, serial: number) => DraftRoster,
  ) => {
    const last = newest(kind, rosterId);
    const lastWindow = last ? c.decodeRoster(new Uint8Array(last.roster)) : null;
    return (serial: number): DraftRoster => {
      const fresh = make(
        { validFromMs: now.getTime(), validUntilMs: now.getTime() + OFFICE_ROSTER_DAYS * DAY_MS },
        serial,
      );
      if (
        lastWindow &&
        fresh.roster &&
        lastWindow.validUntilMs > now.getTime() &&
        sameReaders(
          { ...fresh.roster, validFromMs: 0, validUntilMs: 1 },
          { ...lastWindow, validFromMs: 0, validUntilMs: 1 },
        )
      ) {
        return {
          ...fresh,
          roster: {
            ...fresh.roster,
            validFromMs: lastWindow.validFromMs,
            validUntilMs: lastWindow.validUntilMs,
          },
        };
      }
      return fresh;
    };
  };
  drafts.push(
    finish(
      "office",
      `office-${jurisdictionId}`,
      standing("office", `office-${jurisdictionId}`, (window, serial) =>
        officeRoster({
          jurisdictionId,
          districtIds,
          ...window,
          serial,
          issuedAtMs: now.getTime(),
          readers: officeCandidates,
        }),
      ),
      { teamNameZh: null, teamNameEn: null, districtIds },
    ),
  );

  // Each receiving body's roster: its current commission_receiver members of this office.
  const bodies = await db
    .select()
    .from(receivingBodies)
    .where(eq(receivingBodies.jurisdictionId, jurisdictionId))
    .orderBy(asc(receivingBodies.districtId), asc(receivingBodies.id));
  const bodyMembers =
    bodies.length === 0
      ? []
      : await db
          .select({
            bodyId: receivingBodyMembers.bodyId,
            staffId: staffUsers.id,
            homeDistrictId: staffUsers.homeDistrictId,
            disabledAt: staffUsers.disabledAt,
          })
          .from(receivingBodyMembers)
          .innerJoin(staffUsers, eq(staffUsers.id, receivingBodyMembers.staffId))
          .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
          .where(
            and(
              inArray(
                receivingBodyMembers.bodyId,
                bodies.map((b) => b.id),
              ),
              or(isNull(receivingBodyMembers.leftAt), gt(receivingBodyMembers.leftAt, now)),
              eq(staffRoles.role, "commission_receiver"),
              eq(staffUsers.jurisdictionId, jurisdictionId),
            ),
          )
          .orderBy(asc(staffUsers.id));
  for (const b of bodies) {
    const covers = bodyDistricts(b, districtIds);
    const receivers = await candidatesWithKeys(
      db,
      bodyMembers
        .filter((m) => m.bodyId === b.id && m.disabledAt === null)
        .map((m) => ({
          staffId: m.staffId,
          homeDistrictId: m.homeDistrictId,
          role: "receiver" as const,
        })),
      now,
    );
    drafts.push(
      finish(
        "receiving_body",
        b.id,
        standing("receiving_body", b.id, (window, serial) =>
          bodyRoster({
            jurisdictionId,
            bodyId: b.id,
            districtIds: covers,
            ...window,
            serial,
            issuedAtMs: now.getTime(),
            receivers,
          }),
        ),
        {
          teamNameZh: null,
          teamNameEn: null,
          districtIds: covers,
          body: { zh: b.nameZh, en: b.nameEn },
        },
      ),
    );
  }
  return drafts;
}

// ---------------------------------------------------------------- publishing

const newRosterRowId = () => "ros_" + randomBytes(12).toString("base64url");

export class RosterError extends Error {
  constructor(
    readonly code:
      | "roster_malformed"
      | "roster_bad_signature"
      | "roster_other_office"
      | "roster_unknown_stationing"
      | "roster_unknown_body"
      | "roster_stale"
      | "roster_unknown_reader",
  ) {
    super(code);
  }
}

/**
 * Stores a roster signed in the office admin's browser. The signature must verify under this
 * build's key for the admin's own office; the serial must be newer than any stored one for the
 * same roster id; a team roster must name an existing stationing of that office, for its target
 * district and window; every reader must be one of the office's staff.
 */
export async function publishRoster(
  db: Db,
  session: StaffSession,
  wire: { roster: Uint8Array; signature: Uint8Array },
  now = new Date(),
): Promise<{ id: string; serial: number }> {
  const jurisdictionId = session.staff.jurisdictionId;
  const office = TRUST.offices.find((o) => o.jurisdictionId === jurisdictionId);
  if (!office) throw new RosterError("roster_other_office");
  let roster: c.Roster;
  try {
    roster = cachedVerifyRoster(
      wire.roster,
      wire.signature,
      c.base64urlDecode(office.signPublicKey),
    );
  } catch (err) {
    if (c.isCryptoError(err, "bad_signature")) throw new RosterError("roster_bad_signature");
    if (c.isCryptoError(err)) throw new RosterError("roster_malformed");
    throw err;
  }
  if (roster.jurisdictionId !== jurisdictionId) throw new RosterError("roster_other_office");

  const covered = await db
    .select({ id: districts.id })
    .from(districts)
    .where(
      and(
        eq(districts.jurisdictionId, jurisdictionId),
        inArray(districts.id, [...roster.districtIds]),
      ),
    );
  if (covered.length !== roster.districtIds.length) throw new RosterError("roster_other_office");
  if (roster.kind === "team") {
    const s = (
      await db
        .select({
          target: stationings.targetDistrictId,
          startsAt: stationings.startsAt,
          endsAt: stationings.endsAt,
          roundId: teams.roundId,
        })
        .from(stationings)
        .innerJoin(teams, eq(teams.id, stationings.teamId))
        .where(eq(stationings.id, roster.rosterId))
        .limit(1)
    )[0];
    if (
      !s ||
      roster.districtIds.length !== 1 ||
      roster.districtIds[0] !== s.target ||
      roster.roundId !== s.roundId ||
      roster.validFromMs !== s.startsAt.getTime() ||
      roster.validUntilMs !== s.endsAt.getTime()
    ) {
      throw new RosterError("roster_unknown_stationing");
    }
  } else if (roster.kind === "receiving_body") {
    // A body of this office, for exactly the districts whose clues it takes, read by receivers.
    const body = (
      await db
        .select({
          jurisdictionId: receivingBodies.jurisdictionId,
          districtId: receivingBodies.districtId,
        })
        .from(receivingBodies)
        .where(eq(receivingBodies.id, roster.rosterId))
        .limit(1)
    )[0];
    const officeDistricts =
      body?.districtId === null
        ? (
            await db
              .select({ id: districts.id })
              .from(districts)
              .where(eq(districts.jurisdictionId, jurisdictionId))
          ).map((d) => d.id)
        : [];
    if (
      !body ||
      body.jurisdictionId !== jurisdictionId ||
      roster.roundId !== "" ||
      [...roster.districtIds].sort().join("\n") !==
        bodyDistricts(body, officeDistricts).sort().join("\n") ||
      roster.readers.some((r) => r.role !== "receiver")
    ) {
      throw new RosterError("roster_unknown_body");
    }
  } else if (roster.rosterId !== `office-${jurisdictionId}`) {
    throw new RosterError("roster_malformed");
  }
  const memberIds = roster.readers.map((r) => r.memberId);
  const staff = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(eq(staffUsers.jurisdictionId, jurisdictionId), inArray(staffUsers.id, memberIds)));
  if (staff.length !== memberIds.length) throw new RosterError("roster_unknown_reader");

  const id = newRosterRowId();
  await withTx(db, async (tx) => {
    // The serial check and the insert hold the roster's lock: two publications at once
    // (PostgreSQL, READ COMMITTED; two nodes) would both pass the check, and the second would
    // fail on the unique serial (a 500) or store an older serial after a newer one.
    await serializeOn(tx, `roster:${roster.kind}/${roster.rosterId}`);
    const last = (
      await tx
        .select({ serial: rosters.serial })
        .from(rosters)
        .where(and(eq(rosters.kind, roster.kind), eq(rosters.rosterId, roster.rosterId)))
        .orderBy(desc(rosters.serial))
        .limit(1)
    )[0];
    if (last && last.serial >= roster.serial) throw new RosterError("roster_stale");
    await tx.insert(rosters).values({
      id,
      jurisdictionId,
      kind: roster.kind,
      rosterId: roster.rosterId,
      serial: roster.serial,
      validFrom: new Date(roster.validFromMs),
      validUntil: new Date(roster.validUntilMs),
      roster: Buffer.from(wire.roster),
      signature: Buffer.from(wire.signature),
      signedBy: session.staff.id,
      signedAt: now,
    });
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "roster.sign",
      objectType: "roster",
      objectId: roster.rosterId,
      detail: { kind: roster.kind, serial: roster.serial, readers: roster.readers.length },
      at: now,
    });
  });
  return { id, serial: roster.serial };
}

/** Stores a roster signed outside a staff session (demo seeding), with the same checks on bytes. */
export async function storeSignedRoster(
  db: Db,
  wire: { roster: Uint8Array; signature: Uint8Array },
  signedBy: string | null,
  now = new Date(),
): Promise<void> {
  const roster = c.decodeRoster(wire.roster);
  await withTx(db, async (tx) => {
    await tx.insert(rosters).values({
      id: newRosterRowId(),
      jurisdictionId: roster.jurisdictionId,
      kind: roster.kind,
      rosterId: roster.rosterId,
      serial: roster.serial,
      validFrom: new Date(roster.validFromMs),
      validUntil: new Date(roster.validUntilMs),
      roster: Buffer.from(wire.roster),
      signature: Buffer.from(wire.signature),
      signedBy,
      signedAt: now,
    });
  });
}

// ---------------------------------------------------------------- the office page

export interface RosterPageDraft {
  kind: c.RosterKind;
  rosterId: string;
  serial: number | null;
  /** base64url canonical bytes to sign; null when nobody is left to read */
  bytes: string | null;
  publishedSerial: number | null;
  upToDate: boolean;
  team: { zh: string; en: string } | null;
  /** The receiving body of a receiving_body roster. */
  body: { zh: string; en: string } | null;
  districts: { id: string; zh: string; en: string }[];
  validFromMs: number | null;
  validUntilMs: number | null;
  readers: {
    memberId: string;
    name: string;
    role: string;
    home: { zh: string; en: string } | null;
  }[];
  leftOut: { memberId: string; name: string; why: string }[];
}

/** What /staff/admin/rosters shows: every draft with names, for the admin to read before signing. */
export async function rosterPage(
  db: Db,
  jurisdictionId: string,
  now = new Date(),
): Promise<RosterPageDraft[]> {
  const drafts = await draftRosters(db, jurisdictionId, now);
  const memberIds = [
    ...new Set(
      drafts.flatMap((d) => [
        ...(d.roster?.readers ?? []).map((r) => r.memberId),
        ...d.leftOut.map((l) => l.memberId),
      ]),
    ),
  ];
  const names = new Map(
    memberIds.length === 0
      ? []
      : (
          await db
            .select({ id: staffUsers.id, name: staffUsers.displayName })
            .from(staffUsers)
            .where(inArray(staffUsers.id, memberIds))
        ).map((s) => [s.id, s.name]),
  );
  const districtNames = new Map(
    (await db.select().from(districts)).map((d) => [d.id, { zh: d.nameZh, en: d.nameEn }]),
  );
  return drafts.map((d) => ({
    kind: d.kind,
    rosterId: d.rosterId,
    serial: d.roster?.serial ?? null,
    bytes: d.bytes,
    publishedSerial: d.publishedSerial,
    upToDate: d.upToDate,
    team: d.label.teamNameZh ? { zh: d.label.teamNameZh, en: d.label.teamNameEn ?? "" } : null,
    body: d.label.body ?? null,
    districts: d.label.districtIds.map((id) => ({
      id,
      ...(districtNames.get(id) ?? { zh: id, en: id }),
    })),
    validFromMs: d.roster?.validFromMs ?? null,
    validUntilMs: d.roster?.validUntilMs ?? null,
    readers: (d.roster?.readers ?? []).map((r) => ({
      memberId: r.memberId,
      name: names.get(r.memberId) ?? r.memberId,
      role: r.role,
      home: r.homeDistrictId === "-" ? null : (districtNames.get(r.homeDistrictId) ?? null),
    })),
    leftOut: d.leftOut.map((l) => ({
      memberId: l.memberId,
      name: names.get(l.memberId) ?? l.memberId,
      why: l.why,
    })),
  }));
}
