/**
 * /staff/logout — POST signs this session out (CSRF-checked, audited) and clears the cookie.
 * GET shows a plain "signed out" page with a link back to sign-in.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { useI18n } from "~/i18n/use-t";
import { secureCookies, signOut, signOutHeaders } from "~/services/auth.server";
import { assertCsrf } from "~/services/csrf.server";
import { getStaffSession } from "~/services/sessions.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getStaffSession(context.db, request);
  const cleared = signOutHeaders(STAFF_NO_STORE, secureCookies(context.env));
  if (!session) return redirect("/staff/logout", { status: 303, headers: cleared });
  const form = await request.formData().catch(() => undefined);
  assertCsrf(context.env, session.sessionId, request, form);
  await signOut(context.db, session);
  return redirect("/staff/logout", { status: 303, headers: cleared });
}

export default function StaffLogout() {
  const { t } = useI18n();
  return (
    <section className="staff-auth card" aria-labelledby="logout-title">
      <h1 id="logout-title">{t("auth.signedOut")}</h1>
      <a className="button button-block" href="/staff/login">
        {t("auth.signIn")}
      </a>
    </section>
  );
}
