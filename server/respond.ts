/**
 * What every page and API answer gets besides its route's own status, headers and body, in one
 * place for both ways the server answers: Express's middleware (server/index.ts) and the plain
 * listener that answers status look-ups before Express (server/direct-actions.ts `plainDirect`).
 * The two must send the same headers and bytes (test/integration/status-api.test.ts compares
 * them); a new fast path for another endpoint starts and finishes its answers with these too.
 *
 * - `startResponse`: the security headers with a fresh CSP nonce (server/security-headers.ts);
 * - `noStoreUnlessSet`: `Cache-Control: no-store` when the route set none (every /api and /staff
 *   answer: they carry case content or a session; routes may only tighten it);
 * - `finishAnswer`: a plain answer written as Express writes a route's answer — status, headers,
 *   no-store, then through the one compression middleware instance, which an answer marked
 *   `no-transform` does not need (the middleware would leave it alone: ADR 026).
 */
import type http from "node:http";
import type { PlainAnswer } from "../app/services/http.server";
import { newNonce, securityHeaders, setHeaders } from "./security-headers";

/** The compression middleware as Express runs it (`compression()`; one instance for both paths). */
export type CompressMiddleware = (req: never, res: never, next: () => void) => void;

/** Sets the security headers with a fresh nonce; the nonce, for the page's scripts. */
export function startResponse(res: http.ServerResponse, https: boolean): string {
  const nonce = newNonce();
  setHeaders(res, securityHeaders(nonce, https));
  return nonce;
}

/** `Cache-Control: no-store` unless the route set a Cache-Control (call before the head goes). */
export function noStoreUnlessSet(res: http.ServerResponse): void {
  if (!res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", "no-store");
}

/**
 * Writes `answer` after `startResponse` as Express would after the route: its status and headers,
 * no-store unless it set a Cache-Control, then the body through `compress` — not called for an
 * answer whose Cache-Control says `no-transform`, which the middleware passes through untouched
 * (no Content-Encoding, no Vary).
 */
export function finishAnswer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  compress: CompressMiddleware,
  answer: PlainAnswer,
): void {
  res.statusCode = answer.status;
  setHeaders(res, answer.headers);
  noStoreUnlessSet(res);
  if (NO_TRANSFORM.test(String(res.getHeader("Cache-Control")))) return void res.end(answer.body);
  compress(req as never, res as never, () => res.end(answer.body));
}

/** The `no-transform` directive, matched as the compression middleware matches it. */
const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;
