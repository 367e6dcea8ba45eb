/**
 * The conversation with the tipster, read as one: who wrote (the tipster, or which team member),
 * to whom, when — tipster's messages on one side, the team's on the other, internal notes
 * (which the tipster never sees) set apart — and the notes sent with status changes in their
 * place in time.
 */
import { formatDate, formatDateTime } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";

export interface ConversationEntry {
  id: string;
  kind: "from_tipster" | "to_tipster" | "internal_note" | "status_note";
  at: string;
  author: string | null;
  /** decrypted text; null: could not be opened; undefined: not yet (locked) */
  text: string | null | undefined;
  /** for status notes */
  status?: string;
}

export function Conversation({
  entries,
  nameOf,
}: {
  entries: ConversationEntry[];
  nameOf(id: string | null): string;
}) {
  const { t, locale } = useI18n();
  if (entries.length === 0) return <p>{t("cases.case.emptyThread")}</p>;
  return (
    <ol className="convo" data-testid="conversation">
      {entries.map((m) => {
        const who =
          m.kind === "from_tipster"
            ? t("cases.convo.tipster")
            : nameOf(m.author) || t("cases.convo.team");
        const direction =
          m.kind === "from_tipster"
            ? t("cases.convo.toTeam")
            : m.kind === "internal_note"
              ? t("cases.convo.noteOnly")
              : t("cases.convo.toTipster");
        const side = m.kind === "from_tipster" ? "in" : m.kind === "internal_note" ? "note" : "out";
        return (
          <li key={m.id} className={`convo-msg convo-${side}`} data-kind={m.kind}>
            <p className="convo-head">
              <strong>{who}</strong> <span className="convo-dir">{direction}</span>{" "}
              <time dateTime={m.at}>
                {/* A tipster's message is stored to the day only (app/shared/tipster-time.ts). */}
                {m.kind === "from_tipster"
                  ? formatDate(locale, m.at)
                  : formatDateTime(locale, m.at)}
              </time>
              {m.kind === "status_note" && m.status ? (
                <>
                  {" "}
                  <span className="tag">
                    {t("cases.convo.statusSet", {
                      status: t(`cases.status.${m.status}` as MessageKey),
                    })}
                  </span>
                </>
              ) : null}
            </p>
            <p className="convo-body cases-body">
              {m.text === undefined ? "…" : m.text === null ? t("cases.errors.decrypt") : m.text}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
