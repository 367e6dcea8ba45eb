/**
 * /staff/admin/keys — the inspection office approves members' keys: compare the fingerprint with
 * the member, then sign the approval in this browser with the office key; the server activates
 * the key only if the signature verifies under the configured office public key.
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
import { useI18n } from "~/i18n/use-t";
import { staffLayoutData } from "~/services/auth.server";
import { pendingKeys } from "~/services/keys.server";
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
    },
    { headers: STAFF_NO_STORE },
  );
}

export default function AdminKeys() {
  const { user, pending } = useLoaderData<typeof loader>();
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
      </section>
    </StaffLayout>
  );
}
