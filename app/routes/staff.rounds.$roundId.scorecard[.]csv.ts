/** /staff/rounds/:roundId/scorecard.csv — the scorecard per district and team (office only). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { serverT } from "~/i18n/messages.server";
import { requirePermission } from "~/services/permissions.server";
import { auditAnchorForPrint } from "~/services/audit.server";
import { requireOfficeRound, roundScorecard, scorecardCsv } from "~/services/round-outcomes.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const round = await requireOfficeRound(context.db, session, params.roundId ?? "");
  const { t, locale } = serverT(request);
  const report = await roundScorecard(context.db, round.id);
  const csv = scorecardCsv(report, t, locale, await auditAnchorForPrint(context.db));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="scorecard-${round.id}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
