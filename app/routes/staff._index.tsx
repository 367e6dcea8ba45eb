/**
 * /staff — the workspace landing page: who I am, my team and where it is stationed, shortcuts.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { STAFF_NAV, StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { formatDate } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import { myTeams, staffLayoutData } from "~/services/auth.server";
import { findDistrict } from "~/services/directory.server";
import { requireStaff } from "~/services/sessions.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireStaff(context.db, request);
  const { staff, roles } = session;
  const home = staff.homeDistrictId ? await findDistrict(context.db, staff.homeDistrictId) : null;
  return data(
    {
      user: staffLayoutData(context.env, session),
      roles,
      home: home ? { zh: home.nameZh, en: home.nameEn } : null,
      teams: await myTeams(context.db, staff.id),
    },
    { headers: STAFF_NO_STORE },
  );
}

export default function StaffHome() {
  const { user, roles, home, teams } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  const shortcuts = STAFF_NAV.filter(
    (i) => i.href !== "/staff" && (!i.permission || user.permissions.includes(i.permission)),
  );
  return (
    <StaffLayout user={user}>
      <section aria-labelledby="staff-title">
        <h1 id="staff-title">{t("staff.title")}</h1>
        <p>{t("staff.signedInAs", { name: user.displayName })}</p>
        <dl className="facts card">
          <dt>{t("staff.roles")}</dt>
          <dd>{roles.map((r) => t(`staff.role.${r}`)).join(en ? ", " : "、")}</dd>
          <dt>{t("staff.homeDistrict")}</dt>
          <dd>{home ? (en ? home.en : home.zh) : t("staff.none")}</dd>
          <dt>{t("staff.team")}</dt>
          <dd>
            {teams.length === 0 ? (
              t("staff.noTeam")
            ) : (
              <ul className="staff-teams">
                {teams.map((team) => (
                  <li key={team.id}>
                    {en ? team.nameEn : team.nameZh}
                    {team.stationings.map((s) => (
                      <span key={s.districtZh + s.endsAt} className="tag">
                        {t("staff.stationedIn", {
                          district: en ? s.districtEn : s.districtZh,
                          date: formatDate(locale, s.endsAt),
                        })}
                      </span>
                    ))}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
        <h2>{t("staff.links")}</h2>
        <ul className="staff-shortcuts">
          {shortcuts.map((i) => (
            <li key={i.href}>
              <a className="button button-quiet" href={i.href}>
                {t(i.label)}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </StaffLayout>
  );
}
