/**
 * /staff/outcomes — the inspection office's view of a round's results: the look-back metrics
 * with their formulas, the publication review of the public board (approve / withdraw, audited),
 * overdue clues, and a link to the scorecard. Plain HTML forms: works without JavaScript.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { formatDate, formatFenCompact } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import { formatRatio, type Ratio } from "~/shared/outcome-metrics";
import { staffLayoutData } from "~/services/auth.server";
import { overdueClues } from "~/services/clues.server";
import { assertCsrf } from "~/services/csrf.server";
import { requirePermission } from "~/services/permissions.server";
import {
  approvePublication,
  lookBackList,
  lookBackReport,
  officeRounds,
  openLookBack,
  publicationReview,
  recordCheck,
  withdrawPublication,
} from "~/services/round-outcomes.server";
import { RECTIFICATION_VERDICTS } from "~/shared/outcome-metrics";
import { OfficeOutcomeForm, findingErrorResponse } from "~/services/outcomes-api.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const rounds = await officeRounds(context.db, session);
  const params = new URL(request.url).searchParams;
  const wanted = params.get("round");
  const round = rounds.find((r) => r.id === wanted) ?? rounds[0] ?? null;
  const minimum = context.env.resultsMinimumCell;
  const review = round ? await publicationReview(context.db, session, round.id, minimum) : null;
  const lookBack = round ? await lookBackReport(context.db, session, round.id) : null;
  const worklist =
    round && lookBack?.openedAt
      ? await lookBackList(
          context.db,
          session,
          round.id,
          params.get("district"),
          Number(params.get("page")) || 1,
        )
      : null;
  return data(
    {
      user: staffLayoutData(context.env, session),
      minimum,
      overdueDays: context.env.clueOverdueDays,
      rounds: rounds.map((r) => ({ id: r.id, nameZh: r.nameZh, nameEn: r.nameEn })),
      roundId: round?.id ?? null,
      rows:
        review?.rows.map((r) => ({
          districtId: r.districtId,
          nameZh: r.nameZh,
          nameEn: r.nameEn,
          findings: r.findings,
          published: r.published?.approvedAt ?? null,
        })) ?? [],
      preview: review?.preview ?? null,
      lookBack: lookBack && {
        openedAt: lookBack.openedAt,
        checked: lookBack.checked,
        metrics: lookBack.metrics,
      },
      overdue: await overdueClues(context.db, session, context.env.clueOverdueDays),
      worklist: worklist?.district ? { districts: worklist.districts, ...worklist.district } : null,
    },
    { headers: STAFF_NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const form = await request.formData().catch(() => undefined);
  assertCsrf(context.env, session.sessionId, request, form);
  const parsed = OfficeOutcomeForm.safeParse(Object.fromEntries(form ?? []));
  if (!parsed.success) throw new Response("Bad Request", { status: 400 });
  const form_ = parsed.data;
  const { op, roundId, districtId } = form_;
  try {
    if (form_.op === "check") {
      await recordCheck(context.db, session, roundId, {
        findingId: form_.findingId,
        problemConfirmed: form_.problemConfirmed === "yes",
        rectification: form_.rectification,
        note: null,
      });
      const back = new URLSearchParams({ round: roundId, district: districtId ?? "" });
      if (form_.page) back.set("page", String(form_.page));
      return redirect(`/staff/outcomes?${back}#lb-list`);
    }
    if (op === "approve") await approvePublication(context.db, session, roundId, districtId ?? "");
    else if (op === "withdraw")
      await withdrawPublication(context.db, session, roundId, districtId ?? "");
    else await openLookBack(context.db, session, roundId);
  } catch (err) {
    throw findingErrorResponse(err, request);
  }
  return redirect(`/staff/outcomes?round=${encodeURIComponent(roundId)}`);
}

export default function StaffOutcomes() {
  const d = useLoaderData<typeof loader>();
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
  const previewOf = (id: string) => d.preview?.rows.find((r) => r.key === id)?.figures;
  const shown = (v: number | null | undefined) =>
    v === null || v === undefined
      ? t("outcomes.suppressed", { minimum: d.minimum })
      : number.format(v);
  return (
    <StaffLayout user={d.user}>
      <h1>{t("outcomes.office.title")}</h1>
      <form method="get" className="staff-form outcomes-round">
        <label htmlFor="round">{t("outcomes.board.pickRound")}</label>
        <select id="round" name="round" defaultValue={d.roundId ?? undefined}>
          {d.rounds.map((r) => (
            <option key={r.id} value={r.id}>
              {name(r)}
            </option>
          ))}
        </select>
        <button className="button button-quiet" type="submit">
          {t("outcomes.board.show")}
        </button>
        {d.roundId ? (
          <Link className="button button-quiet" to={`/staff/rounds/${d.roundId}/scorecard`}>
            {t("outcomes.office.scorecard")}
          </Link>
        ) : null}
      </form>

      {d.roundId && d.lookBack ? (
        <section className="card" aria-labelledby="lb-title">
          <h2 id="lb-title">{t("outcomes.office.lookBack")}</h2>
          {d.lookBack.openedAt ? (
            <p>
              {t("outcomes.lookBack.opened", { date: formatDate(locale, d.lookBack.openedAt) })} ·{" "}
              {t("outcomes.lookBack.checked", { count: d.lookBack.checked })}
            </p>
          ) : (
            <form method="post">
              <p>{t("outcomes.lookBack.notOpened")}</p>
              <input type="hidden" name="csrf" value={d.user.csrf} />
              <input type="hidden" name="op" value="open" />
              <input type="hidden" name="roundId" value={d.roundId} />
              <button className="button" type="submit">
                {t("outcomes.lookBack.open")}
              </button>
            </form>
          )}
          <dl className="facts" data-testid="look-back-metrics">
            <dt>{t("outcomes.lookBack.precision")}</dt>
            <dd>
              {share(d.lookBack.metrics.precision)}
              <br />
              <small>{t("outcomes.lookBack.formulaPrecision")}</small>
            </dd>
            <dt>{t("outcomes.lookBack.rectification")}</dt>
            <dd>
              {share(d.lookBack.metrics.rectificationRate)}
              <br />
              <small>{t("outcomes.lookBack.formulaRectification")}</small>
            </dd>
            <dt>{t("outcomes.lookBack.clueCompletion")}</dt>
            <dd>
              {share(d.lookBack.metrics.clueCompletion)}
              <br />
              <small>{t("outcomes.lookBack.formulaClues")}</small>
            </dd>
          </dl>
        </section>
      ) : null}

      {d.roundId && d.worklist ? (
        <section className="card" aria-labelledby="lb-list" data-testid="look-back-list">
          <h2 id="lb-list">{t("outcomes.lookBack.worklist")}</h2>
          <form method="get" className="staff-form outcomes-round">
            <input type="hidden" name="round" value={d.roundId} />
            <label htmlFor="lb-district">{t("outcomes.board.district")}</label>
            <select id="lb-district" name="district" defaultValue={d.worklist.id}>
              {d.worklist.districts.map((x) => (
                <option key={x.id} value={x.id}>
                  {name(x)}
                </option>
              ))}
            </select>
            <button className="button button-quiet" type="submit">
              {t("outcomes.board.show")}
            </button>
          </form>
          <p>
            {t("outcomes.lookBack.districtProgress", {
              district: name(d.worklist),
              checked: number.format(d.worklist.checked),
              total: number.format(d.worklist.total),
            })}
          </p>
          <ul className="lookback-list">
            {d.worklist.rows.map((f) => (
              <li key={f.id} className="lookback-item">
                <p>
                  <Link to={`/staff/findings/${f.id}`}>
                    {t(`outcomes.focus.${f.category}`)}
                    {f.corruptionType
                      ? ` · ${t(`outcomes.corruptionType.${f.corruptionType}`)}`
                      : ""}
                  </Link>{" "}
                  · {formatDate(locale, f.createdAt)} · {t(`outcomes.findingStatus.${f.status}`)}
                  {f.amountInvolvedFen !== null
                    ? ` · ${formatFenCompact(locale, f.amountInvolvedFen)}`
                    : ""}
                  {f.clueOutcomes.length > 0
                    ? ` · ${f.clueOutcomes.map((o) => t(`outcomes.outcome.${o}`)).join("、")}`
                    : ""}
                  {f.moneyReturnedFen > 0
                    ? ` · ${t("outcomes.lookBack.returned", {
                        amount: formatFenCompact(locale, f.moneyReturnedFen),
                      })}`
                    : ""}
                </p>
                {f.check ? (
                  <p className="muted">
                    {t("outcomes.lookBack.checkedAs", {
                      confirmed: f.check.problemConfirmed
                        ? t("outcomes.lookBack.confirmedYes")
                        : t("outcomes.lookBack.confirmedNo"),
                      verdict: t(`outcomes.verdict.${f.check.rectification}`),
                      date: formatDate(locale, f.check.checkedAt),
                    })}
                  </p>
                ) : null}
                <form method="post" className="lookback-form">
                  <input type="hidden" name="csrf" value={d.user.csrf} />
                  <input type="hidden" name="op" value="check" />
                  <input type="hidden" name="roundId" value={d.roundId ?? ""} />
                  <input type="hidden" name="districtId" value={d.worklist?.id ?? ""} />
                  <input type="hidden" name="page" value={d.worklist?.page ?? 1} />
                  <input type="hidden" name="findingId" value={f.id} />
                  <fieldset>
                    <legend>{t("outcomes.lookBack.confirmed")}</legend>
                    <label>
                      <input
                        type="radio"
                        name="problemConfirmed"
                        value="yes"
                        required
                        defaultChecked={f.check?.problemConfirmed === true}
                      />{" "}
                      {t("outcomes.lookBack.confirmedYes")}
                    </label>
                    <label>
                      <input
                        type="radio"
                        name="problemConfirmed"
                        value="no"
                        defaultChecked={f.check?.problemConfirmed === false}
                      />{" "}
                      {t("outcomes.lookBack.confirmedNo")}
                    </label>
                  </fieldset>
                  <label htmlFor={`lb-r-${f.id}`}>
                    {t("outcomes.lookBack.rectificationField")}
                  </label>
                  <select
                    id={`lb-r-${f.id}`}
                    name="rectification"
                    required
                    defaultValue={f.check?.rectification ?? ""}
                  >
                    <option value="" disabled>
                      {t("outcomes.lookBack.choose")}
                    </option>
                    {RECTIFICATION_VERDICTS.map((v) => (
                      <option key={v} value={v}>
                        {t(`outcomes.verdict.${v}`)}
                      </option>
                    ))}
                  </select>
                  <button className="button" type="submit">
                    {f.check ? t("outcomes.lookBack.update") : t("outcomes.lookBack.record")}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          {d.worklist.pages > 1 ? (
            <nav className="pager" aria-label={t("outcomes.lookBack.pages")}>
              {d.worklist.page > 1 ? (
                <Link
                  to={`?round=${d.roundId}&district=${d.worklist.id}&page=${d.worklist.page - 1}#lb-list`}
                >
                  {t("outcomes.lookBack.previous")}
                </Link>
              ) : null}{" "}
              {t("outcomes.lookBack.pageOf", { page: d.worklist.page, pages: d.worklist.pages })}{" "}
              {d.worklist.page < d.worklist.pages ? (
                <Link
                  to={`?round=${d.roundId}&district=${d.worklist.id}&page=${d.worklist.page + 1}#lb-list`}
                >
                  {t("outcomes.lookBack.next")}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      ) : null}

      {d.roundId ? (
        <section className="card" aria-labelledby="pub-title">
          <h2 id="pub-title">{t("outcomes.office.publications")}</h2>
          <p className="muted">{t("outcomes.office.preview", { minimum: d.minimum })}</p>
          <div className="table-scroll">
            <table className="chart-table">
              <thead>
                <tr>
                  <th scope="col">{t("outcomes.board.district")}</th>
                  <th scope="col">{t("outcomes.board.problems")}</th>
                  <th scope="col">{t("outcomes.board.immediate")}</th>
                  <th scope="col">{t("outcomes.board.money")}</th>
                  <th scope="col">{t("outcomes.board.clues")}</th>
                  <th scope="col">{t("outcomes.office.approved")}</th>
                </tr>
              </thead>
              <tbody>
                {d.rows.map((r) => {
                  const p = previewOf(r.districtId);
                  return (
                    <tr key={r.districtId}>
                      <th scope="row">{name(r)}</th>
                      <td>{shown(p?.problems.total)}</td>
                      <td>{shown(p?.immediateRectifications)}</td>
                      <td>
                        {p?.moneyReturnedFen === null || p === undefined
                          ? t("outcomes.suppressed", { minimum: d.minimum })
                          : formatFenCompact(locale, p.moneyReturnedFen)}
                      </td>
                      <td>{shown(p?.clues.total)}</td>
                      <td>
                        <form method="post" className="inline-form">
                          <input type="hidden" name="csrf" value={d.user.csrf} />
                          <input type="hidden" name="roundId" value={d.roundId ?? ""} />
                          <input type="hidden" name="districtId" value={r.districtId} />
                          {r.published ? (
                            <>
                              <span>{formatDate(locale, r.published)}</span>{" "}
                              <button className="button button-quiet" name="op" value="withdraw">
                                {t("outcomes.office.withdraw")}
                              </button>
                            </>
                          ) : null}
                          <button className="button" name="op" value="approve">
                            {t("outcomes.office.approve")}
                          </button>
                        </form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section className="card" aria-labelledby="overdue-title">
        <h2 id="overdue-title">{t("outcomes.office.overdue")}</h2>
        <p className="muted">{t("outcomes.office.overdueHint", { days: d.overdueDays })}</p>
        {d.overdue.length === 0 ? (
          <p>{t("outcomes.office.noOverdue")}</p>
        ) : (
          <ul data-testid="overdue-clues">
            {d.overdue.map((c) => (
              <li key={c.id}>
                {name({ nameZh: c.bodyNameZh, nameEn: c.bodyNameEn })} ·{" "}
                {name({ nameZh: c.districtNameZh, nameEn: c.districtNameEn })} ·{" "}
                {t(`outcomes.outcome.${c.outcome}`)} ·{" "}
                {t("outcomes.office.transferredOn", { date: formatDate(locale, c.transferredAt) })}{" "}
                · {t("outcomes.office.daysOpen", { days: c.daysOpen })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </StaffLayout>
  );
}
