/**
 * POST /api/status/open — the JavaScript path of the status page. The browser derived the
 * receipt keys itself and sends only the 32-byte auth secret (base64url); the server hashes it
 * (`authLookupHash`), finds the tip by that hash and returns its ciphertexts, plus a fresh
 * proof-of-work challenge for a reply. Right and wrong secrets take the same minimum time.
 *
 * `openStatus` does the work on a plain request and answer (app/services/http.server.ts): the
 * server's direct path calls it as `direct` with the body it read (server/direct-actions.ts,
 * issue 13), Remix's as `action`. Same function, same answer bytes.
 */
import type { ActionFunctionArgs, AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { serverTForCookie } from "~/i18n/messages.server";
import {
  answerResponse,
  apiErrorAnswer,
  b64urlField,
  plainJson,
  plainRequest,
  type PlainAnswer,
  type PlainRequest,
} from "~/services/http.server";
import {
  caseAnswerBody,
  caseSigners,
  caseWire,
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

/** The case answer's caching: never stored, never re-encoded on the way (see `openStatus`). */
const UNCOMPRESSED_NO_STORE = { "Cache-Control": "no-store, no-transform" } as const;

/** Largest body read: the request is some 60 bytes of JSON. */
const MAX_BODY_BYTES = 1024;

export async function openStatus(
  request: PlainRequest,
  context: AppLoadContext,
): Promise<PlainAnswer> {
  const started = Date.now();
  const { t } = serverTForCookie(request.cookie);
  const parsed = OpenRequest.safeParse(plainJson(request, MAX_BODY_BYTES));
  // A malformed request is refused before it can spend the client's look-up quota.
  if (!parsed.success) return apiErrorAnswer(400, "bad_request", t("tipster.errors.badRequest"));
  if (!statusLookups.hit(context.clientKey)) {
    const minutes = statusLookups.retryAfterMinutes(context.clientKey);
    return apiErrorAnswer(429, "rate_limited", t("tipster.errors.tooMany", { minutes }), {
      "Retry-After": String(minutes * 60),
    });
  }
  const answer = await caseAnswer(context, parsed.data.authSecret);
  await padToFloor(started, JS_LOOKUP_FLOOR_MS);
  return answer ?? apiErrorAnswer(404, "not_found", t("tipster.errors.notFound"));
}

/**
 * The answer for a found case, or null. All work for a found case happens here, before the floor,
 * so hits and misses leave at the same time: that includes serialising the answer (≈ 25 KB of
 * JSON). Sent as it is (`no-transform`: the server's compression and any proxy leave it alone):
 * base64 of ciphertext shrinks by only a quarter, and compressing it cost more server CPU than the
 * rest of a look-up's JSON work.
 *
 * A function of its own so that the case's rows (the sealed payload's bytes, ≈ 17 KB) are garbage
 * once the answer is built: a local of `openStatus` stays reachable until it returns — V8 keeps
 * an async function's locals across each `await`, the floor's included — and at a thousand
 * look-ups in flight they were as many bytes again as the answers themselves (issue 13, item 7).
 */
async function caseAnswer(
  context: AppLoadContext,
  authSecret: Uint8Array,
): Promise<PlainAnswer | null> {
  const found = await findCaseByAuthSecret(context.db, authSecret);
  if (!found) return null;
  const answer: PlainAnswer = {
    status: 200,
    headers: { ...UNCOMPRESSED_NO_STORE, "content-type": "application/json; charset=utf-8" },
    body: caseAnswerBody(
      caseWire(found, await caseSigners(context.db, context.env, found)),
      issueReplyChallenge(context.env),
    ),
  };
  await markTeamMessagesSeen(context.db, found);
  return answer;
}

/** The server's direct path (server/direct-actions.ts), with a body it has read whole. */
export const direct = openStatus;

export async function action({ request, context }: ActionFunctionArgs) {
  return answerResponse(await openStatus(await plainRequest(request, MAX_BODY_BYTES), context));
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
