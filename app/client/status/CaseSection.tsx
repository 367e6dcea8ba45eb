/**
 * The open case: summary, timeline of public statuses, the conversation with the team and the
 * reply box. Renders the same for both paths; `mode` decides how the reply form is sent
 * (JavaScript: encrypted in the browser; no JavaScript: a plain POST the server encrypts).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { CATEGORIES, CORRUPTION_TYPES } from "~/client/report/model";
import { formatDate, formatDateTime, formatFen } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, MAX_REPLY_CHARS, type CaseView } from "./model";
import { EVIDENCE_ACCEPT, fileWithHead, firstRefusedFile } from "~/shared/file-types";
import { TeamMessage } from "./TeamMessage";

type Props =
  | {
      mode: "js";
      view: CaseView;
      onReply: (text: string, files: File[]) => Promise<string | null>;
      onClose: () => void;
    }
  | {
      mode: "nojs";
      view: CaseView;
      /** formatted receipt, posted again with a reply (POST body only, never a URL) */
      receipt: string;
      sent: boolean;
      replyError: string | null;
    };

const sizeText = (locale: string) =>
  `${new Intl.NumberFormat(locale).format(MAX_EVIDENCE_BYTES / 1024 / 1024)} MB`;

export function CaseSection(props: Props) {
  const { view } = props;
  const { t, locale } = useI18n();
  const en = locale === "en";
  const name = (x: { nameZh: string; nameEn: string }) => (en ? x.nameEn : x.nameZh);
  const s = view.summary;
  const titleRef = useRef<HTMLHeadingElement>(null);
  // Screen readers and keyboards land on the case once it has opened.
  useEffect(() => titleRef.current?.focus(), []);
  const overdue =
    (s.status === "received" && Date.now() > Date.parse(s.acknowledgeBy)) ||
    (!["resolved", "not_accepted", "merged"].includes(s.status) &&
      Date.now() > Date.parse(s.feedbackBy));

  return (
    <div className="case">
      {props.mode === "nojs" ? (
        <div className="notice notice-warn" role="note">
          <p>{t("tipster.noJsActive")}</p>
          <p data-testid="nojs-unchecked">{t("tipster.signature.noJsUnchecked")}</p>
        </div>
      ) : null}
      <section className="card case-summary" aria-labelledby="case-summary-title">
        <h2 id="case-summary-title" ref={titleRef} tabIndex={-1}>
          {t("tipster.summaryTitle")}
        </h2>
        <dl className="facts">
          <dt>{t("tipster.currentStatus")}</dt>
          <dd>
            <span className={`tag status-tag status-${s.status}`} data-testid="current-status">
              {t(`tipster.status.${s.status}`)}
            </span>
            {overdue ? <span className="tag tag-warn">{t("tipster.overdue")}</span> : null}
          </dd>
          <dt>{t("tipster.district")}</dt>
          <dd>{name(s.district)}</dd>
          {s.unit ? (
            <>
              <dt>{t("tipster.unit")}</dt>
              <dd>{name(s.unit)}</dd>
            </>
          ) : null}
          <dt>{t("tipster.submitted")}</dt>
          <dd>{formatDate(locale, s.createdAt)}</dd>
        </dl>
        <ul className="deadlines">
          {s.acknowledgedAt ? (
            <li>{t("tipster.acknowledged", { date: formatDate(locale, s.acknowledgedAt) })}</li>
          ) : (
            <li>{t("tipster.ackBy", { date: formatDate(locale, s.acknowledgeBy) })}</li>
          )}
          <li>{t("tipster.feedbackBy", { date: formatDate(locale, s.feedbackBy) })}</li>
        </ul>
        {s.identityRevealedAt ? (
          <p className="notice notice-warn" data-testid="identity-opened">
            {t("tipster.identityOpened", { date: formatDate(locale, s.identityRevealedAt) })}
          </p>
        ) : null}
        {view.report !== null ? (
          <details className="your-report">
            <summary>{t("tipster.yourReport")}</summary>
            <YourReport view={view} />
          </details>
        ) : null}
      </section>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("tipster.timelineTitle")}</h2>
        <ol className="timeline">
          {view.timeline.map((h) => (
            <li key={h.id} className={`timeline-item status-${h.status}`}>
              <p className="timeline-head">
                <strong>{t(`tipster.status.${h.status}`)}</strong>{" "}
                <time dateTime={h.at}>
                  {/* The submission is kept to the day only (app/shared/tipster-time.ts). */}
                  {h.status === "received"
                    ? formatDate(locale, h.at)
                    : formatDateTime(locale, h.at)}
                </time>
              </p>
              <p className="muted">{t(`tipster.statusHelp.${h.status}`)}</p>
              {h.signature ? (
                <TeamMessage
                  text={h.message}
                  signature={h.signature}
                  className="message-text status-message"
                />
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="thread-title">
        <h2 id="thread-title">{t("tipster.threadTitle")}</h2>
        {view.thread.length === 0 ? (
          <p className="muted">{t("tipster.threadEmpty")}</p>
        ) : (
          <ol className="thread">
            {view.thread.map((m) => (
              <li
                key={m.id}
                className={`bubble bubble-${m.from}`}
                data-testid={`message-${m.from}`}
              >
                <p className="bubble-head">
                  <strong>{m.from === "team" ? t("tipster.fromTeam") : t("tipster.fromMe")}</strong>{" "}
                  <time dateTime={m.at}>
                    {m.from === "team" ? formatDateTime(locale, m.at) : formatDate(locale, m.at)}
                  </time>
                </p>
                {m.from === "team" ? (
                  <TeamMessage text={m.text} signature={m.signature} className="message-text" />
                ) : (
                  <p className="message-text">{m.text ?? t("tipster.unreadable")}</p>
                )}
                {m.files.length > 0 ? (
                  <ul
                    className="file-list"
                    aria-label={t("tipster.files", { count: m.files.length })}
                  >
                    {m.files.map((f, i) => (
                      <li key={i}>{f}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      {props.mode === "js" ? (
        <JsReplyForm onReply={props.onReply} />
      ) : (
        <NoJsReplyForm receipt={props.receipt} sent={props.sent} error={props.replyError} />
      )}

      <section className="case-close">
        <p className="muted">{t("tipster.closeHint")}</p>
        {props.mode === "js" ? (
          <button type="button" className="button button-quiet" onClick={props.onClose}>
            {t("tipster.close")}
          </button>
        ) : (
          <a className="button button-quiet" href="/status">
            {t("tipster.close")}
          </a>
        )}
      </section>
    </div>
  );
}

/** Everything the resident filled in, as they gave it (the amount as it was understood). */
function YourReport({ view }: { view: CaseView }) {
  const { t, locale } = useI18n();
  const d = view.reportDetails;
  const known = <T extends string>(list: readonly T[], v: string | null | undefined): v is T =>
    !!v && (list as readonly string[]).includes(v);
  const none = <span className="muted">{t("tipster.report.notGiven")}</span>;
  return (
    <dl className="facts report-facts" data-testid="your-report">
      {d && known(CATEGORIES, d.category) ? (
        <>
          <dt>{t("tipster.report.category")}</dt>
          <dd>
            {t(`resident.form.category.${d.category}`)}
            {known(CORRUPTION_TYPES, d.corruptionType)
              ? ` · ${t(`resident.form.corruption.${d.corruptionType}`)}`
              : null}
          </dd>
        </>
      ) : null}
      <dt>{t("tipster.report.text")}</dt>
      <dd className="message-text">{view.report}</dd>
      <dt>{t("tipster.report.when")}</dt>
      <dd data-field="when">{d?.when ? d.when : none}</dd>
      <dt>{t("tipster.report.people")}</dt>
      <dd className="message-text" data-field="people">
        {d?.people ? d.people : none}
      </dd>
      <dt>{t("tipster.report.amount")}</dt>
      <dd data-field="amount">{d?.amountFen != null ? formatFen(locale, d.amountFen) : none}</dd>
      <dt>{t("tipster.report.files")}</dt>
      <dd>
        {view.reportFiles.length > 0 ? (
          <ul className="file-list">
            {view.reportFiles.map((f, i) => (
              <li key={i}>{f}</li>
            ))}
          </ul>
        ) : (
          none
        )}
      </dd>
    </dl>
  );
}

function JsReplyForm({
  onReply,
}: {
  onReply: (text: string, files: File[]) => Promise<string | null>;
}) {
  const { t, locale } = useI18n();
  const ids = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const filesRef = useRef<HTMLInputElement>(null);
  const size = sizeText(locale);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setSent(false);
    const text = textRef.current?.value.trim() ?? "";
    const files = Array.from(filesRef.current?.files ?? []);
    if (!text && files.length === 0) return setError(t("tipster.errors.replyEmpty"));
    if (text.length > MAX_REPLY_CHARS) {
      return setError(t("tipster.errors.replyTooLong", { max: MAX_REPLY_CHARS }));
    }
    if (files.length > MAX_EVIDENCE_FILES) {
      return setError(t("tipster.errors.tooManyFiles", { max: MAX_EVIDENCE_FILES }));
    }
    // Each file's first bytes say what it is: a program renamed "photo.jpg" is refused here.
    const refused = firstRefusedFile(await Promise.all(files.map(fileWithHead)));
    if (refused) return setError(t(`tipster.errors.${refused.problem}`, { name: refused.name }));
    if (files.reduce((n, f) => n + f.size, 0) > MAX_EVIDENCE_BYTES) {
      return setError(t("tipster.errors.filesTooLarge", { size }));
    }
    setError(null);
    setBusy(true);
    const failure = await onReply(text, files);
    setBusy(false);
    if (failure) return setError(failure);
    if (textRef.current) textRef.current.value = "";
    if (filesRef.current) filesRef.current.value = "";
    setSent(true);
  }

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("tipster.replyTitle")}</h2>
      <form method="post" action="/status" className="reply-form" onSubmit={submit} noValidate>
        <label htmlFor={`${ids}-text`}>{t("tipster.replyLabel")}</label>
        <p className="hint" id={`${ids}-hint`}>
          {t("tipster.replyHint")}
        </p>
        <textarea
          id={`${ids}-text`}
          name="text"
          rows={5}
          ref={textRef}
          maxLength={MAX_REPLY_CHARS}
          aria-describedby={`${ids}-hint${error ? ` ${ids}-error` : ""}`}
          aria-invalid={error ? true : undefined}
        />
        <label htmlFor={`${ids}-files`}>{t("tipster.evidenceLabel")}</label>
        <p className="hint" id={`${ids}-files-hint`}>
          {t("tipster.evidenceHint", { max: MAX_EVIDENCE_FILES, size })}
        </p>
        <input
          id={`${ids}-files`}
          name="files"
          type="file"
          multiple
          accept={EVIDENCE_ACCEPT}
          ref={filesRef}
          aria-describedby={`${ids}-files-hint`}
        />
        {error ? (
          <p className="field-error" id={`${ids}-error`} role="alert">
            {error}
          </p>
        ) : null}
        {busy ? (
          <p className="progress-note" role="status">
            {t("tipster.sending")}
          </p>
        ) : null}
        {sent ? (
          <p className="notice notice-ok" role="status">
            {t("tipster.sent")}
          </p>
        ) : null}
        <button type="submit" className="button button-block" disabled={busy}>
          {t("tipster.send")}
        </button>
      </form>
    </section>
  );
}

function NoJsReplyForm({
  receipt,
  sent,
  error,
}: {
  receipt: string;
  sent: boolean;
  error: string | null;
}) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="reply-title">
      <h2 id="reply-title">{t("tipster.replyTitle")}</h2>
      <form method="post" action="/status" className="reply-form" encType="multipart/form-data">
        <input type="hidden" name="intent" value="reply" />
        <input type="hidden" name="receipt" value={receipt} />
        <label htmlFor="reply-text">{t("tipster.replyLabel")}</label>
        <p className="hint" id="reply-hint">
          {t("tipster.replyHintNoJs")}
        </p>
        <textarea
          id="reply-text"
          name="text"
          rows={5}
          maxLength={MAX_REPLY_CHARS}
          aria-describedby={error ? "reply-hint reply-error" : "reply-hint"}
          aria-invalid={error ? true : undefined}
        />
        <label htmlFor="reply-files">{t("tipster.evidenceLabel")}</label>
        <p className="hint" id="reply-files-hint">
          {t("tipster.evidenceHintNoJs", { max: MAX_EVIDENCE_FILES, size: sizeText(locale) })}
        </p>
        <input
          id="reply-files"
          name="files"
          type="file"
          multiple
          accept={EVIDENCE_ACCEPT}
          aria-describedby="reply-files-hint"
        />
        {error ? (
          <p className="field-error" id="reply-error" role="alert">
            {error}
          </p>
        ) : null}
        {sent ? (
          <p className="notice notice-ok" role="status">
            {t("tipster.sent")}
          </p>
        ) : null}
        <button type="submit" className="button button-block">
          {t("tipster.send")}
        </button>
      </form>
    </section>
  );
}
