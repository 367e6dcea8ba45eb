/**
 * The public results board of one round (/results): the round's totals, problems by focus, per
 * district, clue outcomes and money returned — each as an SVG chart with its data table. Receives
 * only published figures (small cells already withheld, app/shared/results-board.ts).
 */
import { BarChart, StackedBarChart } from "~/components/charts/BarChart";
import { useI18n } from "~/i18n/use-t";
import { CLUE_OUTCOMES, FOCUS_CATEGORIES } from "~/shared/outcome-metrics";
import type { PublishedFigures, Shown } from "~/shared/results-board";

export interface BoardDistrict {
  readonly id: string;
  readonly name: string;
  readonly approvedAt: string;
  readonly figures: PublishedFigures;
}

export function ResultsBoard(props: {
  readonly roundName: string;
  readonly minimum: number;
  readonly total: PublishedFigures;
  readonly districts: readonly BoardDistrict[];
  readonly money: (fen: number) => string;
}) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const show = (v: Shown) =>
    v === null ? t("outcomes.suppressed", { minimum: props.minimum }) : number.format(v);
  const showMoney = (v: Shown) =>
    v === null ? t("outcomes.suppressed", { minimum: props.minimum }) : props.money(v);
  const { total } = props;
  const summary = (rows: { label: string; display: string }[]) =>
    rows.map((r) => `${r.label} ${r.display}`).join(locale === "en" ? "; " : "；");

  const focusRows = FOCUS_CATEGORIES.map((k) => ({
    label: t(`outcomes.focus.${k}`),
    value: total.problems[k],
    display: show(total.problems[k]),
  }));
  const clueRows = CLUE_OUTCOMES.map((k) => ({
    label: t(`outcomes.outcome.${k}`),
    value: total.clues[k],
    display: show(total.clues[k]),
  }));
  const districtRows = props.districts.map((d) => ({
    label: d.name,
    values: FOCUS_CATEGORIES.map((k) => d.figures.problems[k]),
    displays: FOCUS_CATEGORIES.map((k) => show(d.figures.problems[k])),
    totalDisplay: show(d.figures.problems.total),
  }));
  const moneyRows = props.districts.map((d) => ({
    label: d.name,
    value: d.figures.moneyReturnedFen,
    display: showMoney(d.figures.moneyReturnedFen),
  }));

  return (
    <section className="board" aria-labelledby="board-round">
      <h2 id="board-round">{props.roundName}</h2>
      <dl className="board-totals">
        <div>
          <dt>{t("outcomes.board.problems")}</dt>
          <dd>{show(total.problems.total)}</dd>
        </div>
        <div>
          <dt>{t("outcomes.board.immediate")}</dt>
          <dd>{show(total.immediateRectifications)}</dd>
        </div>
        <div>
          <dt>{t("outcomes.board.money")}</dt>
          <dd>{showMoney(total.moneyReturnedFen)}</dd>
        </div>
        <div>
          <dt>{t("outcomes.board.people")}</dt>
          <dd>{show(total.peopleHelped)}</dd>
        </div>
        <div>
          <dt>{t("outcomes.board.clues")}</dt>
          <dd>{show(total.clues.total)}</dd>
        </div>
      </dl>

      <BarChart
        id="chart-focus"
        title={t("outcomes.board.problemsByFocus")}
        description={t("outcomes.board.chartDesc", {
          title: t("outcomes.board.problemsByFocus"),
          summary: summary(focusRows),
        })}
        labelHeader={t("outcomes.board.problems")}
        valueHeader={t("outcomes.board.count")}
        tableSummary={t("outcomes.board.showTable")}
        rows={focusRows}
      />

      {districtRows.length > 0 ? (
        <StackedBarChart
          id="chart-districts"
          title={t("outcomes.board.problemsByDistrict")}
          description={t("outcomes.board.chartDesc", {
            title: t("outcomes.board.problemsByDistrict"),
            summary: summary(
              districtRows.map((r) => ({ label: r.label, display: r.totalDisplay })),
            ),
          })}
          labelHeader={t("outcomes.board.district")}
          totalHeader={t("outcomes.board.total")}
          tableSummary={t("outcomes.board.showTable")}
          series={FOCUS_CATEGORIES.map((k) => ({ label: t(`outcomes.focusShort.${k}`) }))}
          rows={districtRows}
        />
      ) : null}

      <BarChart
        id="chart-clues"
        title={t("outcomes.board.clueOutcomes")}
        description={t("outcomes.board.chartDesc", {
          title: t("outcomes.board.clueOutcomes"),
          summary: summary(clueRows),
        })}
        labelHeader={t("outcomes.board.clues")}
        valueHeader={t("outcomes.board.count")}
        tableSummary={t("outcomes.board.showTable")}
        rows={clueRows}
      />

      {moneyRows.length > 0 ? (
        <BarChart
          id="chart-money"
          title={t("outcomes.board.money")}
          description={t("outcomes.board.chartDesc", {
            title: t("outcomes.board.money"),
            summary: summary(moneyRows),
          })}
          labelHeader={t("outcomes.board.district")}
          valueHeader={t("outcomes.board.money")}
          tableSummary={t("outcomes.board.showTable")}
          rows={moneyRows}
        />
      ) : null}

      <p className="board-note">{t("outcomes.board.suppressedNote", { minimum: props.minimum })}</p>
    </section>
  );
}
