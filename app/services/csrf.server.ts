/**
 * CSRF protection for every staff mutation: a token bound to the session,
 * HMAC-SHA256(SESSION_SECRET, "csrf:" ‖ session id), sent in a hidden `csrf` field (or the
 * `X-CSRF-Token` header for fetch calls) and compared in constant time. The session cookie is
 * also SameSite=Lax, and the Origin header, when present, must be our own.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Env } from "../env.server";

export const CSRF_FIELD = "csrf";
export const CSRF_HEADER = "X-CSRF-Token";

export function csrfToken(env: Env, sessionId: string): string {
  return createHmac("sha256", env.sessionSecret).update(`csrf:${sessionId}`).digest("base64url");
}

/** Throws 403 unless the request carries this session's token and, if sent, our Origin. */
export function assertCsrf(env: Env, sessionId: string, request: Request, form?: FormData): void {
  const origin = request.headers.get("Origin");
  if (origin && origin !== new URL(request.url).origin && origin !== env.publicOrigin) {
    throw new Response("Forbidden: cross-site request", { status: 403 });
  }
  const sent = request.headers.get(CSRF_HEADER) ?? form?.get(CSRF_FIELD);
  const expected = Buffer.from(csrfToken(env, sessionId));
  // Compare byte lengths, not string lengths: a non-ASCII token of the right string length used
  // to reach timingSafeEqual with unequal buffers, which throws (a 500).
  const given = typeof sent === "string" ? Buffer.from(sent) : null;
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Response("Forbidden: missing or wrong CSRF token", { status: 403 });
  }
}
