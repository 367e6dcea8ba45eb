/**
 * The inbox as a dense list: one row per tip (unit, category, a two-line preview, received,
 * next deadline, status, assignee, unread replies), a checkbox for bulk actions, and the row
 * under the keyboard cursor marked as current. At phone widths the stylesheet turns each row
 * into a compact card; the markup stays one table.
 */
import { Link } from "@remix-run/react";
import { formatShortDate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import type { InboxViewRow } from "../inbox-query";

/** Characters of the text shown in a row: the stylesheet clamps it to two lines anyway. */
const PREVIEW_CHARS = 160;

export function preview(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length > PREVIEW_CHARS
    ? chars.slice(0, PREVIEW_CHARS).join("") + "…"
    : chars.join("");
}

export interface TriageTableProps {
  rows: InboxViewRow[];
  unlocked: boolean;
  selected: ReadonlySet<string>;
  current: string | null;
  onToggle(id: string, on: boolean): void;
  onToggleAll(on: boolean): void;
  /** a click or tap on the row */
  onCurrent(id: string): void;
  /** the row's link got focus (keyboard) */
  onFocusRow(id: string): void;
}

export function TriageTable(p: TriageTableProps) {
  const { t, locale } = useI18n();
  const en = locale === "en";
  const allOn = p.rows.length > 0 && p.rows.every((r) => p.selected.has(r.id));
  return (
    <table className="triage-table" aria-describedby="inbox-keys">
      <thead>
        <tr>
          <th scope="col" className="triage-select">
            <input
              type="checkbox"
              checked={allOn}
              aria-label={t("cases.bulk.selectPage")}
              onChange={(e) => p.onToggleAll(e.target.checked)}
            />
          </th>
          <th scope="col">{t("cases.inbox.tipCol")}</th>
          <th scope="col" className="triage-when">
            {t("cases.inbox.whenCol")}
          </th>
          <th scope="col" className="triage-state">
            {t("cases.inbox.stateCol")}
          </th>
          <th scope="col" className="triage-replies">
            {t("cases.inbox.repliesCol")}
          </th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r) => {
          const unit = r.unit ? (en ? r.unit.en : r.unit.zh) : t("cases.inbox.unknownUnit");
          const late = r.acknowledgeOverdue || r.feedbackOverdue;
          const isCurrent = p.current === r.id;
          return (
            <tr
              key={r.id}
              data-inbox-row={r.id}
              aria-current={isCurrent ? "true" : undefined}
              className={
                "triage-row" +
                (isCurrent ? " triage-current" : "") +
                (late ? " triage-late" : "") +
                (p.selected.has(r.id) ? " triage-selected" : "")
              }
              onClick={() => p.onCurrent(r.id)}
            >
              <td className="triage-select">
                <input
                  type="checkbox"
                  checked={p.selected.has(r.id)}
                  aria-label={t("cases.bulk.selectOne", { unit, id: r.id.slice(4, 12) })}
                  onChange={(e) => p.onToggle(r.id, e.target.checked)}
                  onClick={(e) => e.stopPropagation()}
                />
              </td>
              <th scope="row" className="triage-main">
                <span className="triage-clamp">
                  <Link
                    to={`/staff/tips/${r.id}`}
                    prefetch="none"
                    className="triage-open"
                    onFocus={() => p.onFocusRow(r.id)}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {unit}
                  </Link>{" "}
                  <span className="triage-cat">
                    {t(`cases.category.${r.category ?? "none"}` as MessageKey)}
                  </span>{" "}
                  {r.priority === "high" || r.priority === "urgent" ? (
                    <>
                      <span className={`tag cases-priority-${r.priority}`}>
                        {t(`cases.priority.${r.priority}` as MessageKey)}
                      </span>{" "}
                    </>
                  ) : null}
                  {r.labels.map((l) => (
                    <span key={l}>
                      <span className="tag triage-label">{l}</span>{" "}
                    </span>
                  ))}
                  <span className="triage-preview" data-testid="inbox-preview">
                    {!p.unlocked
                      ? t("cases.inbox.locked")
                      : r.content === undefined
                        ? "…"
                        : r.content === null
                          ? t("cases.inbox.undecryptable")
                          : preview(r.content.text)}
                  </span>
                </span>
              </th>
              <td className="triage-when">
                <span className="triage-received">
                  <span className="visually-hidden">{t("cases.inbox.received")} </span>
                  {formatShortDate(locale, r.receivedAt)}
                </span>{" "}
                {r.acknowledged ? (
                  <span className={r.feedbackOverdue ? "cases-late" : undefined}>
                    {t(
                      r.feedbackOverdue ? "cases.inbox.feedbackLate" : "cases.inbox.feedbackShort",
                      {
                        date: formatShortDate(locale, r.feedbackBy),
                      },
                    )}
                  </span>
                ) : (
                  <span className={r.acknowledgeOverdue ? "cases-late" : undefined}>
                    {t(r.acknowledgeOverdue ? "cases.inbox.ackLate" : "cases.inbox.ackShort", {
                      date: formatShortDate(locale, r.acknowledgeBy),
                    })}
                  </span>
                )}
              </td>
              <td className="triage-state">
                <span className="tag">{t(`cases.status.${r.status}` as MessageKey)}</span>{" "}
                <span className={r.assignee ? undefined : "cases-empty"}>
                  {r.assignee?.name ?? t("cases.inbox.unassigned")}
                </span>
              </td>
              <td className="triage-replies">
                {r.unread > 0 ? (
                  <span className="tag cases-unread">
                    {t("cases.inbox.unread", { count: r.unread })}
                  </span>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
