/**
 * A message from the team as the tipster sees it, with what its signature check found
 * (team-messages.ts): verified (signer's role, team and key fingerprint), not genuine (text
 * withheld; an old unsigned message's text can be opened on request) or not checked (no-JS page).
 */
import { formatDateTime } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import type { SignatureView } from "./model";

export function TeamMessage({
  text,
  signature,
  className,
}: {
  text: string | null;
  signature: SignatureView | null;
  className: string;
}) {
  const { t, locale } = useI18n();
  const en = locale === "en";
  if (!signature || signature.state === "unchecked") {
    return (
      <>
        {signature ? (
          <span className="tag tag-warn signature-unchecked">
            {t("tipster.signature.uncheckedTag")}
          </span>
        ) : null}
        <p className={className}>{text ?? t("tipster.unreadable")}</p>
      </>
    );
  }
  if (signature.state === "unverified") {
    return (
      <div className="notice notice-danger signature-bad" data-testid="signature-bad" role="note">
        <p className="signature-title">
          <strong>{t("tipster.signature.unverifiedTitle")}</strong>
        </p>
        <p>{t(`tipster.signature.reason.${signature.reason}`)}</p>
        {signature.reason === "unsigned" && text !== null ? (
          <details>
            <summary>{t("tipster.signature.showAnyway")}</summary>
            <p className={className}>{text}</p>
          </details>
        ) : null}
      </div>
    );
  }
  const role = signature.role ? t(`resident.readers.role.${signature.role}`) : null;
  const team = signature.team ? (en ? signature.team.nameEn : signature.team.nameZh) : null;
  return (
    <>
      <p className={className}>{text ?? t("tipster.unreadable")}</p>
      <div className="signature-ok" data-testid="signature-ok">
        <p className="signature-title">
          <span aria-hidden="true">✓ </span>
          {t("tipster.signature.verified")}
        </p>
        <dl className="signature-facts">
          {role ? (
            <>
              <dt>{t("tipster.signature.signer")}</dt>
              <dd data-testid="signer">
                {team
                  ? t("tipster.signature.signerRoleTeam", { role, team })
                  : t("tipster.signature.signerRole", { role })}
              </dd>
            </>
          ) : null}
          <dt>{t("tipster.signature.fingerprint")}</dt>
          <dd>
            <code className="fingerprint">{signature.fingerprint}</code>
          </dd>
          <dt>{t("tipster.signature.writtenAt")}</dt>
          <dd>
            <time dateTime={signature.writtenAt}>
              {formatDateTime(locale, signature.writtenAt)}
            </time>
          </dd>
        </dl>
      </div>
    </>
  );
}
