/**
 * The rotation planner (issue 10 item 3): proposes which team goes where (zone and rotation
 * rounds) or who joins which mixed team (assistance rounds), honouring the round's rules, or
 * names the constraint that makes a plan impossible. Pure TypeScript: the server runs it on the
 * registry, the office page re-checks hand edits with `validatePlan`. ADR 015 says why a
 * minimum-cost flow and not a library or a hand-written table.
 */
import { planAssistance, validateAssistance } from "./assistance";
import { planCirculation, validateCirculation } from "./circulation";
import type { Plan, PlannerInput, PlanResult, Violation } from "./types";

export * from "./types";
export { assistanceTeamSizes } from "./assistance";

export function planRound(input: PlannerInput): PlanResult {
  return input.mode === "assistance" ? planAssistance(input) : planCirculation(input);
}

/** Every rule the plan breaks (errors block publishing, warnings are shown). */
export function validatePlan(input: PlannerInput, plan: Plan): Violation[] {
  if (input.mode === "assistance") {
    if (plan.mode !== "assistance") throw new Error("plan mode does not match the round");
    return validateAssistance(input, plan);
  }
  if (plan.mode === "assistance") throw new Error("plan mode does not match the round");
  return validateCirculation(input, plan);
}

export function hasErrors(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.severity === "error");
}
