/**
 * /api/staff/keys — my own staff key.
 * GET: status, fingerprint and the passphrase-wrapped blob (audited `key.fetch`), for unlocking
 * in the browser. POST: `create` (public keys + wrapped blob, pending until the office signs),
 * `rewrap` (passphrase change) or `revoke` (lost passphrase).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { badRequest, handleCaseApi, readCaseJson } from "~/services/cases.server";
import { b64urlField } from "~/services/http.server";
import { createKey, myKey, revokeOwnKey, rewrapKey } from "~/services/keys.server";

const b64 = b64urlField({ max: 300 });
const Body = z.discriminatedUnion("op", [
  z.object({ op: z.literal("create"), boxPublicKey: b64, signPublicKey: b64, wrapped: b64 }),
  z.object({ op: z.literal("rewrap"), wrapped: b64 }),
  z.object({ op: z.literal("revoke") }),
]);

export async function loader(args: LoaderFunctionArgs) {
  return await handleCaseApi(args, "key:setup:own", async (session) => ({
    key: await myKey(args.context.db, session, { withSecret: true }),
  }));
}

export async function action(args: ActionFunctionArgs) {
  return await handleCaseApi(args, "key:setup:own", async (session) => {
    const parsed = Body.safeParse(await readCaseJson(args.request, 4096));
    if (!parsed.success) return badRequest(args.request);
    const body = parsed.data;
    const db = args.context.db;
    if (body.op === "create") {
      const id = await createKey(db, session, {
        boxPublicKey: body.boxPublicKey,
        signPublicKey: body.signPublicKey,
        wrapped: body.wrapped,
      });
      return { ok: true, id, key: await myKey(db, session, { withSecret: false }) };
    }
    if (body.op === "rewrap") await rewrapKey(db, session, body.wrapped);
    else await revokeOwnKey(db, session);
    return { ok: true };
  });
}
