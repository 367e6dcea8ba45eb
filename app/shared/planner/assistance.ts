/**
 * Assistance rounds (帮扶, DESIGN §2): visiting cadres from several origins and local cadres of
 * the target county form mixed teams, each with dual leaders and dual liaisons.
 *
 * Rules, stated once:
 * - every team has four seats: a visiting leader and a local deputy leader (both able to lead),
 *   a visiting and a local liaison (both able to act as liaison); "local" = home district is the
 *   team's target district. Locals are there on purpose but still get no key automatically
 *   (routing excludes them; a visiting member may share one tip, DESIGN §5);
 * - nobody joins a team whose target district, or one of whose units, they are recused from;
 * - every cadre in the pool joins exactly one team;
 * - team sizes follow unit counts: four seats each, the rest shared out by largest remainder in
 *   proportion to the team's units (ties: team order);
 * - origins mix: a third cadre from the same home organisation in one team costs more than a
 *   second (convex cost through parallel arcs).
 *
 * Network: source → person (1) → seat(team, seat) (1) → team → sink (size), and
 * person → origin(team, origin) → members(team) (ladder of unit arcs with costs 0, 1, 4, 9, …)
 * → team. A plan exists exactly when the flow places the whole pool.
 */
import { FlowNetwork } from "./min-cost-flow";
import {
  ASSISTANCE_SEATS,
  type AssistanceInput,
  type AssistancePlan,
  type AssistanceSeat,
  type AssistanceTeam,
  type BlockingConstraint,
  type PlanResult,
  type PoolPerson,
  type TeamRole,
  type Violation,
} from "./types";

const SEAT_ROLE: Record<AssistanceSeat, TeamRole> = {
  leader_visiting: "leader",
  deputy_local: "deputy_leader",
  liaison_visiting: "liaison",
  liaison_local: "liaison",
};
const SAME_ORIGIN_COST = 100;

export function originOf(p: PoolPerson): string {
  return p.homeOrganisation ?? p.homeDistrictId;
}

/** Recused from the team's target district, or from one of its units. */
export function isRecusedFrom(
  input: AssistanceInput,
  staffId: string,
  team: AssistanceTeam,
): boolean {
  return input.recusals.some(
    (r) =>
      r.staffId === staffId &&
      r.districtId === team.targetDistrictId &&
      (r.unitId === null || team.unitIds.includes(r.unitId)),
  );
}

export function fitsSeat(p: PoolPerson, team: AssistanceTeam, seat: AssistanceSeat): boolean {
  const local = p.homeDistrictId === team.targetDistrictId;
  switch (seat) {
    case "leader_visiting":
      return !local && p.canLead;
    case "deputy_local":
      return local && p.canLead;
    case "liaison_visiting":
      return !local && p.canLiaise;
    case "liaison_local":
      return local && p.canLiaise;
  }
}

/** Team sizes: four seats each plus the rest of the pool in proportion to unit counts. */
export function assistanceTeamSizes(input: AssistanceInput): number[] | null {
  const T = input.teams.length;
  const rest = input.pool.length - ASSISTANCE_SEATS.length * T;
  if (T === 0 || rest < 0) return null;
  const weights = input.teams.map((t) => Math.max(1, t.unitIds.length));
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (rest * w) / total);
  const sizes = exact.map((x) => Math.floor(x));
  let left = rest - sizes.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    sizes[i]! += 1;
  }
  return sizes.map((s) => s + ASSISTANCE_SEATS.length);
}

