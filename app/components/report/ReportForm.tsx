/**
 * The report form. One plain HTML form that works without JavaScript (multipart POST to /report,
 * where the server encrypts on arrival); with JavaScript the submit is taken over: everything is
 * encrypted on this device (app/client/report, loaded lazily when the resident starts writing)
 * and only ciphertext is uploaded, with a real progress bar.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useRevalidator } from "@remix-run/react";
import { useHydrated } from "~/components/use-hydrated";
import {
  CATEGORIES,
  CORRUPTION_TYPES,
  MAX_REPORT_FILE_BYTES,
  MAX_REPORT_FILES,
  MAX_REPORT_TOTAL_BYTES,
  MAX_TEXT_CHARS,
  MAX_SHORT_CHARS,
  MAX_NAME_CHARS,
  mb,
  validateFiles,
  validateReport,
  type FieldProblem,
  type FormValues,
} from "~/client/report/model";
import { largePhotos } from "~/client/report/photo";
import type {
  PreparedRequest,
  ReportSession,
  SubmitOk,
  SubmitProgress,
} from "~/client/report/report-client";
import { LeaveGuard } from "~/components/LeaveGuard";
import type { T } from "~/i18n/translate";
import { formatFen } from "~/i18n/translate";
import { LargePhotoChoice } from "./LargePhotoChoice";
import { SubmitProgressView } from "./SubmitProgressView";
import { EVIDENCE_ACCEPT, fileWithHead } from "~/shared/file-types";
import { useI18n } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/types";
import { parseYuan } from "~/shared/money";
import { nameSaysKind } from "~/shared/units";
import type { ReportPageDistrict } from "~/services/report.server";

type UnitKind =
  "village" | "community" | "organisation" | "school" | "court" | "enterprise" | "other";

const DRAFT_FIELDS = [
  "unit",
  "category",
  "corruptionType",
  "text",
  "when",
  "people",
  "amount",
] as const;

export interface ReportFormProps {
  page: ReportPageDistrict;
  salt: string;
  /** no-JS: problems found by the server and the values to put back */
  serverProblems?: FieldProblem[];
  values?: FormValues;
  onSent: (ok: SubmitOk) => void;
}

/** Where a problem's link in the error summary jumps to. */
export function problemAnchor(field: FieldProblem["field"]): string {
  if (field === "category") return "category-error";
  if (field === "unit") return "unit-choice";
  if (field === "name" || field === "phone" || field === "contact") return `id-${field}`;
  return field;
}

export function problemMessage(t: T, p: FieldProblem): string {
  return t(`resident.errors.${p.key}` as MessageKey, p.vars);
}

function loadClient() {
  return import("~/client/report/report-client");
}

