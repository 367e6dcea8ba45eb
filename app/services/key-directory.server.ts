/**
 * The office's key directory (issue 10 item 7): for every district of the office's jurisdiction,
 * who would read a tip sent right now, and what needs the office's attention.
 *
 * The readers are not recomputed here: each district goes through `routeTip` — the very routing a
 * report runs (signed rosters verified under the office key compiled into the build, approved
 * keys, home-district and recusal exclusions, office fallback) — so the directory cannot show a
 * reader that routing would not use, nor miss one it would. The signed rosters (rosterReaders)
 * add what the roster vouches for: each reader's signed home district and each roster's window.
 *
 * Warnings, per district:
 *  - `no_reader`: nobody can read a new tip: the report page refuses to send.
 *  - `office_only`: no team reader; new tips go to the office's fallback readers.
 *  - `unsigned`: a team is stationed now but no current signed roster lists its readers
 *    (never signed, nobody with an approved key, or the roster ended before the stationing).
 *  - `roster_unusable`: its roster is signed, but none of the readers it lists is usable now
 *    (keys revoked or expired, members left or recused since): sign again after fixing the team.
 *  - `ending_soon`: a stationing whose readers stop within ENDING_SOON_DAYS (the stationing's
 *    end or its roster's, whichever is first), with the next stationing in the district if one is
 *    planned — none means tips fall back to the office from that day.
 */
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { toHex } from "../../crypto/index";
import type { Db } from "../../db/client";
import { stationings, teams } from "../../db/schema";
import type { Env } from "../env.server";
import { listZonesWithDistricts } from "./directory.server";
import { activeStationings } from "./routing.server";
import { rosterReaders } from "./rosters.server";
import { routeTip } from "./tips.server";

export const ENDING_SOON_DAYS = 7;
const DAY_MS = 86_400_000;

export interface Names {
  zh: string;
  en: string;
}

export interface DirectoryStationing {
  stationingId: string;
  team: Names;
  startsAtMs: number;
  endsAtMs: number;
  /** When its readers stop reading: the stationing's end or its signed roster's, if earlier. */
  readersUntilMs: number | null;
  /** Readers of this stationing that routing uses now. */
  readers: number;
}

export interface DirectoryReader {
  staffId: string;
  name: string;
  fingerprint: string;
  /** the role the roster signed for the reader (leader, member…, or office) */
  role: string;
  team: Names | null;
  /** the home district the office signed; null for office staff without one */
  home: Names | null;
}

export type DirectoryWarning =
  | { kind: "no_reader" }
  | { kind: "office_only" }
  | { kind: "unsigned"; team: Names }
  | { kind: "roster_unusable"; team: Names }
  | { kind: "ending_soon"; team: Names; untilMs: number; next: NextStationing | null };

export interface NextStationing {
  team: Names;
  startsAtMs: number;
}

export interface DirectoryDistrict {
  id: string;
  name: Names;
  zone: Names | null;
  routedTo: "team" | "office" | "none";
  stationed: DirectoryStationing[];
  readers: DirectoryReader[];
  next: NextStationing | null;
  warnings: DirectoryWarning[];
}

