/** "Who will be able to read your report", shown before the resident writes anything. */
import { formatDate } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import type { ReaderPanel as Panel } from "~/services/report.server";

type Role = "leader" | "deputy_leader" | "liaison" | "member" | "office";

export function ReaderPanel({
  panel,
  districtName,
}: {
  panel: Panel | null;
  districtName: string;
}) {
  const { t, locale } = useI18n();
  const en = locale === "en";
  if (!panel) {
    return (
      <section
        className="notice notice-danger readers"
        aria-labelledby="readers-title"
        role="alert"
      >
        <h2 id="readers-title">{t("resident.readers.nobodyTitle")}</h2>
        <p>{t("resident.readers.nobodyBody")}</p>
      </section>
    );
  }
  return (
    <section className="card readers" aria-labelledby="readers-title" data-district={districtName}>
      <h2 id="readers-title">{t("resident.readers.title")}</h2>
      <p>{t("resident.readers.intro")}</p>
      {panel.routedTo === "office" ? (
        <p className="notice notice-warn">{t("resident.readers.officeNotice")}</p>
      ) : null}
      {panel.routedTo === "team"
        ? panel.teams.map((team) => (
            <dl className="facts" key={team.nameZh + team.startsAt}>
              <dt>{t("resident.readers.team")}</dt>
              <dd>{en ? team.nameEn : team.nameZh}</dd>
              <dt>{t("resident.readers.home")}</dt>
              <dd>
                {team.homeZh ? (en ? team.homeEn : team.homeZh) : t("resident.readers.mixedTeam")}
              </dd>
              <dt>{t("resident.readers.window")}</dt>
              <dd>
                {t("resident.readers.windowValue", {
                  start: formatDate(locale, team.startsAt),
                  end: formatDate(locale, team.endsAt),
                })}
              </dd>
            </dl>
          ))
        : null}
      <h3>{t("resident.readers.keys")}</h3>
      <ul className="key-list">
        {panel.readers.map((r) => (
          <li key={r.staffKeyId}>
            <span className="key-role">
              {t(`resident.readers.role.${(r.role ?? "office") as Role}`)}
            </span>{" "}
            <code className="fingerprint">{r.fingerprint}</code>
          </li>
        ))}
      </ul>
      <p className="hint">{t("resident.readers.keysHint")}</p>
      {panel.localsExcluded > 0 ? (
        <p className="notice">
          {t("resident.readers.localsExcluded", { count: panel.localsExcluded })}
        </p>
      ) : null}
    </section>
  );
}
