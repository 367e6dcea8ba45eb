/**
 * Why the inbox holds what it holds, in staff words: which district my team is stationed in,
 * and — for a local cadre seconded to a team stationed in their own home district — that the
 * home-district rule keeps those tips from them by design, so an empty inbox is not a fault.
 */
import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/use-t";
import type { InboxContext } from "~/services/inbox.server";

/** "Your team is stationed in: …" */
export function StationedLine({ context }: { context: InboxContext }) {
  const { t, locale } = useI18n();
  const en = locale === "en";
  const away = context.stationings.filter((s) => !s.home);
  if (away.length === 0) return null;
  return (
    <p className="cases-hint" data-testid="inbox-stationed">
      {t("cases.rules.stationed", {
        teams: away
          .map((s) =>
            t("cases.rules.teamIn", {
              team: en ? s.team.en : s.team.zh,
              district: en ? s.district.en : s.district.zh,
            }),
          )
          .join(en ? "; " : "；"),
      })}
    </p>
  );
}

/** The rules that explain an empty or partial inbox. */
export function InboxNotices({ context, total }: { context: InboxContext; total: number }) {
  const { t, locale } = useI18n();
  const en = locale === "en";
  const home = context.stationings.filter((s) => s.home);
  const away = context.stationings.filter((s) => !s.home);
  return (
    <>
      {home.map((s) => {
        const district = en ? s.district.en : s.district.zh;
        return (
          <div key={district} className="notice cases-rule" data-testid="home-district-rule">
            <h2>{t("cases.rules.homeTitle", { district })}</h2>
            <p>{t("cases.rules.homeBody", { district, team: en ? s.team.en : s.team.zh })}</p>
            <p>{t("cases.rules.homeHelp")}</p>
          </div>
        );
      })}
      {context.stationings.length === 0 ? (
        <p className="notice cases-rule" data-testid="no-stationing">
          {t("cases.rules.noStationing")}
        </p>
      ) : null}
      {!context.hasKey ? (
        <p className="notice cases-rule">
          {t("cases.rules.noKey")} <Link to="/staff/keys">{t("cases.nav.keys")}</Link>
        </p>
      ) : null}
      {total === 0 && away.length > 0 && context.hasKey ? (
        <p className="cases-hint">{t("cases.rules.emptyButStationed")}</p>
      ) : null}
    </>
  );
}
