/**
 * Zone and rotation rounds: which whole team is stationed in which district.
 *
 * A minimum-cost assignment of a distinct team to every district to inspect (Hungarian method
 * over the pairings `pairingObstacle` allows, priced by `pairingCost`); spare teams stay idle
 * (a warning). When no assignment exists, a maximum matching's residual graph yields a Hall set
 * — districts that only fewer teams can take — and that is what the planner reports
 * (`BlockingConstraint`), after cheaper, more specific checks (`precheck`).
 */
import { minCostAssignment } from "./assignment";
import { FlowNetwork } from "./min-cost-flow";
import {
  circulationContext,
  conflictedMembers,
  expectedMembers,
  pairingCost,
  pairingObstacle,
  zoneOf,
  type CirculationContext,
} from "./circulation-rules";
import type {
  BlockingConstraint,
  CirculationInput,
  CirculationPlan,
  PlanResult,
  Violation,
} from "./types";

export function planCirculation(input: CirculationInput): PlanResult {
  const ctx = circulationContext(input);
  const pre = precheck(ctx);
  if (pre) return { ok: false, blocking: pre };

  const { teams } = input;
  const costs = ctx.targets.map((id) =>
    teams.map((team) =>
      pairingObstacle(ctx, team, id) === null ? pairingCost(ctx, team, id) : null,
    ),
  );
  const assignment = minCostAssignment(costs, teams.length);
  if (!assignment) return { ok: false, blocking: hallSet(ctx, costs) };
  const plan: CirculationPlan = {
    mode: input.mode,
    stationings: assignment.columnOf.map((j, i) => ({
      teamId: teams[j]!.id,
      targetDistrictId: ctx.targets[i]!,
    })),
  };
  return { ok: true, plan, cost: assignment.cost, warnings: validateWith(ctx, plan) };
}

/**
 * Why no assignment exists: a maximum matching (source → district → allowed team → sink), then
 * an uncovered district's alternating-path component in the residual graph. Its teams are all
 * taken by its other districts, so it holds one district more than teams (Hall's theorem).
 */
function hallSet(ctx: CirculationContext, costs: (number | null)[][]): BlockingConstraint {
  const { teams } = ctx.input;
  const D = ctx.targets.length;
  const source = 0;
  const sink = 1;
  const districtNode = (i: number) => 2 + i;
  const teamNode = (j: number) => 2 + D + j;
  const net = new FlowNetwork(2 + D + teams.length);
  const fromSource = ctx.targets.map((_, i) => net.addArc(source, districtNode(i), 1));
  costs.forEach((row, i) =>
    row.forEach((c, j) => {
      if (c !== null) net.addArc(districtNode(i), teamNode(j), 1);
    }),
  );
  teams.forEach((_, j) => net.addArc(teamNode(j), sink, 1));
  net.solve(source, sink);
  const uncovered = fromSource.findIndex((arc) => net.flowOn(arc) === 0);
  const reach = net.residualReach(districtNode(uncovered), new Set([source, sink]));
  const districtIds = ctx.targets.filter((_, i) => reach[districtNode(i)]);
  const teamIds = teams.filter((_, j) => reach[teamNode(j)]).map((t) => t.id);
  const zones = new Set(districtIds.map((id) => zoneOf(ctx, id)));
  return {
    code: "too_few_teams",
    zoneId: zones.size === 1 ? [...zones][0]! : null,
    districtIds,
    teamIds,
  };
}

