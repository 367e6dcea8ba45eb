/**
 * The low-order check of crypto/public-key-check.ts for the server's hot path (a fresh tipster
 * key on every report), without a scalar multiplication.
 *
 * The rule is the same, stated there: a key is refused when X25519(LOW_ORDER_CHECK_SCALAR, key)
 * is all zeros. For X25519 that set of keys is exactly the seven encodings of
 * `KNOWN_LOW_ORDER_KEYS` with byte 31's top bit ignored — libsodium's `has_small_order` blacklist
 * in crypto_scalarmult_curve25519, which it uses instead of a multiplication:
 *
 * - X25519 ignores the top bit and reduces the remaining 255-bit number mod p = 2^255 − 19
 *   (RFC 7748 §5), so a key stands for u mod p, u < 2^255;
 * - a shared secret is zero for every clamped scalar (a multiple of 8) exactly when the point has
 *   order dividing 8 on the curve (cofactor 8) or 4 on its twist (cofactor 4). Their
 *   u-coordinates are 0, 1, p − 1 and the two of the points of order 8 (the point at infinity
 *   has no encoding);
 * - of these, only 0 and 1 have a second encoding below 2^255 (p and p + 1): p − 1 + p and the
 *   order-8 values plus p are at least 2^255.
 *
 * test/unit/crypto/low-order.test.ts compares this with the portable check (the scalar
 * multiplication) on the vectors, on every listed key with either top bit and with each single
 * bit flipped, and on random keys. This used to run Node's native X25519 with a JWK key object
 * per call (≈ 4 % of the server's CPU per report, issue 13); a compare of 32 bytes is nothing.
 */
import { expectBytes } from "./bytes";
import { KNOWN_LOW_ORDER_KEYS } from "./public-key-check";

const KNOWN = KNOWN_LOW_ORDER_KEYS.map((h) => Buffer.from(h, "hex"));

/** `isLowOrderPublicKey`, the same verdict, by comparison with the complete list. */
export function isLowOrderPublicKeyByList(publicKey: Uint8Array): boolean {
  expectBytes(publicKey, 32, "public key");
  const last = publicKey[31]! & 0x7f;
  for (const k of KNOWN) {
    if (k[31] !== last) continue;
    let same = true;
    for (let i = 0; i < 31; i++) {
      if (k[i] !== publicKey[i]) {
        same = false;
        break;
      }
    }
    if (same) return true;
  }
  return false;
}
