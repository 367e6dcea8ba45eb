/**
 * The office signing keys compiled into this build, with their fingerprints, for residents to
 * compare with the office's posted notices (DESIGN §4). Shown on the home page and /safety.
 */
import { useI18n } from "~/i18n/use-t";
import { TRUST } from "~/shared/trusted-offices";

export function OfficeKeys({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const { t, locale } = useI18n();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="card office-keys" aria-labelledby="office-keys-title" id="office-keys">
      <Heading id="office-keys-title">{t("trust.title")}</Heading>
      <p>{t("trust.intro")}</p>
      {TRUST.demo ? <p className="notice">{t("trust.demo")}</p> : null}
      <dl className="office-key-list">
        {TRUST.offices.map((o) => {
          const office = locale === "en" ? o.nameEn : o.nameZh;
          return (
            <div key={o.jurisdictionId} className="office-key">
              <dt>
                {office}
                <span className="office-key-covers">
                  {t("trust.covers", { count: o.districts.length })}
                </span>
              </dt>
              <dd>
                <code
                  className="fingerprint"
                  aria-label={t("trust.fingerprintOf", { office })}
                  translate="no"
                >
                  {o.fingerprint}
                </code>
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
