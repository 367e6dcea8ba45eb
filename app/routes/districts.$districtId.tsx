import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDate } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import type { RouteHandle } from "~/route-handle";
import { districtOverview } from "~/services/directory.server";
import { nameSaysKind } from "~/shared/units";
import { parseDistrictId } from "~/services/public-home.server";

/** Plain HTML: no framework JavaScript (docs/architecture.md, "Zero-JavaScript pages"). */
export const handle: RouteHandle = { hydrate: false };

export async function loader({ params, context }: LoaderFunctionArgs) {
  const overview = await districtOverview(context.db, parseDistrictId(params), new Date());
  if (!overview) throw new Response("Not found", { status: 404 });
  const { district, zone, jurisdiction, stationed, units } = overview;
  return {
    district: { id: district.id, nameZh: district.nameZh, nameEn: district.nameEn },
    zone: zone ? { nameZh: zone.nameZh, nameEn: zone.nameEn } : null,
    jurisdiction: { nameZh: jurisdiction.nameZh, nameEn: jurisdiction.nameEn },
    stationed: stationed.map((s) => ({
      id: s.stationingId,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      team: s.team,
      round: s.round,
      authorisedByZh: s.authorisedByZh,
      authorisedByEn: s.authorisedByEn,
      dutyPhone: s.dutyPhone,
      letterBoxZh: s.letterBoxZh,
      letterBoxEn: s.letterBoxEn,
      units: s.units,
    })),
    units: units.map((u) => ({ id: u.id, kind: u.kind, nameZh: u.nameZh, nameEn: u.nameEn })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.district.nameZh} · ${data.district.nameEn}` }] : [];

export default function DistrictPage() {
  const { district, zone, jurisdiction, stationed, units } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  const name = (x: { nameZh: string; nameEn: string }) => (en ? x.nameEn : x.nameZh);
  const opt = (zh: string | null, enText: string | null) => (en ? enText : zh);
  const districtName = name(district);

  return (
    <>
      <p className="breadcrumb">
        <a href="/">{t("district.back")}</a>
      </p>
      <h1>{districtName}</h1>
      <p className="muted">
        {name(jurisdiction)}
        {zone ? ` · ${t("district.zone", { zone: name(zone) })}` : null}
      </p>

      <p>
        <a className="button button-block" href={`/report?district=${district.id}`}>
          {t("district.report", { district: districtName })}
        </a>
      </p>

      <h2>{t("district.stationedTeams")}</h2>
      {stationed.length === 0 ? (
        <div className="notice notice-warn">
          <p>
            <strong>{t("district.noTeamTitle", { district: districtName })}</strong>
          </p>
          <p>{t("district.noTeamBody")}</p>
        </div>
      ) : (
        <>
          {stationed.map((s) => (
            <article key={s.id} className="card team-card" aria-label={name(s.team)}>
              <h3>{name(s.team)}</h3>
              <dl className="facts">
                <dt>{t("district.comesFrom")}</dt>
                <dd>{s.team.homeDistrict ? name(s.team.homeDistrict) : t("district.mixedTeam")}</dd>
                <dt>{t("district.window")}</dt>
                <dd>
                  {t("district.windowValue", {
                    start: formatDate(locale, s.startsAt),
                    end: formatDate(locale, s.endsAt),
                  })}
                </dd>
                <dt>{t("district.round")}</dt>
                <dd>
                  {name(s.round)}
                  <br />
                  <span className="tag">{t(`roundMode.${s.round.mode}`)}</span>
                </dd>
                {opt(s.authorisedByZh, s.authorisedByEn) ? (
                  <>
                    <dt>{t("district.authorisedBy")}</dt>
                    <dd>
                      {opt(s.authorisedByZh, s.authorisedByEn)}
                      <br />
                      <span className="muted">{t("district.authorisedByNote")}</span>
                    </dd>
                  </>
                ) : null}
                {s.dutyPhone ? (
                  <>
                    <dt>{t("district.dutyPhone")}</dt>
                    <dd>
                      <a href={`tel:${s.dutyPhone.replace(/[^0-9+]/g, "")}`}>{s.dutyPhone}</a>
                    </dd>
                  </>
                ) : null}
                {opt(s.letterBoxZh, s.letterBoxEn) ? (
                  <>
                    <dt>{t("district.letterBox")}</dt>
                    <dd>{opt(s.letterBoxZh, s.letterBoxEn)}</dd>
                  </>
                ) : null}
                <dt>{t("district.inspects")}</dt>
                <dd>
                  {s.units.length === 0 ? (
                    t("district.wholeDistrict")
                  ) : (
                    <ul className="unit-list">
                      {s.units.map((u) => (
                        <li key={u.id}>
                          <UnitName unit={u} />
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </dl>
            </article>
          ))}
          <p className="notice">{t("district.notHome", { district: districtName })}</p>
        </>
      )}

      <h2>{t("district.unitsOfDistrict")}</h2>
      {units.length === 0 ? (
        <p className="muted">{t("district.noUnits")}</p>
      ) : (
        <ul className="unit-list">
          {units.map((u) => (
            <li key={u.id}>
              <UnitName unit={u} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type UnitKind =
  "village" | "community" | "organisation" | "school" | "court" | "enterprise" | "other";

/** "韩城桥村" rather than "韩城桥村 村": the kind tag only when the name does not say it. */
function UnitName({ unit }: { unit: { nameZh: string; nameEn: string; kind: string } }) {
  const { t, locale } = useI18n();
  const name = locale === "en" ? unit.nameEn : unit.nameZh;
  const kind = t(`unitKind.${unit.kind as UnitKind}`);
  return (
    <>
      {name}
      {nameSaysKind(name, kind) ? null : (
        <>
          {" "}
          <span className="tag">{kind}</span>
        </>
      )}
    </>
  );
}
