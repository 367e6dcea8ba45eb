/**
 * /staff/findings/:findingId — one finding for its team, its office or a receiver of its clue:
 * clear fields; the sealed title, narrative and people opened in the browser; linked tips (link
 * and unlink, both directions visible — the case page lists the finding too); transfers and their
 * outcomes; resolutions. The team hands the clue over, records resolutions and tells the linked
 * tipsters, everything sealed in the browser.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
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
import type {
  EvidenceProblem,
  EvidenceRef,
  FindingBody,
  ReaderWire,
} from "~/client/staff/findings-client";
import { staffLayoutData } from "~/services/auth.server";
import { bodiesForFinding } from "~/services/clues.server";
import { linkableTips, loadFinding } from "~/services/findings.server";
import { evidenceIndex } from "~/services/resolutions.server";
import { Evidence } from "~/components/cases/case/Evidence";
import { EVIDENCE_ACCEPT } from "~/shared/file-types";
import { MAX_RESOLUTION_EVIDENCE_BYTES, MAX_RESOLUTION_FILES } from "~/shared/evidence";
import { requirePermission } from "~/services/permissions.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "finding:read");
  const finding = await loadFinding(context.db, session, params.findingId ?? "");
  const team = finding.roles.includes("team");
  const evidence =
    team || finding.roles.includes("office") ? await evidenceIndex(context.db, finding.id) : [];
  return data(
    {
      user: staffLayoutData(context.env, session),
      finding,
      bodies: team ? await bodiesForFinding(context.db, context.env, session, finding.id) : [],
      linkable: team ? await linkableTips(context.db, session, finding.id) : [],
      evidence,
    },
    { headers: STAFF_NO_STORE },
  );
}

const KINDS = ["refund", "recovery", "rectification", "sanction", "policy_change"] as const;

export default function FindingPage() {
  const { user, finding, bodies, linkable, evidence } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const key = useStaffKey();
  const revalidator = useRevalidator();
  const [opened, setOpened] = useState<{ body: FindingBody; keys: FindingKeys } | null>(null);
  const [notes, setNotes] = useState<Record<string, string | null>>({});
  const [evidenceRefs, setEvidenceRefs] = useState<Record<string, EvidenceRef>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const team = finding.roles.includes("team");
  const tipIds = finding.tips.map((x) => x.tipId);
  const name = (x: { bodyNameZh: string; bodyNameEn: string }) =>
    locale === "en" ? x.bodyNameEn : x.bodyNameZh;

  useEffect(() => {
    if (!key || !finding.envelope) return;
    void import("~/client/staff/findings-client").then(async (fc) => {
      const o = (await fc.openFindings(key.keys, [finding]))[finding.id] ?? null;
      setOpened(o);
      if (!o) return;
      const entries: [string, string | null][] = [];
      for (const tr of finding.transfers) {
        entries.push([`n-${tr.id}`, await fc.openNote(o.keys, tr.note)]);
        entries.push([`o-${tr.id}`, await fc.openNote(o.keys, tr.outcomeNote)]);
      }
      let refs: Record<string, EvidenceRef> = {};
      for (const r of finding.resolutions) {
        const files = evidence.filter((f) => f.resolutionId === r.id);
        const opened = await fc.openResolution(o.keys, r.details, files);
        entries.push([`r-${r.id}`, opened.text]);
        refs = { ...refs, ...opened.files };
      }
      setNotes(Object.fromEntries(entries));
      setEvidenceRefs(refs);
    });
  }, [key, finding, evidence]);

  async function run(what: () => Promise<unknown>, message: string) {
    setError(null);
    setDone(null);
    try {
      await what();
      setDone(message);
      revalidator.revalidate();
    } catch (err) {
      const code = (err as { code?: string }).code;
      setError(
        code === "unverified"
          ? t("outcomes.findings.unverified")
          : ((err as { serverMessage?: string }).serverMessage ?? t("outcomes.errors.badInput")),
      );
    }
  }

  const fields = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    return (n: string) => String(f.get(n) ?? "").trim();
  };

  function onLink(e: FormEvent<HTMLFormElement>, op: "link" | "unlink", tipId?: string) {
    const get = fields(e);
    void run(async () => {
      const { staffApi } = await import("~/client/staff/api");
      await staffApi(`/api/staff/findings/${finding.id}/tips`, user.csrf, {
        op,
        tipId: tipId ?? get("tipId"),
      });
    }, t("outcomes.findings.saved"));
  }

  function onTransfer(e: FormEvent<HTMLFormElement>) {
    const get = fields(e);
    if (!key || !opened) return;
    const body = bodies.find((b) => b.id === get("bodyId"));
    if (!body) return;
    void run(async () => {
      const fc = await import("~/client/staff/findings-client");
      await fc.transferClue(
        key.keys,
        user.csrf,
        { id: finding.id, keys: opened.keys, tipIds },
        { id: body.id, receivers: body.receivers as ReaderWire[] },
        { reference: get("reference") || null, note: get("note"), tipsterText: get("tipsterText") },
      );
    }, t("outcomes.findings.transferred"));
  }

  function evidenceMessage(p: EvidenceProblem): string {
    if (p.key === "tooMany") return t("outcomes.evidence.tooMany", { max: p.max });
    if (p.key === "tooBig") return t("outcomes.evidence.tooBig", { max: p.maxMb });
    return t(`outcomes.evidence.${p.key}`, { name: p.name });
  }

  function onResolve(e: FormEvent<HTMLFormElement>) {
    const form = e.currentTarget;
    const get = fields(e);
    if (!key || !opened) return;
    const files = new FormData(form)
      .getAll("evidence")
      .filter((f): f is File => f instanceof File && f.name !== "");
    void run(async () => {
      const fc = await import("~/client/staff/findings-client");
      const problem = await fc.checkResolutionEvidence(files);
      if (problem)
        throw Object.assign(new Error("evidence"), { serverMessage: evidenceMessage(problem) });
      await fc.recordResolution(
        key.keys,
        user.csrf,
        { id: finding.id, keys: opened.keys, tipIds },
        {
          kind: get("kind"),
          amountFen: get("amount") ? Math.round(Number(get("amount")) * 100) : null,
          beneficiaries: get("beneficiaries") ? Number(get("beneficiaries")) : null,
          resolvedAt: new Date(get("resolvedAt") || Date.now()).toISOString(),
          description: get("description"),
          tipsterText: get("tipsterText"),
          files,
        },
      );
      form.reset();
    }, t("outcomes.findings.resolved"));
  }

  function onNotify(e: FormEvent<HTMLFormElement>) {
    const get = fields(e);
    if (!key) return;
    void run(async () => {
      const fc = await import("~/client/staff/findings-client");
      await fc.notifyTipsters(key.keys, user.csrf, { id: finding.id, tipIds }, get("text"));
    }, t("outcomes.findings.notified"));
  }

  return (
    <StaffLayout user={user}>
      <p>
        <Link to="/staff/findings">{t("outcomes.findings.back")}</Link>
      </p>
      <h1>{opened?.body.title ?? t("outcomes.findings.locked")}</h1>
      <UnlockPanel />
      {error ? (
        <p className="notice notice-danger" role="alert">
          {error}
        </p>
      ) : null}
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("outcomes.findings.category")}</dt>
        <dd>{t(`outcomes.focus.${finding.category}`)}</dd>
        {finding.corruptionType ? (
          <>
            <dt>{t("outcomes.findings.corruptionType")}</dt>
            <dd>{t(`outcomes.corruptionType.${finding.corruptionType}`)}</dd>
          </>
        ) : null}
        <dt>{t("outcomes.findings.status")}</dt>
        <dd>{t(`outcomes.findingStatus.${finding.status}`)}</dd>
        <dt>{t("outcomes.findings.keyMinorityField")}</dt>
        <dd>{finding.keyMinority ? t("outcomes.findings.yes") : t("outcomes.findings.no")}</dd>
        {finding.amountInvolvedFen !== null ? (
          <>
            <dt>{t("outcomes.findings.amount")}</dt>
            <dd>{formatFen(locale, finding.amountInvolvedFen)}</dd>
          </>
        ) : null}
        {finding.rectifiedAt ? (
          <>
            <dt>{t("outcomes.findings.rectifiedAt")}</dt>
            <dd>{formatDate(locale, finding.rectifiedAt)}</dd>
          </>
        ) : null}
      </dl>
      {opened ? (
        <section className="card" aria-labelledby="f-narrative">
          <h2 id="f-narrative">{t("outcomes.findings.narrative")}</h2>
          <p className="finding-narrative">{opened.body.narrative}</p>
          {opened.body.people.length > 0 ? (
            <>
              <h3>{t("outcomes.findings.people")}</h3>
              <ul>
                {opened.body.people.map((p, i) => (
                  <li key={i}>
                    {p.name}
                    {p.role ? ` · ${p.role}` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {team || finding.roles.includes("office") ? (
        <section className="card" aria-labelledby="f-tips">
          <h2 id="f-tips">{t("outcomes.findings.tips")}</h2>
          {finding.tips.length === 0 ? (
            <p className="muted">{t("outcomes.findings.noTips")}</p>
          ) : null}
          <ul>
            {finding.tips.map((x) => (
              <li key={x.tipId}>
                <Link to={`/staff/tips/${x.tipId}`}>{formatDate(locale, x.createdAt)}</Link> ·{" "}
                {t(`cases.status.${x.status}`)}
                {team ? (
                  <form className="inline-form" onSubmit={(e) => onLink(e, "unlink", x.tipId)}>
                    <button className="button button-quiet" type="submit">
                      {t("outcomes.findings.unlink")}
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
          {team && linkable.length > 0 ? (
            <form className="staff-form" onSubmit={(e) => onLink(e, "link")}>
              <label htmlFor="f-link">{t("outcomes.findings.linkTip")}</label>
              <select id="f-link" name="tipId">
                {linkable.map((x) => (
                  <option key={x.id} value={x.id}>
                    {formatDate(locale, x.createdAt)} · {t(`cases.status.${x.status}`)}
                    {x.unitZh ? ` · ${locale === "en" ? x.unitEn : x.unitZh}` : ""}
                  </option>
                ))}
              </select>
              <button className="button" type="submit">
                {t("outcomes.findings.link")}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}

      <section className="card" aria-labelledby="f-transfers">
        <h2 id="f-transfers">{t("outcomes.findings.transfers")}</h2>
        <ul>
          {finding.transfers.map((tr) => (
            <li key={tr.id}>
              {name(tr)} · {formatDate(locale, tr.transferredAt)}
              {tr.reference ? ` · ${tr.reference}` : ""} ·{" "}
              <strong>{t(`outcomes.outcome.${tr.outcome}`)}</strong>
              {notes[`n-${tr.id}`] ? <p>{notes[`n-${tr.id}`]}</p> : null}
              {notes[`o-${tr.id}`] ? <p>{notes[`o-${tr.id}`]}</p> : null}
            </li>
          ))}
        </ul>
        {team && bodies.length > 0 ? (
          <form className="staff-form" onSubmit={onTransfer}>
            <label htmlFor="t-body">{t("outcomes.findings.transferTo")}</label>
            <select
              id="t-body"
              name="bodyId"
              defaultValue={bodies.find((b) => b.receivers.length > 0)?.id}
              aria-describedby={
                bodies.some((b) => b.receivers.length === 0) ? "t-body-hint" : undefined
              }
            >
              {bodies.map((b) => (
                <option key={b.id} value={b.id} disabled={b.receivers.length === 0}>
                  {locale === "en" ? b.nameEn : b.nameZh} (
                  {b.receivers.length > 0 ? b.receivers.length : t("outcomes.findings.noReceiver")})
                </option>
              ))}
            </select>
            {bodies.some((b) => b.receivers.length === 0) ? (
              <p id="t-body-hint" className="hint">
                {t("outcomes.findings.bodiesWithoutReceivers")}
              </p>
            ) : null}
            <label htmlFor="t-ref">{t("outcomes.findings.reference")}</label>
            <input id="t-ref" name="reference" maxLength={120} />
            <label htmlFor="t-note">{t("outcomes.findings.transferNote")}</label>
            <textarea id="t-note" name="note" rows={3} />
            <label htmlFor="t-msg">{t("outcomes.findings.tipsterText")}</label>
            <textarea
              id="t-msg"
              name="tipsterText"
              rows={2}
              required
              defaultValue={t("outcomes.findings.transferTemplate")}
            />
            <button
              className="button"
              type="submit"
              disabled={!opened || !bodies.some((b) => b.receivers.length > 0)}
            >
              {t("outcomes.findings.transfer")}
            </button>
          </form>
        ) : null}
        {team && finding.transfers.length > 0 && tipIds.length > 0 ? (
          <form className="staff-form" onSubmit={onNotify}>
            <label htmlFor="n-text">{t("outcomes.findings.notify")}</label>
            <textarea id="n-text" name="text" rows={2} required />
            <button className="button button-quiet" type="submit" disabled={!key}>
              {t("outcomes.findings.send")}
            </button>
          </form>
        ) : null}
      </section>

      {team || finding.roles.includes("office") ? (
        <section className="card" aria-labelledby="f-resolutions">
          <h2 id="f-resolutions">{t("outcomes.findings.resolutions")}</h2>
          <ul>
            {finding.resolutions.map((r) => (
              <li key={r.id}>
                {t(`outcomes.resolutionKind.${r.kind}`)} · {formatDate(locale, r.resolvedAt)}
                {r.amountFen !== null ? ` · ${formatFen(locale, r.amountFen)}` : ""}
                {r.beneficiaries !== null
                  ? ` · ${t("outcomes.findings.beneficiariesN", { n: r.beneficiaries })}`
                  : ""}
                {notes[`r-${r.id}`] ? <p>{notes[`r-${r.id}`]}</p> : null}
                {evidence.some((f) => f.resolutionId === r.id) ? (
                  <Evidence
                    filesUrl={`/api/staff/findings/${finding.id}/files`}
                    files={evidence
                      .filter((f) => f.resolutionId === r.id)
                      .map((f) => ({ id: f.id, size: f.size }))}
                    refs={opened ? evidenceRefs : null}
                    unlocked={!!key}
                  />
                ) : null}
              </li>
            ))}
          </ul>
          {team ? (
            <form className="staff-form" onSubmit={onResolve}>
              <label htmlFor="r-kind">{t("outcomes.findings.kind")}</label>
              <select id="r-kind" name="kind">
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`outcomes.resolutionKind.${k}`)}
                  </option>
                ))}
              </select>
              <label htmlFor="r-amount">{t("outcomes.findings.amount")}</label>
              <input
                id="r-amount"
                name="amount"
                inputMode="decimal"
                pattern="[0-9]+(\.[0-9]{1,2})?"
              />
              <label htmlFor="r-people">{t("outcomes.findings.beneficiaries")}</label>
              <input id="r-people" name="beneficiaries" inputMode="numeric" pattern="[0-9]+" />
              <label htmlFor="r-date">{t("outcomes.findings.resolvedAt")}</label>
              <input id="r-date" name="resolvedAt" type="date" required />
              <label htmlFor="r-desc">{t("outcomes.findings.description")}</label>
              <textarea id="r-desc" name="description" rows={3} required />
              <label htmlFor="r-files">{t("outcomes.evidence.label")}</label>
              <input
                id="r-files"
                name="evidence"
                type="file"
                multiple
                accept={EVIDENCE_ACCEPT}
                aria-describedby="r-files-hint"
              />
              <p id="r-files-hint" className="muted">
                {t("outcomes.evidence.hint", {
                  max: MAX_RESOLUTION_FILES,
                  mb: MAX_RESOLUTION_EVIDENCE_BYTES / 1024 / 1024,
                })}
              </p>
              <label htmlFor="r-msg">{t("outcomes.findings.tipsterText")}</label>
              <textarea id="r-msg" name="tipsterText" rows={2} required />
              <button className="button" type="submit" disabled={!opened}>
                {t("outcomes.findings.resolve")}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
    </StaffLayout>
  );
}
