/**
 * The round page for an assistance round (帮扶): each mixed team's target (a county or one unit
 * in it) and, for every person the teams page put in the round, their team and role. The
 * planner's proposal is one button away ("propose", a form post that works without JavaScript);
 * every broken rule is listed as the admin edits (`checkAssistanceRound`, the same code the
 * server runs on publish), and publishing is refused while any error is left.
 */
import { Form } from "@remix-run/react";
import { useMemo, useState } from "react";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import type { AssistanceRoundPage, Placement } from "~/services/assistance-rounds.server";
import { TEAM_ROLE_LIST, type TeamRole, type Violation } from "~/shared/planner";
import { assistancePlanFrom, checkAssistanceRound } from "~/shared/planner/assistance-round";
import { describeBlocking, type PlanNames } from "~/shared/planner/describe";
import type { BlockingConstraint } from "~/shared/planner";
import { PlanFindings } from "./PlanFindings";

export function AssistancePlan({
  page,
  start,
  blocking,
  names,
  csrf,
  busy,
}: {
  page: AssistanceRoundPage;
  /** What the form shows first: the last submitted or proposed state, else the page's. */
  start: { targets: Record<string, string>; placements: Record<string, Placement> };
  blocking: BlockingConstraint | null;
  names: PlanNames & { unit(id: string): string };
  csrf: string;
  busy: boolean;
}) {
  const { t } = useI18n();
  const [targets, setTargets] = useState(() => new Map(Object.entries(start.targets)));
  const [placements, setPlacements] = useState(() => new Map(Object.entries(start.placements)));
  const violations: Violation[] = useMemo(
    () =>
      checkAssistanceRound(
        page.base,
        page.units,
        page.teamIds,
        targets,
        assistancePlanFrom(page.teamIds, placements),
      ),
    [page, targets, placements],
  );
  const errors = violations.filter((v) => v.severity === "error");
  const place = (staffId: string, next: Partial<Placement> | null) => {
    const map = new Map(placements);
    const was = map.get(staffId);
    if (next === null) map.delete(staffId);
    else map.set(staffId, { teamId: "", role: "member", ...was, ...next } as Placement);
    setPlacements(map);
  };
  const byDistrict = page.base.districts
    .map((d) => ({ id: d.id, units: page.units.filter((u) => u.districtId === d.id) }))
    .filter((d) => d.units.length > 0);
  const targetDistrict = (teamId: string) => {
    const v = targets.get(teamId) ?? "";
    if (v.startsWith("d:")) return v.slice(2);
    return page.units.find((u) => `u:${u.id}` === v)?.districtId ?? null;
  };

  return (
    <>
      <h2>{t("office.roundPlan.assistanceTitle")}</h2>
      <p className="hint">{t("office.roundPlan.assistanceIntro")}</p>
      {blocking ? (
        <p className="notice notice-warn" role="status" data-blocking={blocking.code}>
          {t("office.roundPlan.impossible", { reason: describeBlocking(t, names, blocking) })}
        </p>
      ) : null}
      <Form method="post" className="round-plan" data-assistance-plan="">
        <input type="hidden" name="csrf" value={csrf} />
        <h3>{t("office.roundPlan.targetsTitle")}</h3>
        <div className="audit-table-wrap">
          <table className="audit-table">
            <thead>
              <tr>
                <th scope="col">{t("office.roundPlan.team")}</th>
                <th scope="col">{t("office.roundPlan.members")}</th>
                <th scope="col">{t("office.roundPlan.targetUnit")}</th>
              </tr>
            </thead>
            <tbody>
              {page.teamIds.map((teamId) => (
                <tr key={teamId} data-team={teamId}>
                  <th scope="row">{names.team(teamId)}</th>
                  <td>{[...placements.values()].filter((p) => p.teamId === teamId).length}</td>
                  <td>
                    <select
                      name={`target:${teamId}`}
                      aria-label={`${t("office.roundPlan.targetUnit")} · ${names.team(teamId)}`}
                      value={targets.get(teamId) ?? ""}
                      onChange={(e) => {
                        const next = new Map(targets);
                        if (e.target.value) next.set(teamId, e.target.value);
                        else next.delete(teamId);
                        setTargets(next);
                      }}
                    >
                      <option value="">{t("office.roundPlan.noTarget")}</option>
                      {byDistrict.map((d) => (
                        <optgroup key={d.id} label={names.district(d.id)}>
                          <option value={`d:${d.id}`}>
                            {t("office.roundPlan.wholeDistrict", {
                              district: names.district(d.id),
                              count: d.units.length,
                            })}
                          </option>
                          {d.units.map((u) => (
                            <option key={u.id} value={`u:${u.id}`}>
                              {names.unit(u.id)}
                            </option>
                          ))}
                        </optgroup>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <h3>{t("office.roundPlan.peopleTitle")}</h3>
        <div className="audit-table-wrap">
          <table className="audit-table assistance-people">
            <thead>
              <tr>
                <th scope="col">{t("office.roundPlan.person")}</th>
                <th scope="col">{t("office.roundPlan.homeAndOrganisation")}</th>
                <th scope="col">{t("office.roundPlan.team")}</th>
                <th scope="col">{t("office.roundPlan.role")}</th>
              </tr>
            </thead>
            <tbody>
              {page.people.map((p) => {
                const at = placements.get(p.id);
                const local = at ? targetDistrict(at.teamId) === p.homeDistrictId : false;
                return (
                  <tr key={p.id} data-person={p.id}>
                    <th scope="row">{p.name}</th>
                    <td data-label={t("office.roundPlan.homeAndOrganisation")}>
                      {names.district(p.homeDistrictId)}
                      {at ? (
                        <span className="muted" data-local={local ? "yes" : "no"}>
                          {" · "}
                          {t(local ? "office.roundPlan.local" : "office.roundPlan.visiting")}
                        </span>
                      ) : null}
                      <br />
                      {p.homeOrganisation ? (
                        <span data-organisation={p.homeOrganisation}>{p.homeOrganisation}</span>
                      ) : (
                        <span className="tag tag-due" data-organisation="">
                          {t("office.teams.noOrganisation")}
                        </span>
                      )}
                    </td>
                    <td data-label={t("office.roundPlan.team")}>
                      <select
                        name={`team:${p.id}`}
                        aria-label={`${t("office.roundPlan.team")} · ${p.name}`}
                        value={at?.teamId ?? ""}
                        onChange={(e) =>
                          place(p.id, e.target.value ? { teamId: e.target.value } : null)
                        }
                      >
                        <option value="">{t("office.roundPlan.inNoTeam")}</option>
                        {page.teamIds.map((teamId) => (
                          <option key={teamId} value={teamId}>
                            {names.team(teamId)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td data-label={t("office.roundPlan.role")}>
                      <select
                        name={`role:${p.id}`}
                        aria-label={`${t("office.roundPlan.role")} · ${p.name}`}
                        value={at?.role ?? "member"}
                        onChange={(e) => place(p.id, { role: e.target.value as TeamRole })}
                      >
                        {TEAM_ROLE_LIST.map((r) => (
                          <option key={r} value={r}>
                            {t(`office.teams.roles.${r}` as MessageKey)}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <PlanFindings violations={violations} names={names} />
        <p className="hint">{t("office.roundPlan.afterPublishAssistance")}</p>
        <div className="round-plan-actions">
          <button
            type="submit"
            name="intent"
            value="propose"
            className="button button-quiet"
            disabled={busy}
          >
            {t("office.roundPlan.propose")}
          </button>
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
  );
}
