/**
 * /staff/login — step 1 of staff sign-in: username and password. Success leaves a pending
 * session (cookie scoped to /staff) and goes on to /staff/login/totp. A wrong name, a wrong
 * password and a locked name answer the same for accounts that exist and ones that do not.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { useEffect } from "react";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { serverT } from "~/i18n/messages.server";
import { useI18n } from "~/i18n/use-t";
import {
  assertSameOrigin,
  authOptions,
  minutesUntil,
  passwordLogin,
  secureCookies,
  signInHeaders,
  USERNAME_MAX_LENGTH,
} from "~/services/auth.server";
import { PASSWORD_MAX_LENGTH } from "~/services/passwords.server";
import { getStaffSession } from "~/services/sessions.server";
import { LoginForm } from "~/services/staff-forms.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getStaffSession(context.db, request);
  if (session?.secondFactor) throw redirect("/staff", { headers: STAFF_NO_STORE });
  return data({}, { headers: STAFF_NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(context.env, request);
  if ((await getStaffSession(context.db, request))?.secondFactor) {
    return redirect("/staff", { status: 303, headers: STAFF_NO_STORE });
  }
  const { t } = serverT(request);
  const form = await request.formData().catch(() => null);
  const parsed = LoginForm.safeParse({
    username: form?.get("username"),
    password: form?.get("password"),
  });
  // The name typed comes back into the form after a mistake (only the password is retyped). It
  // is the member's own input, echoed for every name alike, so it reveals nothing about accounts.
  const typed = form?.get("username");
  const username = typeof typed === "string" ? typed.trim().slice(0, USERNAME_MAX_LENGTH) : "";
  if (!parsed.success) {
    return data({ error: t("auth.badInput"), username }, { status: 400, headers: STAFF_NO_STORE });
  }
  const result = await passwordLogin(
    context.db,
    parsed.data,
    authOptions(context.env, request, context.clientKey),
  );
  if (result.kind === "busy") {
    // Too many sign-ins are waiting for a password hash: nothing was checked or counted.
    return data(
      { error: t("auth.busy"), username },
      { status: 503, headers: { ...STAFF_NO_STORE, "Retry-After": "5" } },
    );
  }
  if (result.kind === "locked") {
    return data(
      { error: t("auth.locked", { minutes: minutesUntil(result.until) }), username },
      { status: 429, headers: STAFF_NO_STORE },
    );
  }
  if (result.kind === "invalid") {
    return data({ error: t("auth.invalid"), username }, { status: 401, headers: STAFF_NO_STORE });
  }
  return redirect("/staff/login/totp", {
    status: 303,
    headers: signInHeaders(
      STAFF_NO_STORE,
      result.token,
      result.expiresAt,
      secureCookies(context.env),
    ),
  });
}

export default function StaffLogin() {
  const { t } = useI18n();
  const actionData = useActionData<typeof action>();
  const typedName = actionData && "username" in actionData ? actionData.username : "";
  // Nothing of a staff key outlives the sign-in session (backstop for expiry and other tabs).
  useEffect(() => {
    void import("~/client/staff/key-store").then((s) => s.forgetKey());
  }, []);
  return (
    <section className="staff-auth card" aria-labelledby="login-title">
      <h1 id="login-title">{t("auth.title")}</h1>
      <p className="muted">{t("auth.intro")}</p>
      {actionData?.error ? (
        <p className="notice notice-danger" role="alert" id="login-error">
          {actionData.error}
        </p>
      ) : null}
      <form method="post" className="staff-form">
        <label htmlFor="username">{t("auth.username")}</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={USERNAME_MAX_LENGTH}
          defaultValue={typedName}
          autoFocus={!typedName}
          aria-describedby={actionData?.error ? "login-error" : undefined}
        />
        <label htmlFor="password">{t("auth.password")}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={PASSWORD_MAX_LENGTH}
          autoFocus={!!typedName}
        />
        <button type="submit" className="button button-block">
          {t("auth.next")}
        </button>
      </form>
    </section>
  );
}
