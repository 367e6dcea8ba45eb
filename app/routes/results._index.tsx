/**
 * /results — the public results board (DESIGN §6): per round, only what an office admin approved,
 * aggregated per district with small cells withheld; server-rendered SVG charts that work without
 * JavaScript, an Atom feed, a print stylesheet.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ResultsBoard } from "~/components/results/ResultsBoard";
import { formatDate, formatFenCompact } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import type { RouteHandle } from "~/route-handle";
import { publicBoard, publicRounds } from "~/services/round-outcomes.server";
import chartStyles from "~/styles/charts.css";
import resultsStyles from "~/styles/results.css";

/** Plain HTML: no framework JavaScript (docs/architecture.md, "Zero-JavaScript pages"). */
export const handle: RouteHandle = { hydrate: false };

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: chartStyles },
  { rel: "stylesheet", href: resultsStyles },
  { rel: "alternate", type: "application/atom+xml", href: "/results.atom" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const rounds = await publicRounds(context.db);
  const wanted = new URL(request.url).searchParams.get("round");
  if (wanted !== null && !rounds.some((r) => r.id === wanted)) {
    throw new Response("Not Found", { status: 404 });
  }
  const roundId = wanted ?? rounds[0]?.id ?? null;
  const minimum = context.env.resultsMinimumCell;
  const board = roundId ? await publicBoard(context.db, roundId, minimum) : null;
  return {
    minimum,
    roundId,
    rounds: rounds.map((r) => ({ id: r.id, nameZh: r.nameZh, nameEn: r.nameEn })),
    board: board && { total: board.board.total, districts: board.districts },
  };
}

export const meta: MetaFunction = () => [{ name: "robots", content: "index" }];

export default function ResultsPage() {
  const { minimum, roundId, rounds, board } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const name = (x: { nameZh: string; nameEn: string }) => (locale === "en" ? x.nameEn : x.nameZh);
  const round = rounds.find((r) => r.id === roundId);
  return (
    <article className="results">
      <h1>{t("outcomes.board.title")}</h1>
      <p className="lead">{t("outcomes.board.intro", { minimum })}</p>
      {rounds.length === 0 ? (
        <p className="notice">{t("outcomes.board.noRounds")}</p>
      ) : (
        <form method="get" className="results-round-picker">
          <label htmlFor="round">{t("outcomes.board.pickRound")}</label>
          <select id="round" name="round" defaultValue={roundId ?? undefined}>
            {rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {name(r)}
              </option>
            ))}
          </select>
          <button className="button button-quiet" type="submit">
            {t("outcomes.board.show")}
          </button>
        </form>
      )}
      {board && round ? (
        <>
          <ResultsBoard
            roundName={name(round)}
            minimum={minimum}
            total={board.total}
            districts={board.districts.map((d) => ({
              id: d.id,
              name: name(d),
              approvedAt: d.approvedAt,
              figures: d.figures,
            }))}
            money={(fen) => formatFenCompact(locale, fen)}
          />
          <ul className="results-published">
            {board.districts.map((d) => (
              <li key={d.id}>
                {name(d)} ·{" "}
                {t("outcomes.board.approvedOn", { date: formatDate(locale, d.approvedAt) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="results-feed">
        <a href="/results.atom">{t("outcomes.board.feed")}</a>
      </p>
      <p className="results-print-note">{t("outcomes.board.printNote")}</p>
      <p>
        <a href="/">{t("errors.backHome")}</a>
      </p>
    </article>
  );
}
