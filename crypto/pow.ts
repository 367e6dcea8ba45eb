/**
 * Stateless proof of work against form floods.
 *
 * Challenge (58 bytes, sent as base64url, 78 characters):
 *   0x71 ‖ id (16 random bytes) ‖ difficulty (u8) ‖ expires-at ms (u64 BE) ‖
 *   HMAC-SHA256(server secret, the preceding 26 bytes)
 * Solution: an 8-byte nonce (base64url, 11 characters) such that SHA-256(challenge ‖ nonce) starts
 * with `difficulty` zero bits. The server keeps no state until a solution arrives; it then records
 * the id as spent until the expiry so each challenge is accepted once.
 */
import {
  base64urlDecode,
  base64urlEncode,
  concatBytes,
  expectBytes,
  readUintBE,
  uintBE,
} from "./bytes";
import { CryptoError, ensure } from "./errors";
import { TAG } from "./formats";
import { constantTimeEqual } from "./nacl";
import { draw, type RandomSource } from "./random";
import { POW_SIMD_WASM } from "./pow-wasm";
import { hmacSha256, sha256, sha256Compress, sha256InitialState } from "./sha256";

/**
 * Default difficulty: 2^19 ≈ 524k expected hashes. scripts/bench-crypto.ts measured the JavaScript
 * solver at 0.3-0.69 M hashes/s in Chromium with 4× CPU throttling (our stand-in for a mid phone),
 * 0.76-1.7 s expected; the SIMD WebAssembly search (four counters at once) is ≈6× that (the number
 * of tries is geometric: 1 in 20 solves takes over 3× the mean). The server raises it under flood;
 * each extra bit doubles the cost.
 */
export const DEFAULT_POW_DIFFICULTY = 19;
export const MAX_POW_DIFFICULTY = 32;
const MIN_SECRET_BYTES = 32;
const ID_BYTES = 16;
const SIGNED_BYTES = 1 + ID_BYTES + 1 + 8;
export const POW_CHALLENGE_BYTES = SIGNED_BYTES + 32;
const NONCE_BYTES = 8;

export interface PowChallenge {
  /** base64url of the 16-byte id: the single-use key for the spent-id store */
  readonly id: string;
  readonly difficulty: number;
  readonly expiresAtMs: number;
}

/** Server-side single-use store (backed by a DB table with a unique id column). */
export interface PowSpentStore {
  isSpent(id: string): boolean | Promise<boolean>;
  /**
   * Records `id` as spent until `expiresAtMs` (rows may be deleted after that). May return
   * `false` when the id was recorded concurrently (e.g. unique-constraint conflict): the
   * verification then fails as `replayed`.
   */
  markSpent(id: string, expiresAtMs: number): void | boolean | Promise<void | boolean>;
}

function checkSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array))
    throw new CryptoError("bad_input", "PoW secret must be bytes");
  ensure(secret.length >= MIN_SECRET_BYTES, "bad_length", "PoW secret must be at least 32 bytes");
}

/** Random: id (16). */
export function issuePowChallenge(input: {
  readonly secret: Uint8Array;
  readonly nowMs: number;
  readonly ttlMs: number;
  readonly difficulty?: number;
  readonly random?: RandomSource | undefined;
}): string {
  checkSecret(input.secret);
  const difficulty = input.difficulty ?? DEFAULT_POW_DIFFICULTY;
  ensure(
    Number.isInteger(difficulty) && difficulty >= 1 && difficulty <= MAX_POW_DIFFICULTY,
    "bad_input",
    "difficulty must be 1-32",
  );
  ensure(Number.isSafeInteger(input.ttlMs) && input.ttlMs > 0, "bad_input", "ttl must be positive");
  const signed = concatBytes(
    new Uint8Array([TAG.POW_CHALLENGE_V1]),
    draw(input.random, ID_BYTES),
    new Uint8Array([difficulty]),
    uintBE(input.nowMs + input.ttlMs, 8),
  );
  return base64urlEncode(concatBytes(signed, hmacSha256(input.secret, signed)));
}

