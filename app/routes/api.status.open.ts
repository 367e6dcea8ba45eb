/**
 * POST /api/status/open — the JavaScript path of the status page. The browser derived the
 * receipt keys itself and sends only the 32-byte auth secret (base64url); the server hashes it
 * (`authLookupHash`), finds the tip by that hash and returns its ciphertexts, plus a fresh
 * proof-of-work challenge for a reply. Right and wrong secrets take the same minimum time.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { serverT } from "~/i18n/messages.server";
import { b64urlField } from "~/services/http.server";
import {
  apiError,
  caseSigners,
  caseWire,
  NO_STORE,
  readJson,
  findCaseByAuthSecret,
  issueReplyChallenge,
  JS_LOOKUP_FLOOR_MS,
  markTeamMessagesSeen,
  padToFloor,
  statusLookups,
} from "~/services/tipster.server";

const OpenRequest = z.object({
  authSecret: b64urlField({ bytes: 32 }),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const started = Date.now();
  const { t } = serverT(request);
  const parsed = OpenRequest.safeParse(await readJson(request, 1024));
  // A malformed request is refused before it can spend the client's look-up quota.
  if (!parsed.success) return apiError(400, "bad_request", t("tipster.errors.badRequest"));
  if (!statusLookups.hit(context.clientKey)) {
    const minutes = statusLookups.retryAfterMinutes(context.clientKey);
    return apiError(429, "rate_limited", t("tipster.errors.tooMany", { minutes }), {
      "Retry-After": String(minutes * 60),
    });
  }
  const found = await findCaseByAuthSecret(context.db, parsed.data.authSecret);
  // All work for a found case happens before the floor, so hits and misses leave at the same time.
  const body = found
    ? {
        case: caseWire(found, await caseSigners(context.db, context.env, found)),
        pow: issueReplyChallenge(context.env),
      }
    : null;
  if (found) await markTeamMessagesSeen(context.db, found);
  await padToFloor(started, JS_LOOKUP_FLOOR_MS);
  if (!body) return apiError(404, "not_found", t("tipster.errors.notFound"));
  return Response.json(body, { headers: NO_STORE });
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
