/**
 * Property tests over random registries (fast-check): every plan the planner produces honours
 * every rule (checked here by an independent restatement, not by the planner's own code); it
 * is optimal; and when it says "impossible", an exhaustive search on the same small input agrees
 * and the named constraint is a real certificate (a Hall set: fewer teams than districts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assistanceTeamSizes,
  planRound,
  validatePlan,
  type AssistanceInput,
  type AssistancePlan,
  type CirculationInput,
  type CirculationPlan,
  type CirculationTeam,
} from "~/shared/planner";
import { circulationContext, pairingCost } from "~/shared/planner/circulation-rules";

// ---------------------------------------------------------------- random registries
const circulationInput: fc.Arbitrary<CirculationInput> = fc
  .record({
    mode: fc.constantFrom("zone" as const, "rotation" as const),
    zones: fc.integer({ min: 1, max: 3 }),
    districts: fc.array(
      fc.record({
        zone: fc.option(fc.nat(2), { freq: 6 }),
        units: fc.nat(5),
      }),
      { minLength: 2, maxLength: 6 },
    ),
    targetMask: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    teams: fc.array(
      fc.record({
        home: fc.option(fc.nat(5), { freq: 8 }),
        members: fc.array(fc.nat(5), { maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    recusals: fc.array(fc.record({ team: fc.nat(5), member: fc.nat(3), district: fc.nat(5) }), {
      maxLength: 4,
    }),
    history: fc.array(fc.record({ home: fc.nat(5), target: fc.nat(5), at: fc.nat(3) }), {
      maxLength: 8,
    }),
  })
  .map((r) => {
    const n = r.districts.length;
    const districts = r.districts.map((d, i) => ({
      id: `d${i}`,
      zoneId: d.zone === null ? null : `z${d.zone % r.zones}`,
      unitCount: d.units,
    }));
    let targets = districts
      .map((d, i) => ({ id: d.id, key: r.order[i]!, on: r.targetMask[i]! }))
      .filter((t) => t.on)
      .sort((a, b) => a.key - b.key)
      .map((t) => t.id);
    if (targets.length === 0) targets = [districts[0]!.id];
    const teams: CirculationTeam[] = r.teams.map((t, j) => ({
      id: `t${j}`,
      homeDistrictId: t.home === null ? null : `d${t.home % n}`,
      members: t.members.map((h, k) => ({
        staffId: `t${j}m${k}`,
        homeDistrictId: `d${h % n}`,
        role: k === 0 ? ("leader" as const) : ("member" as const),
      })),
    }));
    return {
      mode: r.mode,
      districts,
      targets,
      teams,
      recusals: r.recusals.map((x) => ({
        staffId: `t${x.team % teams.length}m${x.member}`,
        districtId: `d${x.district % n}`,
        unitId: null,
      })),
      history: r.history.map((h) => ({
        homeDistrictId: `d${h.home % n}`,
        targetDistrictId: `d${h.target % n}`,
        startedAtMs: h.at,
      })),
    };
  });

// ---------------------------------------------------------------- the rules, restated
function allowed(input: CirculationInput, team: CirculationTeam, d: string): boolean {
  const zone = (id: string) => input.districts.find((x) => x.id === id)?.zoneId ?? null;
  if (team.homeDistrictId === null || team.homeDistrictId === d) return false;
  if (input.mode === "zone" && (zone(d) === null || zone(d) !== zone(team.homeDistrictId)))
    return false;
  if (
    input.history.some((h) => h.homeDistrictId === team.homeDistrictId && h.targetDistrictId === d)
  )
    return false;
  return team.members.some(
    (m) =>
      m.homeDistrictId !== d &&
      !input.recusals.some((r) => r.staffId === m.staffId && r.districtId === d),
  );
}

/** Exhaustive search: the cheapest assignment of a distinct allowed team to every target. */
function bruteForce(input: CirculationInput): number | null {
  const ctx = circulationContext(input);
  let best: number | null = null;
  const used = new Set<string>();
  const go = (i: number, cost: number) => {
    if (i === input.targets.length) {
      if (best === null || cost < best) best = cost;
      return;
    }
    const d = input.targets[i]!;
    for (const t of input.teams) {
      if (used.has(t.id) || !allowed(input, t, d)) continue;
      used.add(t.id);
      go(i + 1, cost + pairingCost(ctx, t, d));
      used.delete(t.id);
    }
  };
  go(0, 0);
  return best;
}

