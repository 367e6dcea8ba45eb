/**
 * What every page and API answer gets besides its route's own status, headers and body, in one
 * place for both ways the server answers: Express's middleware (server/index.ts) and the plain
 * listener that answers status look-ups before Express (server/direct-actions.ts `plainDirect`).
 * The two must send the same headers and bytes (test/integration/status-api.test.ts compares
 * them); a new fast path for another endpoint starts and finishes its answers with these too.
 *
 * - `startResponse`: the security headers with a fresh CSP nonce (server/security-headers.ts),
 *   set on the response (Express); the plain listener takes them from `plainSecurity` and
 *   `finishAnswer` writes them with the answer's own;
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
  const { nonce, headers } = plainSecurity(https);
  setHeaders(res, headers);
  return nonce;
}

/** `Cache-Control: no-store` unless the route set a Cache-Control (call before the head goes). */
export function noStoreUnlessSet(res: http.ServerResponse): void {
  if (!res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", "no-store");
}

/**
 * For the plain listener: a fresh nonce and the security headers, not set on the response yet —
 * `finishAnswer` sends them with the answer's own headers in one `writeHead`.
 */
export function plainSecurity(https: boolean): { nonce: string; headers: Record<string, string> } {
  const nonce = newNonce();
  return { nonce, headers: securityHeaders(nonce, https) };
}

/**
 * Writes `answer` as Express would after `startResponse` and the route: the security headers,
 * then the answer's status and headers (a name set twice keeps its first place and takes the
 * later value, as `setHeader` does), no-store unless it set a Cache-Control, then the body
 * through `compress` — not called for an answer whose Cache-Control says `no-transform`, which
 * the middleware passes through untouched (no Content-Encoding, no Vary). Such an answer's head
 * goes out in one `writeHead` with the headers as a list: the same bytes as a `setHeader` each
 * (status-api compares the two paths), without storing each header by its lower-cased name
 * first — 10–20 µs against 15–50 µs per look-up answer (issue 13, item 2; docs/benchmarks.md).
 */
export function finishAnswer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  compress: CompressMiddleware,
  answer: PlainAnswer,
  security: Record<string, string>,
): void {
  const head = new Map<string, [string, string]>();
  for (const name in security) head.set(name.toLowerCase(), [name, security[name]!]);
  for (const name in answer.headers) head.set(name.toLowerCase(), [name, answer.headers[name]!]);
  const cacheControl = head.get("cache-control");
  if (!cacheControl) head.set("cache-control", ["Cache-Control", "no-store"]);
  if (cacheControl && NO_TRANSFORM.test(cacheControl[1])) {
    const lines: string[] = [];
    for (const [name, value] of head.values()) lines.push(name, value);
    res.writeHead(answer.status, lines);
    return void res.end(answer.body);
  }
  res.statusCode = answer.status;
  for (const [name, value] of head.values()) res.setHeader(name, value);
  compress(req as never, res as never, () => res.end(answer.body));
}

/** The `no-transform` directive, matched as the compression middleware matches it. */
const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;
