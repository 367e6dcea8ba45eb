/**
 * Key derivation: argon2id for human secrets (receipts, staff passphrases) and HMAC-SHA256 for
 * domain-separated subkeys of random keys. See docs/decisions/002-argon2id-implementation.md.
 */
import { argon2id } from "hash-wasm";
import { utf8Encode } from "./bytes";
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
 * Receipt → keys. 46 MiB and 2 passes: 2.4× OWASP's minimum memory at the same pass count
 * (m=19 MiB, t=2), measured ≈0.7 s in Chromium at 4× CPU throttling (budget 1.5 s) while staying
 * small enough for 2 GB Android phones. Every tipster of a site uses the same parameters.
 */
export const RECEIPT_KDF: Argon2Params = Object.freeze({
  memoryKiB: 47104,
  iterations: 2,
  parallelism: 1,
});

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

/** argon2id (RFC 9106, version 0x13) → `length` bytes. */
export async function argon2idBytes(
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
  length: number,
): Promise<Uint8Array> {
  validateArgon2Params(params);
  ensure(salt.length >= 8, "bad_length", "argon2id salt must be at least 8 bytes");
  try {
    return await argon2id({
      password,
      salt,
      iterations: params.iterations,
      parallelism: params.parallelism,
      memorySize: params.memoryKiB,
      hashLength: length,
      outputType: "binary",
    });
  } catch (err) {
    if (err instanceof CryptoError) throw err;
    throw new CryptoError(
      "bad_input",
      "argon2id failed (WebAssembly unavailable or out of memory?)",
    );
  }
}

/**
 * Domain-separated 32-byte subkey: HMAC-SHA256(key, label). Labels are fixed ASCII strings
 * starting with "crosswatch/v1/", listed in docs/crypto.md.
 */
export function deriveSubkey(key: Uint8Array, label: string): Uint8Array {
  return hmacSha256(key, utf8Encode(label));
}
