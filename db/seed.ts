/**
 * Demo data (DESIGN §2; docs/decisions/004-demo-data.md): Tianjin round 4, the Sichuan
 * assistance round in 雷波县 and the 宿迁 rotation round, placed around `now` so the portal is
 * live. Idempotent: the jurisdiction `tianjin` marks a seeded database, and a second run changes
 * nothing. All rows go in in one transaction; password hashes (and staff keys, via the
 * `makeStaffKeys` hook) are computed before it, so the transaction stays short.
 */
import { eq } from "drizzle-orm";
import { hashPassword } from "../app/services/passwords.server";
import { checkHomeOrganisation } from "../app/shared/home-organisation";
import { serializeOn, withTx, type Db } from "./client";
import {
  districts,
  jurisdictions,
  recusals,
  rounds,
  staffKeys,
  staffRoles,
  staffUsers,
  stationingUnits,
  tips,
  stationings,
  teamMembers,
  teams,
  units,
  zones,
} from "./schema";
import { DEMO_JURISDICTIONS } from "./seed-data";
import type { JurisdictionSeed, StaffRoleName } from "./seed-data";

export const SEED_MARKER_JURISDICTION_ID = "tianjin";

const DAY_MS = 24 * 60 * 60 * 1000;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
/** Rounds start this many days before `now`… */
export const DEMO_START_DAYS_BEFORE_NOW = 10;
/** Validity of the staff keys made through the `makeStaffKeys` hook. */
export const DEMO_KEY_VALID_DAYS = 365;

export type NewStaffKey = typeof staffKeys.$inferInsert;

/** A demo staff member who should hold a staff key (the crypto module makes it). */
export interface KeyHolder {
  staffId: string;
  username: string;
  jurisdictionId: string;
  homeDistrictId: string | null;
}

export interface DemoLogin {
  username: string;
  staffId: string;
  displayName: string;
  roles: StaffRoleName[];
  jurisdictionId: string;
  teamId: string | null;
  teamNameZh: string | null;
  teamNameEn: string | null;
  homeDistrictId: string | null;
  homeDistrictNameZh: string | null;
  homeDistrictNameEn: string | null;
  /** One line for a console list. */
  description: string;
}

export interface SeedOptions {
  now: Date;
  /** Given to the demo logins only; without it no account gets a password. */
  demoPassword?: string;
  /**
   * Hook for the crypto module: make (signed) staff keys for the key holders. Awaited before the
   * transaction; the returned rows are inserted inside it.
   */
  makeStaffKeys?: (
    holders: KeyHolder[],
    ctx: { now: Date; validUntil: Date },
  ) => NewStaffKey[] | Promise<NewStaffKey[]>;
}

export interface SeedCounts {
  jurisdictions: number;
  zones: number;
  districts: number;
  units: number;
  rounds: number;
  teams: number;
  staff: number;
  teamMembers: number;
  stationings: number;
  stationingUnits: number;
  recusals: number;
  passwords: number;
  staffKeys: number;
}

export type SeedResult =
  | { created: false }
  | {
      created: true;
      counts: SeedCounts;
      logins: DemoLogin[];
      keyHolders: KeyHolder[];
      /** Start of every demo round (Asia/Shanghai midnight, 10 days before `now`). */
      roundStartsAt: Date;
    };

