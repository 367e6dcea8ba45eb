/**
 * /staff/admin/rounds/:roundId — plan and publish one round (issue 10 item 3). The planner's
 * proposal (app/shared/planner) fills one target per team; the admin may change any of them, and
 * every broken rule is listed as they do (the same `validatePlan` runs in this browser and, on
 * "check" or without JavaScript, on the server). Publishing checks again on the server, creates
 * the stationings and sends the admin to sign their rosters (ADR 017). An assistance round shows
 * its mixed teams instead (components/office/AssistancePlan.tsx): targets, people, seats.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import { AssistancePlan } from "~/components/office/AssistancePlan";
import { PlanFindings } from "~/components/office/PlanFindings";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { formatDate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { assistanceRoundPage } from "~/services/assistance-rounds.server";
import { staffLayoutData } from "~/services/auth.server";
import { requirePermission } from "~/services/permissions.server";
import { roundPlanAction } from "~/services/round-page.server";
import { roundPlanPage } from "~/services/rounds.server";
import { describeBlocking, type PlanNames } from "~/shared/planner/describe";
import { validatePlan, type CirculationPlan, type Violation } from "~/shared/planner";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;
export const handle = { wide: true };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const page = await roundPlanPage(
    context.db,
    session.staff.jurisdictionId,
    params.roundId ?? "",
  ).catch((err: unknown) => {
    if (err instanceof Error && err.message === "not_found")
      throw new Response("Not found", { status: 404 });
    throw err;
  });
  const assistance =
    page.round.mode === "assistance" && page.published.length === 0
      ? await assistanceRoundPage(context.db, session.staff.jurisdictionId, page.round.id)
      : null;
  return data(
    { user: staffLayoutData(context.env, session), ...page, assistance },
    { headers: STAFF_NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const result = await roundPlanAction(context.db, context.env, session, request, params.roundId);
  if (result.redirect) return redirect(result.redirect, { headers: STAFF_NO_STORE });
  return data(result.body, { status: result.status, headers: STAFF_NO_STORE });
}

export default function RoundPlan() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, locale } = useI18n();
  const en = locale === "en";
  const { user, round, input, proposal, published } = page;

  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
  const districtMap = byId(page.districts);
  const teamMap = byId(page.teams);
  const names: PlanNames = {
    district: (id) => {
      const d = districtMap.get(id);
      return d ? (en ? d.nameEn : d.nameZh) : id;
    },
    team: (id) => {
      const x = teamMap.get(id);
      return x ? (en ? x.nameEn : x.nameZh) : id;
    },
    zone: (id) => {
      const z = page.zones.find((x) => x.id === id);
      return z ? (en ? z.nameEn : z.nameZh) : id;
    },
    person: (id) =>
      page.people.find((p) => p.id === id)?.name ??
      page.assistance?.people.find((p) => p.id === id)?.name ??
      id,
  };
  const unitName = (id: string) => {
    const u = page.assistance?.units.find((x) => x.id === id);
    return u ? (en ? u.nameEn : u.nameZh) : id;
  };

  // The plan on screen: what the admin last submitted, else the planner's proposal.
  const initial = new Map<string, string>();
  const start: CirculationPlan["stationings"] | undefined =
    result && "plan" in result && result.plan && result.plan.length > 0
      ? result.plan
      : proposal?.ok && proposal.plan.mode !== "assistance"
        ? proposal.plan.stationings
        : undefined;
  for (const s of start ?? []) initial.set(s.teamId, s.targetDistrictId);
  const [targets, setTargets] = useState<Map<string, string>>(initial);
  const violations: Violation[] = useMemo(() => {
    if (!input) return [];
    const plan: CirculationPlan = {
      mode: input.mode,
      stationings: [...targets].map(([teamId, targetDistrictId]) => ({ teamId, targetDistrictId })),
    };
    return validatePlan(input, plan);
  }, [input, targets]);
  const errors = violations.filter((v) => v.severity === "error");
  const assistanceStart =
    result && "assistance" in result && result.assistance ? result.assistance : page.assistance;
  const serverError = result && "error" in result ? result.error : null;

  return (
    <StaffLayout user={user}>
      <section className="office-round" aria-labelledby="round-title">
        <p>
          <a href="/staff/admin/rounds">{t("office.roundPlan.back")}</a> ·{" "}
          <a href={`/staff/admin/rounds/${round.id}/teams`}>{t("office.teams.link")}</a>
        </p>
        <h1 id="round-title">{en ? round.nameEn : round.nameZh}</h1>
        <p className="muted">
          {t(`office.rounds.modes.${round.mode}` as MessageKey)} ·{" "}
          {t("office.rounds.window", {
            start: formatDate(locale, round.startsAtMs),
            end: formatDate(locale, round.endsAtMs - 1),
          })}
        </p>
        {serverError ? (
          <p className="notice notice-danger" role="alert" data-error={serverError}>
            {t(`office.rounds.errors.${serverError}` as MessageKey)}
          </p>
        ) : null}

        {published.length > 0 ? (
          <div className="card" data-published={published.length}>
            <p>{t("office.roundPlan.published", { count: published.length })}</p>
            <ul>
              {published.map((s) => (
                <li key={s.id}>
                  {t("office.roundPlan.stationed", {
                    team: names.team(s.teamId),
                    district: names.district(s.targetDistrictId),
                  })}
                </li>
              ))}
            </ul>
            <p>{t("office.roundPlan.afterPublish")}</p>
            <a className="button" href="/staff/admin/rosters">
              {t("office.roundPlan.signNow")}
            </a>
          </div>
        ) : page.assistance && assistanceStart ? (
          page.assistance.teamIds.length === 0 ? (
            <p className="notice">{t("office.rounds.errors.no_teams")}</p>
          ) : (
            <AssistancePlan
              // A new proposal or a refused plan starts the form again from what the server sent.
              key={JSON.stringify(assistanceStart)}
              page={page.assistance}
              start={assistanceStart}
              blocking={result && "blocking" in result ? (result.blocking ?? null) : null}
              names={{ ...names, unit: unitName }}
              csrf={user.csrf}
              busy={busy}
            />
          )
        ) : !input || input.teams.length === 0 ? (
          <p className="notice">{t("office.rounds.errors.no_teams")}</p>
        ) : (
          <>
            <h2>{t("office.roundPlan.proposal")}</h2>
            {proposal && !proposal.ok ? (
              <p
                className="notice notice-warn"
                role="status"
                data-blocking={proposal.blocking.code}
              >
                {t("office.roundPlan.impossible", {
                  reason: describeBlocking(t, names, proposal.blocking),
                })}
              </p>
            ) : (
              <p className="hint">{t("office.roundPlan.proposalNote")}</p>
            )}
            <Form method="post" className="round-plan">
              <input type="hidden" name="csrf" value={user.csrf} />
              <div className="audit-table-wrap">
                <table className="audit-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("office.roundPlan.team")}</th>
                      <th scope="col">{t("office.roundPlan.home")}</th>
                      <th scope="col">{t("office.roundPlan.members")}</th>
                      <th scope="col">{t("office.roundPlan.target")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.teams.map((team) => (
                      <tr key={team.id} data-team={team.id}>
                        <th scope="row">{en ? team.nameEn : team.nameZh}</th>
                        <td>{team.homeDistrictId ? names.district(team.homeDistrictId) : "—"}</td>
                        <td>{team.members}</td>
                        <td>
                          <select
                            name={`target:${team.id}`}
                            aria-label={t("office.roundPlan.target")}
                            value={targets.get(team.id) ?? ""}
                            onChange={(e) => {
                              const next = new Map(targets);
                              if (e.target.value) next.set(team.id, e.target.value);
                              else next.delete(team.id);
                              setTargets(next);
                            }}
                          >
                            <option value="">{t("office.roundPlan.stayHome")}</option>
                            {input.targets.map((d) => (
                              <option key={d} value={d}>
                                {names.district(d)}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <PlanFindings violations={violations} names={names} />
              {page.replaced.length > 0 ? (
                <p className="hint">
                  {t("office.roundPlan.replaced")}{" "}
                  {page.replaced
                    .map((r) =>
                      t("office.roundPlan.replacedItem", {
                        team: en ? r.teamNameEn : r.teamNameZh,
                        district: names.district(r.targetDistrictId),
                      }),
                    )
                    .join(t("office.plan.and"))}
                </p>
              ) : null}
              <p className="hint">{t("office.roundPlan.afterPublish")}</p>
              <div className="round-plan-actions">
                <button
                  type="submit"
                  name="intent"
                  value="check"
                  className="button button-quiet"
                  disabled={busy}
                >
                  {t("office.roundPlan.check")}
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="publish"
                  className="button"
                  disabled={busy || errors.length > 0}
                >
                  {t("office.roundPlan.publish")}
                </button>
              </div>
            </Form>
          </>
        )}
      </section>
    </StaffLayout>
  );
}
