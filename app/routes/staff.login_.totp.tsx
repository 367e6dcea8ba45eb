/**
 * /staff/login/totp — step 2: a TOTP code or a recovery code. An account without a confirmed
 * authenticator enrols here first (QR code and key, confirmed by a first code), then sees its
 * recovery codes once.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { serverT } from "~/i18n/messages.server";
import { useI18n } from "~/i18n/use-t";
import {
  authOptions,
  beginTotpEnrolment,
  completeSecondFactor,
  enrolAndSignIn,
  getPendingSession,
  minutesUntil,
  secureCookies,
  signInHeaders,
  withDeviceCookie,
} from "~/services/auth.server";
import { assertCsrf, csrfToken } from "~/services/csrf.server";
import { getStaffSession } from "~/services/sessions.server";
import { groupSecret, totpQrDataUrl, totpUri } from "~/services/totp.server";
import { TotpCodeForm } from "~/services/staff-forms.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getStaffSession(context.db, request);
  if (session?.secondFactor) {
    // Signed in already (e.g. this page rendered right after enrolment, with the codes).
    return data({ csrf: "", enrol: null, signedIn: true }, { headers: STAFF_NO_STORE });
  }
  const pending = await getPendingSession(context.db, request);
  if (!pending) throw redirect("/staff/login", { headers: STAFF_NO_STORE });
  const csrf = csrfToken(context.env, pending.sessionId);
  if (pending.staff.totpEnabledAt) {
    return data({ csrf, enrol: null, signedIn: false }, { headers: STAFF_NO_STORE });
  }
  const secret = await beginTotpEnrolment(context.db, pending.staff.id);
  const qr = await totpQrDataUrl(totpUri(secret, pending.staff.username));
  return data(
    { csrf, enrol: { qr, secret: groupSecret(secret) }, signedIn: false },
    { headers: STAFF_NO_STORE },
  );
}

interface TotpActionData {
  error: string | null;
  codes: string[] | null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { t } = serverT(request);
  const pending = await getPendingSession(context.db, request);
  if (!pending) throw redirect("/staff/login", { status: 303, headers: STAFF_NO_STORE });
  const form = await request.formData().catch(() => null);
  assertCsrf(context.env, pending.sessionId, request, form ?? undefined);
  const parsed = TotpCodeForm.safeParse({ intent: form?.get("intent"), code: form?.get("code") });
  if (!parsed.success) {
    return data(
      { error: t("auth.codeInvalid"), codes: null },
      { status: 400, headers: STAFF_NO_STORE },
    );
  }
  const opts = authOptions(context.env, request, context.clientKey);
  const result =
    parsed.data.intent === "enrol"
      ? await enrolAndSignIn(context.db, pending, parsed.data.code, opts)
      : await completeSecondFactor(context.db, pending, parsed.data.code, opts);
  if (result.kind === "locked") {
    return data(
      { error: t("auth.codeLocked", { minutes: minutesUntil(result.until) }), codes: null },
      { status: 429, headers: STAFF_NO_STORE },
    );
  }
  if (result.kind === "invalid") {
    return data(
      { error: t("auth.codeInvalid"), codes: null },
      { status: 401, headers: STAFF_NO_STORE },
    );
  }
  // This browser has now signed in to the account: it gets the account's device token, which
  // lets it past the per-name lock that guessers elsewhere may set off (lockout.server.ts).
  if ("codes" in result) {
    return data(
      { error: null, codes: result.codes },
      { headers: withDeviceCookie(STAFF_NO_STORE, context.env, request, pending.staff) },
    );
  }
  return redirect("/staff", {
    status: 303,
    headers: withDeviceCookie(
      signInHeaders(STAFF_NO_STORE, result.token, result.expiresAt, secureCookies(context.env)),
      context.env,
      request,
      pending.staff,
    ),
  });
}

export default function StaffLoginTotp() {
  const { t } = useI18n();
  const { csrf, enrol, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<TotpActionData>();

  if (actionData?.codes) {
    return (
      <section className="staff-auth card" aria-labelledby="recovery-title">
        <h1 id="recovery-title">{t("auth.recoveryTitle")}</h1>
        <p>{t("auth.recoveryIntro")}</p>
        <ol className="recovery-codes" data-testid="recovery-codes">
          {actionData.codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <a className="button button-block" href="/staff">
          {t("auth.recoveryDone")}
        </a>
      </section>
    );
  }

  if (signedIn) {
    return (
      <section className="staff-auth card" aria-labelledby="totp-title">
        <h1 id="totp-title">{t("staff.title")}</h1>
        <a className="button button-block" href="/staff">
          {t("auth.recoveryDone")}
        </a>
      </section>
    );
  }

  return (
    <section className="staff-auth card" aria-labelledby="totp-title">
      <h1 id="totp-title">{enrol ? t("auth.enrolTitle") : t("auth.totpTitle")}</h1>
      <p>{enrol ? t("auth.enrolIntro") : t("auth.totpIntro")}</p>
      {enrol ? (
        <div className="totp-enrol">
          <img className="totp-qr" src={enrol.qr} alt={t("auth.qrAlt")} width={220} height={220} />
          <p>
            {t("auth.secret")}:{" "}
            <code className="totp-secret" data-testid="totp-secret">
              {enrol.secret}
            </code>
          </p>
        </div>
      ) : null}
      {actionData?.error ? (
        <p className="notice notice-danger" role="alert" id="code-error">
          {actionData.error}
        </p>
      ) : null}
      <form method="post" className="staff-form">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="intent" value={enrol ? "enrol" : "verify"} />
        <label htmlFor="code">{enrol ? t("auth.enrolCode") : t("auth.code")}</label>
        <input
          id="code"
          name="code"
          autoComplete="one-time-code"
          inputMode={enrol ? "numeric" : "text"}
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={40}
          aria-describedby={enrol ? undefined : "code-hint"}
        />
        {enrol ? null : (
          <p className="muted" id="code-hint">
            {t("auth.codeHint")}
          </p>
        )}
        <button type="submit" className="button button-block">
          {enrol ? t("auth.confirm") : t("auth.verify")}
        </button>
      </form>
      <p>
        <a href="/staff/login">{t("auth.startOver")}</a>
      </p>
    </section>
  );
}