export async function keyDirectory(
  db: Db,
  env: Env,
  jurisdictionId: string,
  now = new Date(),
): Promise<DirectoryDistrict[]> {
  const groups = await listZonesWithDistricts(db, jurisdictionId);
  const all = groups.flatMap((g) => g.districts.map((d) => ({ district: d, zone: g.zone })));
  const names = new Map(all.map(({ district: d }) => [d.id, { zh: d.nameZh, en: d.nameEn }]));
  const upcoming =
    all.length === 0
      ? []
      : await db
          .select({
            targetDistrictId: stationings.targetDistrictId,
            startsAt: stationings.startsAt,
            teamZh: teams.nameZh,
            teamEn: teams.nameEn,
          })
          .from(stationings)
          .innerJoin(teams, eq(teams.id, stationings.teamId))
          .where(
            and(
              inArray(
                stationings.targetDistrictId,
                all.map((a) => a.district.id),
              ),
              gt(stationings.startsAt, now),
            ),
          )
          .orderBy(asc(stationings.startsAt), asc(stationings.id));

  const out: DirectoryDistrict[] = [];
  for (const { district, zone } of all) {
    const routing = await routeTip(db, env, district.id, now);
    const stationed = await activeStationings(db, district.id, now);
    const trust = await rosterReaders(db, district.id, now);
    const rosterEnd = new Map<string, number>();
    for (const r of trust.accepted)
      if (r.kind === "team")
        rosterEnd.set(r.rosterId, Math.max(rosterEnd.get(r.rosterId) ?? 0, r.validUntilMs));
    const recipients = routing.ok ? routing.recipients : [];
    const teamName = new Map(
      stationed.map((s) => [s.teamId, { zh: s.teamNameZh, en: s.teamNameEn }]),
    );
    const readers: DirectoryReader[] = recipients.map((r) => {
      const signed = trust.readers.get(toHex(new Uint8Array(r.boxPublicKey)));
      const home = signed?.homeDistrictId;
      return {
        staffId: r.staffId,
        name: r.displayName,
        fingerprint: r.fingerprint,
        role: routing.ok && routing.routedTo === "team" ? (r.teamRole ?? "member") : "office",
        team: r.teamId ? (teamName.get(r.teamId) ?? null) : null,
        home: home && home !== "-" ? (names.get(home) ?? { zh: home, en: home }) : null,
      };
    });
    const teamReaders = routing.ok && routing.routedTo === "team" ? recipients : [];
    const dir: DirectoryStationing[] = stationed.map((s) => {
      const until = rosterEnd.get(s.stationingId);
      return {
        stationingId: s.stationingId,
        team: { zh: s.teamNameZh, en: s.teamNameEn },
        startsAtMs: s.startsAt.getTime(),
        endsAtMs: s.endsAt.getTime(),
        readersUntilMs: until === undefined ? null : Math.min(until, s.endsAt.getTime()),
        readers: teamReaders.filter((r) => r.teamIds.includes(s.teamId)).length,
      };
    });
    const nextRow = upcoming.find((u) => u.targetDistrictId === district.id);
    const next = nextRow
      ? { team: { zh: nextRow.teamZh, en: nextRow.teamEn }, startsAtMs: nextRow.startsAt.getTime() }
      : null;

    const warnings: DirectoryWarning[] = [];
    if (!routing.ok) warnings.push({ kind: "no_reader" });
    else if (routing.routedTo === "office") warnings.push({ kind: "office_only" });
    for (const s of dir) {
      if (s.readersUntilMs === null) {
        warnings.push({ kind: "unsigned", team: s.team });
      } else if (s.readers === 0) {
        warnings.push({ kind: "roster_unusable", team: s.team });
      } else if (s.readersUntilMs - now.getTime() < ENDING_SOON_DAYS * DAY_MS) {
        // A later stationing of the district that starts before these readers stop takes over.
        const successor =
          upcoming.find(
            (u) => u.targetDistrictId === district.id && u.startsAt.getTime() <= s.readersUntilMs!,
          ) ?? null;
        warnings.push({
          kind: "ending_soon",
          team: s.team,
          untilMs: s.readersUntilMs,
          next: successor
            ? {
                team: { zh: successor.teamZh, en: successor.teamEn },
                startsAtMs: successor.startsAt.getTime(),
              }
            : null,
        });
      }
    }
    out.push({
      id: district.id,
      name: { zh: district.nameZh, en: district.nameEn },
      zone: zone ? { zh: zone.nameZh, en: zone.nameEn } : null,
      routedTo: !routing.ok ? "none" : routing.routedTo,
      stationed: dir,
      readers,
      next,
      warnings,
    });
  }
  return out;
}