export function planAssistance(input: AssistanceInput): PlanResult {
  const { teams, pool } = input;
  const known = new Set(input.districts.map((d) => d.id));
  for (const t of teams) {
    if (!known.has(t.targetDistrictId))
      return { ok: false, blocking: { code: "unknown_district", districtId: t.targetDistrictId } };
  }
  const sizes = assistanceTeamSizes(input);
  if (!sizes) {
    return {
      ok: false,
      blocking: {
        code: "pool_too_small",
        needed: Math.max(1, teams.length) * ASSISTANCE_SEATS.length,
        available: pool.length,
      },
    };
  }
  const pre = precheck(input);
  if (pre) return { ok: false, blocking: pre };

  const S = 0;
  const SINK = 1;
  let nodes = 2;
  const personNode = pool.map(() => nodes++);
  const teamNode = teams.map(() => nodes++);
  const memberNode = teams.map(() => nodes++);
  const seatNode = teams.map(() => ASSISTANCE_SEATS.map(() => nodes++));
  const origins = [...new Set(pool.map(originOf))];
  const originNode = teams.map(() => origins.map(() => nodes++));
  const net = new FlowNetwork(nodes);

  type Placement = { arc: number; person: number; team: number; seat: AssistanceSeat | null };
  const placements: Placement[] = [];
  pool.forEach((p, i) => {
    net.addArc(S, personNode[i]!, 1);
    teams.forEach((team, j) => {
      if (isRecusedFrom(input, p.staffId, team)) return;
      ASSISTANCE_SEATS.forEach((seat, k) => {
        if (!fitsSeat(p, team, seat)) return;
        placements.push({
          arc: net.addArc(personNode[i]!, seatNode[j]![k]!, 1),
          person: i,
          team: j,
          seat,
        });
      });
      const o = origins.indexOf(originOf(p));
      placements.push({
        arc: net.addArc(personNode[i]!, originNode[j]![o]!, 1),
        person: i,
        team: j,
        seat: null,
      });
    });
  });
  teams.forEach((_, j) => {
    const memberSeats = sizes[j]! - ASSISTANCE_SEATS.length;
    origins.forEach((origin, o) => {
      const count = Math.min(memberSeats, pool.filter((p) => originOf(p) === origin).length);
      for (let k = 0; k < count; k++) {
        net.addArc(originNode[j]![o]!, memberNode[j]!, 1, k * k * SAME_ORIGIN_COST);
      }
    });
    ASSISTANCE_SEATS.forEach((_, k) => net.addArc(seatNode[j]![k]!, teamNode[j]!, 1));
    net.addArc(memberNode[j]!, teamNode[j]!, memberSeats);
    net.addArc(teamNode[j]!, SINK, sizes[j]!);
  });
  const { flow, cost } = net.solve(S, SINK);
  if (flow < pool.length) {
    const reach = net.residualReach(S);
    const teamIds = teams
      .filter(
        (_, j) =>
          reach[teamNode[j]!] || reach[memberNode[j]!] || seatNode[j]!.some((n) => reach[n]),
      )
      .map((t) => t.id);
    return { ok: false, blocking: { code: "teams_unstaffable", teamIds } };
  }
  const plan: AssistancePlan = {
    mode: "assistance",
    teams: teams.map((t) => ({ teamId: t.id, members: [] })),
  };
  for (const pl of placements) {
    if (net.flowOn(pl.arc) === 0) continue;
    plan.teams[pl.team]!.members.push({
      staffId: pool[pl.person]!.staffId,
      role: pl.seat ? SEAT_ROLE[pl.seat] : "member",
    });
  }
  const rank: Record<TeamRole, number> = { leader: 0, deputy_leader: 1, liaison: 2, member: 3 };
  for (const t of plan.teams) t.members.sort((a, b) => rank[a.role] - rank[b.role]);
  return { ok: true, plan, cost, warnings: validateAssistance(input, plan) };
}

/** Named shortages before the flow: a person nobody can take, a seat too few can fill. */
function precheck(input: AssistanceInput): BlockingConstraint | null {
  for (const p of input.pool) {
    if (input.teams.every((t) => isRecusedFrom(input, p.staffId, t)))
      return { code: "person_unplaceable", staffId: p.staffId };
  }
  const groups: AssistanceSeat[][] = [
    ...ASSISTANCE_SEATS.map((s) => [s]),
    ["leader_visiting", "liaison_visiting"],
    ["deputy_local", "liaison_local"],
  ];
  for (const seats of groups) {
    const shortage = seatShortage(input, seats);
    if (shortage) return shortage;
  }
  return null;
}

