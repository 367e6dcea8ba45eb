/** GET /api/staff/tips/:tipId/files/:fileId — an attachment's encrypted chunks. Audited. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleCaseApi, loadAttachment } from "~/services/cases.server";

export async function loader(args: LoaderFunctionArgs) {
  return await handleCaseApi(args, "tip:read:team", (session) =>
    loadAttachment(args.context.db, session, args.params.tipId ?? "", args.params.fileId ?? ""),
  );
}
