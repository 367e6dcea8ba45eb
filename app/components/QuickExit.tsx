/**
 * Quick exit: on every public page, one tap leaves for a neutral site. With JavaScript it uses
 * `location.replace`, so the current page is replaced in the history and Back does not return
 * here; without JavaScript it is a plain link (the page says to clear the history afterwards).
 * On a keyboard, pressing Esc twice within a second does the same (not while typing in a field).
 */
import { useEffect, type MouseEvent } from "react";
import { useLocation } from "@remix-run/react";
import { isStaffPath } from "~/i18n/areas";
import { useI18n } from "~/i18n/use-t";

/** A neutral, everyday page (a weather forecast). Navigation only: nothing is loaded from it. */
export const QUICK_EXIT_URL = "https://www.weather.com.cn/";

/** True once quick exit started: nothing may hold the page (see LeaveGuard). */
export function isQuickExiting(): boolean {
  return typeof document !== "undefined" && document.documentElement.dataset.leaving === "quick";
}

function leave(): void {
  document.documentElement.dataset.leaving = "quick";
  try {
    document.body.hidden = true;
    sessionStorage.clear();
  } catch {
    // leaving matters more than tidying up
  }
  window.location.replace(QUICK_EXIT_URL);
}

export function QuickExit() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const publicPage = !isStaffPath(pathname);

  useEffect(() => {
    if (!publicPage) return;
    let last = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.isComposing || e.keyCode === 229) return;
      // Esc also closes input-method candidates while typing Chinese: never leave from a field.
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
      const now = Date.now();
      if (now - last < 1000) leave();
      last = now;
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [publicPage]);

  if (!publicPage) return null;

  return (
    <a
      className="quick-exit"
      href={QUICK_EXIT_URL}
      rel="noreferrer noopener"
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        e.preventDefault();
        leave();
      }}
      aria-label={t("tipster.quickExit.aria")}
      data-quick-exit=""
    >
      {t("tipster.quickExit.label")}
    </a>
  );
}
