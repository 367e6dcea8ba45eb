/** /safety — how to report safely: shared phones, private browsing, history, Tor, the receipt. */
import type { LinksFunction } from "@remix-run/node";
import { OfficeKeys } from "~/components/OfficeKeys";
import { useI18n } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/types";
import type { RouteHandle } from "~/route-handle";
import statusStyles from "~/styles/status.css";

/** Plain HTML: no framework JavaScript (docs/architecture.md, "Zero-JavaScript pages"). */
export const handle: RouteHandle = { hydrate: false };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statusStyles }];

const SECTIONS = [
  ["quickExit", "tipster.safety.quickExitTitle", "tipster.safety.quickExitBody"],
  ["shared", "tipster.safety.sharedTitle", "tipster.safety.sharedBody"],
  ["private", "tipster.safety.privateTitle", "tipster.safety.privateBody"],
  ["history", "tipster.safety.historyTitle", "tipster.safety.historyBody"],
  ["tor", "tipster.safety.torTitle", "tipster.safety.torBody"],
  ["receipt", "tipster.safety.receiptTitle", "tipster.safety.receiptBody"],
  ["write", "tipster.safety.writeTitle", "tipster.safety.writeBody"],
] as const satisfies readonly (readonly [string, MessageKey, MessageKey])[];

export default function SafetyPage() {
  const { t } = useI18n();
  return (
    <article className="safety">
      <h1>{t("tipster.safety.title")}</h1>
      <p className="lead">{t("tipster.safety.intro")}</p>
      {SECTIONS.map(([id, title, body]) => (
        <section key={id} className="card safety-item" aria-labelledby={`safety-${id}`}>
          <h2 id={`safety-${id}`}>{t(title)}</h2>
          <p>{t(body)}</p>
        </section>
      ))}
      <OfficeKeys />
      <p className="safety-links">
        <a className="button" href="/status">
          {t("tipster.safety.backToStatus")}
        </a>
        <a className="button button-quiet" href="/">
          {t("tipster.safety.backHome")}
        </a>
      </p>
    </article>
  );
}
