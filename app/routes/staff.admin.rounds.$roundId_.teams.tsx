/**
 * /staff/admin/rounds/:roundId/teams — the office forms a round's teams and records recusals
 * (issue 10 item 2; app/services/teams.server.ts). Every form works without JavaScript.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
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
import { staffLayoutData } from "~/services/auth.server";
import { assertCsrf } from "~/services/csrf.server";
import { requirePermission } from "~/services/permissions.server";
import { changeTeams, TeamError, TeamsForm, teamsPage } from "~/services/teams.server";
import { TEAM_ROLES } from "../../db/schema";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;
export const handle = { wide: true };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const page = await teamsPage(
    context.db,
    session.staff.jurisdictionId,
    params.roundId ?? "",
  ).catch((err: unknown) => {
    if (err instanceof TeamError) throw new Response("Not found", { status: 404 });
    throw err;
  });
  return data(
    { user: staffLayoutData(context.env, session), ...page },
    { headers: STAFF_NO_STORE },
  );
}

type TeamsActionData = { error: string } | { done: true };

const STATUS: Record<TeamError["code"], number> = {
  not_found: 404,
  ended: 409,
  in_other_team: 409,
  too_many_leaders: 409,
  duplicate_recusal: 409,
  bad_member: 400,
  no_home: 400,
  no_organisation: 400,
  bad_district: 400,
  bad_unit: 400,
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const form = await request.formData().catch(() => undefined);
  assertCsrf(context.env, session.sessionId, request, form);
  const parsed = TeamsForm.safeParse(Object.fromEntries(form ?? []));
  if (!parsed.success)
    return data<TeamsActionData>({ error: "badInput" }, { status: 400, headers: STAFF_NO_STORE });
  try {
    await changeTeams(context.db, session, params.roundId ?? "", parsed.data);
  } catch (err) {
    if (!(err instanceof TeamError)) throw err;
    return data<TeamsActionData>(
      { error: err.code },
      { status: STATUS[err.code], headers: STAFF_NO_STORE },
    );
  }
  return data<TeamsActionData>({ done: true }, { headers: STAFF_NO_STORE });
}

export default function RoundTeams() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, locale } = useI18n();
  const en = locale === "en";
  const { user, round } = page;
  const districtName = (id: string | null) => {
    const d = page.districts.find((x) => x.id === id);
    return d ? (en ? d.nameEn : d.nameZh) : (id ?? "—");
  };
  const teamName = (id: string | null) => {
    const x = page.teams.find((tm) => tm.id === id);
    return x ? (en ? x.nameEn : x.nameZh) : "";
  };
  const person = (id: string) => page.people.find((p) => p.id === id);
  const personLabel = (id: string) => {
    const p = person(id);
    return p ? `${p.name} (${p.username})` : id;
  };
  const unitName = (id: string | null) => {
    const u = page.units.find((x) => x.id === id);
    return u ? (en ? u.nameEn : u.nameZh) : "";
  };
  const roleOptions = TEAM_ROLES.map((r) => (
    <option key={r} value={r}>
      {t(`office.teams.roles.${r}` as MessageKey)}
    </option>
  ));
  const csrf = <input type="hidden" name="csrf" value={user.csrf} />;
  const error = result && "error" in result ? result.error : null;
  const assistance = round.mode === "assistance";

  return (
    <StaffLayout user={user}>
      <section className="office-teams" aria-labelledby="teams-title">
        <p>
          <a href={`/staff/admin/rounds/${round.id}`}>{t("office.teams.back")}</a>
        </p>
        <h1 id="teams-title">
          {t("office.teams.title", { round: en ? round.nameEn : round.nameZh })}
        </h1>
        <p className="muted">
          {t(`office.rounds.modes.${round.mode}` as MessageKey)} ·{" "}
          {t("office.rounds.window", {
            start: formatDate(locale, round.startsAtMs),
            end: formatDate(locale, round.endsAtMs - 1),
          })}
        </p>
        <p>{t("office.teams.intro")}</p>
        {error ? (
          <p className="notice notice-danger" role="alert" data-error={error}>
            {t(
              (error === "badInput"
                ? "office.teams.errors.badInput"
                : `office.teams.errors.${error}`) as MessageKey,
            )}
          </p>
        ) : result ? (
          <p className="notice" role="status">
            {t("office.teams.done")}
          </p>
        ) : null}
        {round.ended ? (
          <p className="notice notice-warn">{t("office.teams.ended")}</p>
        ) : (
          <p className="hint">
            {t("office.teams.rosterNote")}{" "}
            <a href="/staff/admin/rosters">{t("office.teams.signRosters")}</a>
          </p>
        )}

        {assistance ? (
          <p className="hint">
            {t("office.teams.organisationNote")}{" "}
            <a href="/staff/admin/staff">{t("office.teams.staffPage")}</a>
          </p>
        ) : null}
        {page.teams.length === 0 ? <p>{t("office.teams.noTeams")}</p> : null}
        {page.teams.map((team) => (
          <article
            key={team.id}
            className="card team-card"
            data-team={team.id}
            aria-labelledby={`team-${team.id}`}
          >
            <h2 id={`team-${team.id}`}>{en ? team.nameEn : team.nameZh}</h2>
            <p className="muted">
              {team.homeDistrictId
                ? t("office.teams.home", { district: districtName(team.homeDistrictId) })
                : t("office.teams.mixed")}
            </p>
            {team.members.length === 0 ? <p>{t("office.teams.noMembers")}</p> : null}
            <ul className="team-members">
              {team.members.map((m) => (
                <li key={m.staffId} data-member={m.staffId} data-role={m.role}>
                  <p>
                    <strong>{m.name}</strong> <code>{m.username}</code>{" "}
                    <span className="tag">{t(`office.teams.roles.${m.role}` as MessageKey)}</span>{" "}
                    <span className="muted">
                      {t("office.teams.memberHome", { district: districtName(m.home) })}
                      {m.organisation ? (
                        <span data-organisation={m.organisation}>
                          {" · "}
                          {t("office.teams.memberOrganisation", { organisation: m.organisation })}
                        </span>
                      ) : null}
                    </span>
                    {!m.organisation && assistance ? (
                      <>
                        {" "}
                        <span className="tag tag-due" data-organisation="">
                          {t("office.teams.noOrganisation")}
                        </span>
                      </>
                    ) : null}
                  </p>
                  {round.ended ? null : (
                    <div className="team-member-actions">
                      <Form method="post" className="inline-form">
                        {csrf}
                        <input type="hidden" name="intent" value="set-role" />
                        <input type="hidden" name="teamId" value={team.id} />
                        <input type="hidden" name="staffId" value={m.staffId} />
                        <label htmlFor={`role-${team.id}-${m.staffId}`} className="visually-hidden">
                          {t("office.teams.role")}
                        </label>
                        <select
                          id={`role-${team.id}-${m.staffId}`}
                          name="role"
                          defaultValue={m.role}
                        >
                          {roleOptions}
                        </select>
                        <button type="submit" className="button button-quiet" disabled={busy}>
                          {t("office.teams.setRole")}
                        </button>
                      </Form>
                      <Form method="post" className="inline-form">
                        {csrf}
                        <input type="hidden" name="intent" value="remove-member" />
                        <input type="hidden" name="teamId" value={team.id} />
                        <input type="hidden" name="staffId" value={m.staffId} />
                        <button type="submit" className="button button-quiet" disabled={busy}>
                          {t("office.teams.remove")}
                        </button>
                      </Form>
                    </div>
                  )}
                </li>
              ))}
            </ul>
            {round.ended ? null : (
              <Form method="post" className="office-form">
                {csrf}
                <input type="hidden" name="intent" value="add-member" />
                <input type="hidden" name="teamId" value={team.id} />
                <h3>{t("office.teams.addMember")}</h3>
                <label htmlFor={`add-${team.id}`}>{t("office.teams.person")}</label>
                <select id={`add-${team.id}`} name="staffId" required defaultValue="">
                  <option value="" disabled>
                    {t("office.teams.choose")}
                  </option>
                  {page.people.map((p) => {
                    const noOrganisation = assistance && !p.organisation;
                    return (
                      <option
                        key={p.id}
                        value={p.id}
                        disabled={p.teamId !== null || noOrganisation}
                      >
                        {`${p.name} (${p.username}) · ${districtName(p.home)}`}
                        {p.organisation ? ` · ${p.organisation}` : ""}
                        {p.teamId
                          ? ` ${t("office.teams.inTeam", { team: teamName(p.teamId) })}`
                          : noOrganisation
                            ? ` ${t("office.teams.needsOrganisation")}`
                            : ""}
                      </option>
                    );
                  })}
                </select>
                <label htmlFor={`add-role-${team.id}`}>{t("office.teams.role")}</label>
                <select id={`add-role-${team.id}`} name="role" defaultValue="member">
                  {roleOptions}
                </select>
                <button type="submit" className="button" disabled={busy}>
                  {t("office.teams.add")}
                </button>
              </Form>
            )}
          </article>
        ))}

        {round.ended ? null : (
          <>
            <h2 id="team-create">{t("office.teams.createTeam")}</h2>
            <Form method="post" className="office-form" aria-labelledby="team-create">
              {csrf}
              <input type="hidden" name="intent" value="create-team" />
              <label htmlFor="team-name-zh">{t("office.teams.nameZh")}</label>
              <input id="team-name-zh" name="nameZh" required maxLength={100} />
              <label htmlFor="team-name-en">{t("office.teams.nameEn")}</label>
              <input id="team-name-en" name="nameEn" required maxLength={100} />
              <label htmlFor="team-home">{t("office.teams.homeDistrict")}</label>
              <select id="team-home" name="homeDistrictId" defaultValue="">
                <option value="">{t("office.teams.noHomeDistrict")}</option>
                {page.districts.map((d) => (
                  <option key={d.id} value={d.id}>
                    {en ? d.nameEn : d.nameZh}
                  </option>
                ))}
              </select>
              <button type="submit" className="button" disabled={busy}>
                {t("office.teams.create")}
              </button>
            </Form>
          </>
        )}

        <h2 id="recusals-title">{t("office.teams.recusals")}</h2>
        <p className="hint">{t("office.teams.recusalsIntro")}</p>
        {page.recusals.length === 0 ? <p>{t("office.teams.noRecusals")}</p> : null}
        <ul className="recusal-list">
          {page.recusals.map((r) => (
            <li key={r.id} className="card" data-recusal={r.id}>
              <p>
                {t("office.teams.recusalItem", {
                  person: personLabel(r.staffId),
                  place: r.unitId
                    ? `${districtName(r.districtId)} · ${unitName(r.unitId)}`
                    : `${districtName(r.districtId)} (${t("office.teams.wholeDistrict")})`,
                })}
              </p>
              <p className="muted">
                {r.reason} ·{" "}
                {t("office.teams.recordedOn", { date: formatDate(locale, r.createdAtMs) })}
              </p>
              <Form method="post">
                {csrf}
                <input type="hidden" name="intent" value="withdraw-recusal" />
                <input type="hidden" name="recusalId" value={r.id} />
                <button type="submit" className="button button-quiet" disabled={busy}>
                  {t("office.teams.withdraw")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" className="office-form" aria-labelledby="recusal-add">
          {csrf}
          <input type="hidden" name="intent" value="add-recusal" />
          <h3 id="recusal-add">{t("office.teams.addRecusal")}</h3>
          <label htmlFor="recusal-person">{t("office.teams.person")}</label>
          <select id="recusal-person" name="staffId" required defaultValue="">
            <option value="" disabled>
              {t("office.teams.choose")}
            </option>
            {page.people.map((p) => (
              <option key={p.id} value={p.id}>
                {`${p.name} (${p.username})`}
              </option>
            ))}
          </select>
          <label htmlFor="recusal-district">{t("office.teams.district")}</label>
          <select id="recusal-district" name="districtId" required defaultValue="">
            <option value="" disabled>
              {t("office.teams.choose")}
            </option>
            {page.districts.map((d) => (
              <option key={d.id} value={d.id}>
                {en ? d.nameEn : d.nameZh}
              </option>
            ))}
          </select>
          <label htmlFor="recusal-unit">{t("office.teams.unit")}</label>
          <select id="recusal-unit" name="unitId" defaultValue="">
            <option value="">{t("office.teams.wholeDistrict")}</option>
            {page.districts.map((d) => {
              const list = page.units.filter((u) => u.districtId === d.id);
              return list.length === 0 ? null : (
                <optgroup key={d.id} label={en ? d.nameEn : d.nameZh}>
                  {list.map((u) => (
                    <option key={u.id} value={u.id}>
                      {en ? u.nameEn : u.nameZh}
                    </option>
                  ))}
                </optgroup>
              );
            })}
          </select>
          <label htmlFor="recusal-reason">{t("office.teams.reason")}</label>
          <textarea id="recusal-reason" name="reason" required maxLength={500} rows={3} />
          <button type="submit" className="button" disabled={busy}>
            {t("office.teams.addRecusal")}
          </button>
        </Form>
      </section>
    </StaffLayout>
  );
}
