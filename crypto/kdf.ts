/**
 * Key derivation: argon2id for human secrets (receipts, staff passphrases) and HMAC-SHA256 for
 * domain-separated subkeys of random keys. See docs/decisions/002-argon2id-implementation.md.
 */
import setupArgon2 from "argon2id/lib/setup.js";
import {
  argon2idBegin,
  argon2idFillLane,
  argon2idFinish,
  argon2idLanesAvailable,
  argon2idPrepare,
  argon2idRelease,
  type Argon2LaneJob,
} from "./argon2-lanes";
import { ARGON2_PLAIN_WASM, ARGON2_SIMD_WASM } from "./argon2-wasm";
import { base64urlDecode, utf8Encode } from "./bytes";
import { CryptoError, ensure } from "./errors";
import { hmacSha256 } from "./sha256";

export interface Argon2Params {
  /** memory cost m in KiB */
  readonly memoryKiB: number;
  /** time cost t (passes) */
  readonly iterations: number;
  /** lanes p */
  readonly parallelism: number;
}

/**
 * Receipt → keys, by receipt KDF version. The parameters are not stored anywhere (a tipster has
 * only the 16 digits), so each version's values are fixed forever; the status page derives with
 * the newest version first and falls back to older ones (docs/crypto.md §3,
 * docs/decisions/013-receipt-kdf-v2.md).
 *
 * v1: 46 MiB, 2 passes (2.4× OWASP's minimum memory).
 * v2: 64 MiB, 3 passes — RFC 9106's second recommended option (there with 4 lanes; one lane here,
 *     the same work on a phone's single thread). About 2× the work of v1: 1.4-2.2 s at 4× CPU
 *     throttling, over the 1.5 s budget (docs/decisions/023-receipt-kdf-v3.md).
 * v3: 64 MiB, 2 passes, 2 lanes — v2's memory, two thirds of its work (1.4× v1). Two lanes cost
 *     the same as one on a single thread (measured) and let a two-thread build halve the time
 *     later without another version. New receipts use v3.
 */
export const RECEIPT_KDF_VERSIONS = Object.freeze({
  1: Object.freeze({ memoryKiB: 47104, iterations: 2, parallelism: 1 }),
  2: Object.freeze({ memoryKiB: 65536, iterations: 3, parallelism: 1 }),
  3: Object.freeze({ memoryKiB: 65536, iterations: 2, parallelism: 2 }),
} as const satisfies Record<number, Argon2Params>);
export type ReceiptKdfVersion = keyof typeof RECEIPT_KDF_VERSIONS;
/** The version new receipts use. */
export const CURRENT_RECEIPT_KDF_VERSION: ReceiptKdfVersion = 3;
/** Versions to try when opening a receipt, newest first. */
export const RECEIPT_KDF_TRY_ORDER: readonly ReceiptKdfVersion[] = Object.freeze([3, 2, 1]);
/** The parameters of new receipts. */
export const RECEIPT_KDF: Argon2Params = RECEIPT_KDF_VERSIONS[CURRENT_RECEIPT_KDF_VERSION];

/** Staff passphrase → wrapping key. Laptops, once per session: 64 MiB, 3 passes. */
export const STAFF_PASSPHRASE_KDF: Argon2Params = Object.freeze({
  memoryKiB: 65536,
  iterations: 3,
  parallelism: 1,
});

/**
 * Deliberately weak parameters for property tests only. Functions accept them solely through an
 * option named `unsafeTestKdf`, so production code cannot pick them up by accident.
 */
export const UNSAFE_TEST_KDF: Argon2Params = Object.freeze({
  memoryKiB: 64,
  iterations: 1,
  parallelism: 1,
});

/** Bounds accepted when reading parameters from a stored blob (protects against DoS values). */
export const ARGON2_LIMITS = Object.freeze({
  maxMemoryKiB: 1048576,
  maxIterations: 64,
  maxParallelism: 16,
});

export function validateArgon2Params(p: Argon2Params): void {
  const ok =
    Number.isInteger(p.memoryKiB) &&
    Number.isInteger(p.iterations) &&
    Number.isInteger(p.parallelism) &&
    p.parallelism >= 1 &&
    p.parallelism <= ARGON2_LIMITS.maxParallelism &&
    p.iterations >= 1 &&
    p.iterations <= ARGON2_LIMITS.maxIterations &&
    p.memoryKiB >= 8 * p.parallelism &&
    p.memoryKiB <= ARGON2_LIMITS.maxMemoryKiB;
  ensure(ok, "bad_format", "argon2id parameters out of bounds");
}

/** True when `p` is at least as costly as `floor` in every dimension that matters. */
export function meetsFloor(p: Argon2Params, floor: Argon2Params): boolean {
  return p.memoryKiB >= floor.memoryKiB && p.iterations >= floor.iterations;
}

/**
 * argon2id from the `argon2id` package (WebAssembly, SIMD where the engine has it, else its plain
 * build). A fresh instance — and so fresh WebAssembly memory — per call: the memory (tens of MiB)
 * is garbage once the call returns instead of staying reserved for the life of the page or server.
 */
function instantiate(b64: string) {
  return (imports: WebAssembly.Imports) =>
    WebAssembly.instantiate(base64urlDecode(b64) as BufferSource, imports);
}

/**
 * Other threads that can each fill one lane of a derivation (a browser worker's helper workers):
 * `run(job, lane)` posts the job (its memory is shared) and resolves once that lane is filled.
 */
