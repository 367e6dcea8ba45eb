/**
 * /staff/account — my live sessions, recovery codes left, new recovery codes (after re-entering
 * password and a TOTP code; the old ones stop working; shown once; audited), and "sign out
 * everywhere", which revokes every session of mine at once (this one too) and is audited.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { formatDateTime } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import {
  authOptions,
  liveSessions,
  minutesUntil,
  regenerateRecoveryCodes,
  secureCookies,
  signOutHeaders,
  signOutEverywhere,
  staffLayoutData,
  unusedRecoveryCodes,
} from "~/services/auth.server";
import { assertCsrf } from "~/services/csrf.server";
import { requireStaff } from "~/services/sessions.server";
import { serverT } from "~/i18n/messages.server";
import { PASSWORD_MAX_LENGTH } from "~/services/passwords.server";
import { RegenerateRecoveryForm } from "~/services/staff-forms.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireStaff(context.db, request);
  return data(
    {
      user: staffLayoutData(context.env, session),
      username: session.staff.username,
      recoveryLeft: await unusedRecoveryCodes(context.db, session.staff.id),
      sessions: (await liveSessions(context.db, session.staff.id)).map((s) => ({
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        current: s.id === session.sessionId,
      })),
    },
    { headers: STAFF_NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireStaff(context.db, request);
  const form = await request.formData().catch(() => undefined);
  assertCsrf(context.env, session.sessionId, request, form);
  const intent = form?.get("intent");
  if (intent === "regenerate-recovery") {
    const { t } = serverT(request);
    const parsed = RegenerateRecoveryForm.safeParse({
      password: form?.get("password"),
      code: form?.get("code"),
    });
    if (!parsed.success) {
      return data(
        { codes: null, error: t("auth.regenerateBadInput") },
        { status: 400, headers: STAFF_NO_STORE },
      );
    }
    const result = await regenerateRecoveryCodes(
      context.db,
      session,
      parsed.data,
      authOptions(context.env, request, context.clientKey),
    );
    if (result.kind === "ok") {
      return data({ codes: result.codes, error: null }, { headers: STAFF_NO_STORE });
    }
    if (result.kind === "busy") {
      return data(
        { codes: null, error: t("auth.busy") },
        { status: 503, headers: { ...STAFF_NO_STORE, "Retry-After": "5" } },
      );
    }
    return data(
      {
        codes: null,
        error:
          result.kind === "locked"
            ? t("auth.locked", { minutes: minutesUntil(result.until) })
            : t("auth.regenerateWrong"),
      },
      { status: result.kind === "locked" ? 429 : 401, headers: STAFF_NO_STORE },
    );
  }
  if (intent !== "sign-out-everywhere") {
    throw new Response("Bad request", { status: 400 });
  }
  await signOutEverywhere(context.db, session);
  return redirect("/staff/login", {
    status: 303,
    headers: signOutHeaders(STAFF_NO_STORE, secureCookies(context.env)),
  });
}

export default function StaffAccount() {
  const { user, username, recoveryLeft, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, locale } = useI18n();
  return (
    <StaffLayout user={user}>
      <section aria-labelledby="account-title">
        <h1 id="account-title">{t("auth.accountTitle")}</h1>
        <dl className="facts card">
          <dt>{t("auth.username")}</dt>
          <dd>{username}</dd>
          <dt>{t("staff.admin.name")}</dt>
          <dd>{user.displayName}</dd>
        </dl>
        <section className="card" aria-labelledby="recovery-title">
          <h2 id="recovery-title">{t("auth.recoveryHeading")}</h2>
          {result?.codes ? (
            <div className="notice" role="status">
              <p>
                <strong>{t("auth.regenerated")}</strong>
              </p>
              <p>{t("auth.recoveryIntro")}</p>
              <ol className="recovery-codes" data-testid="recovery-codes">
                {result.codes.map((c) => (
                  <li key={c}>
                    <code>{c}</code>
                  </li>
                ))}
              </ol>
            </div>
          ) : (
            <p>{t("auth.recoveryLeft", { count: recoveryLeft })}</p>
          )}
          <form method="post" className="staff-form">
            <input type="hidden" name="csrf" value={user.csrf} />
            <p>{t("auth.regenerateHint")}</p>
            {result?.error ? (
              <p className="notice notice-danger" role="alert" id="regenerate-error">
                {result.error}
              </p>
            ) : null}
            <label htmlFor="regen-password">{t("auth.password")}</label>
            <input
              id="regen-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={PASSWORD_MAX_LENGTH}
              aria-describedby={result?.error ? "regenerate-error" : undefined}
            />
            <label htmlFor="regen-code">{t("auth.regenerateCode")}</label>
            <input
              id="regen-code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
            />
            <button type="submit" name="intent" value="regenerate-recovery" className="button">
              {t("auth.regenerate")}
            </button>
          </form>
        </section>
        <h2>{t("auth.sessionsTitle")}</h2>
        <ul className="staff-sessions">
          {sessions.map((s) => (
            <li key={s.createdAt + s.lastSeenAt} className="card">
              {t("auth.sessionStarted", {
                time: formatDateTime(locale, s.createdAt),
                seen: formatDateTime(locale, s.lastSeenAt),
              })}{" "}
              {s.current ? <span className="tag tag-ok">{t("auth.thisSession")}</span> : null}
            </li>
          ))}
        </ul>
        <form method="post" className="staff-form card">
          <input type="hidden" name="csrf" value={user.csrf} />
          <p>{t("auth.signOutEverywhereHint")}</p>
          <button type="submit" name="intent" value="sign-out-everywhere" className="button">
            {t("auth.signOutEverywhere")}
          </button>
        </form>
      </section>
    </StaffLayout>
  );
}
