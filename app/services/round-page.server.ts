/**
 * The round page's form (/staff/admin/rounds/:roundId): "check" re-runs the rules on the
 * submitted plan (the page without JavaScript), "publish" publishes it (rounds.server.ts).
 */
import type { Db } from "../../db/client";
import type { Env } from "../env.server";
import type { CirculationPlan } from "../shared/planner";
import { assertCsrf } from "./csrf.server";
import { planFromForm, publishPlan, RoundError } from "./rounds.server";
import type { StaffSession } from "./sessions.server";

export type RoundPlanActionBody =
  | { error: RoundError["code"] | "badInput"; plan?: CirculationPlan["stationings"] }
  | { checked: true; plan: CirculationPlan["stationings"] };

const MAX_FIELDS = 2_000;

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
    (intent !== "check" && intent !== "publish") ||
    entries.some(([, v]) => typeof v === "string" && (v.length > 200 || v.includes("\0")))
  )
    return { status: 400, body: { error: "badInput" } };
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
    return {
      status: err.code === "not_found" ? 404 : err.code === "already_published" ? 409 : 400,
      body: { error: err.code, plan: plan.stationings },
    };
  }
}
