/** GET /api/staff/inbox — the inbox rows with ciphertext (what the inbox page loads). Audited. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleCaseApi } from "~/services/cases.server";
import { loadInbox } from "~/services/inbox.server";

export async function loader(args: LoaderFunctionArgs) {
  return await handleCaseApi(args, "tip:read:team", async (session) => ({
    tips: await loadInbox(args.context.db, session),
  }));
}
