/**
 * "Unlock my key": the passphrase opens the wrapped key in this browser (argon2id); the key is
 * kept for this tab session (ADR 018) until Lock, sign-out or 30 idle minutes. Shows the
 * fingerprint and a Lock button once unlocked.
 */
import { useEffect, useState, type FormEvent } from "react";
import { useI18n } from "~/i18n/use-t";
import { useStaffKeyState } from "./useStaffKey";

/**
 * `onUnlocking`: called when the form is sent (before the passphrase's argon2id) and while a
 * reload brings the key back, so a page can start what it will need once the key is open (the
 * inbox starts its decryption workers).
 */
export function UnlockPanel({ onUnlocking }: { onUnlocking?: () => void } = {}) {
  const { t } = useI18n();
  const { key, restoring } = useStaffKeyState();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Until the page's script runs, the button stays disabled: a plain form submission would put
  // the passphrase into a request (a disabled default button blocks Enter too).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (restoring) onUnlocking?.();
  }, [restoring, onUnlocking]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const passphrase = String(new FormData(form).get("passphrase") ?? "");
    setBusy(true);
    setError(null);
    onUnlocking?.();
    try {
      const { unlockKey } = await import("~/client/staff/key-store");
      await unlockKey(passphrase);
      form.reset();
    } catch (err) {
      const code = (err as { code?: string }).code;
      setError(
        code === "noKey"
          ? t("cases.unlock.noKey")
          : code === "wrong"
            ? t("cases.unlock.wrong")
            : t("cases.errors.network"),
      );
    } finally {
      setBusy(false);
    }
  }

  if (key) {
    return (
      <div className="notice cases-unlocked" role="status">
        <p>{t("cases.unlock.unlocked", { fingerprint: key.fingerprint })}</p>
        {key.status === "pending" ? <p>{t("cases.unlock.pending")}</p> : null}
        <button
          type="button"
          className="button button-quiet"
          onClick={() => void import("~/client/staff/key-store").then((s) => s.lockKey())}
        >
          {t("cases.unlock.lock")}
        </button>
      </div>
    );
  }
  return (
    <form className="card cases-unlock" onSubmit={(e) => void onSubmit(e)} aria-busy={busy}>
      <h2>{t("cases.unlock.title")}</h2>
      <p>{t("cases.unlock.intro")}</p>
      {restoring ? (
        <p className="cases-hint" role="status">
          {t("cases.unlock.restoring")}
        </p>
      ) : null}
      <label htmlFor="cases-passphrase">{t("cases.unlock.passphrase")}</label>
      <input
        id="cases-passphrase"
        name="passphrase"
        type="password"
        autoComplete="current-password"
        required
      />
      {error ? (
        <p className="cases-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={busy || !hydrated}>
        {busy ? t("cases.unlock.working") : t("cases.unlock.submit")}
      </button>
    </form>
  );
}