/** Midnight in Asia/Shanghai of the day of `now`, minus 10 days: the start of every demo round. */
export function demoRoundStart(now: Date): Date {
  const shanghaiMidnight =
    Math.floor((now.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
  return new Date(shanghaiMidnight - DEMO_START_DAYS_BEFORE_NOW * DAY_MS);
}

function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

export async function isSeeded(db: Db): Promise<boolean> {
  return (
    (
      await db
        .select({ id: jurisdictions.id })
        .from(jurisdictions)
        .where(eq(jurisdictions.id, SEED_MARKER_JURISDICTION_ID))
        .limit(1)
    )[0] !== undefined
  );
}

/** The demo accounts (static: usable even when the database was seeded earlier). */
export function demoLogins(data: readonly JurisdictionSeed[] = DEMO_JURISDICTIONS): DemoLogin[] {
  const logins: DemoLogin[] = [];
  for (const j of data) {
    for (const s of j.staff) {
      if (!s.demoLogin) continue;
      const team = j.rounds
        .flatMap((r) => r.teams)
        .find((t) => t.members.some((m) => m.staffId === s.id));
      const home = j.districts.find((d) => d.id === s.homeDistrictId);
      logins.push({
        username: s.username,
        staffId: s.id,
        displayName: s.displayName,
        roles: s.roles,
        jurisdictionId: j.jurisdiction.id,
        teamId: team?.id ?? null,
        teamNameZh: team?.nameZh ?? null,
        teamNameEn: team?.nameEn ?? null,
        homeDistrictId: s.homeDistrictId,
        homeDistrictNameZh: home?.nameZh ?? null,
        homeDistrictNameEn: home?.nameEn ?? null,
        description: s.description ?? s.roles.join(", "),
      });
    }
  }
  return logins;
}

/** Demo staff who should get a staff key once the crypto module exists. */
export function demoKeyHolders(
  data: readonly JurisdictionSeed[] = DEMO_JURISDICTIONS,
): KeyHolder[] {
  return data.flatMap((j) =>
    j.staff
      .filter((s) => s.keyHolder)
      .map((s) => ({
        staffId: s.id,
        username: s.username,
        jurisdictionId: j.jurisdiction.id,
        homeDistrictId: s.homeDistrictId,
      })),
  );
}

/**
 * Consistency checks on the data files, so a bad edit fails loudly instead of seeding a
 * portal that breaks the hard rule (no team inspects its home district).
 */
export function validateDemoData(data: readonly JurisdictionSeed[] = DEMO_JURISDICTIONS): void {
  const ids = new Set<string>();
  const usernames = new Set<string>();
  const unique = (set: Set<string>, v: string) => {
    if (set.has(v)) throw new Error(`demo data: duplicate ${v}`);
    set.add(v);
  };
  for (const j of data) {
    const districtIds = new Set(j.districts.map((d) => d.id));
    const staffIds = new Set(j.staff.map((s) => s.id));
    for (const s of j.staff) {
      unique(ids, s.id);
      unique(usernames, s.username);
      const organisation = checkHomeOrganisation(s.homeOrganisation);
      if (!organisation.ok || organisation.value !== (s.homeOrganisation ?? null))
        throw new Error(`demo data: ${s.id} home organisation`);
    }
    for (const r of j.rounds) {
      for (const st of r.stationings) {
        const team = r.teams.find((t) => t.id === st.teamId);
        if (!team) throw new Error(`demo data: stationing ${st.id} has no team`);
        if (!districtIds.has(st.targetDistrictId)) throw new Error(`demo data: ${st.id} target`);
        if (team.homeDistrictId === st.targetDistrictId) {
          throw new Error(`demo data: team ${team.id} stationed in its home district`);
        }
        if (st.startDay + st.lengthDays > r.lengthDays) {
          throw new Error(`demo data: ${st.id} outlasts its round`);
        }
        for (const u of st.unitIds) {
          const unit = j.units.find((x) => x.id === u);
          if (unit?.districtId !== st.targetDistrictId) {
            throw new Error(`demo data: ${st.id} covers ${u} outside its target`);
          }
        }
      }
      for (const t of r.teams) {
        for (const m of t.members) {
          if (!staffIds.has(m.staffId)) throw new Error(`demo data: ${t.id} member ${m.staffId}`);
          // The teams page refuses an assistance member without an organisation: so does this.
          const s = j.staff.find((x) => x.id === m.staffId)!;
          if (r.mode === "assistance" && !s.homeOrganisation)
            throw new Error(`demo data: ${m.staffId} of ${t.id} has no home organisation`);
        }
      }
    }
  }
}

/**
 * Demo data goes only into an empty database: one holding any staff account or any tip that is
 * not the demo's own (no seed marker) is refused, so a real portal started without
 * CROSSWATCH_MODE=production never gains accounts with published passwords (issue 11 item 8).
 */
export class SeedRefused extends Error {
  constructor() {
    super(
      "this database already holds staff accounts or tips that are not demo data; demo data goes only into an empty database (set CROSSWATCH_MODE=production for a real portal)",
    );
    this.name = "SeedRefused";
  }
}

async function holdsRealData(db: Pick<Db, "select">): Promise<boolean> {
  const staff = await db.select({ id: staffUsers.id }).from(staffUsers).limit(1);
  const tip = await db.select({ id: tips.id }).from(tips).limit(1);
  return staff.length > 0 || tip.length > 0;
}

export async function seed(db: Db, opts: SeedOptions): Promise<SeedResult> {
  if (await isSeeded(db)) return { created: false };
  if (await holdsRealData(db)) throw new SeedRefused();
  validateDemoData();

  const roundStartsAt = demoRoundStart(opts.now);
  const logins = demoLogins();
  const keyHolders = demoKeyHolders();

  // Slow, async work first: nothing may be awaited inside the transaction.
  const passwordHashes = new Map<string, string>();
  if (opts.demoPassword !== undefined) {
    for (const login of logins) {
      passwordHashes.set(login.staffId, await hashPassword(opts.demoPassword));
    }
  }
  // Demo keys are signed for a year, like an annual re-approval by the office.
  const validUntil = addDays(opts.now, DEMO_KEY_VALID_DAYS);
  const keys = opts.makeStaffKeys
    ? await opts.makeStaffKeys(keyHolders, { now: opts.now, validUntil })
    : [];

  const counts: SeedCounts = {
    jurisdictions: 0,
    zones: 0,
    districts: 0,
    units: 0,
    rounds: 0,
    teams: 0,
    staff: 0,
    teamMembers: 0,
    stationings: 0,
    stationingUnits: 0,
    recusals: 0,
    passwords: passwordHashes.size,
    staffKeys: keys.length,
  };

  const created = await withTx(db, async (tx) => {
    // Re-check under the lock: two processes (or app nodes) seeding at once must not both insert.
    await serializeOn(tx, "seed");
    if (
      (
        await tx
          .select({ id: jurisdictions.id })
          .from(jurisdictions)
          .where(eq(jurisdictions.id, SEED_MARKER_JURISDICTION_ID))
          .limit(1)
      )[0]
    ) {
      return false;
    }
    if (await holdsRealData(tx)) throw new SeedRefused();
    for (const j of DEMO_JURISDICTIONS) {
      const jid = j.jurisdiction.id;
      await tx.insert(jurisdictions).values(j.jurisdiction);
      counts.jurisdictions += 1;

      await tx
        .insert(zones)
        .values(j.zones.map((z, i) => ({ ...z, jurisdictionId: jid, sortOrder: i })));
      counts.zones += j.zones.length;

      await tx
        .insert(districts)
        .values(j.districts.map((d, i) => ({ ...d, jurisdictionId: jid, sortOrder: i })));
      counts.districts += j.districts.length;

      await tx.insert(units).values(j.units);
      counts.units += j.units.length;

      await tx.insert(staffUsers).values(
        j.staff.map((s) => ({
          id: s.id,
          username: s.username,
          displayName: s.displayName,
          jurisdictionId: jid,
          homeDistrictId: s.homeDistrictId,
          homeOrganisation: s.homeOrganisation ?? null,
          passwordHash: passwordHashes.get(s.id) ?? null,
        })),
      );
      await tx
        .insert(staffRoles)
        .values(j.staff.flatMap((s) => s.roles.map((role) => ({ staffId: s.id, role }))));
      counts.staff += j.staff.length;

      for (const r of j.rounds) {
        const endsAt = addDays(roundStartsAt, r.lengthDays);
        await tx.insert(rounds).values({
          id: r.id,
          jurisdictionId: jid,
          nameZh: r.nameZh,
          nameEn: r.nameEn,
          mode: r.mode,
          startsAt: roundStartsAt,
          endsAt,
          indicatorCount: r.indicatorCount,
        });
        counts.rounds += 1;

        await tx.insert(teams).values(
          r.teams.map((t) => ({
            id: t.id,
            roundId: r.id,
            nameZh: t.nameZh,
            nameEn: t.nameEn,
            homeDistrictId: t.homeDistrictId,
          })),
        );
        counts.teams += r.teams.length;

        const members = r.teams.flatMap((t) =>
          t.members.map((m) => ({
            teamId: t.id,
            staffId: m.staffId,
            role: m.role,
            joinedAt: roundStartsAt,
          })),
        );
        await tx.insert(teamMembers).values(members);
        counts.teamMembers += members.length;

        await tx.insert(stationings).values(
          r.stationings.map((s) => ({
            id: s.id,
            teamId: s.teamId,
            targetDistrictId: s.targetDistrictId,
            startsAt: addDays(roundStartsAt, s.startDay),
            endsAt: addDays(roundStartsAt, s.startDay + s.lengthDays),
            authorisedByZh: s.authorisedByZh,
            authorisedByEn: s.authorisedByEn,
            dutyPhone: s.dutyPhone,
            letterBoxZh: s.letterBoxZh,
            letterBoxEn: s.letterBoxEn,
          })),
        );
        counts.stationings += r.stationings.length;

        const covered = r.stationings.flatMap((s) =>
          s.unitIds.map((unitId) => ({ stationingId: s.id, unitId })),
        );
        if (covered.length > 0) await tx.insert(stationingUnits).values(covered);
        counts.stationingUnits += covered.length;
      }

      if (j.recusals.length > 0) {
        await tx.insert(recusals).values(
          j.recusals.map((r) => ({
            id: r.id,
            staffId: r.staffId,
            districtId: r.districtId,
            reason: r.reason,
            createdAt: roundStartsAt,
          })),
        );
        counts.recusals += j.recusals.length;
      }
    }
    if (keys.length > 0) await tx.insert(staffKeys).values(keys);
    return true;
  });

  if (!created) return { created: false };
  return { created: true, counts, logins, keyHolders, roundStartsAt };
}
