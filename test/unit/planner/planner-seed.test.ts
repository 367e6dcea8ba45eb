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
  type AssistanceInput,
  type AssistancePlan,
  type CirculationInput,
  type CirculationPlan,
  type PoolPerson,
} from "~/shared/planner";
import { validateAssistance } from "~/shared/planner/assistance";
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

  it("mixes cadres of one home district by the office they come from", () => {
    // All 11 visitors live in 内江市; the seed records six offices among them.
    const input = assistanceInput(sichuan);
    const visitors = input.pool.filter((p) => p.homeDistrictId === "sc-neijiang");
    expect(new Set(visitors.map((p) => p.homeDistrictId)).size).toBe(1);
    expect(new Set(visitors.map((p) => p.homeOrganisation)).size).toBe(6);
    const result = planRound(input);
    if (!result.ok) throw new Error(JSON.stringify(result.blocking));
    const office = new Map(input.pool.map((p) => [p.staffId, p.homeOrganisation]));
    for (const t of (result.plan as AssistancePlan).teams) {
      const offices = t.members
        .filter((m) => visitors.some((v) => v.staffId === m.staffId))
        .map((m) => office.get(m.staffId));
      expect(new Set(offices).size).toBeGreaterThan(1);
    }
    expect(result.warnings.filter((w) => w.code === "single_origin")).toEqual([]);
  });

  it("spreads same-office members over the teams, and warns naming the office when a hand edit does not", async () => {
    // Two teams in 雷波; every visitor lives in 内江市: two offices, two plain members each.
    const person = (
      staffId: string,
      homeDistrictId: string,
      homeOrganisation: string,
      can: "lead" | "liaise" | "none",
    ): PoolPerson => ({
      staffId,
      homeDistrictId,
      homeOrganisation,
      canLead: can === "lead",
      canLiaise: can === "liaise",
    });
    const A = "威远县委巡察办";
    const B = "资中县委巡察办";
    const L = "雷波县委巡察办";
    const input: AssistanceInput = {
      mode: "assistance",
      districts: [
        { id: "sc-leibo", zoneId: "z", unitCount: 2 },
        { id: "sc-neijiang", zoneId: null, unitCount: 0 },
      ],
      teams: [
        { id: "t1", targetDistrictId: "sc-leibo", unitIds: ["u1"] },
        { id: "t2", targetDistrictId: "sc-leibo", unitIds: ["u2"] },
      ],
      pool: [
        person("leadA", "sc-neijiang", A, "lead"),
        person("leadB", "sc-neijiang", B, "lead"),
        person("liaiseA", "sc-neijiang", A, "liaise"),
        person("liaiseB", "sc-neijiang", B, "liaise"),
        // In this order, a plan blind to offices puts a1 with a2 and b1 with b2.
        person("a1", "sc-neijiang", A, "none"),
        person("b1", "sc-neijiang", B, "none"),
        person("a2", "sc-neijiang", A, "none"),
        person("b2", "sc-neijiang", B, "none"),
        person("dep1", "sc-leibo", L, "lead"),
        person("dep2", "sc-leibo", L, "lead"),
        person("loc1", "sc-leibo", L, "liaise"),
        person("loc2", "sc-leibo", L, "liaise"),
      ],
      recusals: [],
    };
    const result = planRound(input);
    if (!result.ok) throw new Error(JSON.stringify(result.blocking));
    const officeOf = new Map(input.pool.map((p) => [p.staffId, p.homeOrganisation]));
    const plainMembers = (plan: AssistancePlan) =>
      plan.teams.map((t) => t.members.filter((m) => m.role === "member").map((m) => m.staffId));
    for (const members of plainMembers(result.plan as AssistancePlan))
      expect(members.map((m) => officeOf.get(m)).sort()).toEqual([A, B]);
    const blind = planRound({
      ...input,
      pool: input.pool.map((p) => ({ ...p, homeOrganisation: null })),
    });
    if (!blind.ok) throw new Error(JSON.stringify(blind.blocking));
    expect(plainMembers(blind.plan as AssistancePlan)).toEqual([
      ["a1", "a2"],
      ["b1", "b2"],
    ]);
    // By hand: team 1 gets only 威远 visitors, team 2 only 资中's: both are flagged by name.
    const plan: AssistancePlan = {
      mode: "assistance",
      teams: [
        {
          teamId: "t1",
          members: [
            { staffId: "leadA", role: "leader" },
            { staffId: "liaiseA", role: "liaison" },
            { staffId: "a1", role: "member" },
            { staffId: "a2", role: "member" },
            { staffId: "dep1", role: "deputy_leader" },
            { staffId: "loc1", role: "liaison" },
          ],
        },
        {
          teamId: "t2",
          members: [
            { staffId: "leadB", role: "leader" },
            { staffId: "liaiseB", role: "liaison" },
            { staffId: "b1", role: "member" },
            { staffId: "b2", role: "member" },
            { staffId: "dep2", role: "deputy_leader" },
            { staffId: "loc2", role: "liaison" },
          ],
        },
      ],
    };
    const warnings = validateAssistance(input, plan).filter((v) => v.code === "single_origin");
    expect(warnings).toEqual([
      { severity: "warning", code: "single_origin", teamId: "t1", origin: A },
      { severity: "warning", code: "single_origin", teamId: "t2", origin: B },
    ]);
    const { makeT } = await import("~/i18n/translate");
    const zh = (await import("~/i18n/zh-CN")).default;
    const { describeViolation } = await import("~/shared/planner/describe");
    const names = {
      district: (id: string) => (id === "sc-neijiang" ? "内江市" : id),
      zone: (id: string) => id,
      team: (id: string) => (id === "t1" ? "第一协作组" : id),
      person: (id: string) => id,
    };
    expect(describeViolation(makeT(zh), names, warnings[0]!)).toBe(
      "第一协作组的外地干部都来自威远县委巡察办，建议混合编组",
    );
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