function decodeChallengeBytes(challenge: string): Uint8Array {
  if (typeof challenge !== "string")
    throw new CryptoError("bad_input", "challenge must be a string");
  ensure(challenge.length <= 2 * POW_CHALLENGE_BYTES, "oversize", "challenge too long");
  const bytes = base64urlDecode(challenge);
  ensure(bytes.length > 0, "truncated", "empty challenge");
  ensure(bytes[0] === TAG.POW_CHALLENGE_V1, "bad_version", "unknown challenge format");
  ensure(bytes.length >= POW_CHALLENGE_BYTES, "truncated", "challenge too short");
  ensure(bytes.length === POW_CHALLENGE_BYTES, "bad_length", "challenge too long");
  return bytes;
}

/**
 * Reads a challenge without checking its tag (the client does this to learn the difficulty).
 * Difficulty outside 1..32 is `bad_format`.
 */
export function parsePowChallenge(challenge: string): PowChallenge {
  const bytes = decodeChallengeBytes(challenge);
  const difficulty = bytes[1 + ID_BYTES]!;
  ensure(
    difficulty >= 1 && difficulty <= MAX_POW_DIFFICULTY,
    "bad_format",
    "difficulty out of range",
  );
  return {
    id: base64urlEncode(bytes.subarray(1, 1 + ID_BYTES)),
    difficulty,
    expiresAtMs: readUintBE(bytes, 2 + ID_BYTES, 8),
  };
}

function hasLeadingZeroBits(word0: number, difficulty: number): boolean {
  // difficulty ≤ 32, so only the first state word matters.
  return difficulty === 32 ? word0 === 0 : word0 >>> (32 - difficulty) === 0;
}

/** Which search loop solves: SIMD WebAssembly (four counters at once) or plain JavaScript. */
export type PowEngine = "simd-wasm" | "js";

type Scan = (lo: number, hi: number, mask: number, w15: number) => number;
let simd: { scan: Scan; mid: Int32Array } | null | undefined;

/**
 * The SIMD module (1 KB, scripts/gen-pow-wasm.mjs), compiled synchronously once — small enough
 * for a page's main thread — or null where WebAssembly, SIMD or the page's CSP
 * ('wasm-unsafe-eval') says no; the JavaScript loop then gives the same answers.
 */
function simdScan(): { scan: Scan; mid: Int32Array } | null {
  if (simd !== undefined) return simd;
  try {
    const module = new WebAssembly.Module(base64urlDecode(POW_SIMD_WASM) as BufferSource);
    const exports = new WebAssembly.Instance(module, {}).exports as {
      memory: WebAssembly.Memory;
      scan: Scan;
    };
    simd = { scan: exports.scan, mid: new Int32Array(exports.memory.buffer, 0, 8) };
  } catch {
    simd = null;
  }
  return simd;
}

/** The engine `solvePowSync` / `solvePow` use in this runtime. */
export function powEngine(): PowEngine {
  return simdScan() ? "simd-wasm" : "js";
}

/**
 * Searches counters [start, start + count) and returns the first that solves, or -1.
 * SHA-256(58-byte challenge ‖ 8-byte BE counter) spans two blocks: block one holds the challenge and
 * the counter's top 6 bytes and is compressed once per 65,536 counters (midstate); block two
 * holds the low 2 bytes plus fixed padding. Both engines return the same counter.
 */
function searchNonce(
  challenge: Uint8Array,
  difficulty: number,
  start: number,
  count: number,
  engine: PowEngine,
): number {
  const block1 = new Uint8Array(64);
  block1.set(challenge, 0);
  const bits = (POW_CHALLENGE_BYTES + NONCE_BYTES) * 8;
  const w = new Int32Array(64);
  const mid = new Int32Array(8);
  const wasm = engine === "simd-wasm" ? simdScan() : null;
  // Solved when state word 0's top `difficulty` bits are zero.
  const mask = difficulty === 32 ? -1 : ~((1 << (32 - difficulty)) - 1);
  const end = start + count;
  for (let n = start; n < end;) {
    const high = Math.floor(n / 65536);
    block1.set(uintBE(high, 6), POW_CHALLENGE_BYTES);
    mid.set(sha256InitialState());
    sha256Compress(mid, w, block1, 0);
    const stop = Math.min(end, (high + 1) * 65536);
    const base = high * 65536;
    const found = wasm
      ? (wasm.mid.set(mid), wasm.scan(n - base, stop - base, mask, bits))
      : scanJs(mid, w, n - base, stop - base, mask, bits);
    if (found >= 0) return base + found;
    n = stop;
  }
  return -1;
}

