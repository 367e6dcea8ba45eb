/**
 * The rules of zone (统配巡) and rotation (推磨) rounds, stated once and used both by the planner
 * (which team may go where, at what cost) and by `validateCirculation` (what a hand-edited plan
 * breaks):
 *
 * - a team never inspects its own home district (DESIGN §2);
 * - zone rounds: a team stays inside the zone of its home district (小循环);
 * - no team repeats a pairing of an earlier round (home district → target district);
 * - a team may only go where at least one member can read tips: members whose home district is
 *   the target, or who are recused from it, get no key (DESIGN §5), so a team made only of
 *   them is refused. Fewer conflicted members is cheaper, never forbidden: they are left out;
 * - rotation rounds roll on along the office's ring order from where the team went last
 *   (推磨); zone rounds prefer the same in-zone ring (so pairs of teams do not inspect each other);
 * - team size follows the number of units to inspect (more units, bigger team).
 */
import type { CirculationInput, CirculationTeam, PairingObstacle, PlannerDistrict } from "./types";

/** Cost weights; only their order matters (conflicted members ≫ ring and balance terms). */
const CONFLICTED_MEMBER_COST = 10_000;

export interface CirculationContext {
  input: CirculationInput;
  districts: Map<string, PlannerDistrict>;
  targets: string[];
  targetSet: Set<string>;
  /** home district → targets inspected by its team in earlier rounds */
  pastTargets: Map<string, Set<string>>;
  /** home district → the target of its newest earlier stationing */
  lastTarget: Map<string, string>;
  /** staff id → districts they are recused from as a whole */
  districtRecusals: Map<string, Set<string>>;
  /** Σ members of all teams / Σ units of all targets, for the balance term */
  membersPerUnit: number;
  /** ring (rotation: all targets; zone: the zone's targets, keyed by zone id) → position */
  rings: Map<string | null, Map<string, number>>;
}

export function circulationContext(input: CirculationInput): CirculationContext {
  const districts = new Map(input.districts.map((d) => [d.id, d]));
  const pastTargets = new Map<string, Set<string>>();
  const lastTarget = new Map<string, string>();
  const newest = new Map<string, number>();
  for (const p of input.history) {
    let set = pastTargets.get(p.homeDistrictId);
    if (!set) pastTargets.set(p.homeDistrictId, (set = new Set()));
    set.add(p.targetDistrictId);
    if ((newest.get(p.homeDistrictId) ?? -Infinity) < p.startedAtMs) {
      newest.set(p.homeDistrictId, p.startedAtMs);
      lastTarget.set(p.homeDistrictId, p.targetDistrictId);
    }
  }
  const districtRecusals = new Map<string, Set<string>>();
  for (const r of input.recusals) {
    if (r.unitId !== null) continue;
    let set = districtRecusals.get(r.staffId);
    if (!set) districtRecusals.set(r.staffId, (set = new Set()));
    set.add(r.districtId);
  }
  const totalMembers = input.teams.reduce((n, t) => n + t.members.length, 0);
  const totalUnits = input.targets.reduce((n, id) => n + (districts.get(id)?.unitCount ?? 0), 0);
  const rings = new Map<string | null, Map<string, number>>();
  for (const id of input.targets) {
    const key = input.mode === "rotation" ? null : (districts.get(id)?.zoneId ?? null);
    let ring = rings.get(key);
    if (!ring) rings.set(key, (ring = new Map()));
    ring.set(id, ring.size);
  }
  return {
    input,
    rings,
    districts,
    targets: input.targets,
    targetSet: new Set(input.targets),
    pastTargets,
    lastTarget,
    districtRecusals,
    membersPerUnit: totalUnits > 0 ? totalMembers / totalUnits : 0,
  };
}

export function zoneOf(ctx: CirculationContext, districtId: string | null): string | null {
  return districtId === null ? null : (ctx.districts.get(districtId)?.zoneId ?? null);
}

/** Members who would get no key for tips about `districtId`: home there, or recused from it. */
export function conflictedMembers(
  ctx: CirculationContext,
  team: CirculationTeam,
  districtId: string,
): { staffId: string; why: "home" | "recused" }[] {
  const out: { staffId: string; why: "home" | "recused" }[] = [];
  for (const m of team.members) {
    if (m.homeDistrictId === districtId) out.push({ staffId: m.staffId, why: "home" });
    else if (ctx.districtRecusals.get(m.staffId)?.has(districtId))
      out.push({ staffId: m.staffId, why: "recused" });
  }
  return out;
}

/** The first rule that forbids `team` inspecting `districtId`, or null when it may. */
export function pairingObstacle(
  ctx: CirculationContext,
  team: CirculationTeam,
  districtId: string,
): PairingObstacle | null {
  if (team.homeDistrictId === null) return "team_without_home";
  if (ctx.input.mode === "zone" && zoneOf(ctx, districtId) === null) return "district_without_zone";
  if (team.homeDistrictId === districtId) return "home";
  if (ctx.input.mode === "zone" && zoneOf(ctx, team.homeDistrictId) !== zoneOf(ctx, districtId))
    return "outside_zone";
  if (ctx.pastTargets.get(team.homeDistrictId)?.has(districtId)) return "repeat";
  if (conflictedMembers(ctx, team, districtId).length >= team.members.length) return "no_reader";
  return null;
}

/**
 * Steps along the ring (rotation: all targets in the office's order; zone: the zone's targets)
 * from the team's anchor — its last target, else its home — to `districtId`, minus one: 0 means
 * "the next one along", the move a rotation round expects.
 */
export function ringSteps(
  ctx: CirculationContext,
  team: CirculationTeam,
  districtId: string,
): number {
  if (team.homeDistrictId === null) return 0;
  const ring = ctx.rings.get(
    ctx.input.mode === "rotation" ? null : zoneOf(ctx, team.homeDistrictId),
  );
  const at = ring?.get(districtId);
  if (!ring || at === undefined) return 0;
  const last = ctx.lastTarget.get(team.homeDistrictId);
  const from = (last !== undefined ? ring.get(last) : undefined) ?? ring.get(team.homeDistrictId);
  if (from === undefined) return 0;
  return (at - from - 1 + 2 * ring.size) % ring.size;
}

/** Members the district's unit count asks for. */
export function expectedMembers(ctx: CirculationContext, districtId: string): number {
  return (ctx.districts.get(districtId)?.unitCount ?? 0) * ctx.membersPerUnit;
}

/** Cost of an allowed pairing (integer ≥ 0): conflicted members, then ring and balance terms. */
export function pairingCost(
  ctx: CirculationContext,
  team: CirculationTeam,
  districtId: string,
): number {
  const conflicts = conflictedMembers(ctx, team, districtId).length;
  const steps = ringSteps(ctx, team, districtId);
  const offBy = Math.abs(team.members.length - expectedMembers(ctx, districtId));
  const [ringWeight, balanceWeight] = ctx.input.mode === "rotation" ? [100, 10] : [10, 100];
  return (
    conflicts * CONFLICTED_MEMBER_COST + steps * ringWeight + Math.round(offBy * balanceWeight)
  );
}