/** Can every team fill these seats at once with distinct eligible people? Else the Hall set. */
function seatShortage(input: AssistanceInput, seats: AssistanceSeat[]): BlockingConstraint | null {
  const { teams, pool } = input;
  const S = 0;
  const SINK = 1;
  const slot = (j: number, k: number) => 2 + pool.length + j * seats.length + k;
  const net = new FlowNetwork(2 + pool.length + teams.length * seats.length);
  teams.forEach((team, j) =>
    seats.forEach((seat, k) => {
      net.addArc(S, slot(j, k), 1);
      pool.forEach((p, i) => {
        if (fitsSeat(p, team, seat) && !isRecusedFrom(input, p.staffId, team))
          net.addArc(slot(j, k), 2 + i, 1);
      });
    }),
  );
  pool.forEach((_, i) => net.addArc(2 + i, SINK, 1));
  const need = teams.length * seats.length;
  if (net.solve(S, SINK).flow === need) return null;
  const reach = net.residualReach(S);
  const teamIds = teams.filter((_, j) => seats.some((_, k) => reach[slot(j, k)])).map((t) => t.id);
  const candidates = pool.filter((_, i) => reach[2 + i]).length;
  return { code: "seat_shortage", seats, teamIds, candidates };
}

/** Every rule a (possibly hand-edited) assistance plan breaks; errors block publishing. */
export function validateAssistance(input: AssistanceInput, plan: AssistancePlan): Violation[] {
  const out: Violation[] = [];
  const people = new Map(input.pool.map((p) => [p.staffId, p]));
  const teams = new Map(input.teams.map((t) => [t.id, t]));
  const sizes = assistanceTeamSizes(input);
  const placed = new Set<string>();
  const visitingOrigins = new Set<string>();
  for (const pt of plan.teams) {
    const team = teams.get(pt.teamId);
    if (team)
      for (const m of pt.members) {
        const p = people.get(m.staffId);
        if (p && p.homeDistrictId !== team.targetDistrictId) visitingOrigins.add(originOf(p));
      }
  }
  for (const pt of plan.teams) {
    const team = teams.get(pt.teamId);
    if (!team) {
      out.push({ severity: "error", code: "unknown_team", teamId: pt.teamId });
      continue;
    }
    const filled = new Set<AssistanceSeat>();
    const origins = new Set<string>();
    for (const m of pt.members) {
      const p = people.get(m.staffId);
      if (!p) {
        out.push({ severity: "error", code: "unknown_person", staffId: m.staffId });
        continue;
      }
      if (placed.has(p.staffId))
        out.push({ severity: "error", code: "person_twice", staffId: p.staffId });
      placed.add(p.staffId);
      if (isRecusedFrom(input, p.staffId, team))
        out.push({
          severity: "error",
          code: "person_recused",
          teamId: team.id,
          staffId: p.staffId,
        });
      const local = p.homeDistrictId === team.targetDistrictId;
      if (m.role === "leader" && local)
        out.push({ severity: "error", code: "leader_local", teamId: team.id, staffId: p.staffId });
      if (m.role === "leader" && !local) filled.add("leader_visiting");
      if (m.role === "deputy_leader" && local) filled.add("deputy_local");
      if (m.role === "liaison") filled.add(local ? "liaison_local" : "liaison_visiting");
      if (!local) origins.add(originOf(p));
    }
    for (const seat of ASSISTANCE_SEATS) {
      if (!filled.has(seat))
        out.push({ severity: "error", code: "missing_seat", teamId: team.id, seat });
    }
    if (origins.size === 1 && visitingOrigins.size > 1) {
      out.push({
        severity: "warning",
        code: "single_origin",
        teamId: team.id,
        origin: [...origins][0]!,
      });
    }
    const expected = sizes?.[input.teams.indexOf(team)];
    if (expected !== undefined && Math.abs(pt.members.length - expected) > 1) {
      out.push({
        severity: "warning",
        code: "size_imbalance",
        teamId: team.id,
        districtId: team.targetDistrictId,
        members: pt.members.length,
        expected,
      });
    }
  }
  for (const p of input.pool) {
    if (!placed.has(p.staffId))
      out.push({ severity: "warning", code: "person_unassigned", staffId: p.staffId });
  }
  return out;
}
