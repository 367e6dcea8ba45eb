/**
 * One content-addressed memo for the server's office-signature checks (signed reader rosters,
 * office approvals of staff keys). Routing runs them for every report page and every submission;
 * in pure-JS Ed25519 each costs milliseconds of CPU, and an unauthenticated client could make the
 * server repeat them at will (issue 13 item 1).
 *
 * The key is SHA-256 over a label and every input of the check (office public key, signature,
 * signed bytes), so an entry can only ever answer for exactly the bytes it was computed from: a
 * new, re-signed or tampered roster or approval is a new key and is verified afresh, and nothing
 * needs invalidating when a key is revoked or a roster replaced (revocation and supersession are
 * decided outside the signature check, on every call). Failures are cached too (a bad signature
 * stays bad). Time checks (expiry, validity windows) are not part of a cached result: callers
 * apply them on every call.
 */
import { isCryptoError, utf8Encode } from "../../crypto/index";
import { sha256HexNative } from "../../crypto/sha256.server";

const MAX_ENTRIES = 4096;
const results = new Map<string, { value: unknown } | { error: unknown }>();

/** Hits and misses since start (tests and benchmarks read them). */
export const verifiedCacheStats = { hits: 0, misses: 0 };

/**
 * Runs `verify()` once per distinct (label, inputs); later calls with the same bytes return the
 * same value, or throw the same CryptoError. Other errors are not cached.
 */
export function cachedVerification<T>(label: string, inputs: Uint8Array[], verify: () => T): T {
  const parts: Uint8Array[] = [utf8Encode(label)];
  // Length-prefixed, so different splits of the same bytes cannot collide.
  for (const input of inputs) {
    const n = input.length;
    parts.push(new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]), input);
  }
  // Hashed by node:crypto (the same SHA-256): routing looks up several kilobytes per report.
  const key = sha256HexNative(...parts);
  let hit = results.get(key);
  if (hit) {
    verifiedCacheStats.hits++;
    // Most recently used last: eviction drops the oldest entry first.
    results.delete(key);
    results.set(key, hit);
  } else {
    verifiedCacheStats.misses++;
    try {
      hit = { value: verify() };
    } catch (err) {
      if (!isCryptoError(err)) throw err;
      hit = { error: err };
    }
    if (results.size >= MAX_ENTRIES) results.delete(results.keys().next().value!);
    results.set(key, hit);
  }
  if ("error" in hit) throw hit.error;
  return hit.value as T;
}