/** Cheap, specific reasons first: a district nobody may take says more than a Hall set. */
function precheck(ctx: CirculationContext): BlockingConstraint | null {
  for (const id of ctx.targets) {
    if (!ctx.districts.has(id)) return { code: "unknown_district", districtId: id };
    if (ctx.input.mode === "zone" && zoneOf(ctx, id) === null)
      return { code: "district_without_zone", districtId: id };
  }
  for (const id of ctx.targets) {
    const obstacles = ctx.input.teams.map((t) => ({
      teamId: t.id,
      obstacle: pairingObstacle(ctx, t, id),
    }));
    if (obstacles.some((o) => o.obstacle === null)) continue;
    if (ctx.input.mode === "zone") {
      const zone = zoneOf(ctx, id)!;
      const zoneTeams = ctx.input.teams.filter((t) => zoneOf(ctx, t.homeDistrictId) === zone);
      const zoneTargets = ctx.targets.filter((d) => zoneOf(ctx, d) === zone);
      if (
        zoneTargets.length === 1 &&
        zoneTeams.length > 0 &&
        zoneTeams.every((t) => t.homeDistrictId === id)
      ) {
        return { code: "zone_single_district", zoneId: zone, districtId: id };
      }
      return {
        code: "no_eligible_team",
        districtId: id,
        obstacles: obstacles
          .filter((o) => o.obstacle !== "outside_zone")
          .map((o) => ({ teamId: o.teamId, obstacle: o.obstacle! })),
      };
    }
    return {
      code: "no_eligible_team",
      districtId: id,
      obstacles: obstacles.map((o) => ({ teamId: o.teamId, obstacle: o.obstacle! })),
    };
  }
  return null;
}

/** Every rule a (possibly hand-edited) zone or rotation plan breaks; errors block publishing. */
export function validateCirculation(input: CirculationInput, plan: CirculationPlan): Violation[] {
  return validateWith(circulationContext(input), plan);
}

function validateWith(ctx: CirculationContext, plan: CirculationPlan): Violation[] {
  const out: Violation[] = [];
  const teams = new Map(ctx.input.teams.map((t) => [t.id, t]));
  const byTarget = new Map<string, string[]>();
  const seenTeams = new Set<string>();
  const placed: { teamId: string; home: string | null; target: string }[] = [];
  for (const s of plan.stationings) {
    const team = teams.get(s.teamId);
    if (!team) {
      out.push({ severity: "error", code: "unknown_team", teamId: s.teamId });
      continue;
    }
    if (!ctx.districts.has(s.targetDistrictId)) {
      out.push({ severity: "error", code: "unknown_district", districtId: s.targetDistrictId });
      continue;
    }
    if (seenTeams.has(team.id))
      out.push({ severity: "error", code: "team_twice", teamId: team.id });
    seenTeams.add(team.id);
    if (!ctx.targetSet.has(s.targetDistrictId))
      out.push({
        severity: "error",
        code: "not_a_target",
        teamId: team.id,
        districtId: s.targetDistrictId,
      });
    const list = byTarget.get(s.targetDistrictId) ?? [];
    list.push(team.id);
    byTarget.set(s.targetDistrictId, list);
    const obstacle = pairingObstacle(ctx, team, s.targetDistrictId);
    if (obstacle) {
      out.push({
        severity: "error",
        code: "pairing",
        teamId: team.id,
        districtId: s.targetDistrictId,
        obstacle,
      });
    }
    if (obstacle !== "no_reader") {
      for (const c of conflictedMembers(ctx, team, s.targetDistrictId)) {
        out.push({
          severity: "warning",
          code: c.why === "home" ? "member_home" : "member_recused",
          teamId: team.id,
          staffId: c.staffId,
          districtId: s.targetDistrictId,
        });
      }
    }
    const expected = expectedMembers(ctx, s.targetDistrictId);
    if (Math.abs(team.members.length - expected) > Math.max(2, expected / 2)) {
      out.push({
        severity: "warning",
        code: "size_imbalance",
        teamId: team.id,
        districtId: s.targetDistrictId,
        members: team.members.length,
        expected: Math.round(expected),
      });
    }
    placed.push({ teamId: team.id, home: team.homeDistrictId, target: s.targetDistrictId });
  }
  for (const id of ctx.targets) {
    const list = byTarget.get(id);
    if (!list) out.push({ severity: "error", code: "target_uncovered", districtId: id });
    else if (list.length > 1)
      out.push({ severity: "error", code: "target_twice", districtId: id, teamIds: list });
  }
  for (const a of placed) {
    const b = placed.find((p) => p.home === a.target && p.target === a.home);
    if (b && a.teamId < b.teamId)
      out.push({
        severity: "warning",
        code: "mutual_pairing",
        teamId: a.teamId,
        otherTeamId: b.teamId,
      });
  }
  for (const t of ctx.input.teams) {
    if (!seenTeams.has(t.id)) out.push({ severity: "warning", code: "team_idle", teamId: t.id });
  }
  return out;
}
