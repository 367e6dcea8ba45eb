/**
 * Read model of the public home page: every jurisdiction, its zones and districts, and for each
 * district the teams stationed there now (team, home district, until when).
 */
import { and, asc, eq, gt, inArray, lte } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { alias } from "../../db/columns";
import { districts, rounds, stationings, teams } from "../../db/schema";
import { listJurisdictions, listZonesWithDistricts } from "./directory.server";

/** Tianjin's zone circulation is the portal's main case: list it first. */
const JURISDICTION_ORDER = ["tianjin", "sichuan", "jiangsu"];

export interface HomeDistrict {
  id: string;
  nameZh: string;
  nameEn: string;
  teams: Array<{
    teamNameZh: string;
    teamNameEn: string;
    homeZh: string | null;
    homeEn: string | null;
    endsAt: string;
  }>;
}

export interface HomeJurisdiction {
  id: string;
  nameZh: string;
  nameEn: string;
  zones: Array<{
    id: string;
    nameZh: string | null;
    nameEn: string | null;
    districts: HomeDistrict[];
  }>;
}

/** Jurisdictions in display order. */
export async function orderedJurisdictions(db: Db) {
  return (await listJurisdictions(db)).sort(
    (a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id),
  );
}

export async function publicHome(
  db: Db,
  at: Date,
  onlyJurisdiction?: string,
): Promise<HomeJurisdiction[]> {
  const all = (await orderedJurisdictions(db)).filter(
    (j) => !onlyJurisdiction || j.id === onlyJurisdiction,
  );
  const groups = await listZonesWithDistricts(db, onlyJurisdiction);
  const stationed = await stationedIn(
    db,
    groups.flatMap((g) => g.districts.map((d) => d.id)),
    at,
  );
  return all.map((j) => ({
    id: j.id,
    nameZh: j.nameZh,
    nameEn: j.nameEn,
    zones: groups
      .filter((g) => g.jurisdictionId === j.id)
      .map((g) => ({
        id: g.zone?.id ?? `${j.id}-other`,
        nameZh: g.zone?.nameZh ?? null,
        nameEn: g.zone?.nameEn ?? null,
        districts: g.districts.map((d) => ({
          id: d.id,
          nameZh: d.nameZh,
          nameEn: d.nameEn,
          teams: stationed.get(d.id) ?? [],
        })),
      })),
  }));
}

/**
 * The teams stationed at `at` (startsAt <= at < endsAt) in each of `districtIds`, earliest first,
 * as districtOverview lists them — in one query for all districts: the home page used to ask
 * districtOverview five queries per district (≈ 230 on the demo data), each a round trip on
 * PostgreSQL, which was most of the first answer's wait after a start (docs/benchmarks.md).
 */
async function stationedIn(
  db: Db,
  districtIds: string[],
  at: Date,
): Promise<Map<string, HomeDistrict["teams"]>> {
  const byDistrict = new Map<string, HomeDistrict["teams"]>();
  if (districtIds.length === 0) return byDistrict;
  const home = alias(districts, "team_home");
  const rows = await db
    .select({
      districtId: stationings.targetDistrictId,
      endsAt: stationings.endsAt,
      teamNameZh: teams.nameZh,
      teamNameEn: teams.nameEn,
      homeZh: home.nameZh,
      homeEn: home.nameEn,
    })
    .from(stationings)
    .innerJoin(teams, eq(teams.id, stationings.teamId))
    .innerJoin(rounds, eq(rounds.id, teams.roundId))
    .leftJoin(home, eq(home.id, teams.homeDistrictId))
    .where(
      and(
        inArray(stationings.targetDistrictId, districtIds),
        lte(stationings.startsAt, at),
        gt(stationings.endsAt, at),
      ),
    )
    .orderBy(asc(stationings.startsAt), asc(stationings.id));
  for (const r of rows) {
    // districtOverview's rule: a home district only with both names.
    const hasHome = r.homeZh !== null && r.homeEn !== null;
    let list = byDistrict.get(r.districtId);
    if (!list) byDistrict.set(r.districtId, (list = []));
    list.push({
      teamNameZh: r.teamNameZh,
      teamNameEn: r.teamNameEn,
      homeZh: hasHome ? r.homeZh : null,
      homeEn: hasHome ? r.homeEn : null,
      endsAt: r.endsAt.toISOString(),
    });
  }
  return byDistrict;
}

function rank(id: string): number {
  const i = JURISDICTION_ORDER.indexOf(id);
  return i === -1 ? JURISDICTION_ORDER.length : i;
}

/** `?region=` of the home page: absent, or a known jurisdiction id; anything else is a 400. */
export function parseRegion(searchParams: URLSearchParams, known: string[]): string | null {
  const parsed = z
    .object({
      region: z
        .string()
        .regex(/^[a-z][a-z0-9-]{1,40}$/)
        .optional(),
    })
    .safeParse(Object.fromEntries(searchParams));
  const region = parsed.success ? parsed.data.region : undefined;
  if (!parsed.success || (region && !known.includes(region))) {
    throw new Response("Bad request", { status: 400 });
  }
  return region ?? null;
}

/** A district id from the URL; a malformed one is simply not found. */
export function parseDistrictId(params: Record<string, string | undefined>): string {
  const parsed = z.object({ districtId: z.string().regex(/^[a-z0-9-]{2,80}$/) }).safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data.districtId;
}