describe("zone and rotation planner, random registries", () => {
  it("finds a plan exactly when one exists, honours every rule, and is cheapest", () => {
    fc.assert(
      fc.property(circulationInput, (input) => {
        const result = planRound(input);
        const best = bruteForce(input);
        expect(result.ok).toBe(best !== null);
        if (!result.ok) return;
        const plan = result.plan as CirculationPlan;
        expect(plan.stationings.map((s) => s.targetDistrictId).sort()).toEqual(
          [...input.targets].sort(),
        );
        expect(new Set(plan.stationings.map((s) => s.teamId)).size).toBe(plan.stationings.length);
        for (const s of plan.stationings) {
          expect(
            allowed(
              input,
              input.teams.find((t) => t.id === s.teamId)!,
              s.targetDistrictId,
            ),
          ).toBe(true);
        }
        expect(result.cost).toBe(best);
        expect(validatePlan(input, plan).filter((v) => v.severity === "error")).toEqual([]);
      }),
      { numRuns: 400, seed: 20260110 },
    );
  });

  it("backs every 'impossible' with a certificate that holds", () => {
    fc.assert(
      fc.property(circulationInput, (input) => {
        const result = planRound(input);
        if (result.ok) return;
        const b = result.blocking;
        const teamsFor = (d: string) =>
          input.teams.filter((t) => allowed(input, t, d)).map((t) => t.id);
        switch (b.code) {
          case "zone_single_district":
          case "no_eligible_team":
            expect(teamsFor(b.districtId)).toEqual([]);
            break;
          case "too_few_teams": {
            expect(b.teamIds.length).toBeLessThan(b.districtIds.length);
            for (const d of b.districtIds) {
              for (const t of teamsFor(d)) expect(b.teamIds).toContain(t);
            }
            break;
          }
          case "district_without_zone":
            expect(input.mode).toBe("zone");
            expect(input.districts.find((d) => d.id === b.districtId)?.zoneId).toBeNull();
            break;
          default:
            throw new Error(`unexpected blocking ${b.code}`);
        }
      }),
      { numRuns: 400, seed: 20260111 },
    );
  });

  it("flags every hand edit that breaks a rule", () => {
    fc.assert(
      fc.property(circulationInput, fc.nat(), fc.nat(), (input, a, b) => {
        const result = planRound(input);
        if (!result.ok) return;
        const plan = structuredClone(result.plan) as CirculationPlan;
        const s = plan.stationings[a % plan.stationings.length]!;
        s.targetDistrictId = input.districts[b % input.districts.length]!.id;
        const team = input.teams.find((t) => t.id === s.teamId)!;
        const breaks =
          !input.targets.includes(s.targetDistrictId) ||
          !allowed(input, team, s.targetDistrictId) ||
          plan.stationings.filter((x) => x.targetDistrictId === s.targetDistrictId).length > 1 ||
          input.targets.some((d) => !plan.stationings.some((x) => x.targetDistrictId === d));
        const errors = validatePlan(input, plan).filter((v) => v.severity === "error");
        expect(errors.length > 0).toBe(breaks);
      }),
      { numRuns: 300, seed: 20260112 },
    );
  });
});

