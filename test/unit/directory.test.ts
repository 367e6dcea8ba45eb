import { beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db, withTx } from "../../db/client";
import { districts, jurisdictions, zones } from "../../db/schema";
import { seed } from "../../db/seed";
import {
  districtOverview,
  listJurisdictions,
  listZonesWithDistricts,
} from "~/services/directory.server";

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

describe("directory", () => {
  it("lists the jurisdictions", async () => {
    expect((await listJurisdictions(db)).map((j) => j.id)).toEqual([
      "jiangsu",
      "sichuan",
      "tianjin",
    ]);
  });

  it("lists Tianjin's zones in order with their districts in order", async () => {
    const groups = await listZonesWithDistricts(db, "tianjin");
    expect(groups.map((g) => [g.zone?.id, g.districts.length])).toEqual([
      ["tj-zone-inner", 6],
      ["tj-zone-ring", 4],
      ["tj-zone-outer", 6],
    ]);
    expect(groups[1]?.districts.map((d) => d.nameZh)).toEqual([
      "东丽区",
      "西青区",
      "津南区",
      "北辰区",
    ]);
    expect(groups.every((g) => g.jurisdictionId === "tianjin")).toBe(true);
  });

  it("groups districts without a zone last, and lists every jurisdiction without a filter", async () => {
    const sichuan = await listZonesWithDistricts(db, "sichuan");
    expect(sichuan.map((g) => [g.zone?.id ?? null, g.districts.map((d) => d.id)])).toEqual([
      ["sc-zone-liangshan", ["sc-leibo"]],
      [null, ["sc-neijiang"]],
    ]);
    const all = await listZonesWithDistricts(db);
    expect(all.reduce((n, g) => n + g.districts.length, 0)).toBe(23);
    expect(await listZonesWithDistricts(db, "nowhere")).toEqual([]);
  });

  it("shows the 北辰 team stationed in 津南 with its window, phone, letter box and units", async () => {
    const o = await districtOverview(db, "tj-jinnan", NOW);
    expect(o).not.toBeNull();
    if (!o) return;
    expect(o.district.nameZh).toBe("津南区");
    expect(o.zone?.id).toBe("tj-zone-ring");
    expect(o.jurisdiction.id).toBe("tianjin");
    expect(o.stationed).toHaveLength(1);
    const st = o.stationed[0];
    expect(st).toMatchObject({
      team: {
        id: "tj-r4-team-beichen",
        homeDistrict: { id: "tj-beichen", nameZh: "北辰区", nameEn: "Beichen District" },
      },
      round: { id: "tj-r4", mode: "zone", nameZh: "天津市第四轮提级交叉巡察（统配巡）" },
      authorisedByZh: "津南区委",
      authorisedByEn: "CPC Jinnan District Committee",
      startsAt: roundStartsAt,
      endsAt: new Date(roundStartsAt.getTime() + 40 * DAY),
    });
    expect(st?.dutyPhone).toMatch(/^022-\d{8}$/);
    expect(st?.letterBoxZh).toContain("津南区");
    expect(st?.units.map((u) => u.id)).toContain("tj-jinnan-hanchengqiao");
    expect(st?.units.find((u) => u.id === "tj-jinnan-hanchengqiao")).toEqual({
      id: "tj-jinnan-hanchengqiao",
      nameZh: "韩城桥村",
      nameEn: "Hanchengqiao Village",
      kind: "village",
    });
    expect(o.units.map((u) => u.id).sort()).toEqual(st?.units.map((u) => u.id).sort());
  });

  it("shows the three mixed teams in 雷波县, each with its one unit and no home district", async () => {
    const o = await districtOverview(db, "sc-leibo", NOW);
    expect(o?.stationed).toHaveLength(3);
    expect(o?.stationed.every((s) => s.team.homeDistrict === null)).toBe(true);
    expect(o?.stationed.every((s) => s.round.mode === "assistance")).toBe(true);
    expect(o?.stationed.map((s) => s.units.map((u) => u.kind))).toEqual([
      ["organisation"],
      ["organisation"],
      ["school"],
    ]);
  });

  it("shows the court among 沭阳's units and follows the rotation in time", async () => {
    const now = await districtOverview(db, "js-shuyang", NOW);
    expect(now?.stationed.map((s) => s.team.homeDistrict?.nameZh)).toEqual(["宿城区"]);
    expect(now?.units.find((u) => u.kind === "court")?.nameZh).toBe("沭阳县人民法院");
    const later = await districtOverview(
      db,
      "js-shuyang",
      new Date(roundStartsAt.getTime() + 40 * DAY),
    );
    expect(later?.stationed.map((s) => s.team.homeDistrict?.nameZh)).toEqual(["宿豫区"]);
    expect(later?.stationed[0]?.round.mode).toBe("rotation");
  });

  it("shows no team before or after the window, and null for an unknown district", async () => {
    expect(
      (await districtOverview(db, "tj-jinnan", new Date(roundStartsAt.getTime() - 1)))?.stationed,
    ).toEqual([]);
    expect(
      (await districtOverview(db, "tj-jinnan", new Date(roundStartsAt.getTime() + 40 * DAY)))
        ?.stationed,
    ).toEqual([]);
    expect(await districtOverview(db, "nowhere", NOW)).toBeNull();
  });

  it("works on a district that has no zone and no units", async () => {
    const fresh = await openDb(":memory:");
    await withTx(fresh, async (tx) => {
      await tx.insert(jurisdictions).values({ id: "j", nameZh: "甲", nameEn: "J" });
      await tx.insert(zones).values({ id: "z", jurisdictionId: "j", nameZh: "区片", nameEn: "Z" });
      await tx
        .insert(districts)
        .values({ id: "d", jurisdictionId: "j", nameZh: "丁区", nameEn: "D" });
    });
    expect(await districtOverview(fresh, "d", NOW)).toMatchObject({
      zone: null,
      stationed: [],
      units: [],
    });
    expect(await listZonesWithDistricts(fresh)).toEqual([
      { jurisdictionId: "j", zone: expect.objectContaining({ id: "z" }), districts: [] },
      { jurisdictionId: "j", zone: null, districts: [expect.objectContaining({ id: "d" })] },
    ]);
  });
});