/** The JavaScript loop: the same contract as the WebAssembly `scan`, one counter at a time. */
function scanJs(
  mid: Int32Array,
  w: Int32Array,
  lo: number,
  hi: number,
  mask: number,
  bits: number,
): number {
  const block2 = new Uint8Array(64);
  block2[2] = 0x80;
  block2[62] = bits >>> 8;
  block2[63] = bits & 0xff;
  const state = new Int32Array(8);
  for (let n = lo; n < hi; n++) {
    block2[0] = (n >>> 8) & 0xff;
    block2[1] = n & 0xff;
    state.set(mid);
    sha256Compress(state, w, block2, 0);
    if ((state[0]! & mask) === 0) return n;
  }
  return -1;
}

const SLICE = 16384;

/**
 * Finds a solution. Works in slices and yields to the event loop between them so a page stays
 * responsive; pass `signal` to abort, `onProgress` to show hashes tried so far.
 */
export async function solvePow(
  challenge: string,
  options: { readonly signal?: AbortSignal; readonly onProgress?: (hashes: number) => void } = {},
): Promise<string> {
  const { difficulty } = parsePowChallenge(challenge);
  const bytes = decodeChallengeBytes(challenge);
  for (let start = 0; start < Number.MAX_SAFE_INTEGER; start += SLICE) {
    if (options.signal?.aborted) throw new CryptoError("bad_input", "proof of work aborted");
    const n = searchNonce(bytes, difficulty, start, SLICE, powEngine());
    if (n >= 0) return base64urlEncode(uintBE(n, NONCE_BYTES));
    options.onProgress?.(start + SLICE);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  throw new CryptoError("insufficient_work", "no solution found");
}

/**
 * Synchronous solver, for Web Workers, tests and tools. `engine: "js"` forces the JavaScript loop
 * (tests compare the two).
 */
export function solvePowSync(
  challenge: string,
  options: { readonly engine?: PowEngine } = {},
): string {
  const { difficulty } = parsePowChallenge(challenge);
  const bytes = decodeChallengeBytes(challenge);
  const engine = options.engine === "js" ? "js" : powEngine();
  for (let start = 0; start < Number.MAX_SAFE_INTEGER; start += SLICE) {
    const n = searchNonce(bytes, difficulty, start, SLICE, engine);
    if (n >= 0) return base64urlEncode(uintBE(n, NONCE_BYTES));
  }
  throw new CryptoError("insufficient_work", "no solution found");
}

/**
 * Server-side check, in this order: format → HMAC tag (`bad_signature`) → expiry (`expired`) →
 * work (`insufficient_work`) → single use (`replayed`). Marks the id spent only on success.
 */
export async function verifyPow(input: {
  readonly challenge: string;
  readonly solution: string;
  readonly secret: Uint8Array;
  readonly nowMs: number;
  readonly store: PowSpentStore;
}): Promise<PowChallenge> {
  checkSecret(input.secret);
  const bytes = decodeChallengeBytes(input.challenge);
  const tag = hmacSha256(input.secret, bytes.subarray(0, SIGNED_BYTES));
  ensure(
    constantTimeEqual(tag, bytes.subarray(SIGNED_BYTES)),
    "bad_signature",
    "challenge tag invalid",
  );
  const parsed = parsePowChallenge(input.challenge);
  ensure(input.nowMs <= parsed.expiresAtMs, "expired", "challenge expired");
  if (typeof input.solution !== "string")
    throw new CryptoError("bad_input", "solution must be a string");
  ensure(input.solution.length <= 16, "oversize", "solution too long");
  const nonce = base64urlDecode(input.solution);
  expectBytes(nonce, NONCE_BYTES, "solution");
  const digest = sha256(concatBytes(bytes, nonce));
  const word0 = (digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]! | 0;
  ensure(hasLeadingZeroBits(word0, parsed.difficulty), "insufficient_work", "solution too weak");
  ensure(!(await input.store.isSpent(parsed.id)), "replayed", "challenge already used");
  const marked = await input.store.markSpent(parsed.id, parsed.expiresAtMs);
  ensure(marked !== false, "replayed", "challenge already used");
  return parsed;
}
