/**
 * The reading pane beside the inbox list (desktop widths): the current tip's metadata, every
 * field the resident filled in and the whole text, from what the inbox already decrypted in this
 * browser — nothing more is fetched. "Open case" leads to the case page for replies and triage.
 */
import { Link } from "@remix-run/react";
import { formatDate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { TipFields } from "../TipFields";
import type { InboxViewRow } from "../inbox-query";

export function ReadingPane({
  row,
  unlocked,
  onClose,
}: {
  row: InboxViewRow | null;
  unlocked: boolean;
  onClose(): void;
}) {
  const { t, locale } = useI18n();
  const en = locale === "en";
  if (!row) {
    return (
      <aside className="triage-pane card" aria-label={t("cases.pane.label")}>
        <p className="cases-hint">{t("cases.pane.empty")}</p>
      </aside>
    );
  }
  const unit = row.unit ? (en ? row.unit.en : row.unit.zh) : t("cases.inbox.unknownUnit");
  return (
    <aside className="triage-pane card" aria-labelledby="pane-title" data-testid="reading-pane">
      <div className="triage-pane-head">
        <h2 id="pane-title">
          {unit} · {t(`cases.category.${row.category ?? "none"}` as MessageKey)}
        </h2>
        <button type="button" className="button button-quiet" onClick={onClose}>
          {t("cases.pane.close")}
        </button>
      </div>
      <p className="triage-pane-meta">
        <span className="tag">{t(`cases.status.${row.status}` as MessageKey)}</span>{" "}
        <span className={`tag cases-priority-${row.priority}`}>
          {t(`cases.priority.${row.priority}` as MessageKey)}
        </span>{" "}
        {row.labels.map((l) => (
          <span key={l} className="tag">
            {l}
          </span>
        ))}
      </p>
      <dl className="facts">
        <dt>{t("cases.inbox.received")}</dt>
        <dd>{formatDate(locale, row.receivedAt)}</dd>
        <dt>{t("cases.inbox.assignee")}</dt>
        <dd>{row.assignee?.name ?? t("cases.inbox.unassigned")}</dd>
        <dt>{t("cases.inbox.deadline")}</dt>
        <dd>
          <span className={row.acknowledgeOverdue ? "cases-late" : undefined}>
            {t("cases.inbox.ackBy", { date: formatDate(locale, row.acknowledgeBy) })}
          </span>{" "}
          <span className={row.feedbackOverdue ? "cases-late" : undefined}>
            {t("cases.inbox.feedbackBy", { date: formatDate(locale, row.feedbackBy) })}
          </span>
        </dd>
        {row.unread > 0 ? (
          <>
            <dt>{t("cases.inbox.repliesCol")}</dt>
            <dd>{t("cases.inbox.unread", { count: row.unread })}</dd>
          </>
        ) : null}
      </dl>
      {!unlocked ? (
        <p>{t("cases.case.locked")}</p>
      ) : row.content === undefined ? (
        <p>…</p>
      ) : row.content === null ? (
        <p className="cases-error">{t("cases.errors.decrypt")}</p>
      ) : (
        <>
          <TipFields content={row.content} testId="pane-fields" />
          <h3>{t("cases.case.content")}</h3>
          <div
            className="triage-pane-text cases-body"
            tabIndex={0}
            role="region"
            aria-label={t("cases.case.content")}
            data-testid="pane-text"
          >
            {row.content.text}
          </div>
          {row.content.fileCount > 0 ? (
            <p className="cases-hint">{t("cases.pane.files", { count: row.content.fileCount })}</p>
          ) : null}
        </>
      )}
      <p>
        <Link className="button" to={`/staff/tips/${row.id}`} prefetch="none">
          {t("cases.pane.open")}
        </Link>
      </p>
    </aside>
  );
}
