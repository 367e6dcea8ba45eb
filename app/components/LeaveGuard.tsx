/**
 * Warns before the resident leaves a page where something would be lost for good: a report that
 * has not been sent, or a receipt code that has not been confirmed as written down.
 *
 * Two mechanisms, because there are two ways to leave: reload, closing the tab, the address bar
 * and links that load another document go through the browser's own `beforeunload` warning;
 * Back/Forward and links inside the app are client-side navigations, which React Router's
 * `useBlocker` holds while our own dialog asks. Quick exit is never held (QuickExit marks the
 * document first): leaving fast matters more than anything on the page.
 */
import { useBlocker } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useI18n } from "~/i18n/use-t";
import { isQuickExiting } from "./QuickExit";

export function LeaveGuard({ when, message }: { when: boolean; message: string }) {
  const { t } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const blocker = useBlocker(when);

  useEffect(() => {
    if (!when) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (isQuickExiting()) return;
      e.preventDefault();
      e.returnValue = ""; // older Chromium needs it set to show the warning
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [when]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (blocker.state === "blocked" && !dialog.open) dialog.showModal();
    if (blocker.state !== "blocked" && dialog.open) dialog.close();
  }, [blocker.state]);

  // Nothing held any more (e.g. the receipt was confirmed): let a held navigation go on.
  useEffect(() => {
    if (!when && blocker.state === "blocked") blocker.reset();
  }, [when, blocker]);

  return (
    <dialog
      ref={dialogRef}
      className="leave-dialog"
      aria-labelledby="leave-title"
      aria-describedby="leave-body"
      onCancel={(e) => {
        e.preventDefault();
        if (blocker.state === "blocked") blocker.reset();
      }}
    >
      <h2 id="leave-title">{t("resident.form.leaveTitle")}</h2>
      <p id="leave-body">{message}</p>
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          autoFocus
          onClick={() => blocker.state === "blocked" && blocker.reset()}
        >
          {t("resident.form.stay")}
        </button>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => blocker.state === "blocked" && blocker.proceed()}
        >
          {t("resident.form.leaveAnyway")}
        </button>
      </div>
    </dialog>
  );
}