export interface Argon2LaneHelpers {
  /** how many lanes besides this thread's own the helpers can fill at once */
  readonly threads: number;
  run(job: Argon2LaneJob, lane: number): Promise<void>;
}

let laneHelpers: Argon2LaneHelpers | null = null;
let lastThreads = 1;

/** How many threads the last argon2idBytes call of this realm used (1, or its lanes). */
export function argon2idLastThreads(): number {
  return lastThreads;
}
let threadedQueue: Promise<unknown> = Promise.resolve();

/**
 * Lets argon2idBytes compute the lanes of a multi-lane derivation (receipt KDF v3: p = 2) on
 * several threads. Set once by the page's worker when the page is cross-origin isolated; without
 * it (Node, a page that is not isolated) every lane runs on the calling thread. Same bytes.
 */
export function useArgon2LaneHelpers(helpers: Argon2LaneHelpers | null): void {
  laneHelpers = helpers;
}

/** Lanes 1… on the helpers, lane 0 here, meeting at every slice boundary (crypto/argon2-lanes.ts). */
async function argon2idThreaded(
  helpers: Argon2LaneHelpers,
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
  length: number,
): Promise<Uint8Array> {
  const job = argon2idBegin(password, salt, params, length);
  const control = new Int32Array(job.memory.buffer, job.controlOffset, 2);
  const others: Promise<void>[] = [];
  for (let lane = 1; lane < params.parallelism; lane++) {
    const other = helpers.run(job, lane).catch((err: unknown) => {
      Atomics.store(control, 1, 1); // the lanes waiting at a boundary give up now
      Atomics.notify(control, 0);
      throw err;
    });
    other.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    others.push(other);
  }
  try {
    await argon2idFillLane(job, 0);
    await Promise.all(others);
    const tag = argon2idFinish(job, length);
    argon2idRelease(job); // all zeros again: the next derivation may take it
    return tag;
  } catch (err) {
    await Promise.allSettled(others);
    new Uint8Array(job.memory.buffer).fill(0);
    throw err;
  }
}

/**
 * Gets a threaded derivation with `params` ready before it is needed — the page's worker calls it
 * once its lane helpers are up, while the resident is still typing: the shared memory allocated
 * and faulted in (crypto/argon2-lanes.ts, `argon2idPrepare`), and a small derivation on the same
 * threads so that every thread has compiled and instantiated the block function and the engine
 * has optimised it (WebAssembly starts in a baseline tier). Same bytes either way; a failure here
 * only means the real derivation pays these costs itself.
 */
export async function prepareArgon2Lanes(params: Argon2Params): Promise<void> {
  const helpers = laneHelpers;
  if (!helpers || params.parallelism < 2 || !argon2idLanesAvailable()) return;
  try {
    await argon2idPrepare(params);
  } catch {
    return; // memory refused now: the derivation will ask again, and fall back if it must
  }
  const warm: Argon2Params = { memoryKiB: 4096, iterations: 1, parallelism: params.parallelism };
  const run = threadedQueue.then(() =>
    argon2idThreaded(helpers, WARM_PASSWORD, WARM_SALT, warm, 32),
  );
  threadedQueue = run.catch(() => undefined);
  await run.then(
    () => undefined,
    () => undefined,
  );
}
const WARM_PASSWORD = new Uint8Array(16);
const WARM_SALT = new Uint8Array(16);

/** argon2id (RFC 9106, version 0x13) → `length` bytes. */
export async function argon2idBytes(
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
  length: number,
): Promise<Uint8Array> {
  validateArgon2Params(params);
  ensure(salt.length >= 8, "bad_length", "argon2id salt must be at least 8 bytes");
  const helpers = laneHelpers;
  if (
    helpers &&
    params.parallelism > 1 &&
    params.parallelism - 1 <= helpers.threads &&
    argon2idLanesAvailable()
  ) {
    // One threaded derivation at a time: a second one's lanes would queue behind the first's on
    // the same helper threads. If the threads fail (a helper that died, memory refused), the same
    // bytes come from the single-thread path below.
    const run = threadedQueue.then(() => argon2idThreaded(helpers, password, salt, params, length));
    threadedQueue = run.catch(() => undefined);
    try {
      const out = await run;
      lastThreads = params.parallelism;
      return out;
    } catch {
      // fall through
    }
  }
  lastThreads = 1;
  try {
    const argon2id = await setupArgon2(
      instantiate(ARGON2_SIMD_WASM),
      instantiate(ARGON2_PLAIN_WASM),
    );
    return argon2id({
      password,
      salt,
      passes: params.iterations,
      parallelism: params.parallelism,
      memorySize: params.memoryKiB,
      tagLength: length,
    });
  } catch (err) {
    if (err instanceof CryptoError) throw err;
    throw new CryptoError(
      "bad_input",
      "argon2id failed (WebAssembly unavailable or out of memory?)",
    );
  }
}

/** Encoded labels (bulk opening derives two subkeys per tip); hmacSha256 only reads them. */
const LABEL_BYTES = new Map<string, Uint8Array>();

/**
 * Domain-separated 32-byte subkey: HMAC-SHA256(key, label). Labels are fixed ASCII strings
 * starting with "crosswatch/v1/", listed in docs/crypto.md.
 */
export function deriveSubkey(key: Uint8Array, label: string): Uint8Array {
  let bytes = LABEL_BYTES.get(label);
  if (!bytes) {
    bytes = utf8Encode(label);
    // The labels are a handful of constants; the bound only guards against a caller's own.
    if (LABEL_BYTES.size < 64) LABEL_BYTES.set(label, bytes);
  }
  return hmacSha256(key, bytes);
}
