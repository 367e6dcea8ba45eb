/**
 * /staff/findings — a team's findings (the office: its jurisdiction's), titles decrypted in the
 * browser after unlocking; and the form for a new finding, sealed in the browser to the team's
 * readers and the office (every reader's office approval checked first). Needs JavaScript to
 * read or write sealed text; the clear fields show without it.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
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
import { staffLayoutData } from "~/services/auth.server";
import { listFindings, myStationings } from "~/services/findings.server";
import { requirePermission } from "~/services/permissions.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

const CATEGORIES = ["decision", "corruption", "livelihood"] as const;
const TYPES = [
  "abuse_of_power",
  "false_claims",
  "extortion",
  "favouritism",
  "squandering_assets",
] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "finding:read");
  return data(
    {
      user: staffLayoutData(context.env, session),
      findings: await listFindings(context.db, session),
      stationings: (await myStationings(context.db, session)).map((s) => ({
        id: s.id,
        districtZh: s.districtNameZh,
        districtEn: s.districtNameEn,
        teamZh: s.teamNameZh,
        teamEn: s.teamNameEn,
      })),
    },
    { headers: STAFF_NO_STORE },
  );
}

export default function FindingsPage() {
  const { user, findings, stationings } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const key = useStaffKey();
  const navigate = useNavigate();
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!key) return;
    void import("~/client/staff/findings-client").then(async (fc) => {
      const opened = await fc.openFindings(key.keys, findings);
      setTitles(Object.fromEntries(Object.entries(opened).map(([id, o]) => [id, o.body.title])));
    });
  }, [key, findings]);

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!key) return;
    const f = new FormData(e.currentTarget);
    const get = (n: string) => String(f.get(n) ?? "").trim();
    const yuan = get("amount");
    const people = get("people")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [name, role] = line.split(/[，,]/, 2);
        return { name: (name ?? "").trim(), role: (role ?? "").trim() };
      });
    setBusy(true);
    setError(null);
    try {
      const fc = await import("~/client/staff/findings-client");
      const id = await fc.createFinding(user.csrf, {
        stationingId: get("stationingId"),
        unitId: null,
        category: get("category"),
        corruptionType:
          get("category") === "corruption" && get("corruptionType") ? get("corruptionType") : null,
        keyMinority: f.get("keyMinority") === "on",
        amountInvolvedFen: yuan ? Math.round(Number(yuan) * 100) : null,
        immediateRectification: !!get("rectifiedAt"),
        rectifiedAt: get("rectifiedAt") ? new Date(get("rectifiedAt")).toISOString() : null,
        body: { title: get("title"), narrative: get("narrative"), people },
      });
      navigate(`/staff/findings/${id}`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      setError(
        code === "unverified"
          ? t("outcomes.findings.unverified")
          : ((err as { serverMessage?: string }).serverMessage ?? t("outcomes.errors.badInput")),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <StaffLayout user={user}>
      <h1>{t("outcomes.findings.title")}</h1>
      <UnlockPanel />
      {findings.length === 0 ? (
        <p className="muted">{t("outcomes.findings.none")}</p>
      ) : (
        <ul className="cases-list findings-list">
          {findings.map((f) => (
            <li key={f.id} className="card">
              <Link to={`/staff/findings/${f.id}`}>
                {titles[f.id] ??
                  (f.envelope ? t("outcomes.findings.locked") : t("outcomes.findings.noEnvelope"))}
              </Link>
              <p className="muted">
                {t(`outcomes.focus.${f.category}`)} · {t(`outcomes.findingStatus.${f.status}`)} ·{" "}
                {formatDate(locale, f.createdAt)}
                {f.keyMinority ? ` · ${t("outcomes.findings.keyMinority")}` : ""}
                {f.amountInvolvedFen !== null ? ` · ${formatFen(locale, f.amountInvolvedFen)}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
      {stationings.length > 0 ? (
        <section className="card" aria-labelledby="new-finding">
          <h2 id="new-finding">{t("outcomes.findings.new")}</h2>
          {!key ? <p className="muted">{t("outcomes.findings.unlockFirst")}</p> : null}
          <form className="staff-form" onSubmit={(e) => void onCreate(e)}>
            <label htmlFor="f-stationing">{t("outcomes.findings.stationing")}</label>
            <select id="f-stationing" name="stationingId" required>
              {stationings.map((s) => (
                <option key={s.id} value={s.id}>
                  {locale === "en"
                    ? `${s.teamEn} → ${s.districtEn}`
                    : `${s.teamZh} → ${s.districtZh}`}
                </option>
              ))}
            </select>
            <label htmlFor="f-title">{t("outcomes.findings.fieldTitle")}</label>
            <input id="f-title" name="title" required maxLength={200} />
            <label htmlFor="f-narrative">{t("outcomes.findings.narrative")}</label>
            <textarea id="f-narrative" name="narrative" rows={6} required maxLength={20000} />
            <label htmlFor="f-people">{t("outcomes.findings.people")}</label>
            <textarea id="f-people" name="people" rows={3} aria-describedby="f-people-hint" />
            <p id="f-people-hint" className="muted">
              {t("outcomes.findings.peopleHint")}
            </p>
            <label htmlFor="f-category">{t("outcomes.findings.category")}</label>
            <select id="f-category" name="category">
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`outcomes.focus.${c}`)}
                </option>
              ))}
            </select>
            <label htmlFor="f-type">{t("outcomes.findings.corruptionType")}</label>
            <select id="f-type" name="corruptionType">
              <option value="">—</option>
              {TYPES.map((c) => (
                <option key={c} value={c}>
                  {t(`outcomes.corruptionType.${c}`)}
                </option>
              ))}
            </select>
            <label className="checkbox">
              <input type="checkbox" name="keyMinority" /> {t("outcomes.findings.keyMinorityField")}
            </label>
            <label htmlFor="f-amount">{t("outcomes.findings.amount")}</label>
            <input
              id="f-amount"
              name="amount"
              inputMode="decimal"
              pattern="[0-9]+(\.[0-9]{1,2})?"
            />
            <label htmlFor="f-rectified">{t("outcomes.findings.rectifiedAt")}</label>
            <input id="f-rectified" name="rectifiedAt" type="date" />
            {error ? (
              <p className="notice notice-danger" role="alert">
                {error}
              </p>
            ) : null}
            <button className="button" type="submit" disabled={!key || busy}>
              {t("outcomes.findings.create")}
            </button>
          </form>
        </section>
      ) : null}
    </StaffLayout>
  );
}
