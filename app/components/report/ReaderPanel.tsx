/**
 * "Who will be able to read your report", shown before the resident writes anything. The promise
 * comes first, in plain words (only the visiting team; no local cadre, not the site's operators);
 * the fingerprints are there for whoever wants to check them, behind "check the keys".
 */
import { useI18n } from "~/i18n/use-t";
import type { ReaderPanel as Panel } from "~/services/report.server";

type Role = "leader" | "deputy_leader" | "liaison" | "member" | "office";

export function ReaderPanel({
  panel,
  teamWindows,
  districtName,
}: {
  panel: Panel | null;
  /** each team's stationing window, written out by the loader (no date formatting here) */
  teamWindows: string[];
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
  // One visiting team: name where it comes from. Several, or a mixed team: the district's team(s).
  const team = panel.routedTo === "team" ? panel.teams[0] : undefined;
  const single = panel.teams.length === 1;
  const home = single && team?.homeZh ? (en ? team.homeEn : team.homeZh) : null;
  const promise = !team
    ? t("resident.readers.promiseOffice")
    : home
      ? t("resident.readers.promiseTeam", { home })
      : t("resident.readers.promiseMixed", { district: districtName });
  return (
    <section
      className="card readers promise"
      aria-labelledby="readers-title"
      data-district={districtName}
    >
      <h2 id="readers-title">{promise}</h2>
      <p>
        {t("resident.readers.notLocal", { district: districtName })}
        {panel.localsExcluded > 0
          ? `${en ? " " : ""}${t("resident.readers.localsExcluded", {
              count: panel.localsExcluded,
              district: districtName,
            })}`
          : null}
      </p>
      {panel.routedTo === "office" ? (
        <p className="notice notice-warn">{t("resident.readers.officeNotice")}</p>
      ) : null}
      <p className="hint">{t("resident.readers.unitRecusal")}</p>
      <p className="hint js-only">{t("resident.readers.howJs")}</p>
      <p className="hint nojs-only">{t("resident.readers.howNoJs")}</p>
      <details className="check-keys">
        <summary>{t("resident.readers.checkKeys")}</summary>
        {panel.teams.map((s, i) => (
          <dl className="facts" key={s.nameZh + s.startsAt}>
            <dt>{t("resident.readers.team")}</dt>
            <dd>{en ? s.nameEn : s.nameZh}</dd>
            <dt>{t("resident.readers.home")}</dt>
            <dd>{s.homeZh ? (en ? s.homeEn : s.homeZh) : t("resident.readers.mixedTeam")}</dd>
            <dt>{t("resident.readers.window")}</dt>
            <dd>{teamWindows[i]}</dd>
          </dl>
        ))}
        <p className="hint">{t("resident.readers.keysIntro")}</p>
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
      </details>
    </section>
  );
}
