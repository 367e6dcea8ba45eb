/**
 * `authLookupHash` of crypto/receipt.ts on Node's native SHA-256 (server only).
 *
 * The value is the same — lowercase hex SHA-256 of the 32-byte auth secret, the only
 * receipt-derived value the server stores — and so are the refusals (not bytes, not 32 bytes).
 * Only the hashing moves from the portable JavaScript SHA-256, which the browser's worker keeps
 * using, to OpenSSL: every status look-up and every report hashes one auth secret, and the
 * JavaScript hash with its hex encoding cost a look-up 2–12 µs against 0.7–2.5 µs (issue 13,
 * item 2; docs/benchmarks.md). test/unit/crypto/receipt-hash.test.ts checks both on the receipt
 * vectors and on random secrets.
 */
import { createHash } from "node:crypto";
import { CryptoError, ensure } from "./errors";

/** Lowercase hex SHA-256 of the auth secret (= `authLookupHash`), hashed by node:crypto. */
export function authLookupHashNative(authSecret: Uint8Array): string {
  if (!(authSecret instanceof Uint8Array))
    throw new CryptoError("bad_input", "auth secret must be bytes");
  ensure(authSecret.length === 32, "bad_length", "auth secret must be 32 bytes");
  return createHash("sha256").update(authSecret).digest("hex");
}
