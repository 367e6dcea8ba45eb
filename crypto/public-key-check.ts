/**
 * Refusing low-order X25519 public keys (docs/crypto.md §5.12).
 *
 * X25519 clamps every secret scalar to a multiple of 8. A public key on a point of order 1, 2, 4
 * or 8 (on the curve or its twist; Curve25519's cofactor is 8, the twist's 4) therefore gives the
 * all-zero shared secret with *every* secret key: a tip key boxed "to" such a key opens with
 * HSalsa20(0³², 0¹⁶), a public constant. Such keys still get an ordinary-looking fingerprint, so
 * they must be refused wherever a key could become a recipient: key registration, office
 * approval, routing, and the browser before sealing.
 *
 * The rule, in one place: a 32-byte public key is refused when X25519(LOW_ORDER_CHECK_SCALAR, key)
 * is all zeros. The scalar is fixed (it is clamped like any other); any scalar that is not a
 * multiple of the prime subgroup order gives the same verdict, since exactly the low-order points
 * map to zero. The known low-order encodings (libsodium's list, with and without the ignored top
 * bit) are checked first by comparison; the scalar multiplication also catches anything the list
 * might miss. Sealing code applies the same test to the shared secret it computes anyway
 * (`isAllZero`), so that costs nothing extra.
 */
import { expectBytes, fromHex, toHex } from "./bytes";
import { ensure } from "./errors";
import { x25519 } from "./nacl";

/** 32 bytes of 0x01 (clamped inside X25519 as usual). Any fixed scalar would do, see above. */
export const LOW_ORDER_CHECK_SCALAR = new Uint8Array(32).fill(1);

/**
 * The low-order points as 32-byte little-endian u-coordinates, top bit clear (X25519 ignores it):
 * u = 0, 1 and p − 1, the two u-coordinates of the points of order 8, and p and p + 1 (the
 * non-canonical encodings of 0 and 1); p = 2^255 − 19.
 */
export const KNOWN_LOW_ORDER_KEYS: readonly string[] = Object.freeze([
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
  "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
]);
const KNOWN = KNOWN_LOW_ORDER_KEYS.map(fromHex);

/** True when every byte is zero (public data: no constant-time requirement). */
export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

function sameIgnoringTopBit(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 31; i++) if (a[i] !== b[i]) return false;
  return (a[31]! & 0x7f) === (b[31]! & 0x7f);
}

/**
 * True when `publicKey` (32 bytes) is a low-order X25519 point: every shared secret with it is
 * all zeros. Throws `bad_length` / `bad_input` for anything that is not 32 bytes.
 */
export function isLowOrderPublicKey(publicKey: Uint8Array): boolean {
  expectBytes(publicKey, 32, "public key");
  if (KNOWN.some((k) => sameIgnoringTopBit(k, publicKey))) return true;
  const hex = toHex(publicKey);
  const seen = verdicts.get(hex);
  if (seen !== undefined) {
    verdicts.delete(hex);
    verdicts.set(hex, seen);
    return seen;
  }
  const verdict = isAllZero(x25519(LOW_ORDER_CHECK_SCALAR, publicKey));
  if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(hex, verdict);
  return verdict;
}

/**
 * Verdicts of the scalar multiplication by key bytes (a pure function of them), least recently
 * used out first (so each submission's fresh tipster key does not push the readers' keys out).
 * The same reader keys are checked on every report page and submission (routing, approvals), and
 * a pure-JS X25519 costs about a millisecond each time.
 */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 1024;

/** Throws `weak_key` for a low-order public key; returns the key otherwise. */
export function assertUsablePublicKey(publicKey: Uint8Array, what = "public key"): Uint8Array {
  ensure(!isLowOrderPublicKey(publicKey), "weak_key", `${what} is a low-order X25519 point`);
  return publicKey;
}
