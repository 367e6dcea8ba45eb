/**
 * /staff/admin/rounds — the office's rounds (issue 10 item 3): each with its mode, window, teams
 * and whether its plan is published, and a form for a new round whose teams are carried over
 * whole from an earlier one. Planning and publishing happen on the round's own page.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { serverT } from "~/i18n/messages.server";
import { formatDate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { staffLayoutData } from "~/services/auth.server";
import { assertCsrf } from "~/services/csrf.server";
import { requirePermission } from "~/services/permissions.server";
import { createRound, CreateRoundForm, listRounds, RoundError } from "~/services/rounds.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  return data(
    {
      user: staffLayoutData(context.env, session),
      rounds: await listRounds(context.db, session.staff.jurisdictionId),
      modes: ["zone", "rotation", "assistance"] as const,
    },
    { headers: STAFF_NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const form = await request.formData().catch(() => undefined);
  assertCsrf(context.env, session.sessionId, request, form);
  const { t } = serverT(request);
  const parsed = CreateRoundForm.safeParse(Object.fromEntries(form ?? []));
  if (!parsed.success)
    return data(
      { error: t("office.rounds.errors.badInput") },
      { status: 400, headers: STAFF_NO_STORE },
    );
  try {
    const id = await createRound(context.db, session, {
      ...parsed.data,
      sourceRoundId: parsed.data.sourceRoundId || undefined,
    });
    return redirect(`/staff/admin/rounds/${id}`, { headers: STAFF_NO_STORE });
  } catch (err) {
    if (err instanceof RoundError)
      return data(
        { error: t(`office.rounds.errors.${err.code}` as MessageKey) },
        { status: err.code === "not_found" ? 404 : 400, headers: STAFF_NO_STORE },
      );
    throw err;
  }
}

export default function AdminRounds() {
  const { user, rounds, modes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, locale } = useI18n();
  const en = locale === "en";
  return (
    <StaffLayout user={user}>
      <section className="office-rounds" aria-labelledby="rounds-title">
        <h1 id="rounds-title">{t("office.rounds.title")}</h1>
        <p>{t("office.rounds.intro")}</p>
        <h2>{t("office.rounds.list")}</h2>
        {rounds.length === 0 ? <p>{t("office.rounds.none")}</p> : null}
        <ul className="office-rounds-list">
          {rounds.map((r) => (
            <li key={r.id} className="card" data-round={r.id}>
              <h3>
                <a href={`/staff/admin/rounds/${r.id}`}>{en ? r.nameEn : r.nameZh}</a>
              </h3>
              <p className="muted">
                {t(`office.rounds.modes.${r.mode}` as MessageKey)} ·{" "}
                {t("office.rounds.window", {
                  start: formatDate(locale, r.startsAtMs),
                  end: formatDate(locale, r.endsAtMs - 1),
                })}
              </p>
              <p>
                {t("office.rounds.teamsCount", { count: r.teams })} ·{" "}
                {r.stationings > 0 ? (
                  <span className="tag tag-ok">
                    {t("office.rounds.stationingsCount", { count: r.stationings })}
                  </span>
                ) : (
                  <span className="tag tag-due">{t("office.rounds.draft")}</span>
                )}
              </p>
            </li>
          ))}
        </ul>

        <h2 id="round-create">{t("office.rounds.create")}</h2>
        {result?.error ? (
          <p className="notice notice-danger" role="alert">
            {result.error}
          </p>
        ) : null}
        <Form method="post" className="office-form" aria-labelledby="round-create">
          <input type="hidden" name="csrf" value={user.csrf} />
          <input type="hidden" name="intent" value="create" />
          <label htmlFor="round-name-zh">{t("office.rounds.nameZh")}</label>
          <input id="round-name-zh" name="nameZh" required maxLength={200} />
          <label htmlFor="round-name-en">{t("office.rounds.nameEn")}</label>
          <input id="round-name-en" name="nameEn" required maxLength={200} />
          <label htmlFor="round-mode">{t("office.rounds.mode")}</label>
          <select id="round-mode" name="mode" defaultValue="zone">
            {modes.map((m) => (
              <option key={m} value={m}>
                {t(`office.rounds.modes.${m}` as MessageKey)}
              </option>
            ))}
          </select>
          <label htmlFor="round-start">{t("office.rounds.startDate")}</label>
          <input id="round-start" name="startDate" type="date" required />
          <label htmlFor="round-end">{t("office.rounds.endDate")}</label>
          <input id="round-end" name="endDate" type="date" required />
          <label htmlFor="round-source">{t("office.rounds.source")}</label>
          <select id="round-source" name="sourceRoundId" defaultValue={rounds[0]?.id ?? ""}>
            <option value="">{t("office.rounds.noSource")}</option>
            {rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {en ? r.nameEn : r.nameZh}
              </option>
            ))}
          </select>
          <button type="submit" className="button" disabled={busy}>
            {t("office.rounds.submit")}
          </button>
        </Form>
      </section>
    </StaffLayout>
  );
}
