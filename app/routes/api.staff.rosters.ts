/**
 * /api/staff/rosters — the office's signed rosters (ADR 017).
 * GET: the rosters the office should sign now, drafted from the registry (canonical bytes for the
 * admin's browser to sign, who is left out and why, whether the published one is up to date).
 * POST: a roster the admin's browser signed; stored only if it verifies under the office key
 * compiled into this build. Routing uses it from the next request on.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { badRequest, handleCaseApi, readCaseJson } from "~/services/cases.server";
import { b64urlField } from "~/services/http.server";
import { draftRosters, publishRoster } from "~/services/rosters.server";

const MAX_ROSTER_BYTES = 48_000;
const Body = z.object({
  roster: b64urlField({ max: MAX_ROSTER_BYTES }),
  signature: b64urlField({ bytes: 65 }),
});

export async function loader(args: LoaderFunctionArgs) {
  return await handleCaseApi(args, "roster:sign:office", async (session) => ({
    drafts: (await draftRosters(args.context.db, session.staff.jurisdictionId)).map((d) => ({
      kind: d.kind,
      rosterId: d.rosterId,
      serial: d.roster?.serial ?? null,
      bytes: d.bytes,
      publishedSerial: d.publishedSerial,
      upToDate: d.upToDate,
      label: d.label,
      readers: (d.roster?.readers ?? []).map((r) => ({ memberId: r.memberId, role: r.role })),
      leftOut: d.leftOut,
    })),
  }));
}

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "roster:sign:office", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 70_000));
    if (!parsed.success) return badRequest(args.request);
    const stored = await publishRoster(args.context.db, session, parsed.data);
    return { ok: true, ...stored };
  });
}
