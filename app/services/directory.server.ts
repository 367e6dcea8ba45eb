/**
 * Read model for the public pages: which jurisdictions, zones and districts exist, and for one
 * district who is stationed there now (team, where it comes from, round, window, duty phone,
 * letter box, who authorised it, which units it inspects) next to the district's units.
 * Nothing here is secret: it is what a stationed team publishes anyway.
 */
import { and, asc, eq, gt, inArray, lte } from "drizzle-orm";
import type { Db } from "../../db/client";
import { alias } from "../../db/columns";
import {
  districts,
  jurisdictions,
  rounds,
  stationingUnits,
  stationings,
  teams,
  units,
  zones,
  type District,
  type Jurisdiction,
  type RoundMode,
  type Unit,
  type Zone,
} from "../../db/schema";

export interface ZoneWithDistricts {
  jurisdictionId: string;
  /** null groups the jurisdiction's districts that belong to no zone. */
  zone: Zone | null;
  districts: District[];
}

export interface NamedRef {
  id: string;
  nameZh: string;
  nameEn: string;
}

export interface StationedTeam {
  stationingId: string;
  startsAt: Date;
  endsAt: Date;
  team: NamedRef & { homeDistrict: NamedRef | null };
  round: NamedRef & { mode: RoundMode };
  authorisedByZh: string | null;
  authorisedByEn: string | null;
  dutyPhone: string | null;
  letterBoxZh: string | null;
  letterBoxEn: string | null;
  units: Array<NamedRef & { kind: Unit["kind"] }>;
}

export interface DistrictOverview {
  jurisdiction: Jurisdiction;
  district: District;
  zone: Zone | null;
  /** Teams stationed at `at` (startsAt <= at < endsAt), earliest first. */
  stationed: StationedTeam[];
  units: Unit[];
}

export async function listJurisdictions(db: Db): Promise<Jurisdiction[]> {
  return await db.select().from(jurisdictions).orderBy(asc(jurisdictions.id));
}

/** One district by id, or null. */
export async function findDistrict(db: Db, districtId: string): Promise<District | null> {
  const [row] = await db.select().from(districts).where(eq(districts.id, districtId)).limit(1);
  return row ?? null;
}

/** Zones in their order, each with its districts in order; unzoned districts last. */
export async function listZonesWithDistricts(
  db: Db,
  jurisdictionId?: string,
): Promise<ZoneWithDistricts[]> {
  const zoneRows = await db
    .select()
    .from(zones)
    .where(jurisdictionId === undefined ? undefined : eq(zones.jurisdictionId, jurisdictionId))
    .orderBy(asc(zones.jurisdictionId), asc(zones.sortOrder), asc(zones.id));
  const districtRows = await db
    .select()
    .from(districts)
    .where(jurisdictionId === undefined ? undefined : eq(districts.jurisdictionId, jurisdictionId))
    .orderBy(asc(districts.sortOrder), asc(districts.id));

  const groups: ZoneWithDistricts[] = [];
  const jurisdictionIds = [
    ...new Set([...zoneRows, ...districtRows].map((r) => r.jurisdictionId)),
  ].sort();
  for (const jid of jurisdictionIds) {
    for (const zone of zoneRows.filter((z) => z.jurisdictionId === jid)) {
      groups.push({
        jurisdictionId: jid,
        zone,
        districts: districtRows.filter((d) => d.zoneId === zone.id),
      });
    }
    const unzoned = districtRows.filter((d) => d.jurisdictionId === jid && d.zoneId === null);
    if (unzoned.length > 0) groups.push({ jurisdictionId: jid, zone: null, districts: unzoned });
  }
  return groups;
}

/** The public page of one district at `at`; null for an unknown district. */
export async function districtOverview(
  db: Db,
  districtId: string,
  at: Date,
): Promise<DistrictOverview | null> {
  const row = (
    await db
      .select({ district: districts, jurisdiction: jurisdictions })
      .from(districts)
      .innerJoin(jurisdictions, eq(jurisdictions.id, districts.jurisdictionId))
      .where(eq(districts.id, districtId))
      .limit(1)
  )[0];
  if (!row) return null;
  const zone =
    row.district.zoneId === null
      ? null
      : ((await db.select().from(zones).where(eq(zones.id, row.district.zoneId)).limit(1))[0] ??
        null);

  const home = alias(districts, "team_home");
  const stationed = await db
    .select({
      stationing: stationings,
      team: teams,
      round: rounds,
      homeId: home.id,
      homeNameZh: home.nameZh,
      homeNameEn: home.nameEn,
    })
    .from(stationings)
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .innerJoin(rounds, eq(rounds.id, teams.roundId))
    .leftJoin(home, eq(home.id, teams.homeDistrictId))
    .where(
      and(
        eq(stationings.targetDistrictId, districtId),
        lte(stationings.startsAt, at),
        gt(stationings.endsAt, at),
      ),
    )
    .orderBy(asc(stationings.startsAt), asc(stationings.id));

  const stationingIds = stationed.map((s) => s.stationing.id);
  const covered =
    stationingIds.length === 0
      ? []
      : await db
          .select({ stationingId: stationingUnits.stationingId, unit: units })
          .from(stationingUnits)
          .innerJoin(units, eq(units.id, stationingUnits.unitId))
          .where(inArray(stationingUnits.stationingId, stationingIds))
          .orderBy(asc(units.id));

  return {
    jurisdiction: row.jurisdiction,
    district: row.district,
    zone,
    stationed: stationed.map(({ stationing: s, team, round, homeId, homeNameZh, homeNameEn }) => ({
      stationingId: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      team: {
        id: team.id,
        nameZh: team.nameZh,
        nameEn: team.nameEn,
        homeDistrict:
          homeId === null || homeNameZh === null || homeNameEn === null
            ? null
            : { id: homeId, nameZh: homeNameZh, nameEn: homeNameEn },
      },
      round: { id: round.id, nameZh: round.nameZh, nameEn: round.nameEn, mode: round.mode },
      authorisedByZh: s.authorisedByZh,
      authorisedByEn: s.authorisedByEn,
      dutyPhone: s.dutyPhone,
      letterBoxZh: s.letterBoxZh,
      letterBoxEn: s.letterBoxEn,
      units: covered
        .filter((c) => c.stationingId === s.id)
        .map(({ unit }) => ({
          id: unit.id,
          nameZh: unit.nameZh,
          nameEn: unit.nameEn,
          kind: unit.kind,
        })),
    })),
    units: await db
      .select()
      .from(units)
      .where(eq(units.districtId, districtId))
      .orderBy(asc(units.id)),
  };
}
