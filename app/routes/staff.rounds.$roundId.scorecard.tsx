/**
 * /staff/rounds/:roundId/scorecard — the round's scorecard (晒成绩单), computed from records:
 * problems by focus, key-minority share of clues, immediate rectifications, clues and their
 * completion, money returned, tips acknowledged and answered on time — for the round, per
 * district and per team, with SVG charts, a CSV export and a print stylesheet. Office only.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BarChart, StackedBarChart } from "~/components/charts/BarChart";
import { StaffLayout } from "~/components/staff/StaffLayout";
import { staffHeaders, staffMeta, STAFF_NO_STORE } from "~/components/staff/route-helpers";
import { formatDateTime, formatFenCompact } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import {
  FOCUS_CATEGORIES,
  formatRatio,
  type Ratio,
  type Scorecard,
} from "~/shared/outcome-metrics";
import { auditAnchorForPrint } from "~/services/audit.server";
import { staffLayoutData } from "~/services/auth.server";
import { requirePermission } from "~/services/permissions.server";
import { requireOfficeRound, roundScorecard } from "~/services/round-outcomes.server";
import chartStyles from "~/styles/charts.css";
import staffStyles from "~/styles/staff.css";
import scorecardStyles from "~/styles/scorecard.css";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = () => [
  { rel: "stylesheet", href: staffStyles },
  { rel: "stylesheet", href: chartStyles },
  { rel: "stylesheet", href: scorecardStyles },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const round = await requireOfficeRound(context.db, session, params.roundId ?? "");
  const report = await roundScorecard(context.db, round.id);
  const audit = await auditAnchorForPrint(context.db);
  return data(
    {
      audit,
      user: staffLayoutData(context.env, session),
      round: { id: round.id, nameZh: round.nameZh, nameEn: round.nameEn },
      report,
    },
    { headers: STAFF_NO_STORE },
  );
}

export default function ScorecardPage() {
  const { user, round, report, audit } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const name = (x: { nameZh: string; nameEn: string }) => (locale === "en" ? x.nameEn : x.nameZh);
  const number = new Intl.NumberFormat(locale);
  const share = (r: Ratio) =>
    r.value === null
      ? t("outcomes.dash")
      : t("outcomes.scorecard.share", {
          percent: formatRatio(locale, r),
          numerator: number.format(r.numerator),
          denominator: number.format(r.denominator),
        });
  const c = report.round;
  const rows = (list: { nameZh: string; nameEn: string; card: Scorecard }[]) =>
    list.map((x) => ({
      label: name(x),
      values: FOCUS_CATEGORIES.map((k) => x.card.problems[k]),
      displays: FOCUS_CATEGORIES.map((k) => number.format(x.card.problems[k])),
      totalDisplay: number.format(x.card.problems.total),
    }));
  const table = (
    title: string,
    head: string,
    list: { id: string; nameZh: string; nameEn: string; card: Scorecard }[],
  ) => (
    <section aria-label={title}>
      <h2>{title}</h2>
      <div className="table-scroll">
        <table className="chart-table scorecard-table">
          <thead>
            <tr>
              <th scope="col">{head}</th>
              <th scope="col">{t("outcomes.scorecard.problems")}</th>
              <th scope="col">{t("outcomes.scorecard.keyMinority")}</th>
              <th scope="col">{t("outcomes.scorecard.immediate")}</th>
              <th scope="col">{t("outcomes.scorecard.cluesTransferred")}</th>
              <th scope="col">{t("outcomes.scorecard.clueCompletion")}</th>
              <th scope="col">{t("outcomes.scorecard.money")}</th>
              <th scope="col">{t("outcomes.scorecard.tips")}</th>
              <th scope="col">{t("outcomes.scorecard.acknowledged")}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((x) => (
              <tr key={x.id}>
                <th scope="row">{name(x)}</th>
                <td>{number.format(x.card.problems.total)}</td>
                <td>{share(x.card.keyMinorityShare)}</td>
                <td>{number.format(x.card.immediateRectifications)}</td>
                <td>{number.format(x.card.cluesTransferred)}</td>
                <td>{share(x.card.clueCompletion)}</td>
                <td>{formatFenCompact(locale, x.card.moneyReturnedFen)}</td>
                <td>{number.format(x.card.tipsReceived)}</td>
                <td>{share(x.card.acknowledgedOnTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
  const focusRows = FOCUS_CATEGORIES.map((k) => ({
    label: t(`outcomes.focus.${k}`),
    value: c.problems[k],
    display: number.format(c.problems[k]),
  }));
  return (
    <StaffLayout user={user}>
      <article className="scorecard">
        <h1>{t("outcomes.scorecard.title", { round: name(round) })}</h1>
        <p className="muted">{t("outcomes.scorecard.intro")}</p>
        <p className="scorecard-actions">
          <a
            className="button button-quiet"
            href={`/staff/rounds/${round.id}/scorecard.csv`}
            download
          >
            {t("outcomes.scorecard.csv")}
          </a>
        </p>
        <dl className="board-totals" data-testid="scorecard-round">
          <div>
            <dt>{t("outcomes.scorecard.problems")}</dt>
            <dd>{number.format(c.problems.total)}</dd>
          </div>
          {FOCUS_CATEGORIES.map((k) => (
            <div key={k}>
              <dt>{t(`outcomes.focus.${k}`)}</dt>
              <dd data-testid={`scorecard-${k}`}>{number.format(c.problems[k])}</dd>
            </div>
          ))}
          <div>
            <dt>{t("outcomes.scorecard.keyMinority")}</dt>
            <dd data-testid="scorecard-key-minority">{formatRatio(locale, c.keyMinorityShare)}</dd>
          </div>
          <div>
            <dt>{t("outcomes.scorecard.immediate")}</dt>
            <dd data-testid="scorecard-immediate">{number.format(c.immediateRectifications)}</dd>
          </div>
          <div>
            <dt>{t("outcomes.scorecard.clueCompletion")}</dt>
            <dd>{formatRatio(locale, c.clueCompletion)}</dd>
          </div>
          <div>
            <dt>{t("outcomes.scorecard.money")}</dt>
            <dd>{formatFenCompact(locale, c.moneyReturnedFen)}</dd>
          </div>
        </dl>
        <BarChart
          id="sc-focus"
          title={t("outcomes.board.problemsByFocus")}
          description={focusRows.map((r) => `${r.label} ${r.display}`).join("; ")}
          labelHeader={t("outcomes.scorecard.problems")}
          valueHeader={t("outcomes.board.count")}
          tableSummary={t("outcomes.board.showTable")}
          rows={focusRows}
        />
        <StackedBarChart
          id="sc-districts"
          title={t("outcomes.board.problemsByDistrict")}
          description={report.districts
            .map((x) => `${name(x)} ${number.format(x.card.problems.total)}`)
            .join("; ")}
          labelHeader={t("outcomes.scorecard.district")}
          totalHeader={t("outcomes.board.total")}
          tableSummary={t("outcomes.board.showTable")}
          series={FOCUS_CATEGORIES.map((k) => ({ label: t(`outcomes.focusShort.${k}`) }))}
          rows={rows(report.districts)}
        />
        {table(
          t("outcomes.scorecard.byDistrict"),
          t("outcomes.scorecard.district"),
          report.districts,
        )}
        {table(t("outcomes.scorecard.byTeam"), t("outcomes.scorecard.team"), report.teams)}
        <section aria-labelledby="sc-formulas">
          <h2 id="sc-formulas">{t("outcomes.scorecard.formulas")}</h2>
          <ul>
            <li>
              {t("outcomes.scorecard.keyMinority")}: {t("outcomes.scorecard.formulaKeyMinority")}
            </li>
            <li>
              {t("outcomes.scorecard.clueCompletion")}: {t("outcomes.scorecard.formulaCompletion")}
            </li>
            <li>
              {t("outcomes.scorecard.acknowledged")}: {t("outcomes.scorecard.formulaAck")}
            </li>
            <li>
              {t("outcomes.scorecard.answered")}: {t("outcomes.scorecard.formulaAnswer")}
            </li>
          </ul>
        </section>
        <footer className="scorecard-anchor" data-testid="scorecard-anchor">
          {audit.state === "anchor" ? (
            <p>
              {t("outcomes.scorecard.anchor", { time: formatDateTime(locale, audit.at) })}{" "}
              <code className="audit-anchor">{audit.anchor}</code>
              <br />
              <span className="muted">{t("outcomes.scorecard.anchorHint")}</span>
            </p>
          ) : audit.state === "empty" ? (
            <p className="muted">{t("outcomes.scorecard.anchorEmpty")}</p>
          ) : (
            <p className="notice notice-danger" role="alert">
              {t("outcomes.scorecard.anchorBroken", { seq: audit.brokenSeq })}
            </p>
          )}
        </footer>
      </article>
    </StaffLayout>
  );
}
