/**
 * GET /api/staff/findings — the caller's findings (team: their teams'; office: the jurisdiction's)
 * with their sealed bodies and the caller's envelopes; `?stationingId=` adds the readers a new
 * finding of that stationing must be sealed to.
 * POST /api/staff/findings — a new finding sealed in the browser (id, clear fields, body,
 * one envelope per reader).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readerWire } from "~/services/finding-readers.server";
import {
  createFinding,
  listFindings,
  myStationings,
  readersForStationing,
} from "~/services/findings.server";
import { handleOutcomesApi, NewFindingBody } from "~/services/outcomes-api.server";

export function loader(args: LoaderFunctionArgs) {
  return handleOutcomesApi(args, "key:setup:own", null, async (session) => {
    const stationingId = new URL(args.request.url).searchParams.get("stationingId");
    const { db, env } = args.context;
    if (stationingId) {
      const mine = await myStationings(db, session);
      if (!mine.some((s) => s.id === stationingId)) throw new Response(null, { status: 403 });
      return {
        readers: (await readersForStationing(db, env, stationingId)).map((r) => readerWire(env, r)),
      };
    }
    return {
      findings: await listFindings(db, session),
      stationings: await myStationings(db, session),
    };
  });
}

export function action(args: ActionFunctionArgs) {
  return handleOutcomesApi(args, "finding:write:team", NewFindingBody, async (session, body) => ({
    id: await createFinding(args.context.db, args.context.env, session, body),
  }));
}
