import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDate } from "~/i18n/translate";
import { OfficeKeys } from "~/components/OfficeKeys";
import { useI18n } from "~/i18n/use-t";
import type { RouteHandle } from "~/route-handle";
import { orderedJurisdictions, parseRegion, publicHome } from "~/services/public-home.server";

/** Plain HTML: no framework JavaScript (docs/architecture.md, "Zero-JavaScript pages"). */
export const handle: RouteHandle = { hydrate: false };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const regions = (await orderedJurisdictions(context.db)).map((j) => ({
    id: j.id,
    nameZh: j.nameZh,
    nameEn: j.nameEn,
  }));
  const region = parseRegion(
    new URL(request.url).searchParams,
    regions.map((r) => r.id),
  );
  return {
    region: region ?? null,
    regions,
    jurisdictions: await publicHome(context.db, new Date(), region ?? undefined),
  };
}

export default function Home() {
  const { region, regions, jurisdictions } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const name = (x: { nameZh: string | null; nameEn: string | null }) =>
    (locale === "en" ? x.nameEn : x.nameZh) ?? "";
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t("home.title")}</h1>
        <p className="lead">
          {t("home.intro")}
          {locale === "en" ? " " : null}
          <span className="js-only">{t("home.introJs")}</span>
          {locale === "en" ? " " : null}
          <span className="nojs-only">{t("home.introNoJs")}</span>
        </p>
        <div className="hero-actions">
          <a className="button button-quiet" href="/status">
            {t("home.checkStatus")}
          </a>
          <a className="button button-quiet" href="/safety">
            {t("home.safety")}
          </a>
          <a className="button button-quiet" href="#office-keys">
            {t("trust.homeLink")}
          </a>
          <a className="button button-quiet" href="/results">
            {t("outcomes.board.homeLink")}
          </a>
        </div>
      </section>

      <nav aria-label={t("home.jurisdictionFilter")}>
        <ul className="jurisdiction-filter">
          <li>
            <a href="/" aria-current={region === null ? "page" : undefined}>
              {t("home.allJurisdictions")}
            </a>
          </li>
          {regions.map((r) => (
            <li key={r.id}>
              <a href={`/?region=${r.id}`} aria-current={region === r.id ? "page" : undefined}>
                {name(r)}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <h2>{t("home.pickDistrict")}</h2>
      {jurisdictions.map((j) => (
        <section key={j.id} className="jurisdiction" aria-labelledby={`j-${j.id}`}>
          <h2 id={`j-${j.id}`} className="jurisdiction-name">
            {name(j)}
          </h2>
          {j.zones.map((zone) => (
            <div key={zone.id} className="zone">
              {zone.nameZh ? <h3>{name(zone)}</h3> : null}
              <ul className="district-list">
                {zone.districts.map((d) => (
                  <li key={d.id}>
                    <a className="district-link" href={`/districts/${d.id}`}>
                      <span className="district-name">{name(d)}</span>
                      {d.teams.length === 0 ? (
                        <span className="district-team">{t("home.noTeam")}</span>
                      ) : (
                        d.teams.map((team, i) => (
                          <span className="district-team" key={i}>
                            {team.homeZh
                              ? t("home.teamFrom", {
                                  home: locale === "en" ? team.homeEn! : team.homeZh,
                                })
                              : locale === "en"
                                ? team.teamNameEn
                                : team.teamNameZh}
                            {" · "}
                            {t("home.until", { date: formatDate(locale, team.endsAt) })}
                          </span>
                        ))
                      )}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
      <OfficeKeys />
    </>
  );
}
