/** GET /api/staff/findings/:id/files/:fileId — one encrypted evidence file (team and office). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadEvidence } from "~/services/resolutions.server";
import { handleOutcomesApi } from "~/services/outcomes-api.server";

export function loader(args: LoaderFunctionArgs) {
  return handleOutcomesApi(args, "key:setup:own", null, (session) =>
    loadEvidence(args.context.db, session, args.params.findingId ?? "", args.params.fileId ?? ""),
  );
}
