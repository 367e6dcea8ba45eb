/**
 * Step 1: pick a district. A search box filters the list as the resident types (JavaScript) or
 * on submit (a plain GET form without JavaScript). No map needed.
 */
import { useState } from "react";
import { useI18n } from "~/i18n/use-t";
import type { DistrictChoice } from "~/services/report.server";

function matches(q: string, names: string[]): boolean {
  const needle = q.trim().toLowerCase();
  return needle === "" || names.some((n) => n.toLowerCase().includes(needle));
}

export function DistrictChooser({
  choices,
  initialQuery,
}: {
  choices: DistrictChoice[];
  initialQuery: string;
}) {
  const { t, locale } = useI18n();
  const en = locale === "en";
  const [q, setQ] = useState(initialQuery);
  const groups = choices
    .map((j) => ({
      ...j,
      zones: j.zones
        .map((z) => ({
          ...z,
          districts: z.districts.filter((d) => matches(q, [d.nameZh, d.nameEn, d.id])),
        }))
        .filter((z) => z.districts.length > 0),
    }))
    .filter((j) => j.zones.length > 0);
  return (
    <section aria-labelledby="choose-title">
      <h2 id="choose-title">{t("resident.chooseDistrict.title")}</h2>
      <p>{t("resident.chooseDistrict.intro")}</p>
      <form
        method="get"
        action="/report"
        className="search-row"
        role="search"
        onSubmit={(e) => e.preventDefault()}
      >
        <label htmlFor="district-q">{t("resident.chooseDistrict.search")}</label>
        <p className="hint" id="district-q-hint">
          {t("resident.chooseDistrict.searchHint")}
        </p>
        <div className="search-controls">
          <input
            id="district-q"
            name="q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            aria-describedby="district-q-hint"
            autoComplete="off"
          />
          <button type="submit" className="button">
            {t("resident.chooseDistrict.searchButton")}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {groups.length === 0 ? (
          <p>
            {t("resident.chooseDistrict.noMatch", { q })}{" "}
            <a href="/report">{t("resident.chooseDistrict.showAll")}</a>
          </p>
        ) : null}
      </div>
      {groups.map((j) => (
        <section key={j.jurisdiction.id} className="choice-jurisdiction">
          <h3>{en ? j.jurisdiction.nameEn : j.jurisdiction.nameZh}</h3>
          {j.zones.map((z) => (
            <div key={z.zone?.id ?? "none"} className="zone">
              {/* Districts in no zone (e.g. a sending city) stand on their own, as on the home page. */}
              {z.zone ? <h4>{en ? z.zone.nameEn : z.zone.nameZh}</h4> : null}
              <ul className="choice-list">
                {z.districts.map((d) => (
                  <li key={d.id}>
                    <a
                      className="choice-link"
                      href={`/report?district=${encodeURIComponent(d.id)}`}
                    >
                      {en ? d.nameEn : d.nameZh}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </section>
  );
}
