import type {
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { isStaffPath } from "./i18n/areas";
import { localeFromRequest, messagesForPath } from "./i18n/messages.server";
import { useI18n } from "./i18n/use-t";
import type { MessageKey } from "./i18n/types";
import { useNonce } from "./nonce";
import styles from "./styles/app.css";
import { QuickExit } from "./components/QuickExit";
import { QUICK_EXIT_SCRIPT } from "./components/quick-exit-script";
import { wantsHydration } from "./route-handle";
import { StaffError } from "./components/staff/StaffError";
import quickExitStyles from "./styles/quick-exit.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: quickExitStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { name: "robots", content: "noindex" },
  { name: "theme-color", content: "#1d4f91" },
];

/** Error pages (e.g. a signed-out staff page's 401) are never cached. */
export const headers: HeadersFunction = ({ errorHeaders }): Record<string, string> =>
  errorHeaders ? { "Cache-Control": "no-store" } : {};

export function loader({ request, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request);
  return {
    locale,
    messages: messagesForPath(locale, new URL(request.url).pathname),
    demo: context.env.mode === "demo",
  };
}

/** The dictionary changes only with the language cookie (set by /lang) or between areas. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, currentUrl, nextUrl }) =>
  formAction === "/lang" || isStaffPath(currentUrl.pathname) !== isStaffPath(nextUrl.pathname);

const MARK_JS = `document.documentElement.className="js";`;
/**
 * A route that needs a laptop's width (the inbox, the case page) exports
 * `handle = { wide: true }`; every other page keeps the readable 46rem column.
 */
function useWidePage(): boolean {
  return useMatches().some((m) => (m.handle as { wide?: boolean } | undefined)?.wide === true);
}

/**
 * Once a document is hydrated it keeps its scripts; on the server, a route whose `handle` says
 * `hydrate: false` gets a document without any framework JavaScript (app/route-handle.ts).
 */
function useScripts(): boolean {
  const matches = useMatches();
  return typeof document !== "undefined" || wantsHydration(matches);
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const { locale, t } = useI18n();
  const scripts = useScripts();
  const { pathname } = useLocation();
  // One inline script per document: the js/no-js mark, plus the quick exit on public pages
  // (components/quick-exit-script.ts) — on zero-JavaScript pages it is the only script.
  const inline = isStaffPath(pathname) ? MARK_JS : MARK_JS + QUICK_EXIT_SCRIPT;
  const wide = useWidePage();
  return (
    // "no-js" until the inline script below (first thing in <head>) makes it "js": pages show the
    // sentences that are true for the path the visitor is on (`.js-only` / `.nojs-only`, app.css).
    <html lang={locale} className="no-js" suppressHydrationWarning>
      <head>
        <script
          nonce={nonce}
          suppressHydrationWarning
          dangerouslySetInnerHTML={{ __html: inline }}
        />
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t("meta.siteName")}</title>
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("nav.skipToContent")}
        </a>
        <SiteHeader />
        <DemoBanner />
        <main id="main" className={wide ? "page page-workspace" : "page"}>
          {children}
        </main>
        <footer className="site-footer">
          <p>{t("footer.about")}</p>
          <p>{t("footer.privacy")}</p>
        </footer>
        {scripts ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

/** Demo mode says so on every page (issue 11 item 8): made-up data, public passwords. */
function DemoBanner() {
  const { t } = useI18n();
  const data = useRouteLoaderData<typeof loader>("root");
  if (!data?.demo) return null;
  return (
    <p className="demo-banner" role="note" data-testid="demo-banner">
      {t("demo.banner")}
    </p>
  );
}

function SiteHeader() {
  const { locale, t } = useI18n();
  const location = useLocation();
  const other = locale === "zh-CN" ? "en" : "zh-CN";
  return (
    <header className="site-header">
      <a className="brand" href="/">
        <span className="brand-mark" aria-hidden="true">
          巡
        </span>
        <span className="brand-text">{t("meta.siteNameShort")}</span>
      </a>
      <QuickExit />
      <form method="post" action="/lang" className="lang-switch">
        <input type="hidden" name="lang" value={other} />
        <input type="hidden" name="returnTo" value={location.pathname + location.search} />
        <button
          type="submit"
          className="button button-quiet"
          lang={other}
          aria-label={t("nav.switchToLabel")}
        >
          {t("nav.switchTo")}
        </button>
      </form>
    </header>
  );
}

export default function App() {
  return <Outlet />;
}

const ERROR_KEYS: Record<number, [MessageKey, MessageKey]> = {
  400: ["errors.badRequestTitle", "errors.badRequestBody"],
  401: ["errors.unauthorizedTitle", "errors.unauthorizedBody"],
  403: ["errors.forbiddenTitle", "errors.forbiddenBody"],
  404: ["errors.notFoundTitle", "errors.notFoundBody"],
};

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  const location = useLocation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // Signed-in staff get staff words and a way back into the workspace (401 goes to sign-in).
  if (isStaffPath(location.pathname) && status !== 401) {
    return <StaffError status={status} data={isRouteErrorResponse(error) ? error.data : null} />;
  }
  const [title, body] = ERROR_KEYS[status] ?? ["errors.serverTitle", "errors.serverBody"];
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">{status}</p>
      <h1 id="error-title">{t(title)}</h1>
      <p>{t(body)}</p>
      <p>
        {/* Signed-out staff (401) get the way to the sign-in page instead of the public home. */}
        <a className="button" href={status === 401 ? "/staff/login" : "/"}>
          {t(status === 401 ? "nav.staff" : "errors.backHome")}
        </a>
      </p>
    </section>
  );
}
