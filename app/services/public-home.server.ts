/**
 * Read model of the public home page: every jurisdiction, its zones and districts, and for each
 * district the teams stationed there now (team, home district, until when).
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { districtOverview, listJurisdictions, listZonesWithDistricts } from "./directory.server";

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
  const districtIds = groups.flatMap((g) => g.districts.map((d) => d.id));
  const overviews = new Map(
    await Promise.all(
      districtIds.map(async (id) => [id, await districtOverview(db, id, at)] as const),
    ),
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
          teams: (overviews.get(d.id)?.stationed ?? []).map((s) => ({
            teamNameZh: s.team.nameZh,
            teamNameEn: s.team.nameEn,
            homeZh: s.team.homeDistrict?.nameZh ?? null,
            homeEn: s.team.homeDistrict?.nameEn ?? null,
            endsAt: s.endsAt.toISOString(),
          })),
        })),
      })),
  }));
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
