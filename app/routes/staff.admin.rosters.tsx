/**
 * /staff/admin/rosters — the inspection office signs who may read which district's tips
 * (DESIGN §4, ADR 017). Every roster the registry calls for is listed with its team, districts,
 * window, readers and who is left out and why; the admin checks them and signs in this browser
 * (app/client/staff/rosters-client.ts: the key must be the office key compiled into the build, and
 * the bytes must say what the page shows). Routing uses a published roster from the next request.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { CaseNotice, type Notice } from "~/components/cases/CaseNotice";
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
import { requirePermission } from "~/services/permissions.server";
import { rosterPage, type RosterPageDraft } from "~/services/rosters.server";
import { officeOf } from "~/shared/trusted-offices";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "roster:sign:office");
  return data(
    {
      user: staffLayoutData(context.env, session),
      jurisdictionId: session.staff.jurisdictionId,
      drafts: await rosterPage(context.db, session.staff.jurisdictionId),
    },
    { headers: STAFF_NO_STORE },
  );
}

const due = (d: RosterPageDraft) => d.bytes !== null && !d.upToDate;

export default function AdminRosters() {
  const { user, jurisdictionId, drafts } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  const revalidator = useRevalidator();
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const office = officeOf(jurisdictionId);
  const pending = drafts.filter(due);
  // Due first, then those nobody can read, then the up-to-date ones.
  const rank = (d: RosterPageDraft) => (due(d) ? 0 : d.bytes === null ? 1 : 2);
  const ordered = [...drafts].sort((a, b) => rank(a) - rank(b));
  const name = (n: { zh: string; en: string }) => (en ? n.en : n.zh);

  function sign(e: FormEvent<HTMLFormElement>, which: RosterPageDraft[], id: string) {
    e.preventDefault();
    const form = e.currentTarget
      .closest("section")!
      .querySelector<HTMLInputElement>("#roster-passphrase");
    const passphrase = form?.value ?? "";
    if (!passphrase) {
      form?.focus();
      return;
    }
    setBusy(id);
    setNotice(null);
    void import("~/client/staff/rosters-client")
      .then((m) =>
        m.signRosters(
          user.csrf,
          passphrase,
          jurisdictionId,
          which.map((d) => ({
            kind: d.kind,
            rosterId: d.rosterId,
            bytes: d.bytes!,
            districtIds: d.districts.map((x) => x.id),
            validFromMs: d.validFromMs!,
            validUntilMs: d.validUntilMs!,
            readers: d.readers.map((r) => ({ memberId: r.memberId, role: r.role })),
          })),
        ),
      )
      .then(
        (count) => {
          setNotice({ ok: true, text: t("office.rosters.signed", { count }) });
          if (form) form.value = "";
          revalidator.revalidate();
        },
        (err: { code?: string; serverMessage?: string }) =>
          setNotice({
            ok: false,
            text:
              err.code && ["wrong", "not_office_key", "mismatch", "noKey"].includes(err.code)
                ? t(`office.rosters.errors.${err.code}` as MessageKey)
                : (err.serverMessage ?? t("cases.errors.network")),
          }),
      )
      .finally(() => setBusy(null));
  }

  return (
    <StaffLayout user={user}>
      <section className="cases office-rosters" aria-labelledby="rosters-title">
        <h1 id="rosters-title">{t("office.rosters.title")}</h1>
        <p>{t("office.rosters.intro")}</p>
        {office ? (
          <p className="hint">
            {t("office.rosters.officeKey", { fingerprint: office.fingerprint })}
          </p>
        ) : null}
        <CaseNotice notice={notice} />
        <form className="office-rosters-sign" onSubmit={(e) => sign(e, pending, "all")}>
          <label htmlFor="roster-passphrase">{t("office.rosters.passphrase")}</label>
          <input
            id="roster-passphrase"
            name="passphrase"
            type="password"
            autoComplete="current-password"
          />
          {pending.length > 0 ? (
            <button type="submit" className="button" disabled={busy !== null}>
              {busy === "all"
                ? t("office.rosters.working")
                : t("office.rosters.signAll", { count: pending.length })}
            </button>
          ) : (
            <p>{t("office.rosters.noneDue")}</p>
          )}
        </form>
        <ul className="office-rosters-list">
          {ordered.map((d) => (
            <li
              key={d.kind + d.rosterId}
              className="card"
              data-roster={d.rosterId}
              data-due={due(d) ? "yes" : "no"}
            >
              <h2>
                {d.kind === "team" && d.team
                  ? `${name(d.team)} → ${d.districts.map(name).join(t("office.plan.and"))}`
                  : d.kind === "receiving_body" && d.body
                    ? t("office.rosters.kindBody", { name: name(d.body) })
                    : t("office.rosters.kindOffice")}{" "}
                <span className={d.upToDate ? "tag tag-ok" : "tag tag-due"}>
                  {d.bytes === null
                    ? t(
                        d.kind === "receiving_body"
                          ? "office.rosters.noReceivers"
                          : "office.rosters.noReaders",
                      )
                    : d.upToDate
                      ? t("office.rosters.upToDate", { serial: d.publishedSerial ?? 0 })
                      : d.publishedSerial === null
                        ? t("office.rosters.dueFirst")
                        : t("office.rosters.due")}
                </span>
              </h2>
              <dl className="facts">
                <dt>
                  {d.kind === "team" ? t("office.rosters.kindTeam") : t("office.rosters.districts")}
                </dt>
                <dd>
                  {d.kind === "team"
                    ? d.rosterId
                    : d.kind === "receiving_body" && d.districts.length <= 3
                      ? d.districts.map(name).join(t("office.plan.and"))
                      : t("office.rosters.districtCount", { count: d.districts.length })}
                </dd>
                {d.validFromMs !== null && d.validUntilMs !== null ? (
                  <>
                    <dt>{t("office.rosters.window")}</dt>
                    <dd>
                      {t("office.rosters.windowValue", {
                        start: formatDate(locale, d.validFromMs),
                        end: formatDate(locale, d.validUntilMs),
                      })}
                    </dd>
                  </>
                ) : null}
              </dl>
              {d.bytes === null ? (
                <p className="notice notice-warn">
                  {t(
                    d.kind === "receiving_body"
                      ? "office.rosters.nobodyBody"
                      : "office.rosters.nobody",
                  )}
                </p>
              ) : (
                <div className="audit-table-wrap">
                  <table className="audit-table">
                    <caption>{t("office.rosters.readers")}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t("office.rosters.reader")}</th>
                        <th scope="col">{t("office.rosters.role")}</th>
                        <th scope="col">{t("office.rosters.home")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.readers.map((r) => (
                        <tr key={r.memberId} data-reader={r.memberId}>
                          <td>{r.name}</td>
                          <td>{t(`office.rosters.roles.${r.role}` as MessageKey)}</td>
                          <td>{r.home ? name(r.home) : t("office.rosters.noHome")}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {d.leftOut.length > 0 ? (
                <p className="hint" data-left-out="">
                  {t("office.rosters.leftOut", {
                    list: d.leftOut
                      .map((l) =>
                        t("office.rosters.leftOutItem", {
                          name: l.name,
                          why: t(`office.rosters.why.${l.why}` as MessageKey),
                        }),
                      )
                      .join(t("office.plan.and")),
                  })}
                </p>
              ) : null}
              {due(d) ? (
                <form onSubmit={(e) => sign(e, [d], d.rosterId)}>
                  <button type="submit" className="button button-quiet" disabled={busy !== null}>
                    {busy === d.rosterId ? t("office.rosters.working") : t("office.rosters.sign")}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </StaffLayout>
  );
}
