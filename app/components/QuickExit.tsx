/**
 * Quick exit: on every public page, one tap leaves for a neutral site. The link is plain HTML;
 * its behaviour (history replacement, Esc twice) is the inline script in quick-exit-script.ts,
 * which root.tsx puts in the head of every public page — the same on zero-JavaScript pages.
 */
import { useLocation } from "@remix-run/react";
import { isStaffPath } from "~/i18n/areas";
import { useI18n } from "~/i18n/use-t";

/** A neutral, everyday page (a weather forecast). Navigation only: nothing is loaded from it. */
export const QUICK_EXIT_URL = "https://www.weather.com.cn/";

/** True once quick exit started: nothing may hold the page (see LeaveGuard). */
export function isQuickExiting(): boolean {
  return typeof document !== "undefined" && document.documentElement.dataset.leaving === "quick";
}

export function QuickExit() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  if (isStaffPath(pathname)) return null;
  return (
    <a
      className="quick-exit"
      href={QUICK_EXIT_URL}
      rel="noreferrer noopener"
      aria-label={t("tipster.quickExit.aria")}
      data-quick-exit=""
    >
      {t("tipster.quickExit.label")}
    </a>
  );
}
