/**
 * The only module in the project that imports tweetnacl. Every wrapper checks lengths first, so
 * tweetnacl never throws its own untyped errors, and returns `null` (never throws) on a MAC
 * failure so callers map it to `auth_failed` themselves.
 */
import nacl from "tweetnacl";
import { expectBytes } from "./bytes";

export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const MAC_BYTES = 16;
export const SIGNATURE_BYTES = 64;

export interface BoxKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export interface SignKeyPair {
  /** 32-byte Ed25519 public key */
  publicKey: Uint8Array;
  /** 64-byte tweetnacl secret key: seed ‖ public key */
  secretKey: Uint8Array;
}

/** XSalsa20-Poly1305. */
export function secretbox(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  expectBytes(nonce, NONCE_BYTES, "nonce");
  expectBytes(key, KEY_BYTES, "key");
  return nacl.secretbox(message, nonce, key);
}

/**
 * `tag ‖ secretbox(message, nonce, key)` — the same bytes as
 * `concatBytes(new Uint8Array([tag]), secretbox(message, nonce, key))` with less copying: the
 * message goes into a kept working array with one memory copy (tweetnacl's `secretbox` allocates
 * a fresh one per call and copies byte by byte; the array is wiped after each call), and the box
 * is written straight into the result, whose byte before the MAC takes the tag. For attachment
 * chunks, where megabytes pass through 64 KiB at a time. The result is a view (byte offset 15) of
 * a buffer 15 bytes longer.
 */
export function secretboxWithTag(
  tag: number,
  message: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): Uint8Array {
  expectBytes(nonce, NONCE_BYTES, "nonce");
  expectBytes(key, KEY_BYTES, "key");
  const size = ZERO_BYTES + message.length;
  if (sealScratch.length < size)
    sealScratch = new Uint8Array(Math.max(size, 2 * sealScratch.length));
  // crypto_secretbox wants the message after 32 zero bytes (they become the Poly1305 key's
  // keystream); the scratch's first 32 bytes are never written.
  const m = sealScratch.subarray(0, size);
  const out = new Uint8Array(size);
  try {
    m.set(message, ZERO_BYTES);
    (nacl as unknown as { lowlevel: LowLevel }).lowlevel.crypto_secretbox(out, m, size, nonce, key);
  } finally {
    m.fill(0, ZERO_BYTES);
  }
  // out: 16 zero bytes ‖ MAC (16) ‖ ciphertext; the last zero byte becomes the tag.
  out[BOX_ZERO_BYTES - 1] = tag;
  return out.subarray(BOX_ZERO_BYTES - 1);
}
let sealScratch = new Uint8Array(0);

export function secretboxOpen(
  box: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): Uint8Array | null {
  expectBytes(nonce, NONCE_BYTES, "nonce");
  expectBytes(key, KEY_BYTES, "key");
  if (box.length < MAC_BYTES) return null;
  // `nacl.secretbox.open` with its two working arrays kept between calls (an inbox opens two
  // boxes per tip, 10,000 tips; allocating them was a visible share of the workers' garbage
  // collection). Same function underneath, same answer; the arrays are wiped after each call.
  const size = BOX_ZERO_BYTES + box.length;
  if (openScratch.length < size) {
    openScratch = new Uint8Array(Math.max(size, 2 * openScratch.length));
    openOutput = new Uint8Array(openScratch.length);
  }
  const c = openScratch.subarray(0, size);
  const m = openOutput.subarray(0, size);
  try {
    c.fill(0, 0, BOX_ZERO_BYTES);
    c.set(box, BOX_ZERO_BYTES);
    const low = (nacl as unknown as { lowlevel: LowLevel }).lowlevel;
    if (low.crypto_secretbox_open(m, c, size, nonce, key) !== 0) return null;
    return m.slice(ZERO_BYTES);
  } finally {
    c.fill(0);
    m.fill(0);
  }
}

/** crypto_secretbox's zero prefixes: of the box (before the tag) and of the message. */
const BOX_ZERO_BYTES = 16;
const ZERO_BYTES = 32;
let openScratch = new Uint8Array(0);
let openOutput = new Uint8Array(0);

