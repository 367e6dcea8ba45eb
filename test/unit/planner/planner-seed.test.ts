/**
 * The planner on the seeded jurisdictions (DESIGN §2): Tianjin's 16 districts circulate inside
 * their 3 zones, never home, never repeating round 4; Jiangsu's teams roll on along the ring;
 * Sichuan's cadres form three mixed teams with dual leaders and liaisons. And the named
 * constraint when a plan cannot exist.
 */
import { describe, expect, it } from "vitest";
import {
  hasErrors,
  planRound,
  validatePlan,
  type AssistancePlan,
  type CirculationInput,
  type CirculationPlan,
} from "~/shared/planner";
import { jiangsu } from "../../../db/seed-data/jiangsu";
import { sichuan } from "../../../db/seed-data/sichuan";
import { tianjin } from "../../../db/seed-data/tianjin";
import { assistanceInput, nextRoundInput } from "../../support/planner-input";

describe("Tianjin zone circulation (统配巡)", () => {
  const input = nextRoundInput(tianjin, "zone");
  const zoneOf = new Map(tianjin.districts.map((d) => [d.id, d.zoneId]));
  const homeOf = new Map(input.teams.map((t) => [t.id, t.homeDistrictId]));
  const previous = new Set(input.history.map((p) => `${p.homeDistrictId}>${p.targetDistrictId}`));

  it("plans all 16 districts in-zone, never home, never round 4's pairing", () => {
    expect(input.targets).toHaveLength(16);
    expect(input.teams).toHaveLength(16);
    const result = planRound(input);
    if (!result.ok) throw new Error(JSON.stringify(result.blocking));
    const plan = result.plan as CirculationPlan;
    expect(plan.stationings).toHaveLength(16);
    expect(new Set(plan.stationings.map((s) => s.targetDistrictId))).toEqual(
      new Set(input.targets),
    );
    expect(new Set(plan.stationings.map((s) => s.teamId)).size).toBe(16);
    for (const s of plan.stationings) {
      const home = homeOf.get(s.teamId)!;
      expect(s.targetDistrictId).not.toBe(home);
      expect(zoneOf.get(s.targetDistrictId)).toBe(zoneOf.get(home));
      expect(previous.has(`${home}>${s.targetDistrictId}`)).toBe(false);
    }
    expect(hasErrors(validatePlan(input, plan))).toBe(false);
    // The seed's derangement was "one along the ring"; rolling on means no pair inspects each other.
    expect(result.warnings.filter((w) => w.code === "mutual_pairing")).toEqual([]);
  });

  it("keeps the recused 西青 inspector's team out of 北辰 when it can", () => {
    const result = planRound(input);
    if (!result.ok) throw new Error("no plan");
    const plan = result.plan as CirculationPlan;
    const xiqing = plan.stationings.find((s) => s.teamId === "tj-r4-team-xiqing")!;
    expect(xiqing.targetDistrictId).not.toBe("tj-beichen");
    expect(result.warnings.some((w) => w.code === "member_recused")).toBe(false);
  });

  it("flags a hand edit that sends a team home, out of its zone or back where it was", () => {
    const result = planRound(input);
    if (!result.ok) throw new Error("no plan");
    const plan = structuredClone(result.plan) as CirculationPlan;
    const beichen = plan.stationings.find((s) => s.teamId === "tj-r4-team-beichen")!;
    beichen.targetDistrictId = "tj-jinnan"; // round 4's pairing
    const v = validatePlan(input, plan);
    expect(v).toContainEqual({
      severity: "error",
      code: "pairing",
      teamId: "tj-r4-team-beichen",
      districtId: "tj-jinnan",
      obstacle: "repeat",
    });
    expect(v).toContainEqual(
      expect.objectContaining({ code: "target_twice", districtId: "tj-jinnan" }),
    );
    expect(v.some((x) => x.code === "target_uncovered")).toBe(true);
    // …and the seconded 津南 cadre in the 北辰 team would be left out of reading.
    expect(v).toContainEqual(
      expect.objectContaining({ code: "member_home", staffId: "staff-tj-jinnan-local" }),
    );
    beichen.targetDistrictId = "tj-heping";
    expect(validatePlan(input, plan)).toContainEqual(
      expect.objectContaining({ code: "pairing", obstacle: "outside_zone" }),
    );
    beichen.targetDistrictId = "tj-beichen";
    expect(validatePlan(input, plan)).toContainEqual(
      expect.objectContaining({ code: "pairing", obstacle: "home" }),
    );
  });

  it("names the blocking constraint: a zone with one district has nowhere in-zone to go", () => {
    const binhaiAlone: CirculationInput = {
      ...input,
      districts: input.districts.map((d) =>
        d.id === "tj-binhai" ? { ...d, zoneId: "tj-zone-binhai" } : d,
      ),
    };
    const result = planRound(binhaiAlone);
    expect(result).toEqual({
      ok: false,
      blocking: { code: "zone_single_district", zoneId: "tj-zone-binhai", districtId: "tj-binhai" },
    });
  });

  it("names the Hall set when a zone runs out of teams after two rounds", () => {
    // Two more past rounds in the ring zone: after them only the 津南 team may still go to
    // 西青 or to 北辰, and it cannot go to both.
    const ring = ["tj-dongli", "tj-xiqing", "tj-jinnan", "tj-beichen"];
    const history = [...input.history];
    ring.forEach((home, i) =>
      history.push({ homeDistrictId: home, targetDistrictId: ring[(i + 2) % 4]!, startedAtMs: 1 }),
    );
    history.push({ homeDistrictId: "tj-dongli", targetDistrictId: "tj-beichen", startedAtMs: 2 });
    const result = planRound({ ...input, history });
    expect(result).toEqual({
      ok: false,
      blocking: {
        code: "too_few_teams",
        zoneId: "tj-zone-ring",
        districtIds: ["tj-xiqing", "tj-beichen"],
        teamIds: ["tj-r4-team-jinnan"],
      },
    });
  });

  it("says why nobody may take a district when every team is excluded", () => {
    const history = [
      ...input.history,
      ...["tj-dongli", "tj-xiqing", "tj-beichen"].map((home) => ({
        homeDistrictId: home,
        targetDistrictId: "tj-jinnan",
        startedAtMs: 1,
      })),
    ];
    const result = planRound({ ...input, history });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.blocking).toEqual({
      code: "no_eligible_team",
      districtId: "tj-jinnan",
      obstacles: [
        { teamId: "tj-r4-team-dongli", obstacle: "repeat" },
        { teamId: "tj-r4-team-xiqing", obstacle: "repeat" },
        { teamId: "tj-r4-team-jinnan", obstacle: "home" },
        { teamId: "tj-r4-team-beichen", obstacle: "repeat" },
      ],
    });
  });
});

