/**
 * Error pages inside the staff workspace, in staff words and with a way back into it (never the
 * public home page). A 403 on a tip says which rule applies: the home-district rule, a recusal,
 * no key for the tip, or a stationing that is over — without anything of the tip itself.
 */
import { Link } from "@remix-run/react";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";

const REASONS = ["home_district", "recused", "no_key", "not_stationed"] as const;
type Reason = (typeof REASONS)[number];

export function StaffError({ status, data }: { status: number; data: unknown }) {
  const { t } = useI18n();
  const raw = (data as { reason?: unknown } | null)?.reason;
  const reason = REASONS.find((r) => r === raw) as Reason | undefined;
  const titleKey: MessageKey =
    status === 403
      ? reason
        ? "cases.denied.title"
        : "errors.forbiddenTitle"
      : status === 404
        ? "errors.notFoundTitle"
        : status === 410
          ? "cases.denied.deletedTitle"
          : "errors.serverTitle";
  return (
    <section className="error-page staff-error" aria-labelledby="error-title">
      <p className="error-code">{status}</p>
      <h1 id="error-title">{t(titleKey)}</h1>
      {status === 403 ? (
        reason ? (
          <>
            <p data-testid="denied-reason">{t(`cases.denied.${reason}` as MessageKey)}</p>
            <p>{t("cases.denied.rules")}</p>
          </>
        ) : (
          <p>{t("cases.denied.role")}</p>
        )
      ) : status === 404 ? (
        <p>{t("cases.denied.notFound")}</p>
      ) : status === 410 ? (
        <p data-testid="deleted-reason">{t("cases.denied.deleted")}</p>
      ) : (
        <p>{t("errors.serverBody")}</p>
      )}
      <p className="staff-error-links">
        <Link className="button" to="/staff/inbox" prefetch="none">
          {t("cases.denied.toInbox")}
        </Link>{" "}
        <Link className="button button-quiet" to="/staff" prefetch="none">
          {t("cases.denied.toWorkspace")}
        </Link>
      </p>
    </section>
  );
}