/** X25519 + XSalsa20-Poly1305 (crypto_box). */
export function box(
  message: Uint8Array,
  nonce: Uint8Array,
  theirPublicKey: Uint8Array,
  mySecretKey: Uint8Array,
): Uint8Array {
  expectBytes(nonce, NONCE_BYTES, "nonce");
  expectBytes(theirPublicKey, KEY_BYTES, "public key");
  expectBytes(mySecretKey, KEY_BYTES, "secret key");
  return nacl.box(message, nonce, theirPublicKey, mySecretKey);
}

export function boxOpen(
  sealed: Uint8Array,
  nonce: Uint8Array,
  theirPublicKey: Uint8Array,
  mySecretKey: Uint8Array,
): Uint8Array | null {
  expectBytes(nonce, NONCE_BYTES, "nonce");
  expectBytes(theirPublicKey, KEY_BYTES, "public key");
  expectBytes(mySecretKey, KEY_BYTES, "secret key");
  if (sealed.length < MAC_BYTES) return null;
  return nacl.box.open(sealed, nonce, theirPublicKey, mySecretKey);
}

/** X25519 key pair from 32 secret bytes (clamped inside scalar multiplication). */
export function boxKeyPairFromSecretKey(secretKey: Uint8Array): BoxKeyPair {
  expectBytes(secretKey, KEY_BYTES, "secret key");
  const kp = nacl.box.keyPair.fromSecretKey(secretKey);
  return { publicKey: kp.publicKey, secretKey: kp.secretKey };
}

/** Raw X25519 scalar multiplication (the shared secret before HSalsa20). */
export function x25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  expectBytes(secretKey, KEY_BYTES, "secret key");
  expectBytes(publicKey, KEY_BYTES, "public key");
  return nacl.scalarMult(secretKey, publicKey);
}

/** Ed25519 key pair from a 32-byte seed. */
export function signKeyPairFromSeed(seed: Uint8Array): SignKeyPair {
  expectBytes(seed, KEY_BYTES, "signing seed");
  const kp = nacl.sign.keyPair.fromSeed(seed);
  return { publicKey: kp.publicKey, secretKey: kp.secretKey };
}

export function signDetached(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  expectBytes(secretKey, 64, "signing secret key");
  return nacl.sign.detached(message, secretKey);
}

export function verifyDetached(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  expectBytes(signature, SIGNATURE_BYTES, "signature");
  expectBytes(publicKey, KEY_BYTES, "signing public key");
  return nacl.sign.detached.verify(message, signature, publicKey);
}

export function sha512(data: Uint8Array): Uint8Array {
  return nacl.hash(data);
}

/** Constant-time equality for equal-length secrets (different lengths compare unequal). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length || a.length === 0) return a.length === b.length;
  return nacl.verify(a, b);
}

const SIGMA = new Uint8Array([
  101, 120, 112, 97, 110, 100, 32, 51, 50, 45, 98, 121, 116, 101, 32, 107,
]);
interface LowLevel {
  crypto_core_hsalsa20(out: Uint8Array, input: Uint8Array, key: Uint8Array, c: Uint8Array): number;
  crypto_secretbox(c: Uint8Array, m: Uint8Array, d: number, n: Uint8Array, k: Uint8Array): number;
  crypto_secretbox_open(
    m: Uint8Array,
    c: Uint8Array,
    d: number,
    n: Uint8Array,
    k: Uint8Array,
  ): number;
}

/**
 * crypto_box's precomputed key from a raw X25519 shared secret: HSalsa20(shared, 0^16), exactly
 * what `box.before` does after its scalar multiplication. Lets a native X25519 (WebCrypto) do the
 * expensive step while the result stays byte-identical to tweetnacl's box.
 */
export function boxKeyFromSharedSecret(shared: Uint8Array): Uint8Array {
  expectBytes(shared, KEY_BYTES, "shared secret");
  const out = new Uint8Array(32);
  (nacl as unknown as { lowlevel: LowLevel }).lowlevel.crypto_core_hsalsa20(
    out,
    new Uint8Array(16),
    shared,
    SIGMA,
  );
  return out;
}
