/**
 * GET /api/staff/findings/:id — one finding (clear fields, sealed body, the caller's envelope,
 * linked tips, transfers, resolutions) for its team, office or a receiver of its clue.
 * POST — { op: "status" } or { op: "body" } (an edit sealed under the same key).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { loadFinding, setFindingStatus, updateFindingBody } from "~/services/findings.server";
import { evidenceIndex } from "~/services/resolutions.server";
import { FindingUpdateBody, handleOutcomesApi } from "~/services/outcomes-api.server";

export function loader(args: LoaderFunctionArgs) {
  return handleOutcomesApi(args, "key:setup:own", null, async (session) => {
    const finding = await loadFinding(args.context.db, session, args.params.findingId ?? "");
    const evidence =
      finding.roles.includes("team") || finding.roles.includes("office")
        ? await evidenceIndex(args.context.db, finding.id)
        : [];
    return { finding, evidence };
  });
}

export function action(args: ActionFunctionArgs) {
  return handleOutcomesApi(args, "key:setup:own", FindingUpdateBody, async (session, body) => {
    const id = args.params.findingId ?? "";
    if (body.op === "status") await setFindingStatus(args.context.db, session, id, body.status);
    else await updateFindingBody(args.context.db, session, id, body.body);
    return { ok: true };
  });
}
