/**
 * The receipt page: the 16-digit code large and grouped, a copy button (JavaScript), the plain
 * warning that it cannot be recovered, a confirmation step (tick + re-type the last 4 digits) and
 * what happens next. Works without JavaScript: the confirmation is then a small form post.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { checkConfirmation, type ConfirmProblems } from "~/client/report/model";
import { LeaveGuard } from "~/components/LeaveGuard";
import { useHydrated } from "~/components/use-hydrated";
import { formatDate } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";

export interface ReceiptProps {
  receipt: string;
  acknowledgeBy: string;
  feedbackBy: string;
  via: "js" | "nojs";
  /** no-JS confirmation result from the server */
  confirmed?: boolean;
  confirmProblems?: ConfirmProblems;
}

export function ReceiptView(props: ReceiptProps) {
  const { t, locale } = useI18n();
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const [confirmed, setConfirmed] = useState(props.confirmed ?? false);
  const [problems, setProblems] = useState<ConfirmProblems>(
    props.confirmProblems ?? { written: null, last4: null },
  );
  const hydrated = useHydrated();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const groups = props.receipt.split(" ");
  const digits = props.receipt.replace(/\D/g, "");

  async function copy() {
    try {
      await navigator.clipboard.writeText(digits);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  function onConfirm(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const found = checkConfirmation(
      form.get("written") === "yes",
      String(form.get("last4") ?? ""),
      digits,
    );
    setProblems(found);
    if (!found.written && !found.last4) setConfirmed(true);
  }

  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <LeaveGuard when={!confirmed} message={t("resident.form.leaveReceipt")} />
      <h1 id="receipt-title" tabIndex={-1} ref={headingRef}>
        {t("resident.receipt.title")}
      </h1>
      <div className="card receipt-card">
        <p className="receipt-label" id="receipt-code-label">
          {t("resident.receipt.codeLabel")}
        </p>
        <p className="receipt-code" aria-labelledby="receipt-code-label" data-receipt={digits}>
          {groups.map((g, i) => (
            <span key={i} className="receipt-group">
              {g}
            </span>
          ))}
        </p>
        {hydrated ? (
          <p>
            <button type="button" className="button button-quiet" onClick={copy}>
              {t("resident.receipt.copy")}
            </button>{" "}
            <span role="status">
              {copied === "yes"
                ? t("resident.receipt.copied")
                : copied === "failed"
                  ? t("resident.receipt.copyFailed")
                  : ""}
            </span>
          </p>
        ) : null}
        <p className="notice notice-warn receipt-warning">
          <strong>{t("resident.receipt.warning")}</strong>
        </p>
        {props.via === "nojs" ? <p className="hint">{t("resident.receipt.weakerPath")}</p> : null}
      </div>

      <section className="card" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{t("resident.receipt.confirmTitle")}</h2>
        {confirmed ? (
          <p className="notice notice-ok" role="status">
            {t("resident.receipt.confirmed")}
          </p>
        ) : (
          <form
            method="post"
            action="/report"
            className="confirm-form"
            onSubmit={onConfirm}
            noValidate
          >
            {props.via === "nojs" ? (
              <>
                {/* No-JS only: the server made this receipt, so echoing it back reveals nothing new. */}
                <input type="hidden" name="intent" value="confirm" />
                <input type="hidden" name="receipt" value={props.receipt} />
                <input type="hidden" name="acknowledgeBy" value={props.acknowledgeBy} />
                <input type="hidden" name="feedbackBy" value={props.feedbackBy} />
              </>
            ) : null}
            <label className="check">
              <input
                type="checkbox"
                name="written"
                value="yes"
                aria-invalid={problems.written ? true : undefined}
                aria-describedby={problems.written ? "written-error" : undefined}
              />
              <span>{t("resident.receipt.writtenDown")}</span>
            </label>
            {problems.written ? (
              <p className="field-error" id="written-error" role="alert">
                {t(`resident.receipt.${problems.written}`)}
              </p>
            ) : null}
            <label htmlFor="last4">{t("resident.receipt.last4")}</label>
            <input
              id="last4"
              name="last4"
              className="last4-input"
              inputMode="numeric"
              autoComplete="off"
              maxLength={8}
              aria-invalid={problems.last4 ? true : undefined}
              aria-describedby={problems.last4 ? "last4-error" : undefined}
            />
            {problems.last4 ? (
              <p className="field-error" id="last4-error" role="alert">
                {t(`resident.receipt.${problems.last4}`)}
              </p>
            ) : null}
            <button type="submit" className="button">
              {t("resident.receipt.confirm")}
            </button>
          </form>
        )}
      </section>

      <section className="card" aria-labelledby="next-title">
        <h2 id="next-title">{t("resident.receipt.nextTitle")}</h2>
        <ul>
          <li>
            {t("resident.receipt.nextAck", { date: formatDate(locale, props.acknowledgeBy) })}
          </li>
          <li>
            {t("resident.receipt.nextFeedback", { date: formatDate(locale, props.feedbackBy) })}
          </li>
          <li>{t("resident.receipt.nextStatus")}</li>
        </ul>
        <p>
          <a className="button" href="/status">
            {t("resident.receipt.statusLink")}
          </a>
        </p>
      </section>
    </section>
  );
}
