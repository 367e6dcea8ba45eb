/**
 * /staff/admin/directory — the office's key directory (issue 10 item 7): for each district of the
 * office's jurisdiction, who reads a tip sent now (the same routing a report runs, from the signed
 * rosters), and warnings: nobody can read, only the office fallback reads, a stationed team without
 * a current signed roster, readers who stop within 7 days. Read-only; key-directory.server.ts.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { formatDate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { staffLayoutData } from "~/services/auth.server";
import {
  ENDING_SOON_DAYS,
  keyDirectory,
  type DirectoryDistrict,
  type DirectoryWarning,
  type Names,
} from "~/services/key-directory.server";
import { requirePermission } from "~/services/permissions.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "roster:sign:office");
  const now = new Date();
  return data(
    {
      user: staffLayoutData(context.env, session),
      nowMs: now.getTime(),
      // A .server module's constant is not in the browser bundle: the page gets it as data.
      endingSoonDays: ENDING_SOON_DAYS,
      districts: await keyDirectory(context.db, context.env, session.staff.jurisdictionId, now),
    },
    { headers: STAFF_NO_STORE },
  );
}

const STATUS_TAG: Record<DirectoryDistrict["routedTo"], string> = {
  team: "tag tag-ok",
  office: "tag tag-due",
  none: "tag tag-danger",
};

export default function KeyDirectory() {
  const { user, districts, endingSoonDays } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const name = (n: Names) => (locale === "en" ? n.en : n.zh);
  const date = (ms: number) => formatDate(locale, ms);
  const count = (routedTo: DirectoryDistrict["routedTo"]) =>
    districts.filter((d) => d.routedTo === routedTo).length;
  const flagged = districts.filter((d) => d.warnings.length > 0);

  function warningText(w: DirectoryWarning): string {
    switch (w.kind) {
      case "no_reader":
        return t("office.directory.warn.no_reader");
      case "office_only":
        return t("office.directory.warn.office_only");
      case "unsigned":
        return t("office.directory.warn.unsigned", { team: name(w.team) });
      case "roster_unusable":
        return t("office.directory.warn.roster_unusable", { team: name(w.team) });
      case "ending_soon":
        return w.next
          ? t("office.directory.warn.ending_next", {
              team: name(w.team),
              date: date(w.untilMs),
              next: name(w.next.team),
              start: date(w.next.startsAtMs),
            })
          : t("office.directory.warn.ending_none", {
              team: name(w.team),
              date: date(w.untilMs),
            });
    }
  }

  // Zone headings as the registry orders them.
  const zones: { zone: Names | null; districts: DirectoryDistrict[] }[] = [];
  for (const d of districts) {
    const last = zones[zones.length - 1];
    if (last && JSON.stringify(last.zone) === JSON.stringify(d.zone)) last.districts.push(d);
    else zones.push({ zone: d.zone, districts: [d] });
  }

  return (
    <StaffLayout user={user}>
      <section className="cases office-directory" aria-labelledby="directory-title">
        <h1 id="directory-title">{t("office.directory.title")}</h1>
        <p>{t("office.directory.intro", { days: endingSoonDays })}</p>
        <p className="office-directory-summary" data-summary="">
          {t("office.directory.summary", {
            total: districts.length,
            team: count("team"),
            office: count("office"),
            none: count("none"),
          })}
        </p>
        {flagged.length > 0 ? (
          <div className="notice notice-warn" role="status">
            <h2>{t("office.directory.attention", { count: flagged.length })}</h2>
            <ul className="office-directory-flags">
              {flagged.map((d) => (
                <li key={d.id}>
                  <a href={`#district-${d.id}`}>{name(d.name)}</a>
                  {t("office.directory.colon")}
                  {d.warnings.map(warningText).join(t("office.directory.sep"))}
                </li>
              ))}
            </ul>
            <p>
              <Link to="/staff/admin/rosters">{t("office.directory.toRosters")}</Link>
            </p>
          </div>
        ) : (
          <p className="notice">{t("office.directory.allGood")}</p>
        )}
        {zones.map((z, i) => (
          <section key={z.zone ? z.zone.zh : `none-${i}`} className="office-directory-zone">
            <h2>{z.zone ? name(z.zone) : t("office.directory.noZone")}</h2>
            <ul className="office-directory-list">
              {z.districts.map((d) => (
                <li
                  key={d.id}
                  id={`district-${d.id}`}
                  className="card"
                  data-district={d.id}
                  data-routed={d.routedTo}
                  data-warnings={d.warnings.map((w) => w.kind).join(" ")}
                >
                  <h3>
                    {name(d.name)}{" "}
                    <span className={STATUS_TAG[d.routedTo]}>
                      {t(`office.directory.routed.${d.routedTo}` as MessageKey)}
                    </span>
                  </h3>
                  {d.warnings.length > 0 ? (
                    <ul className="office-directory-warnings">
                      {d.warnings.map((w, j) => (
                        <li key={j} data-warning={w.kind}>
                          {warningText(w)}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <dl className="facts">
                    <dt>{t("office.directory.stationed")}</dt>
                    <dd>
                      {d.stationed.length === 0
                        ? t("office.directory.nobodyStationed")
                        : d.stationed
                            .map((s) =>
                              t("office.directory.stationing", {
                                team: name(s.team),
                                start: date(s.startsAtMs),
                                end: date(s.endsAtMs),
                              }),
                            )
                            .join(t("office.directory.sep"))}
                    </dd>
                    <dt>{t("office.directory.next")}</dt>
                    <dd>
                      {d.next
                        ? t("office.directory.nextValue", {
                            team: name(d.next.team),
                            start: date(d.next.startsAtMs),
                          })
                        : t("office.directory.noNext")}
                    </dd>
                  </dl>
                  {d.readers.length > 0 ? (
                    <div
                      className="audit-table-wrap"
                      // Scrolls sideways on a phone: focusable so that keyboards can scroll it too.
                      tabIndex={0}
                      role="region"
                      aria-label={`${name(d.name)} · ${t("office.directory.readers", {
                        count: d.readers.length,
                      })}`}
                    >
                      <table className="audit-table">
                        <caption>
                          {t("office.directory.readers", { count: d.readers.length })}
                        </caption>
                        <thead>
                          <tr>
                            <th scope="col">{t("office.rosters.reader")}</th>
                            <th scope="col">{t("office.rosters.role")}</th>
                            <th scope="col">{t("office.directory.team")}</th>
                            <th scope="col">{t("office.rosters.home")}</th>
                            <th scope="col">{t("office.directory.fingerprint")}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {d.readers.map((r) => (
                            <tr key={r.staffId} data-reader={r.staffId}>
                              <td>{r.name}</td>
                              <td>{t(`office.rosters.roles.${r.role}` as MessageKey)}</td>
                              <td>{r.team ? name(r.team) : t("office.rosters.kindOffice")}</td>
                              <td>{r.home ? name(r.home) : t("office.rosters.noHome")}</td>
                              <td className="cases-fingerprint">{r.fingerprint}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </section>
    </StaffLayout>
  );
}
