import { beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../db/client";
import { seed } from "../../db/seed";
import { districtOverview } from "~/services/directory.server";
import { publicHome } from "~/services/public-home.server";

const NOW = new Date("2025-03-15T04:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
let db: Db;
let roundStartsAt: Date;

beforeAll(async () => {
  db = await openDb(":memory:");
  const result = await seed(db, { now: NOW });
  if (!result.created) throw new Error("seed did not run");
  roundStartsAt = result.roundStartsAt;
});

/** What the home page showed when it asked districtOverview district by district. */
async function perDistrict(districtId: string, at: Date) {
  const o = await districtOverview(db, districtId, at);
  return (o?.stationed ?? []).map((s) => ({
    teamNameZh: s.team.nameZh,
    teamNameEn: s.team.nameEn,
    homeZh: s.team.homeDistrict?.nameZh ?? null,
    homeEn: s.team.homeDistrict?.nameEn ?? null,
    endsAt: s.endsAt.toISOString(),
  }));
}

describe("public home", () => {
  it("lists per district the teams districtOverview lists, in its order, at any time and filter", async () => {
    const times = [
      NOW,
      new Date(roundStartsAt.getTime() - 1),
      roundStartsAt,
      new Date(roundStartsAt.getTime() + 40 * DAY),
      new Date(roundStartsAt.getTime() + 400 * DAY),
    ];
    let districtsSeen = 0;
    let withTeams = 0;
    let several = 0;
    let withoutHome = 0;
    for (const at of times) {
      for (const only of [undefined, "tianjin", "sichuan"]) {
        const home = await publicHome(db, at, only);
        for (const j of home)
          for (const z of j.zones)
            for (const d of z.districts) {
              districtsSeen++;
              expect(d.teams, `${d.id} at ${at.toISOString()}`).toEqual(
                await perDistrict(d.id, at),
              );
              if (d.teams.length > 0) withTeams++;
              if (d.teams.length > 1) several++;
              if (d.teams.some((t) => t.homeZh === null)) withoutHome++;
            }
      }
    }
    // The comparison covered the cases that matter: empty, one team, several, no home district.
    expect(districtsSeen).toBeGreaterThan(100);
    expect(withTeams).toBeGreaterThan(10);
    expect(several).toBeGreaterThan(0);
    expect(withoutHome).toBeGreaterThan(0);
  });

  it("shows 津南's 北辰 team and 雷波县's three teams now", async () => {
    const home = await publicHome(db, NOW);
    const district = (id: string) =>
      home.flatMap((j) => j.zones.flatMap((z) => z.districts)).find((d) => d.id === id);
    expect(district("tj-jinnan")?.teams.map((t) => t.homeZh)).toEqual(["北辰区"]);
    expect(district("sc-leibo")?.teams).toHaveLength(3);
  });
});
