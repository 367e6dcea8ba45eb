/**
 * Cross-site form posts are refused with a 403 before any route runs (server/index.ts, and the
 * server's plain path for the status look-up, server/direct-actions.ts): one rule for both.
 *
 * Under `Referrer-Policy: no-referrer` browsers send `Origin: null` even for our own plain HTML
 * forms (the no-JS path); Sec-Fetch-Site tells those apart. Any other Origin must name this host.
 * GET and HEAD are never refused.
 */
import type http from "node:http";

export function crossSiteRefused(method: string | undefined, headers: http.IncomingHttpHeaders) {
  if (method === "GET" || method === "HEAD") return false;
  const origin = headers.origin;
  if (origin === undefined) return false;
  if (origin === "null") {
    const site = headers["sec-fetch-site"];
    return site === "cross-site" || site === "same-site";
  }
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  return host !== headers.host;
}
