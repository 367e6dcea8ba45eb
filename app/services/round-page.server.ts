/**
 * The round page's form (/staff/admin/rounds/:roundId): "check" re-runs the rules on the
 * submitted plan (the page without JavaScript), "publish" publishes it (rounds.server.ts; an
 * assistance round: assistance-rounds.server.ts), "propose" (assistance rounds) asks the planner
 * who sits where for the targets on the form.
 */
import type { Db } from "../../db/client";
import { TEAM_ROLES } from "../../db/schema";
import type { Env } from "../env.server";
import type { BlockingConstraint, CirculationPlan, TeamRole } from "../shared/planner";
import { proposeAssistance, publishAssistance, type Placement } from "./assistance-rounds.server";
import { assertCsrf } from "./csrf.server";
import { planFromForm, publishPlan, roundOf, RoundError } from "./rounds.server";
import type { StaffSession } from "./sessions.server";

/** An assistance round's form as the page shows it again: targets and placements by id. */
export interface AssistanceFormState {
  targets: Record<string, string>;
  placements: Record<string, Placement>;
}

export type RoundPlanActionBody =
  | {
      error: RoundError["code"] | "badInput";
      plan?: CirculationPlan["stationings"];
      assistance?: AssistanceFormState;
    }
  | { checked: true; plan: CirculationPlan["stationings"] }
  | { checked: true; assistance: AssistanceFormState; blocking?: BlockingConstraint };

const MAX_FIELDS = 2_000;

/** `target:<teamId>`, `team:<staffId>` ("" = in no team) and `role:<staffId>` fields. */
function assistanceFromForm(entries: [string, FormDataEntryValue][]): AssistanceFormState | null {
  const targets: Record<string, string> = {};
  const teamOf = new Map<string, string>();
  const roleOf = new Map<string, string>();
  for (const [k, v] of entries) {
    if (typeof v !== "string") continue;
    if (k.startsWith("target:") && v !== "") targets[k.slice("target:".length)] = v;
    else if (k.startsWith("team:")) teamOf.set(k.slice("team:".length), v);
    else if (k.startsWith("role:")) roleOf.set(k.slice("role:".length), v);
  }
  const placements: Record<string, Placement> = {};
  for (const [staffId, teamId] of teamOf) {
    if (teamId === "") continue;
    const role = roleOf.get(staffId) ?? "member";
    if (!(TEAM_ROLES as readonly string[]).includes(role)) return null;
    placements[staffId] = { teamId, role: role as TeamRole };
  }
  return { targets, placements };
}

export async function roundPlanAction(
  db: Db,
  env: Env,
  session: StaffSession,
  request: Request,
  roundId: string | undefined,
): Promise<{ redirect?: string; status: number; body: RoundPlanActionBody }> {
  const form = await request.formData().catch(() => undefined);
  assertCsrf(env, session.sessionId, request, form);
  const entries = form ? [...form.entries()] : [];
  const intent = form?.get("intent");
  if (
    !roundId ||
    entries.length > MAX_FIELDS ||
    (intent !== "check" && intent !== "publish" && intent !== "propose") ||
    entries.some(([, v]) => typeof v === "string" && (v.length > 200 || v.includes("\0")))
  )
    return { status: 400, body: { error: "badInput" } };
  const status = (err: RoundError) =>
    err.code === "not_found" ? 404 : err.code === "already_published" ? 409 : 400;
  let mode: string;
  try {
    mode = (await roundOf(db, session.staff.jurisdictionId, roundId)).mode;
  } catch (err) {
    if (!(err instanceof RoundError)) throw err;
    return { status: status(err), body: { error: err.code } };
  }

  if (mode === "assistance") {
    const state = assistanceFromForm(entries);
    if (!state) return { status: 400, body: { error: "badInput" } };
    try {
      if (intent === "check") return { status: 200, body: { checked: true, assistance: state } };
      if (intent === "propose") {
        const { result } = await proposeAssistance(
          db,
          session.staff.jurisdictionId,
          roundId,
          new Map(Object.entries(state.targets)),
        );
        if (!result || !result.ok || result.plan.mode !== "assistance")
          return {
            status: 200,
            body: {
              checked: true,
              assistance: state,
              ...(result && !result.ok ? { blocking: result.blocking } : {}),
            },
          };
        const placements: Record<string, Placement> = {};
        for (const t of result.plan.teams)
          for (const m of t.members) placements[m.staffId] = { teamId: t.teamId, role: m.role };
        return {
          status: 200,
          body: { checked: true, assistance: { targets: state.targets, placements } },
        };
      }
      await publishAssistance(db, session, roundId, {
        targets: new Map(Object.entries(state.targets)),
        placements: new Map(Object.entries(state.placements)),
      });
      return {
        redirect: `/staff/admin/rounds/${roundId}`,
        status: 303,
        body: { checked: true, plan: [] },
      };
    } catch (err) {
      if (!(err instanceof RoundError)) throw err;
      return { status: status(err), body: { error: err.code, assistance: state } };
    }
  }

  if (intent === "propose") return { status: 400, body: { error: "badInput" } };
  const plan = planFromForm(entries);
  if (intent === "check") return { status: 200, body: { checked: true, plan: plan.stationings } };
  try {
    await publishPlan(db, session, roundId, plan);
    return {
      redirect: `/staff/admin/rounds/${roundId}`,
      status: 303,
      body: { checked: true, plan: [] },
    };
  } catch (err) {
    if (!(err instanceof RoundError)) throw err;
    return { status: status(err), body: { error: err.code, plan: plan.stationings } };
  }
}
