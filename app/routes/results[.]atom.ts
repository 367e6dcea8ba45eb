/** /results.atom — Atom feed of the approved results (same figures as /results). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { localeFromRequest } from "~/i18n/messages.server";
import { resultsFeed } from "~/services/results-feed.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const xml = await resultsFeed(
    context.db,
    context.env.publicOrigin,
    localeFromRequest(request),
    context.env.resultsMinimumCell,
  );
  return new Response(xml, {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    },
  });
}
