/**
 * Every field a resident filled in besides the text — when it happened, the people and positions
 * involved, the amount, the kind of corruption — as the team reads them. Used by the inbox's
 * reading pane and the case page, so both always show the same fields.
 */
import type { TipContent } from "~/client/staff/tip-content";
import { formatFen, formatFenCompact } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";

/** "¥1,500,000.00（150 万元）": exact, and at a glance where the size has a word of its own. */
function amountText(locale: "zh-CN" | "en", fen: number): string {
  const exact = formatFen(locale, fen);
  const compact = formatFenCompact(locale, fen);
  if (!/[万亿]|million|billion/.test(compact)) return exact;
  return locale === "zh-CN" ? `${exact}（${compact}）` : `${exact} (${compact})`;
}

export function TipFields({ content, testId }: { content: TipContent; testId?: string }) {
  const { t, locale } = useI18n();
  const empty = <span className="cases-empty">{t("cases.fields.notGiven")}</span>;
  return (
    <dl className="facts cases-fields" data-testid={testId}>
      {content.corruptionType ? (
        <>
          <dt>{t("cases.fields.corruptionType")}</dt>
          <dd>{t(`cases.corruption.${content.corruptionType}` as MessageKey)}</dd>
        </>
      ) : null}
      <dt>{t("cases.fields.when")}</dt>
      <dd data-field="when">{content.when || empty}</dd>
      <dt>{t("cases.fields.people")}</dt>
      <dd data-field="people">{content.people || empty}</dd>
      <dt>{t("cases.fields.amount")}</dt>
      <dd data-field="amount">
        {content.amountFen === null ? empty : amountText(locale, content.amountFen)}
        {content.amountText ? (
          <span className="cases-typed">
            {" "}
            {t("cases.fields.typed", { text: content.amountText })}
          </span>
        ) : null}
      </dd>
    </dl>
  );
}