describe("Jiangsu rotation (推磨)", () => {
  it("rolls every whole team one county further along the ring than last time", () => {
    const input = nextRoundInput(jiangsu, "rotation");
    // History = both seeded stages; the newest is "two along".
    const ring = input.targets;
    const result = planRound(input);
    if (!result.ok) throw new Error(JSON.stringify(result.blocking));
    const homeOf = new Map(input.teams.map((t) => [t.id, t.homeDistrictId!]));
    for (const s of (result.plan as CirculationPlan).stationings) {
      const home = ring.indexOf(homeOf.get(s.teamId)!);
      expect(ring.indexOf(s.targetDistrictId)).toBe((home + 3) % ring.length);
    }
  });
});

describe("Sichuan assistance (帮扶)", () => {
  it("forms three mixed teams with a visiting leader, a local deputy and two liaisons each", () => {
    const input = assistanceInput(sichuan);
    expect(input.pool).toHaveLength(17);
    const result = planRound(input);
    if (!result.ok) throw new Error(JSON.stringify(result.blocking));
    const plan = result.plan as AssistancePlan;
    const home = new Map(input.pool.map((p) => [p.staffId, p.homeDistrictId]));
    expect(plan.teams.map((t) => t.members.length)).toEqual([6, 6, 5]);
    for (const t of plan.teams) {
      const leader = t.members.filter((m) => m.role === "leader");
      const deputy = t.members.filter((m) => m.role === "deputy_leader");
      const liaisons = t.members.filter((m) => m.role === "liaison");
      expect(leader.map((m) => home.get(m.staffId))).toEqual(["sc-neijiang"]);
      expect(deputy.map((m) => home.get(m.staffId))).toEqual(["sc-leibo"]);
      expect(liaisons.map((m) => home.get(m.staffId)).sort()).toEqual(["sc-leibo", "sc-neijiang"]);
    }
    expect(hasErrors(validatePlan(input, plan))).toBe(false);
  });

  it("names the seat nobody can fill", () => {
    const input = assistanceInput(sichuan);
    const noLocalLeaders = {
      ...input,
      pool: input.pool.map((p) => (p.homeDistrictId === "sc-leibo" ? { ...p, canLead: false } : p)),
    };
    const result = planRound(noLocalLeaders);
    expect(result).toMatchObject({
      ok: false,
      blocking: { code: "seat_shortage", seats: ["deputy_local"], candidates: 0 },
    });
  });
});

describe("blocking constraints in words", () => {
  it("says, in Chinese and English, that a one-district zone cannot circulate", async () => {
    const { makeT } = await import("~/i18n/translate");
    const zh = (await import("~/i18n/zh-CN")).default;
    const en = (await import("~/i18n/en")).default;
    const { describeBlocking } = await import("~/shared/planner/describe");
    const names = {
      district: (id: string) => (id === "tj-binhai" ? "滨海新区" : id),
      zone: (id: string) => (id === "tj-zone-binhai" ? "滨海" : id),
      team: (id: string) => id,
      person: (id: string) => id,
    };
    const b = {
      code: "zone_single_district",
      zoneId: "tj-zone-binhai",
      districtId: "tj-binhai",
    } as const;
    expect(describeBlocking(makeT(zh), names, b)).toBe(
      "滨海只有滨海新区一个区县：片区内的巡察组都来自本区县，留在片区内就只能巡察自己的家乡。",
    );
    expect(describeBlocking(makeT(en), names, b)).toContain("Zone 滨海 has one district, 滨海新区");
  });
});
