/**
 * The low-order check of crypto/public-key-check.ts on Node's native X25519 (server only).
 *
 * The rule is the same, stated there: a key is refused when X25519(LOW_ORDER_CHECK_SCALAR, key)
 * is all zeros (the known encodings are compared first). Only the scalar multiplication moves,
 * from tweetnacl's pure JavaScript (≈ 1.2 ms, 6 % of the server's CPU per submission in the
 * bench-server profile: every report brings a fresh tipster key) to OpenSSL (a few µs). OpenSSL
 * refuses to return an all-zero X25519 output; any refusal falls back to the portable check, so
 * the verdict is the portable one's in every case (test/unit/crypto/low-order.test.ts compares
 * both on the vectors and on random keys).
 */
import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from "node:crypto";
import { expectBytes } from "./bytes";
import {
  isAllZero,
  isLowOrderPublicKey,
  KNOWN_LOW_ORDER_KEYS,
  LOW_ORDER_CHECK_SCALAR,
} from "./public-key-check";

/** PKCS#8 DER prefix of an X25519 private key (RFC 8410): the 32-byte scalar follows it. */
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

let checkKey: KeyObject | null = null;
function scalarKey(): KeyObject {
  checkKey ??= createPrivateKey({
    key: Buffer.concat([PKCS8_X25519_PREFIX, LOW_ORDER_CHECK_SCALAR]),
    format: "der",
    type: "pkcs8",
  });
  return checkKey;
}

const KNOWN = KNOWN_LOW_ORDER_KEYS.map((h) => Buffer.from(h, "hex"));

/** `isLowOrderPublicKey`, the same verdict, with the scalar multiplication done natively. */
export function isLowOrderPublicKeyNative(publicKey: Uint8Array): boolean {
  expectBytes(publicKey, 32, "public key");
  const key = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32);
  for (const k of KNOWN) {
    if (k.compare(key, 0, 31, 0, 31) === 0 && (k[31]! & 0x7f) === (key[31]! & 0x7f)) return true;
  }
  let shared: Buffer;
  try {
    shared = diffieHellman({
      privateKey: scalarKey(),
      publicKey: createPublicKey({
        key: { kty: "OKP", crv: "X25519", x: key.toString("base64url") },
        format: "jwk",
      }),
    });
  } catch {
    // OpenSSL refuses an all-zero result (or the key itself): the portable check decides.
    return isLowOrderPublicKey(publicKey);
  }
  return isAllZero(shared);
}
