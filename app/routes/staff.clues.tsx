/**
 * /staff/clues — a receiving body's receiver: the clues handed to their body (only those),
 * opened in the browser with their own key, and the outcome form (case opened, disciplinary
 * action, judicial referral, closed without action) with an optional sealed note.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import type { FindingKeys } from "../../crypto/index";
import { UnlockPanel } from "~/components/cases/UnlockPanel";
import { useStaffKey } from "~/components/cases/useStaffKey";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { formatDate, formatFen } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import type { FindingBody } from "~/client/staff/findings-client";
import { staffLayoutData } from "~/services/auth.server";
import { receiverClues } from "~/services/clues.server";
import { NEXT_CLUE_OUTCOMES } from "~/shared/outcome-metrics";
import { requirePermission } from "~/services/permissions.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "transfer:receive:commission");
  return data(
    {
      user: staffLayoutData(context.env, session),
      clues: await receiverClues(context.db, session),
    },
    { headers: STAFF_NO_STORE },
  );
}

export default function CluesPage() {
  const { user, clues } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const key = useStaffKey();
  const revalidator = useRevalidator();
  const [opened, setOpened] = useState<Record<string, { body: FindingBody; keys: FindingKeys }>>(
    {},
  );
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!key) return;
    void import("~/client/staff/findings-client").then(async (fc) =>
      setOpened(
        await fc.openFindings(
          key.keys,
          clues.map((c) => ({ id: c.findingId, body: c.body, envelope: c.envelope })),
        ),
      ),
    );
  }, [key, clues]);

  async function onOutcome(e: FormEvent<HTMLFormElement>, clueId: string, findingId: string) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = String(f.get("note") ?? "").trim();
    setError(null);
    try {
      const c = await import("~/client/staff/key-store").then((s) => s.loadCrypto());
      const keys = opened[findingId]?.keys;
      const { staffApi } = await import("~/client/staff/api");
      await staffApi(`/api/staff/clues/${clueId}`, user.csrf, {
        outcome: String(f.get("outcome")),
        note:
          text && keys
            ? c.base64urlEncode(c.sealFindingNote({ body: { kind: "outcome", text }, keys }))
            : null,
      });
      revalidator.revalidate();
    } catch (err) {
      setError((err as { serverMessage?: string }).serverMessage ?? t("outcomes.errors.badInput"));
    }
  }

  return (
    <StaffLayout user={user}>
      <h1>{t("outcomes.clues.title")}</h1>
      <p className="muted">{t("outcomes.clues.intro")}</p>
      <UnlockPanel />
      {error ? (
        <p className="notice notice-danger" role="alert">
          {error}
        </p>
      ) : null}
      {clues.length === 0 ? <p>{t("outcomes.clues.none")}</p> : null}
      {clues.map((c) => {
        const o = opened[c.findingId];
        return (
          <section key={c.id} className="card" aria-label={o?.body.title ?? c.id}>
            <h2>{o?.body.title ?? t("outcomes.findings.locked")}</h2>
            <p className="muted">
              {locale === "en" ? c.districtNameEn : c.districtNameZh} ·{" "}
              {t(`outcomes.focus.${c.category}`)} · {formatDate(locale, c.transferredAt)}
              {c.reference ? ` · ${c.reference}` : ""}
              {c.amountInvolvedFen !== null ? ` · ${formatFen(locale, c.amountInvolvedFen)}` : ""}
            </p>
            {o ? <p>{o.body.narrative}</p> : null}
            <p>
              <strong>{t(`outcomes.outcome.${c.outcome}`)}</strong>
              {c.outcomeAt ? ` · ${formatDate(locale, c.outcomeAt)}` : ""}
            </p>
            {NEXT_CLUE_OUTCOMES[c.outcome].length > 0 ? (
              // Keyed by the outcome: a new outcome renders a fresh form with nothing chosen.
              <form
                key={c.outcome}
                className="staff-form"
                onSubmit={(e) => void onOutcome(e, c.id, c.findingId)}
              >
                <label htmlFor={`o-${c.id}`}>{t("outcomes.clues.outcome")}</label>
                {/* Only what may follow the current outcome; nothing chosen until the receiver picks. */}
                <select id={`o-${c.id}`} name="outcome" required defaultValue="">
                  <option value="" disabled>
                    {t("outcomes.clues.choose")}
                  </option>
                  {NEXT_CLUE_OUTCOMES[c.outcome].map((x) => (
                    <option key={x} value={x}>
                      {t(`outcomes.outcome.${x}`)}
                    </option>
                  ))}
                </select>
                <label htmlFor={`n-${c.id}`}>{t("outcomes.clues.note")}</label>
                <textarea id={`n-${c.id}`} name="note" rows={2} />
                <button className="button" type="submit">
                  {t("outcomes.clues.record")}
                </button>
              </form>
            ) : (
              <p className="muted">{t("outcomes.clues.done")}</p>
            )}
          </section>
        );
      })}
    </StaffLayout>
  );
}
