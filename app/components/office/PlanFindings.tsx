/** A plan's broken rules on the round page: errors (block publishing) and warnings (shown). */
import { useI18n } from "~/i18n/use-t";
import type { Violation } from "~/shared/planner";
import { describeViolation, type PlanNames } from "~/shared/planner/describe";

export function PlanFindings({ violations, names }: { violations: Violation[]; names: PlanNames }) {
  const { t } = useI18n();
  const errors = violations.filter((v) => v.severity === "error");
  const warnings = violations.filter((v) => v.severity === "warning");
  return (
    <div className="round-violations" aria-live="polite">
      {errors.length > 0 ? (
        <div className="notice notice-danger">
          <p>{t("office.roundPlan.errorsTitle", { count: errors.length })}</p>
          <ul>
            {errors.map((v, i) => (
              <li key={i} data-violation={v.code}>
                {describeViolation(t, names, v)}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="notice" data-plan-ok="">
          {t("office.roundPlan.allGood")}
        </p>
      )}
      {warnings.length > 0 ? (
        <div className="notice notice-warn">
          <p>{t("office.roundPlan.warningsTitle", { count: warnings.length })}</p>
          <ul>
            {warnings.map((v, i) => (
              <li key={i} data-warning={v.code}>
                {describeViolation(t, names, v)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
