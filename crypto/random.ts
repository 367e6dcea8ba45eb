/**
 * Randomness is injectable everywhere a function draws it, so known-answer vectors are exact. In
 * production the default is the platform CSPRNG (`crypto.getRandomValues`, in Node 20 and browsers).
 */
import { CryptoError } from "./errors";

/** Returns `n` fresh random bytes. */
export type RandomSource = (n: number) => Uint8Array;

const MAX_GET_RANDOM_VALUES = 65536;

export const systemRandom: RandomSource = (n) => {
  const out = new Uint8Array(n);
  const c = globalThis.crypto;
  if (!c || typeof c.getRandomValues !== "function") {
    throw new CryptoError("bad_input", "no crypto.getRandomValues in this runtime");
  }
  for (let at = 0; at < n; at += MAX_GET_RANDOM_VALUES) {
    c.getRandomValues(out.subarray(at, Math.min(n, at + MAX_GET_RANDOM_VALUES)));
  }
  return out;
};

/**
 * A RandomSource that takes `block` bytes from `source` at a time and hands them out in order,
 * each byte once (zeroed in the block as it goes), for servers drawing many short values — a CSP
 * nonce and a reply challenge id on every status look-up, each its own CSPRNG call before
 * (issue 13, item 2). Requests longer than `block` go to `source` directly. The bytes are the
 * CSPRNG's either way; only the number of calls into it changes.
 */
export function pooledRandom(block = 4096, source: RandomSource = systemRandom): RandomSource {
  let pool: Uint8Array = new Uint8Array(0);
  let at = 0;
  return (n) => {
    if (n > block) return source(n);
    if (at + n > pool.length) {
      pool = source(block);
      at = 0;
    }
    const out = pool.slice(at, at + n);
    pool.fill(0, at, at + n);
    at += n;
    return out;
  };
}

/** Draws `n` bytes from `random` and checks that the source kept its contract. */
export function draw(random: RandomSource | undefined, n: number): Uint8Array {
  const out = (random ?? systemRandom)(n);
  if (!(out instanceof Uint8Array) || out.length !== n) {
    throw new CryptoError("bad_input", `random source returned the wrong number of bytes`);
  }
  return out;
}

/**
 * A RandomSource that replays fixed bytes in order — for known-answer vectors only. Throws when the
 * bytes run out, so a vector that needs more randomness than recorded fails loudly.
 */
export function fixedRandom(bytes: Uint8Array): RandomSource & { remaining(): number } {
  let at = 0;
  const source = (n: number): Uint8Array => {
    if (at + n > bytes.length) throw new CryptoError("bad_input", "fixed random bytes exhausted");
    const out = bytes.slice(at, at + n);
    at += n;
    return out;
  };
  return Object.assign(source, { remaining: () => bytes.length - at });
}
