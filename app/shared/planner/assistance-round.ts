/**
 * An assistance round on the office's round page (issue 10 item 3): each mixed team is aimed at a
 * target — a whole district or one unit in it (several teams share a county, one unit each, as
 * the 内江 cadres did in 雷波县) — and the pool is the people the teams page put in the round's
 * teams. The browser and the server build the planner's input from the same form values with this
 * module, so the page flags exactly what publishing refuses.
 */
import { validateAssistance } from "./assistance";
import type { AssistanceInput, AssistancePlan, AssistanceTeam, TeamRole, Violation } from "./types";

/** Everything of the planner's input but the teams, whose targets the office picks on the page. */
export type AssistanceBase = Omit<AssistanceInput, "teams">;

export interface TargetUnit {
  id: string;
  districtId: string;
}

/** `d:<districtId>`: the whole district (all its units); `u:<unitId>`: one unit. */
export function parseTarget(
  value: string,
  base: AssistanceBase,
  units: readonly TargetUnit[],
): { targetDistrictId: string; unitIds: string[] } | null {
  if (value.startsWith("d:")) {
    const id = value.slice(2);
    if (!base.districts.some((d) => d.id === id)) return null;
    return {
      targetDistrictId: id,
      unitIds: units.filter((u) => u.districtId === id).map((u) => u.id),
    };
  }
  if (value.startsWith("u:")) {
    const unit = units.find((u) => u.id === value.slice(2));
    return unit ? { targetDistrictId: unit.districtId, unitIds: [unit.id] } : null;
  }
  return null;
}

/**
 * The planner's teams for the chosen targets, and an error for every team without a (known)
 * target: such a team is still checked for its seats, as if everyone in it were visiting.
 */
export function assistanceTeams(
  teamIds: readonly string[],
  targets: ReadonlyMap<string, string>,
  base: AssistanceBase,
  units: readonly TargetUnit[],
): { teams: AssistanceTeam[]; violations: Violation[] } {
  const violations: Violation[] = [];
  const teams = teamIds.map((id) => {
    const target = parseTarget(targets.get(id) ?? "", base, units);
    if (!target) violations.push({ severity: "error", code: "team_untargeted", teamId: id });
    return { id, targetDistrictId: target?.targetDistrictId ?? "", unitIds: target?.unitIds ?? [] };
  });
  return { teams, violations };
}

/**
 * Every rule the page's assistance plan breaks: targets first, then every person of the round's
 * teams without a home organisation on record (the teams page refuses to add one; an older
 * database may have them, and the planner would take their home district for their origin), then
 * the planner's own rules.
 */
export function checkAssistanceRound(
  base: AssistanceBase,
  units: readonly TargetUnit[],
  teamIds: readonly string[],
  targets: ReadonlyMap<string, string>,
  plan: AssistancePlan,
): Violation[] {
  const { teams, violations } = assistanceTeams(teamIds, targets, base, units);
  const unrecorded = base.pool
    .filter((p) => p.homeOrganisation === null)
    .map((p): Violation => ({
      severity: "error",
      code: "organisation_missing",
      staffId: p.staffId,
    }));
  return [...violations, ...unrecorded, ...validateAssistance({ ...base, teams }, plan)];
}

/**
 * Form fields → plan: `team:<staffId>` = team id ("" = in no team), `role:<staffId>` = role. A
 * team id the round does not have stays in the plan, so the rules report it (`unknown_team`).
 */
export function assistancePlanFrom(
  teamIds: readonly string[],
  placements: ReadonlyMap<string, { teamId: string; role: TeamRole }>,
): AssistancePlan {
  const ids = [...new Set([...teamIds, ...[...placements.values()].map((p) => p.teamId)])];
  return {
    mode: "assistance",
    teams: ids.map((teamId) => ({
      teamId,
      members: [...placements]
        .filter(([, p]) => p.teamId === teamId)
        .map(([staffId, p]) => ({ staffId, role: p.role })),
    })),
  };
}
