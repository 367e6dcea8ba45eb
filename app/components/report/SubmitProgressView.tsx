/**
 * The one progress bar of a submission (client/report/progress.ts): bar, percentage and step
 * come from one snapshot, so they always agree; while uploading it adds the time left, from the
 * measured upload speed, and asks the resident to keep the page open. It reads the progress
 * itself four times a second, so only this small view re-renders during a submit, never the
 * long form around it (a whole-form render every 250 ms was a long task at 4× CPU).
 */
import { useEffect, useState } from "react";
import type { SubmitProgress } from "~/client/report/progress";
import { useI18n } from "~/i18n/use-t";

function formatTime(t: ReturnType<typeof useI18n>["t"], ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 90 ? t("submit.seconds", { n: s }) : t("submit.minutes", { n: Math.ceil(s / 60) });
}

function formatSpeed(bytesPerMs: number): string {
  const perSecond = bytesPerMs * 1000;
  return perSecond >= 1024 * 1024
    ? `${(perSecond / 1024 / 1024).toFixed(1)} MB`
    : `${Math.round(perSecond / 1024)} KB`;
}

export function SubmitProgressView({ progress }: { progress: SubmitProgress }) {
  const { t } = useI18n();
  const [snapshot, setSnapshot] = useState(() => progress.snapshot());
  useEffect(() => {
    setSnapshot(progress.snapshot());
    const timer = window.setInterval(() => setSnapshot(progress.snapshot()), 250);
    return () => window.clearInterval(timer);
  }, [progress]);
  const showTime = snapshot.remainingMs !== null && snapshot.remainingMs > 1500;
  return (
    <div className="progress-block">
      <label htmlFor="report-progress">{t("submit.progressLabel")}</label>
      <progress id="report-progress" max={100} value={snapshot.percent} />
      <p className="progress-note" role="status" aria-live="polite" data-step={snapshot.step}>
        <strong>{t("submit.percent", { percent: snapshot.percent })}</strong>
        {" · "}
        {t(`submit.step.${snapshot.step}`)}
        {showTime
          ? ` · ${t("submit.remaining", { time: formatTime(t, snapshot.remainingMs!) })}`
          : null}
      </p>
      {snapshot.step === "upload" && snapshot.uploadRate ? (
        <p className="hint">{t("submit.speed", { speed: formatSpeed(snapshot.uploadRate) })}</p>
      ) : null}
      <p className="notice notice-warn">{t("submit.keepOpen")}</p>
    </div>
  );
}
