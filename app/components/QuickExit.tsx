/**
 * Quick exit: on every public page, one tap leaves for a neutral site. With JavaScript it uses
 * `location.replace`, so the current page is replaced in the history and Back does not return
 * here; without JavaScript it is a plain link (the page says to clear the history afterwards).
 */
import type { MouseEvent } from "react";
import { useLocation } from "@remix-run/react";
import { isStaffPath } from "~/i18n/areas";
import { useI18n } from "~/i18n/use-t";

/** A neutral, everyday page (a weather forecast). Navigation only: nothing is loaded from it. */
export const QUICK_EXIT_URL = "https://www.weather.com.cn/";

export function QuickExit() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  if (isStaffPath(pathname)) return null;

  function leave(e: MouseEvent<HTMLAnchorElement>) {
    e.preventDefault();
    try {
      document.body.hidden = true;
      sessionStorage.clear();
    } catch {
      // leaving matters more than tidying up
    }
    window.location.replace(QUICK_EXIT_URL);
  }

  return (
    <a
      className="quick-exit"
      href={QUICK_EXIT_URL}
      rel="noreferrer noopener"
      onClick={leave}
      aria-label={t("tipster.quickExit.aria")}
      data-quick-exit=""
    >
      {t("tipster.quickExit.label")}
    </a>
  );
}
