/**
 * Every response's security headers, set in this one place.
 *
 * The CSP carries a fresh nonce per request (threaded into <Scripts nonce>), allows WebAssembly
 * compilation (argon2id runs as WASM) but no other eval, and no third-party origin at all.
 */
import type http from "node:http";
import { pooledRandom } from "../crypto/index";

/** Nonces from the CSPRNG a block at a time (every answer takes one). */
const nonceRandom = pooledRandom();

/** A fresh CSP nonce for one request. */
export function newNonce(): string {
  const bytes = nonceRandom(16);
  return Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString("base64");
}

/** Sets `headers` on a response (Express's `res.set(object)` does the same for these). */
export function setHeaders(res: http.ServerResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

export function contentSecurityPolicy(nonce: string, https: boolean): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "usb=()",
  "interest-cohort=()",
  "browsing-topics=()",
].join(", ");

export function securityHeaders(nonce: string, https: boolean): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(nonce, https),
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    // With COOP, makes every page cross-origin isolated: our pages load nothing from another
    // origin, and isolation lets the resident pages' workers share memory — the two lanes of the
    // receipt KDF on two threads (crypto/argon2-lanes.ts, ADR 023).
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Origin-Agent-Cluster": "?1",
    "X-DNS-Prefetch-Control": "off",
  };
}

/**
 * The fingerprinted build files under /build (scripts, styles, WebAssembly). The document-only
 * headers — a page's CSP with its nonce, Permissions-Policy, framing, COOP, Origin-Agent-Cluster,
 * DNS prefetch — do nothing on a script or a stylesheet and were ≈ 650 of every asset response's
 * 1,200 header bytes: on a phone's slow link, /report's 17 script files paid ≈ 11 KB for them
 * (docs/benchmarks.md). What applies to a subresource stays: nosniff, CORP, HSTS, no referrer, and
 * a short nonce-less CSP in case a file is ever opened as a document or started as a worker by its
 * own URL (a worker takes its policy from its script's response; ours start from a blob and
 * inherit the page's).
 */
export const ASSET_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function assetHeaders(): Record<string, string> {
  return {
    "Content-Security-Policy": ASSET_CSP,
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
  };
}