// ---------------------------------------------------------------- assistance
const assistanceInput: fc.Arbitrary<AssistanceInput> = fc
  .record({
    teams: fc.array(fc.record({ target: fc.nat(1), units: fc.integer({ min: 1, max: 3 }) }), {
      minLength: 1,
      maxLength: 2,
    }),
    pool: fc.array(
      fc.record({
        home: fc.nat(2),
        org: fc.nat(2),
        lead: fc.nat(2).map((x) => x > 0),
        liaise: fc.nat(2).map((x) => x > 0),
      }),
      { minLength: 4, maxLength: 8 },
    ),
    recusals: fc.array(
      fc.record({ person: fc.nat(7), district: fc.nat(1), unit: fc.option(fc.nat(2)) }),
      { maxLength: 3 },
    ),
  })
  .map((r) => ({
    mode: "assistance" as const,
    districts: [0, 1, 2].map((i) => ({ id: `d${i}`, zoneId: null, unitCount: 3 })),
    teams: r.teams.map((t, j) => ({
      id: `t${j}`,
      targetDistrictId: `d${t.target}`,
      unitIds: Array.from({ length: t.units }, (_, k) => `d${t.target}u${k}`),
    })),
    pool: r.pool.map((p, i) => ({
      staffId: `p${i}`,
      homeDistrictId: `d${p.home}`,
      homeOrganisation: `org${p.org}`,
      canLead: p.lead,
      canLiaise: p.liaise,
    })),
    recusals: r.recusals.map((x) => ({
      staffId: `p${x.person}`,
      districtId: `d${x.district}`,
      unitId: x.unit === null ? null : `d${x.district}u${x.unit}`,
    })),
  }));

function assistanceFeasible(input: AssistanceInput): boolean {
  const sizes = assistanceTeamSizes(input);
  if (!sizes) return false;
  const recused = (p: string, t: AssistanceInput["teams"][number]) =>
    input.recusals.some(
      (r) =>
        r.staffId === p &&
        r.districtId === t.targetDistrictId &&
        (r.unitId === null || t.unitIds.includes(r.unitId)),
    );
  const seatsOk = (members: AssistanceInput["pool"], t: AssistanceInput["teams"][number]) => {
    const local = (p: (typeof members)[number]) => p.homeDistrictId === t.targetDistrictId;
    const fits = [
      (p: (typeof members)[number]) => !local(p) && p.canLead,
      (p: (typeof members)[number]) => local(p) && p.canLead,
      (p: (typeof members)[number]) => !local(p) && p.canLiaise,
      (p: (typeof members)[number]) => local(p) && p.canLiaise,
    ];
    const pick = (k: number, used: Set<number>): boolean => {
      if (k === fits.length) return true;
      return members.some((p, i) => {
        if (used.has(i) || !fits[k]!(p)) return false;
        used.add(i);
        const ok = pick(k + 1, used);
        used.delete(i);
        return ok;
      });
    };
    return pick(0, new Set());
  };
  const T = input.teams.length;
  const choice = new Array<number>(input.pool.length).fill(0);
  const total = T ** input.pool.length;
  for (let code = 0; code < total; code++) {
    let c = code;
    for (let i = 0; i < choice.length; i++) {
      choice[i] = c % T;
      c = Math.floor(c / T);
    }
    const ok = input.teams.every((t, j) => {
      const members = input.pool.filter((_, i) => choice[i] === j);
      return (
        members.length === sizes[j] &&
        members.every((p) => !recused(p.staffId, t)) &&
        seatsOk(members, t)
      );
    });
    if (ok) return true;
  }
  return false;
}

describe("assistance planner, random pools", () => {
  it("staffs every team exactly when an exhaustive search can", () => {
    fc.assert(
      fc.property(assistanceInput, (input) => {
        const result = planRound(input);
        expect(result.ok).toBe(assistanceFeasible(input));
        if (!result.ok) {
          const b = result.blocking;
          if (b.code === "pool_too_small") expect(b.available).toBeLessThan(b.needed);
          if (b.code === "seat_shortage")
            expect(b.candidates).toBeLessThan(b.teamIds.length * b.seats.length);
          if (b.code === "person_unplaceable") {
            for (const t of input.teams) {
              expect(
                input.recusals.some(
                  (r) =>
                    r.staffId === b.staffId &&
                    r.districtId === t.targetDistrictId &&
                    (r.unitId === null || t.unitIds.includes(r.unitId)),
                ),
              ).toBe(true);
            }
          }
          return;
        }
        const plan = result.plan as AssistancePlan;
        const sizes = assistanceTeamSizes(input)!;
        expect(plan.teams.map((t) => t.members.length)).toEqual(sizes);
        expect(plan.teams.flatMap((t) => t.members.map((m) => m.staffId)).sort()).toEqual(
          input.pool.map((p) => p.staffId).sort(),
        );
        expect(validatePlan(input, plan).filter((v) => v.severity === "error")).toEqual([]);
      }),
      { numRuns: 300, seed: 20260113 },
    );
  });
});
