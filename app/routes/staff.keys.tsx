/**
 * /staff/keys — my key: create it (in this browser), see its fingerprint and status, change the
 * passphrase, revoke it when the passphrase is lost; and grant existing tips to new teammates.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import { CaseNotice, type Notice } from "~/components/cases/CaseNotice";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { UnlockPanel } from "~/components/cases/UnlockPanel";
import { useStaffKey } from "~/components/cases/useStaffKey";
import type { PendingGrant } from "~/client/staff/keys-client";
import { formatDate } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import { staffLayoutData } from "~/services/auth.server";
import { myKey } from "~/services/keys.server";
import { can, requirePermission } from "~/services/permissions.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

const MIN_PASSPHRASE = 12;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "key:setup:own");
  return data(
    {
      user: staffLayoutData(context.env, session),
      key: await myKey(context.db, session, { withSecret: false }),
      canGrant: can(session.roles, "key:grant:team"),
    },
    { headers: STAFF_NO_STORE },
  );
}

export default function KeysPage() {
  const { user, key, canGrant } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const revalidator = useRevalidator();
  const unlocked = useStaffKey();
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [grants, setGrants] = useState<PendingGrant[] | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);

  useEffect(() => {
    if (!canGrant || !unlocked) return;
    void import("~/client/staff/keys-client").then((m) =>
      m.fetchPendingGrants().then(setGrants, () => setGrants([])),
    );
  }, [canGrant, unlocked]);

  async function run(okText: string, fn: () => Promise<unknown>) {
    setBusy(true);
    setNotice(null);
    try {
      await fn();
      setNotice({ ok: true, text: okText });
      revalidator.revalidate();
      return true;
    } catch (err) {
      const e = err as { code?: string; serverMessage?: string };
      setNotice({
        ok: false,
        text:
          e.code === "wrong"
            ? t("cases.unlock.wrong")
            : (e.serverMessage ?? t("cases.errors.network")),
      });
      return false;
    } finally {
      setBusy(false);
    }
  }

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const pass = String(fd.get("passphrase") ?? "");
    if (pass.length < MIN_PASSPHRASE)
      return setNotice({ ok: false, text: t("cases.keys.tooShort") });
    if (pass !== String(fd.get("confirm") ?? ""))
      return setNotice({ ok: false, text: t("cases.keys.mismatch") });
    void import("~/client/staff/keys-client").then((m) =>
      run(t("cases.keys.created"), () => m.createMyKey(user.csrf, pass)),
    );
  }

  function onChange(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const fd = new FormData(form);
    const next = String(fd.get("next") ?? "");
    if (next.length < MIN_PASSPHRASE)
      return setNotice({ ok: false, text: t("cases.keys.tooShort") });
    void import("~/client/staff/keys-client").then(async (m) => {
      const ok = await run(t("cases.keys.changed"), () =>
        m.changePassphrase(user.csrf, String(fd.get("old") ?? ""), next),
      );
      if (ok) form.reset();
    });
  }

  function onRevoke() {
    void import("~/client/staff/keys-client").then((m) =>
      run(t("cases.keys.revoked"), () => m.revokeMyKey(user.csrf)),
    );
  }

  function onGrant(g: PendingGrant) {
    if (!unlocked) return;
    void import("~/client/staff/keys-client").then(async (m) => {
      let added = 0;
      const ok = await run(t("cases.keys.granted", { count: g.tips.length }), async () => {
        added = (await m.grantTo(user.csrf, unlocked, g)).added;
      });
      if (ok) {
        setNotice({ ok: true, text: t("cases.keys.granted", { count: added }) });
        setGrants((list) => (list ?? []).filter((x) => x.staffKeyId !== g.staffKeyId));
      }
    });
  }

  return (
    <StaffLayout user={user}>
      <section className="cases cases-keys" aria-labelledby="keys-title">
        <h1 id="keys-title">{t("cases.keys.title")}</h1>
        <p>{t("cases.keys.intro")}</p>
        <CaseNotice notice={notice} />
        {!key ? (
          <form className="card" onSubmit={onCreate}>
            <p>{t("cases.keys.none")}</p>
            <label htmlFor="new-pass">{t("cases.keys.passphrase")}</label>
            <input
              id="new-pass"
              name="passphrase"
              type="password"
              autoComplete="new-password"
              required
            />
            <label htmlFor="new-pass2">{t("cases.keys.confirm")}</label>
            <input
              id="new-pass2"
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
            />
            <button type="submit" className="button" disabled={busy}>
              {busy ? t("cases.keys.working") : t("cases.keys.create")}
            </button>
          </form>
        ) : (
          <>
            <dl className="facts card">
              <dt>{t("cases.keys.fingerprint")}</dt>
              <dd className="cases-fingerprint" data-testid="key-fingerprint">
                {key.fingerprint}
              </dd>
              <dt>{t("cases.keys.status")}</dt>
              <dd>{t(`cases.keys.statusValue.${key.status}`)}</dd>
              {key.validUntil ? (
                <>
                  <dt>{t("cases.keys.validUntil")}</dt>
                  <dd>{formatDate(locale, key.validUntil)}</dd>
                </>
              ) : null}
            </dl>
            <form className="card" onSubmit={onChange}>
              <h2>{t("cases.keys.change")}</h2>
              <label htmlFor="old-pass">{t("cases.keys.oldPassphrase")}</label>
              <input
                id="old-pass"
                name="old"
                type="password"
                autoComplete="current-password"
                required
              />
              <label htmlFor="next-pass">{t("cases.keys.newPassphrase")}</label>
              <input
                id="next-pass"
                name="next"
                type="password"
                autoComplete="new-password"
                required
              />
              <button type="submit" className="button" disabled={busy}>
                {busy ? t("cases.keys.working") : t("cases.keys.change")}
              </button>
            </form>
            <div className="card">
              <h2>{t("cases.keys.lost")}</h2>
              <p>{t("cases.keys.lostHint")}</p>
              {confirmRevoke ? (
                <p className="cases-actions">
                  <button type="button" className="button" disabled={busy} onClick={onRevoke}>
                    {t("cases.keys.revokeConfirm")}
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() => setConfirmRevoke(false)}
                  >
                    {t("cases.keys.cancel")}
                  </button>
                </p>
              ) : (
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={busy}
                  onClick={() => setConfirmRevoke(true)}
                >
                  {t("cases.keys.revoke")}
                </button>
              )}
            </div>
            {canGrant ? (
              <div className="card">
                <h2>{t("cases.keys.grants")}</h2>
                <p>{t("cases.keys.grantsIntro")}</p>
                <UnlockPanel />
                {unlocked && grants ? (
                  grants.length === 0 ? (
                    <p>{t("cases.keys.grantsNone")}</p>
                  ) : (
                    <ul className="cases-keys-list">
                      {grants.map((g) => (
                        <li key={g.staffKeyId}>
                          <button
                            type="button"
                            className="button"
                            disabled={busy}
                            onClick={() => onGrant(g)}
                          >
                            {t("cases.keys.grant", { count: g.tips.length, name: g.name })}
                          </button>
                        </li>
                      ))}
                    </ul>
                  )
                ) : null}
              </div>
            ) : null}
          </>
        )}
      </section>
    </StaffLayout>
  );
}
