/** GET /api/staff/tips/:tipId — the case with its ciphertext (403 without an envelope) and its shares. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleCaseApi, loadCase } from "~/services/cases.server";
import { caseSharing } from "~/services/shares.server";

export async function loader(args: LoaderFunctionArgs) {
  return await handleCaseApi(args, "tip:read:team", async (session) => {
    const found = await loadCase(args.context.db, session, args.params.tipId ?? "");
    return {
      ...found,
      sharing: await caseSharing(args.context.db, args.context.env, session, {
        tipId: found.tip.id,
        shared: found.shared,
      }),
    };
  });
}
