import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { districts } from "../../db/schema";
import { useI18n } from "~/i18n/use-t";
import { requireStaff } from "~/services/sessions.server";

export function loader({ request, context }: LoaderFunctionArgs) {
  const { staff, roles } = requireStaff(context.db, request);
  const home = staff.homeDistrictId
    ? context.db.select().from(districts).where(eq(districts.id, staff.homeDistrictId)).get()
    : undefined;
  return {
    displayName: staff.displayName,
    roles,
    home: home ? { zh: home.nameZh, en: home.nameEn } : null,
  };
}

export default function StaffHome() {
  const { displayName, roles, home } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">{t("staff.title")}</h1>
      <p>{t("staff.signedInAs", { name: displayName })}</p>
      <dl className="facts card">
        <dt>{t("staff.roles")}</dt>
        <dd>{roles.map((r) => t(`staff.role.${r}`)).join("、")}</dd>
        <dt>{t("staff.homeDistrict")}</dt>
        <dd>{home ? (locale === "en" ? home.en : home.zh) : t("staff.none")}</dd>
      </dl>
    </section>
  );
}
