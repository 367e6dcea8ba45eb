/**
 * /staff/admin/staff — the inspection office's staff list for its own jurisdiction: invite a new
 * member (the one-time link is shown once), record the office a member is sent from (their home
 * organisation, required for assistance rounds), disable a member, or reset one (new invitation).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { serverT } from "~/i18n/messages.server";
import { useI18n } from "~/i18n/use-t";
import { staffLayoutData, USERNAME_MAX_LENGTH } from "~/services/auth.server";
import { assertCsrf } from "~/services/csrf.server";
import {
  disableMember,
  districtsOf,
  INVITABLE_ROLES,
  INVITE_TTL_MS,
  inviteMember,
  listMembers,
  resetMember,
  setHomeOrganisation,
} from "~/services/invitations.server";
import { requirePermission } from "~/services/permissions.server";
import { AdminStaffAction, homeOrganisationIssue } from "~/services/staff-forms.server";
import { HOME_ORGANISATION_MAX_LENGTH } from "~/shared/home-organisation";
import { filterMembers, parseStaffFilter, STAFF_FILTER_MAX_LENGTH } from "~/shared/staff-filter";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const j = session.staff.jurisdictionId;
  const members = await listMembers(context.db, j, { auditActorId: session.staff.id });
  const districts = await districtsOf(context.db, j);
  const { t } = serverT(request);
  const parsed = parseStaffFilter(
    new URL(request.url).searchParams,
    districts.map((d) => d.id),
  );
  const filter = parsed.ok ? parsed.filter : { q: "", home: "" };
  const names = new Map(districts.map((d) => [d.id, [d.nameZh, d.nameEn]]));
  return data(
    {
      user: staffLayoutData(context.env, session),
      selfId: session.staff.id,
      members: filterMembers(members, filter, (id) => names.get(id) ?? []),
      total: members.length,
      filter,
      // A value the filter form cannot send: said on the page, with a 400, and everyone shown.
      filterError: parsed.ok
        ? null
        : parsed.reason === "too_long"
          ? t("staff.admin.filterTooLong", { max: STAFF_FILTER_MAX_LENGTH })
          : t("staff.admin.filterBadDistrict"),
      districts,
      roles: [...INVITABLE_ROLES],
    },
    { status: parsed.ok ? 200 : 400, headers: STAFF_NO_STORE },
  );
}

interface AdminActionData {
  error?: string;
  notice?: string;
  inviteLink?: string;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const form = await request.formData().catch(() => undefined);
  assertCsrf(context.env, session.sessionId, request, form);
  const { t } = serverT(request);
  const parsed = AdminStaffAction.safeParse(Object.fromEntries(form ?? []));
  const fail = (error: string, status = 400) =>
    data<AdminActionData>({ error }, { status, headers: STAFF_NO_STORE });
  const badOrganisation = (reason: "too_long" | "control") =>
    fail(
      reason === "control"
        ? t("staff.admin.organisationControl")
        : t("staff.admin.organisationTooLong", { max: HOME_ORGANISATION_MAX_LENGTH }),
    );
  if (!parsed.success) {
    const reason = homeOrganisationIssue(parsed.error);
    return reason ? badOrganisation(reason) : fail(t("staff.admin.badInput"));
  }
  const link = (token: string) => `${context.env.publicOrigin}/staff/invite/${token}`;
  const input = parsed.data;
  if (input.intent === "invite") {
    const result = await inviteMember(context.db, session, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      homeDistrictId: input.homeDistrictId || null,
      homeOrganisation: input.homeOrganisation,
    });
    if (result.kind === "taken") return fail(t("staff.admin.usernameTaken"), 409);
    if (result.kind === "bad_district") return fail(t("staff.admin.badInput"));
    if (result.kind === "bad_organisation") return badOrganisation(result.reason);
    return data<AdminActionData>({ inviteLink: link(result.token) }, { headers: STAFF_NO_STORE });
  }
  if (input.intent === "set-organisation") {
    const result = await setHomeOrganisation(
      context.db,
      session,
      input.staffId,
      input.homeOrganisation,
    );
    if (result.kind === "bad_organisation") return badOrganisation(result.reason);
    return data<AdminActionData>({ notice: t("staff.admin.done") }, { headers: STAFF_NO_STORE });
  }
  if (input.intent === "disable") {
    await disableMember(context.db, session, input.staffId);
    return data<AdminActionData>({ notice: t("staff.admin.done") }, { headers: STAFF_NO_STORE });
  }
  const token = await resetMember(context.db, session, input.staffId);
  return data<AdminActionData>({ inviteLink: link(token) }, { headers: STAFF_NO_STORE });
}

export default function StaffAdmin() {
  const { user, selfId, members, total, filter, filterError, districts, roles } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<AdminActionData>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  const districtName = (id: string) => {
    const d = districts.find((x) => x.id === id);
    return d ? (en ? d.nameEn : d.nameZh) : id;
  };
  return (
    <StaffLayout user={user}>
      <section aria-labelledby="admin-title">
        <h1 id="admin-title">{t("staff.admin.title")}</h1>
        <p className="muted">{t("staff.admin.intro")}</p>
        {actionData?.error ? (
          <p className="notice notice-danger" role="alert">
            {actionData.error}
          </p>
        ) : null}
        {actionData?.notice ? <p className="notice">{actionData.notice}</p> : null}
        {actionData?.inviteLink ? (
          <div className="notice notice-warn" role="status">
            <p>{t("staff.admin.inviteLink", { hours: INVITE_TTL_MS / 3_600_000 })}</p>
            <p>
              <code className="invite-link" data-testid="invite-link">
                {actionData.inviteLink}
              </code>
            </p>
          </div>
        ) : null}
        <p>
          <a href="#invite-title">{t("staff.admin.toInvite")}</a>
        </p>
        <form
          method="get"
          className="staff-filter card"
          role="search"
          aria-labelledby="filter-title"
        >
          <h2 id="filter-title">{t("staff.admin.filterTitle")}</h2>
          {filterError ? (
            <p className="notice notice-danger" role="alert" data-filter-error="">
              {filterError}
            </p>
          ) : null}
          <div className="staff-filter-fields">
            <div>
              <label htmlFor="f-q">{t("staff.admin.filterQuery")}</label>
              <input
                id="f-q"
                name="q"
                type="search"
                defaultValue={filter.q}
                maxLength={STAFF_FILTER_MAX_LENGTH}
              />
            </div>
            <div>
              <label htmlFor="f-home">{t("staff.admin.filterHome")}</label>
              <select id="f-home" name="home" defaultValue={filter.home}>
                <option value="">{t("staff.admin.filterAnyHome")}</option>
                {districts.map((d) => (
                  <option key={d.id} value={d.id}>
                    {en ? d.nameEn : d.nameZh}
                  </option>
                ))}
                <option value="none">{t("staff.admin.filterNoHome")}</option>
              </select>
            </div>
          </div>
          <div className="staff-filter-actions">
            <button type="submit" className="button button-quiet">
              {t("staff.admin.filterApply")}
            </button>
            {filter.q || filter.home ? <a href="?">{t("staff.admin.filterClear")}</a> : null}
          </div>
          <p className="muted" role="status" data-filter-count={members.length}>
            {t("staff.admin.filterCount", { shown: members.length, total })}
          </p>
        </form>
        {members.length === 0 ? <p>{t("staff.admin.filterNone")}</p> : null}
        <ul className="staff-members">
          {members.map((m) => (
            <li key={m.id} className="card">
              <p>
                <strong>{m.displayName}</strong> <code>{m.username}</code>{" "}
                <span className={m.status === "active" ? "tag tag-ok" : "tag"}>
                  {t(`staff.admin.${m.status}`)}
                </span>
              </p>
              <p className="muted">
                {m.roles.map((r) => t(`staff.role.${r}`)).join(en ? ", " : "、")}
              </p>
              <p className="staff-member-origin" data-home-organisation={m.homeOrganisation ?? ""}>
                {t("staff.admin.origin", {
                  district: m.homeDistrictId
                    ? districtName(m.homeDistrictId)
                    : t("staff.admin.noHomeShort"),
                  organisation: m.homeOrganisation ?? t("staff.admin.noOrganisation"),
                })}
              </p>
              <form method="post" className="inline-form staff-organisation-form">
                <input type="hidden" name="csrf" value={user.csrf} />
                <input type="hidden" name="staffId" value={m.id} />
                <label htmlFor={`org-${m.id}`}>{t("staff.admin.homeOrganisation")}</label>
                <input
                  id={`org-${m.id}`}
                  name="homeOrganisation"
                  defaultValue={m.homeOrganisation ?? ""}
                  maxLength={HOME_ORGANISATION_MAX_LENGTH}
                  placeholder={t("staff.admin.organisationExample")}
                />
                <button
                  type="submit"
                  name="intent"
                  value="set-organisation"
                  className="button button-quiet"
                >
                  {t("staff.admin.saveOrganisation")}
                </button>
              </form>
              {m.id === selfId ? null : (
                <div className="staff-member-actions">
                  {m.status === "disabled" ? null : (
                    <form method="post">
                      <input type="hidden" name="csrf" value={user.csrf} />
                      <input type="hidden" name="staffId" value={m.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="disable"
                        className="button button-quiet"
                      >
                        {t("staff.admin.disable")}
                      </button>
                    </form>
                  )}
                  <form method="post">
                    <input type="hidden" name="csrf" value={user.csrf} />
                    <input type="hidden" name="staffId" value={m.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="reset"
                      className="button button-quiet"
                    >
                      {t("staff.admin.reset")}
                    </button>
                  </form>
                </div>
              )}
            </li>
          ))}
        </ul>
        <h2 id="invite-title">{t("staff.admin.inviteTitle")}</h2>
        <form method="post" className="staff-form card">
          <input type="hidden" name="csrf" value={user.csrf} />
          <label htmlFor="i-name">{t("staff.admin.displayName")}</label>
          <input id="i-name" name="displayName" required maxLength={100} />
          <label htmlFor="i-username">{t("staff.admin.username")}</label>
          <input
            id="i-username"
            name="username"
            required
            maxLength={USERNAME_MAX_LENGTH}
            pattern="[A-Za-z0-9._\-]+"
            autoCapitalize="none"
            spellCheck={false}
          />
          <label htmlFor="i-role">{t("staff.admin.role")}</label>
          <select id="i-role" name="role" defaultValue="inspector">
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`staff.role.${r}`)}
              </option>
            ))}
          </select>
          <label htmlFor="i-home">{t("staff.admin.homeDistrict")}</label>
          <select id="i-home" name="homeDistrictId" defaultValue="">
            <option value="">{t("staff.admin.noHome")}</option>
            {districts.map((d) => (
              <option key={d.id} value={d.id}>
                {en ? d.nameEn : d.nameZh}
              </option>
            ))}
          </select>
          <label htmlFor="i-org">{t("staff.admin.homeOrganisation")}</label>
          <input
            id="i-org"
            name="homeOrganisation"
            maxLength={HOME_ORGANISATION_MAX_LENGTH}
            placeholder={t("staff.admin.organisationExample")}
            aria-describedby="i-org-hint"
          />
          <p id="i-org-hint" className="hint">
            {t("staff.admin.organisationHint")}
          </p>
          <button type="submit" name="intent" value="invite" className="button">
            {t("staff.admin.invite")}
          </button>
        </form>
      </section>
    </StaffLayout>
  );
}
