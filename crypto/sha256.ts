/**
 * SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104) in plain TypeScript.
 *
 * Why not hash-wasm or WebCrypto: both are async, and the proof-of-work solver hashes millions of
 * short messages where a per-call promise costs more than the hash; a synchronous implementation
 * also lets `authLookupHash` and key derivation stay synchronous, and keeps the client bundle free
 * of a second WASM module. One implementation serves Node and browsers; vectors pin it.
 */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const IV = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** Initial hash state (8 words). */
export function sha256InitialState(): Int32Array {
  return new Int32Array(IV);
}

/**
 * One compression: updates `state` with the 64-byte block at `block[offset..offset+64]`.
 * `w` is a caller-owned 64-word scratch array, so hot loops allocate nothing.
 */
export function sha256Compress(
  state: Int32Array,
  w: Int32Array,
  block: Uint8Array,
  offset: number,
): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + 4 * i;
    w[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

export function sha256StateToBytes(
  state: Int32Array,
  out: Uint8Array = new Uint8Array(32),
): Uint8Array {
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = (v >>> 16) & 0xff;
    out[4 * i + 2] = (v >>> 8) & 0xff;
    out[4 * i + 3] = v & 0xff;
  }
  return out;
}

/** SHA-256 of `data` (one shot). */
export function sha256(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  finishSha256(sha256InitialState(), data, 0, out, new Int32Array(64), new Uint8Array(128));
  return out;
}

// Scratch space for `hmacSha256`: it runs twice per opened tip (10,000 tips in an inbox), and a
// fresh set of arrays per call was most of its cost (allocation and garbage collection, not the
// hashing). Synchronous and not re-entrant, so one set serves every call; key material is wiped
// before returning.
const HMAC_STATE = new Int32Array(8);
const HMAC_W = new Int32Array(64);
const HMAC_PAD = new Uint8Array(64);
const HMAC_TAIL = new Uint8Array(128);
const HMAC_INNER = new Uint8Array(32);

/**
 * Hashes `data` into `state`, which has already absorbed `prefixBytes` (a multiple of 64), and
 * writes the digest to `out`; `w` (64 words) and `tail` (128 bytes) are its working space.
 */
function finishSha256(
  state: Int32Array,
  data: Uint8Array,
  prefixBytes: number,
  out: Uint8Array,
  w: Int32Array = HMAC_W,
  tail: Uint8Array = HMAC_TAIL,
): void {
  const full = data.length - (data.length % 64);
  for (let at = 0; at < full; at += 64) sha256Compress(state, w, data, at);
  const restLen = data.length - full;
  const tailLen = restLen < 56 ? 64 : 128;
  tail.fill(0, 0, tailLen);
  tail.set(data.subarray(full), 0);
  tail[restLen] = 0x80;
  const bitLen = (prefixBytes + data.length) * 8;
  const hi = Math.floor(bitLen / 0x100000000);
  const lo = bitLen >>> 0;
  tail[tailLen - 8] = hi >>> 24;
  tail[tailLen - 7] = (hi >>> 16) & 0xff;
  tail[tailLen - 6] = (hi >>> 8) & 0xff;
  tail[tailLen - 5] = hi & 0xff;
  tail[tailLen - 4] = lo >>> 24;
  tail[tailLen - 3] = (lo >>> 16) & 0xff;
  tail[tailLen - 2] = (lo >>> 8) & 0xff;
  tail[tailLen - 1] = lo & 0xff;
  for (let at = 0; at < tailLen; at += 64) sha256Compress(state, w, tail, at);
  sha256StateToBytes(state, out);
}

/** HMAC-SHA256 (RFC 2104); keys longer than 64 bytes are hashed first. */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = key.length > 64 ? sha256(key) : key;
  const pad = HMAC_PAD;
  const state = HMAC_STATE;
  const out = new Uint8Array(32);
  try {
    // inner: H((K ^ ipad) ‖ message)
    pad.fill(0x36);
    for (let i = 0; i < k.length; i++) pad[i] = k[i]! ^ 0x36;
    state.set(IV);
    sha256Compress(state, HMAC_W, pad, 0);
    finishSha256(state, message, 64, HMAC_INNER);
    // outer: H((K ^ opad) ‖ inner)
    pad.fill(0x5c);
    for (let i = 0; i < k.length; i++) pad[i] = k[i]! ^ 0x5c;
    state.set(IV);
    sha256Compress(state, HMAC_W, pad, 0);
    finishSha256(state, HMAC_INNER, 64, out);
  } finally {
    pad.fill(0);
    state.fill(0);
    HMAC_W.fill(0);
    HMAC_TAIL.fill(0);
    HMAC_INNER.fill(0);
  }
  return out;
}
