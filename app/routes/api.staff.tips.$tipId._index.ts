/** GET /api/staff/tips/:tipId — the case with its ciphertext (403 without an envelope). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleCaseApi, loadCase } from "~/services/cases.server";

export async function loader(args: LoaderFunctionArgs) {
  return await handleCaseApi(args, "tip:read:team", (session) =>
    loadCase(args.context.db, session, args.params.tipId ?? ""),
  );
}
