/**
 * /staff/admin/keys — the inspection office approves members' keys: compare the fingerprint with
 * the member, then sign the approval in this browser with the office key; the server activates
 * the key only if the signature verifies under the configured office public key.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
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
import { pendingKeys } from "~/services/keys.server";
import { activeKeysOf } from "~/services/key-revocation.server";
import { revokeKeyAction } from "~/services/office-keys-page.server";
import { requirePermission } from "~/services/permissions.server";
import { DEFAULT_APPROVAL_DAYS, MAX_APPROVAL_DAYS } from "~/shared/key-approval";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "key:sign:office");
  return data(
    {
      user: staffLayoutData(context.env, session),
      pending: await pendingKeys(context.db, session),
      active: await activeKeysOf(context.db, session.staff.jurisdictionId),
    },
    { headers: STAFF_NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(context.db, request, "key:sign:office");
  const { status, body } = await revokeKeyAction(context.db, context.env, session, request);
  return data(body, { status, headers: STAFF_NO_STORE });
}

export default function AdminKeys() {
  const { user, pending, active } = useLoaderData<typeof loader>();
  const revoked = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  const revalidator = useRevalidator();
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  function onSign(e: FormEvent<HTMLFormElement>, k: (typeof pending)[number]) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const days = Math.min(
      MAX_APPROVAL_DAYS,
      Math.max(1, Number(fd.get("days") ?? DEFAULT_APPROVAL_DAYS) || DEFAULT_APPROVAL_DAYS),
    );
    setBusy(k.id);
    setNotice(null);
    void import("~/client/staff/keys-client")
      .then((m) =>
        m.signMemberKey(
          user.csrf,
          String(fd.get("passphrase") ?? ""),
          {
            keyId: k.id,
            staffId: k.staffId,
            boxPublicKey: k.boxPublicKey,
            signPublicKey: k.signPublicKey,
            homeDistrictId: k.homeDistrictId,
          },
          days,
        ),
      )
      .then(
        () => {
          setNotice({ ok: true, text: t("cases.adminKeys.signed") });
          revalidator.revalidate();
        },
        (err: { code?: string; serverMessage?: string }) =>
          setNotice({
            ok: false,
            text:
              err.code === "wrong"
                ? t("cases.unlock.wrong")
                : err.code === "weak_key"
                  ? t("cases.errors.bad_key")
                  : (err.serverMessage ?? t("cases.errors.network")),
          }),
      )
      .finally(() => setBusy(null));
  }

  return (
    <StaffLayout user={user}>
      <section className="cases cases-keys" aria-labelledby="admin-keys-title">
        <h1 id="admin-keys-title">{t("cases.adminKeys.title")}</h1>
        <p>{t("cases.adminKeys.intro")}</p>
        <CaseNotice notice={notice} />
        {pending.length === 0 ? <p>{t("cases.adminKeys.none")}</p> : null}
        <ul className="cases-keys-list">
          {pending.map((k) => (
            <li key={k.id} className="card">
              <dl className="facts">
                <dt>{t("cases.adminKeys.member")}</dt>
                <dd>
                  {k.name} ({k.username})
                </dd>
                <dt>{t("cases.adminKeys.home")}</dt>
                <dd>
                  {k.homeDistrictId ? (en ? k.homeEn : k.homeZh) : t("cases.adminKeys.noHome")}
                </dd>
                <dt>{t("cases.adminKeys.fingerprint")}</dt>
                <dd className="cases-fingerprint">{k.fingerprint}</dd>
              </dl>
              {k.own ? (
                <p className="notice notice-warn">{t("cases.errors.own_key")}</p>
              ) : (
                <form onSubmit={(e) => onSign(e, k)}>
                  <label htmlFor={`days-${k.id}`}>{t("cases.adminKeys.validDays")}</label>
                  <input
                    id={`days-${k.id}`}
                    name="days"
                    type="number"
                    min={1}
                    max={MAX_APPROVAL_DAYS}
                    defaultValue={DEFAULT_APPROVAL_DAYS}
                  />
                  <label htmlFor={`pass-${k.id}`}>{t("cases.adminKeys.passphrase")}</label>
                  <input
                    id={`pass-${k.id}`}
                    name="passphrase"
                    type="password"
                    autoComplete="current-password"
                    required
                  />
                  <button type="submit" className="button" disabled={busy !== null}>
                    {busy === k.id ? t("cases.adminKeys.working") : t("cases.adminKeys.sign")}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>

        <h2 id="revoke-title">{t("office.revoke.title")}</h2>
        <p>{t("office.revoke.intro")}</p>
        {revoked && "error" in revoked ? (
          <p className="notice notice-danger" role="alert">
            {t(`office.revoke.errors.${revoked.error}` as MessageKey)}
          </p>
        ) : null}
        {revoked && "affected" in revoked ? (
          <div className="notice notice-warn" role="status" data-revoked="">
            <p>{t("office.revoke.done")}</p>
            {revoked.affected.length === 0 ? (
              <p>{t("office.revoke.noneAffected")}</p>
            ) : (
              <>
                <p>{t("office.revoke.affected", { count: revoked.affected.length })}</p>
                <ul>
                  {revoked.affected.map((r) => (
                    <li key={r.kind + r.rosterId} data-affected={r.rosterId}>
                      {r.kind === "office"
                        ? t("office.revoke.rosterOffice", { count: r.districts.length })
                        : t(
                            r.kind === "receiving_body"
                              ? "office.revoke.rosterBody"
                              : "office.revoke.rosterTeam",
                            {
                              districts: r.districts
                                .map((d) => (en ? d.en : d.zh))
                                .join(t("office.plan.and")),
                            },
                          )}
                    </li>
                  ))}
                </ul>
                <a className="button" href="/staff/admin/rosters">
                  {t("office.revoke.signNow")}
                </a>
              </>
            )}
          </div>
        ) : null}
        {active.length === 0 ? <p>{t("office.revoke.none")}</p> : null}
        <ul className="cases-keys-list" aria-labelledby="revoke-title">
          {active.map((k) => (
            <li key={k.id} className="card" data-key={k.id}>
              <dl className="facts">
                <dt>{t("cases.adminKeys.member")}</dt>
                <dd>
                  {k.name} ({k.username})
                </dd>
                <dt>{t("cases.adminKeys.fingerprint")}</dt>
                <dd className="cases-fingerprint">{k.fingerprint}</dd>
              </dl>
              {k.validUntilMs ? (
                <p className="hint">
                  {t("office.revoke.validUntil", { date: formatDate(locale, k.validUntilMs) })}
                </p>
              ) : null}
              <Form method="post" className="revoke-form">
                <input type="hidden" name="csrf" value={user.csrf} />
                <input type="hidden" name="keyId" value={k.id} />
                <label className="choice">
                  <input type="checkbox" name="confirm" value="yes" required />
                  {t("office.revoke.confirm")}
                </label>
                <button type="submit" className="button button-danger">
                  {t("office.revoke.submit")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>
    </StaffLayout>
  );
}