export function ReportForm({ page, salt, serverProblems, values, onSent }: ReportFormProps) {
  const { t, locale } = useI18n();
  const en = locale === "en";
  const name = (r: { nameZh: string; nameEn: string }) => (en ? r.nameEn : r.nameZh);
  const revalidator = useRevalidator();
  const formRef = useRef<HTMLFormElement>(null);
  const [problems, setProblems] = useState<FieldProblem[]>(serverProblems ?? []);
  const [error, setError] = useState<string | null>(null);
  /** Something was typed or chosen: leaving now would lose it. */
  const [dirty, setDirty] = useState(false);
  const [amountText, setAmountText] = useState(values?.amount ?? "");
  /** The submission under way; its progress view re-renders itself, not this long form. */
  const [busy, setBusy] = useState<SubmitProgress | null>(null);
  const [canRetry, setCanRetry] = useState(false);
  const [chosenFiles, setChosenFiles] = useState<File[]>([]);
  const [reduce, setReduce] = useState<Set<File>>(new Set());
  const session = useRef<Promise<ReportSession> | null>(null);
  /** The last sealed request and what it was made from: a retry sends exactly these bytes. */
  const prepared = useRef<{ fingerprint: string; request: PreparedRequest } | null>(null);
  const [unitFilter, setUnitFilter] = useState("");
  const named = values?.identity === "named";
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [draftOn, setDraftOn] = useState(false);
  const [draftRestored, setDraftRestored] = useState(false);
  const draftTimer = useRef<number | undefined>(undefined);
  const v = values ?? {};
  const returned = Object.keys(v).length > 0;

  useEffect(() => {
    (window as { __cwReportReady?: boolean }).__cwReportReady = true;
    void import("~/client/report/draft").then(async ({ loadDraft }) => {
      const draft = await loadDraft();
      const form = formRef.current;
      if (!draft || !form) return;
      for (const field of DRAFT_FIELDS) {
        const value = draft[field];
        if (value === undefined) continue;
        const els = form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
          `[name="${field}"]`,
        );
        els.forEach((el) => {
          if (el instanceof HTMLInputElement && el.type === "radio")
            el.checked = el.value === value;
          else el.value = value;
        });
      }
      setDraftOn(true);
      setDraftRestored(true);
      setDirty(true);
      if (draft.amount !== undefined) setAmountText(draft.amount);
    });
    return () => {
      (window as { __cwReportReady?: boolean }).__cwReportReady = false;
    };
  }, []);

  const problemFor = (field: FieldProblem["field"]) => problems.find((p) => p.field === field);
  const message = (p: FieldProblem) => problemMessage(t, p);

  /**
   * Crypto is fetched only once the resident starts a report; keys, PoW and the readers' checks
   * start meanwhile.
   */
  function startSession(): Promise<ReportSession> {
    session.current ??= loadClient().then(
      (c) =>
        new c.ReportSession(salt, {
          district: page.district.id,
          readers: page.panel?.readers ?? [],
          rosters: page.panel?.rosters ?? [],
        }),
    );
    return session.current;
  }
  /** The files as chosen now, and whether they passed the page's checks. */
  const latestFiles = useRef<File[]>([]);
  const filesOk = useRef(false);
  /** Encrypts chosen files while the resident writes; a changed choice drops the old ones. */
  function encryptAhead(files: File[], nextReduce: ReadonlySet<File>, ok: boolean) {
    if (files !== latestFiles.current) return;
    void startSession()
      .then((s) => s.encryptAhead(ok ? files : [], nextReduce))
      .catch(() => undefined);
  }
  function startedWriting() {
    void startSession().catch(() => undefined);
  }
  useEffect(() => () => void session.current?.then((s) => s.close()), []);

  function formValues(form: HTMLFormElement): FormValues {
    const data = new FormData(form);
    const out: Record<string, string> = {};
    for (const [k, val] of data.entries()) if (typeof val === "string") out[k] = val;
    return out as FormValues;
  }

  function onInput() {
    setDirty(true);
    if (!draftOn || !formRef.current) return;
    window.clearTimeout(draftTimer.current);
    const form = formRef.current;
    draftTimer.current = window.setTimeout(() => {
      const all = formValues(form) as Record<string, string>;
      const draft: Record<string, string> = {};
      for (const f of DRAFT_FIELDS) if (all[f] !== undefined) draft[f] = all[f];
      void import("~/client/report/draft").then(({ saveDraft }) => saveDraft(draft));
    }, 400);
  }

  function onDraftToggle(on: boolean) {
    setDraftOn(on);
    if (!on) void import("~/client/report/draft").then(({ clearDraft }) => clearDraft());
    else setTimeout(onInput, 0);
  }

  async function onFiles(list: FileList | null) {
    const files = Array.from(list ?? []);
    latestFiles.current = files;
    filesOk.current = false;
    setChosenFiles(files);
    setReduce(new Set());
    if (files.length === 0) {
      encryptAhead(files, new Set(), false);
      return setFileNote(null);
    }
    const total = files.reduce((s, f) => s + f.size, 0);
    setFileNote(t("resident.form.filesChosen", { count: files.length, size: mb(total) }));
    // Each file's first bytes say what it is: a program renamed "photo.jpg" is refused here.
    const checked = validateFiles(await Promise.all(files.map(fileWithHead)));
    if (files !== latestFiles.current) return; // another choice came meanwhile
    setProblems((prev) => [...prev.filter((p) => p.field !== "files"), ...checked]);
    filesOk.current = checked.length === 0;
    encryptAhead(files, new Set(), filesOk.current);
  }

  function onReduce(next: Set<File>) {
    setReduce(next);
    encryptAhead(chosenFiles, next, filesOk.current);
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const form = e.currentTarget;
    const vals = formValues(form);
    const fileInput = form.elements.namedItem("files") as HTMLInputElement | null;
    const files = Array.from(fileInput?.files ?? []);
    const checked = validateReport(vals, await Promise.all(files.map(fileWithHead)), (f) =>
      t(`resident.form.${f}` as MessageKey),
    );
    if (!checked.ok) {
      setProblems(checked.problems);
      setError(null);
      requestAnimationFrame(() => {
        const first = checked.problems[0]!.field;
        form.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      });
      return;
    }
    setProblems([]);
    setError(null);
    setCanRetry(false);
    const fingerprint = JSON.stringify([
      vals,
      files.map((f) => [f.name, f.size, f.lastModified, reduce.has(f)]),
    ]);
    try {
      const s = await startSession();
      let request = prepared.current?.fingerprint === fingerprint ? prepared.current.request : null;
      if (!request && prepared.current) {
        // The earlier attempt may have been stored: changed content gets a new receipt.
        prepared.current = null;
        s.prepareReceipt();
      }
      const progress = s.plan(files, request);
      setBusy(progress);
      if (!request) {
        request = await s.prepare(
          {
            fields: checked.fields,
            identity: checked.identity,
            onlyOutsiders: checked.onlyOutsiders,
            files,
            reduce,
            readers: page.panel?.readers ?? [],
            rosters: page.panel?.rosters ?? [],
          },
          progress,
        );
        prepared.current = { fingerprint, request };
      }
      const ok = await s.send(request, progress);
      prepared.current = null;
      window.clearTimeout(draftTimer.current);
      const { clearDraft } = await import("~/client/report/draft");
      clearDraft();
      s.close();
      onSent(ok);
    } catch (err) {
      const c = err as { code?: string; serverMessage?: string; serverCode?: string };
      setBusy(null);
      // Only a dropped connection leaves the sealed request for a retry; after a refusal
      // nothing was stored, and the next attempt seals afresh (same receipt).
      if (c.code !== "network") prepared.current = null;
      setCanRetry(c.code === "network" && prepared.current !== null);
      if (c.serverCode === "recipients_changed" || c.serverCode === "no_reader")
        revalidator.revalidate();
      setError(
        (c.code === "server" || c.code === "network") && c.serverMessage
          ? c.serverMessage
          : c.serverCode === "no_reader"
            ? t("resident.errors.noReader")
            : c.code === "unverified"
              ? t("resident.errors.unverifiedReaders")
              : c.code === "crypto"
                ? t("resident.errors.crypto")
                : t("resident.errors.network"),
      );
    }
  }

  const textProblem = problemFor("text");
  const amount = parseYuan(amountText);
  const filesProblems = problems.filter((p) => p.field === "files");
  const visibleUnits = page.units.filter((u) => {
    const q = unitFilter.trim().toLowerCase();
    return !q || u.nameZh.includes(q) || u.nameEn.toLowerCase().includes(q);
  });
  const sizes = {
    count: MAX_REPORT_FILES,
    each: mb(MAX_REPORT_FILE_BYTES),
    total: mb(MAX_REPORT_TOTAL_BYTES),
  };

  return (
    <form
      ref={formRef}
      method="post"
      action={`/report?district=${encodeURIComponent(page.district.id)}`}
      encType="multipart/form-data"
      className="report-form"
      data-report-form=""
      onSubmit={onSubmit}
      onFocus={startedWriting}
      onInput={onInput}
      noValidate
    >
      <input type="hidden" name="intent" value="submit" />
      <input type="hidden" name="district" value={page.district.id} />
      <LeaveGuard when={dirty} message={t("resident.form.leaveForm")} />
      {draftRestored ? (
        <p className="notice notice-ok" role="status">
          {t("resident.form.draftRestored")}
        </p>
      ) : null}

      {page.units.length === 0 ? <input type="hidden" name="unit" value="" /> : null}
      <fieldset
        className="card"
        id="unit-choice"
        hidden={page.units.length === 0}
        aria-describedby={problemFor("unit") ? "unit-error" : undefined}
      >
        <legend>{t("resident.form.legendUnit")}</legend>
        {problemFor("unit") ? (
          <p className="field-error" id="unit-error" role="alert">
            {message(problemFor("unit")!)}
          </p>
        ) : null}
        {page.units.length > 6 ? (
          <div className="js-only">
            <label htmlFor="unit-filter">{t("resident.form.unitFilter")}</label>
            <input
              id="unit-filter"
              type="search"
              className="text-input"
              value={unitFilter}
              placeholder={t("resident.form.unitFilterHint")}
              onChange={(e) => setUnitFilter(e.target.value)}
              autoComplete="off"
            />
          </div>
        ) : null}
        <div className="choice-stack">
          {visibleUnits.map((u) => {
            const kind = t(`resident.form.unitKind.${u.kind as UnitKind}`);
            return (
              <label key={u.id} className="choice">
                <input type="radio" name="unit" value={u.id} defaultChecked={v.unit === u.id} />
                <span>
                  {name(u)}
                  {nameSaysKind(name(u), kind) ? null : (
                    <>
                      {" "}
                      <span className="tag">{kind}</span>
                    </>
                  )}
                </span>
              </label>
            );
          })}
          {/* Not preselected: the resident chooses, "not sure" included. */}
          <label className="choice">
            <input type="radio" name="unit" value="" defaultChecked={v.unit === ""} />
            <span>{t("resident.form.unitWhole")}</span>
          </label>
        </div>
      </fieldset>

      {/* Offered before anything is written (a tap on the unit is all so far). */}
      <div className="card draft-card js-only">
        <label className="choice">
          <input
            type="checkbox"
            checked={draftOn}
            onChange={(e) => onDraftToggle(e.target.checked)}
            aria-describedby="draft-hint"
          />
          <span>{t("resident.form.draft")}</span>
        </label>
        <p className="hint" id="draft-hint">
          {t("resident.form.draftHint")}
        </p>
      </div>
      <fieldset
        className="card"
        aria-describedby={problemFor("category") ? "category-error" : undefined}
      >
        <legend>{t("resident.form.legendCategory")}</legend>
        {problemFor("category") ? (
          <p className="field-error" id="category-error" role="alert">
            {message(problemFor("category")!)}
          </p>
        ) : null}
        <div className="choice-stack">
          {CATEGORIES.map((c) => (
            <HelpedChoice
              key={c}
              name="category"
              value={c}
              checked={v.category === c}
              label={t(`resident.form.category.${c}`)}
              help={t(`resident.form.categoryHelp.${c}`)}
            />
          ))}
        </div>
        <fieldset className="sub-fieldset corruption-types">
          <legend>{t("resident.form.legendCorruption")}</legend>
          <p className="hint nojs-only">{t("resident.form.corruptionNote")}</p>
          <div className="choice-stack">
            {CORRUPTION_TYPES.map((c) => (
              <HelpedChoice
                key={c}
                name="corruptionType"
                value={c}
                checked={v.corruptionType === c}
                label={t(`resident.form.corruption.${c}`)}
                help={t(`resident.form.corruptionHelp.${c}`)}
              />
            ))}
          </div>
        </fieldset>
      </fieldset>

      <div className="card">
        <label htmlFor="text">{t("resident.form.text")}</label>
        <p className="hint" id="text-hint">
          {t("resident.form.textHint")}
        </p>
        <textarea
          id="text"
          name="text"
          rows={8}
          maxLength={MAX_TEXT_CHARS}
          defaultValue={v.text}
          aria-describedby={textProblem ? "text-hint text-error" : "text-hint"}
          aria-invalid={textProblem ? true : undefined}
          required
        />
        {textProblem ? (
          <p className="field-error" id="text-error" role="alert">
            {message(textProblem)}
          </p>
        ) : null}
        {(["when", "people"] as const).map((f) => (
          <div key={f}>
            <label htmlFor={f}>{t(`resident.form.${f}`)}</label>
            <p className="hint" id={`${f}-hint`}>
              {t(`resident.form.${f}Hint`)}
            </p>
            {f === "people" ? (
              <textarea
                id={f}
                name={f}
                rows={3}
                maxLength={MAX_SHORT_CHARS}
                defaultValue={v[f]}
                aria-describedby={`${f}-hint`}
              />
            ) : (
              <input
                id={f}
                name={f}
                className="text-input"
                maxLength={MAX_SHORT_CHARS}
                defaultValue={v[f]}
                aria-describedby={`${f}-hint`}
              />
            )}
            {problemFor(f) ? (
              <p className="field-error" role="alert">
                {message(problemFor(f)!)}
              </p>
            ) : null}
          </div>
        ))}
        <label htmlFor="amount">{t("resident.form.amount")}</label>
        <p className="hint" id="amount-hint">
          {t("resident.form.amountHint")}
        </p>
        <input
          id="amount"
          name="amount"
          className="text-input"
          inputMode="decimal"
          autoComplete="off"
          maxLength={40}
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          aria-describedby={
            problemFor("amount")
              ? "amount-hint amount-echo amount-error"
              : "amount-hint amount-echo"
          }
          aria-invalid={problemFor("amount") ? true : undefined}
        />
        <p className="amount-echo" id="amount-echo" role="status" data-testid="amount-echo">
          {amount?.ok
            ? t("resident.form.amountEcho", { amount: formatFen(locale, amount.fen) })
            : ""}
        </p>
        {problemFor("amount") ? (
          <p className="field-error" id="amount-error" role="alert">
            {message(problemFor("amount")!)}
          </p>
        ) : null}
      </div>

      <div className="card">
        <label htmlFor="files">{t("resident.form.files")}</label>
        <p className="hint" id="files-hint">
          {t("resident.form.filesHint", sizes)}{" "}
          <span className="js-only">{t("resident.form.filesCleanJs")}</span>
          <span className="nojs-only">{t("resident.form.filesCleanNoJs")}</span>
        </p>
        <input
          id="files"
          name="files"
          type="file"
          multiple
          accept={EVIDENCE_ACCEPT}
          aria-describedby="files-hint"
          onChange={(e) => void onFiles(e.target.files)}
        />
        <LargePhotoChoice photos={largePhotos(chosenFiles)} reduce={reduce} onChange={onReduce} />
        {fileNote ? (
          <p className="hint" role="status">
            {fileNote}
          </p>
        ) : null}
        {filesProblems.map((p, i) => (
          <p className="field-error" role="alert" key={i}>
            {message(p)}
          </p>
        ))}
      </div>

      <fieldset className="card">
        <legend>{t("resident.form.legendIdentity")}</legend>
        <div className="choice-stack">
          <label className="choice">
            <input type="radio" name="identity" value="anonymous" defaultChecked={!named} />
            <span>{t("resident.form.anonymousDefault")}</span>
          </label>
          <label className="choice">
            <input type="radio" name="identity" value="named" defaultChecked={named} />
            <span>{t("resident.form.giveIdentity")}</span>
          </label>
        </div>
        <p className="hint">{t("resident.form.identityNote")}</p>
        <div className="identity-fields">
          {(["name", "phone", "contact"] as const).map((f) => (
            <div key={f}>
              <label htmlFor={`id-${f}`}>{t(`resident.form.${f}`)}</label>
              {f === "contact" ? (
                <p className="hint" id="contact-hint">
                  {t("resident.form.contactHint")}
                </p>
              ) : null}
              <input
                id={`id-${f}`}
                name={f}
                className="text-input"
                type={f === "phone" ? "tel" : "text"}
                autoComplete="off"
                maxLength={f === "contact" ? MAX_SHORT_CHARS : MAX_NAME_CHARS}
                defaultValue={v[f]}
                aria-describedby={f === "contact" ? "contact-hint" : undefined}
              />
              {problemFor(f) ? (
                <p className="field-error" role="alert">
                  {message(problemFor(f)!)}
                </p>
              ) : null}
            </div>
          ))}
        </div>
        <label className="choice">
          <input
            type="checkbox"
            name="onlyOutsiders"
            value="yes"
            // Ticked by default; in a form that came back, an absent value means it was unticked.
            defaultChecked={returned ? v.onlyOutsiders === "yes" : true}
            aria-describedby="outsiders-hint"
          />
          <span>{t("resident.form.onlyOutsiders")}</span>
        </label>
        <p className="hint" id="outsiders-hint">
          {t("resident.form.onlyOutsidersHint")}
        </p>
      </fieldset>

      {error && canRetry && !busy ? (
        <div className="notice notice-danger" role="alert" data-retry="">
          <p>
            <strong>{t("submit.retryTitle")}</strong>
          </p>
          <p>{t("submit.retryBody")}</p>
          <button type="button" className="button" onClick={() => formRef.current?.requestSubmit()}>
            {t("submit.retry")}
          </button>
        </div>
      ) : error ? (
        <p className="notice notice-danger" role="alert">
          {error}
        </p>
      ) : null}
      <div className="submit-area">
        {busy ? <SubmitProgressView progress={busy} /> : null}
        <p className="hint">{t("resident.before.receipt")}</p>
        <p className="progress-note" id="report-wait" role="status" hidden>
          {t("resident.nojs.waiting")}
        </p>
        <button type="submit" className="button button-block" disabled={busy !== null}>
          <SubmitLabel />
        </button>
      </div>
    </form>
  );
}

/** A radio with its name in bold and a line of help under it (categories, kinds of corruption). */
function HelpedChoice(props: {
  name: string;
  value: string;
  checked: boolean;
  label: string;
  help: string;
}) {
  return (
    <label className="choice">
      <input
        type="radio"
        name={props.name}
        value={props.value}
        defaultChecked={props.checked}
        aria-describedby={`help-${props.value}`}
      />
      <span>
        <strong>{props.label}</strong>
        <span className="choice-help" id={`help-${props.value}`}>
          {props.help}
        </span>
      </span>
    </label>
  );
}

/**
 * The submit button says what it does: "encrypt and send" once this page's JavaScript runs, the
 * plain send without it. Its own component, so the switch after hydration re-renders this label
 * and not the whole form (the page's other JS-only parts switch by CSS: `.js-only`, report.css).
 */
function SubmitLabel() {
  const { t } = useI18n();
  return <>{useHydrated() ? t("resident.form.submit") : t("resident.form.submitNoJs")}</>;
}
