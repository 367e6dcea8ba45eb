/**
 * The Atom feed of the public results board (/results.atom): one entry per published round and
 * district, carrying exactly the numbers /results shows (small cells withheld the same way).
 * Built with the `feed` package (ADR 009-outcomes); ids and links are absolute under PUBLIC_ORIGIN.
 */
import { Feed } from "feed";
import type { Db } from "../../db/client";
import { messagesFor } from "../i18n/messages.server";
import { formatFenCompact, makeT } from "../i18n/translate";
import type { Locale } from "../i18n/types";
import { publicBoard, publicRounds } from "./round-outcomes.server";
import type { Shown } from "../shared/results-board";

export async function resultsFeed(
  db: Db,
  origin: string,
  locale: Locale,
  minimum: number,
): Promise<string> {
  const t = makeT(messagesFor(locale));
  const number = new Intl.NumberFormat(locale);
  const show = (v: Shown) =>
    v === null ? t("outcomes.suppressed", { minimum }) : number.format(v);
  const money = (v: Shown) =>
    v === null ? t("outcomes.suppressed", { minimum }) : formatFenCompact(locale, v);
  const rounds = await publicRounds(db);
  const entries: { id: string; title: string; body: string; link: string; date: Date }[] = [];
  for (const round of rounds) {
    const { districts } = await publicBoard(db, round.id, minimum);
    for (const d of districts) {
      const f = d.figures;
      entries.push({
        id: `${origin}/results?round=${encodeURIComponent(round.id)}#${d.publicationId}`,
        link: `${origin}/results?round=${encodeURIComponent(round.id)}`,
        date: new Date(d.approvedAt),
        title: t("outcomes.board.feedEntryTitle", {
          round: locale === "en" ? round.nameEn : round.nameZh,
          district: locale === "en" ? d.nameEn : d.nameZh,
        }),
        body: t("outcomes.board.feedEntryBody", {
          problems: show(f.problems.total),
          decision: show(f.problems.decision),
          corruption: show(f.problems.corruption),
          livelihood: show(f.problems.livelihood),
          immediate: show(f.immediateRectifications),
          money: money(f.moneyReturnedFen),
          people: show(f.peopleHelped),
          clues: show(f.clues.total),
        }),
      });
    }
  }
  entries.sort((a, b) => b.date.getTime() - a.date.getTime());
  const feed = new Feed({
    id: `${origin}/results`,
    title: t("outcomes.board.feedTitle", { site: t("meta.siteName") }),
    link: `${origin}/results`,
    language: locale,
    updated: entries[0]?.date ?? new Date(0),
    generator: false,
    copyright: t("meta.siteName"),
    feedLinks: { atom: `${origin}/results.atom` },
  });
  for (const e of entries) {
    feed.addItem({ id: e.id, title: e.title, link: e.link, date: e.date, description: e.body });
  }
  return feed.atom1();
}
