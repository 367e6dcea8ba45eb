/**
 * /staff/invite/$token — first sign-in from the office's one-time link: choose a password, then
 * go on to TOTP enrolment (/staff/login/totp) and see the recovery codes once.
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
import { assertSameOrigin, secureCookies, signInHeaders } from "~/services/auth.server";
import {
  acceptInvitation,
  findInvitation,
  PASSWORD_MIN_LENGTH,
} from "~/services/invitations.server";
import { PASSWORD_MAX_LENGTH } from "~/services/passwords.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await findInvitation(context.db, params.token ?? "");
  if (!found) {
    return data(
      { valid: false as const, name: "", username: "" },
      { status: 404, headers: STAFF_NO_STORE },
    );
  }
  return data(
    { valid: true as const, name: found.staff.displayName, username: found.staff.username },
    { headers: STAFF_NO_STORE },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  assertSameOrigin(context.env, request);
  const { t } = serverT(request);
  const form = await request.formData().catch(() => null);
  const password = form?.get("password");
  const repeat = form?.get("repeat");
  const fail = (error: string, status = 400) =>
    data({ error }, { status, headers: STAFF_NO_STORE });
  if (typeof password !== "string" || typeof repeat !== "string") return fail(t("auth.badInput"));
  if ([...password].length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return fail(t("auth.passwordTooShort"));
  }
  if (password !== repeat) return fail(t("auth.passwordMismatch"));
  const session = await acceptInvitation(context.db, params.token ?? "", password);
  if (!session) return fail(t("auth.inviteInvalid"), 404);
  return redirect("/staff/login/totp", {
    status: 303,
    headers: signInHeaders(
      STAFF_NO_STORE,
      session.token,
      session.expiresAt,
      secureCookies(context.env),
    ),
  });
}

export default function StaffInvite() {
  const { valid, name, username } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ error?: string }>();
  const { t } = useI18n();
  return (
    <section className="staff-auth card" aria-labelledby="invite-title">
      <h1 id="invite-title">{t("auth.inviteTitle")}</h1>
      {!valid ? (
        <p className="notice notice-danger" role="alert">
          {t("auth.inviteInvalid")}
        </p>
      ) : (
        <>
          <p>{t("auth.inviteIntro", { name, username })}</p>
          {actionData?.error ? (
            <p className="notice notice-danger" role="alert">
              {actionData.error}
            </p>
          ) : null}
          <form method="post" className="staff-form">
            <input type="hidden" name="username" value={username} autoComplete="username" />
            <label htmlFor="password">{t("auth.newPassword")}</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={PASSWORD_MIN_LENGTH}
              maxLength={PASSWORD_MAX_LENGTH}
            />
            <label htmlFor="repeat">{t("auth.repeatPassword")}</label>
            <input
              id="repeat"
              name="repeat"
              type="password"
              autoComplete="new-password"
              required
              minLength={PASSWORD_MIN_LENGTH}
              maxLength={PASSWORD_MAX_LENGTH}
            />
            <button type="submit" className="button button-block">
              {t("auth.setPassword")}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
