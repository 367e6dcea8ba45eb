/**
 * /staff/account — my live sessions, recovery codes left, and "sign out everywhere", which
 * revokes every session of mine at once (this one too) and is audited.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
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
  liveSessions,
  secureCookies,
  signOutHeaders,
  signOutEverywhere,
  staffLayoutData,
  unusedRecoveryCodes,
} from "~/services/auth.server";
import { assertCsrf } from "~/services/csrf.server";
import { requireStaff } from "~/services/sessions.server";

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
  if (form?.get("intent") !== "sign-out-everywhere") {
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
        <p>{t("auth.recoveryLeft", { count: recoveryLeft })}</p>
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
