/**
 * Deterministic randomness for crypto vectors. `recordingRandom(label)` expands a label with
 * SHA-512 in counter mode and remembers what it handed out, so the generator can store the exact
 * bytes in the vector; tests then replay those bytes with `fixedRandom`.
 */
import { concatBytes, fromHex, sha256, toHex, utf8Encode } from "../../crypto/index";

export interface RecordingRandom {
  (n: number): Uint8Array;
  consumedHex(): string;
}

export function recordingRandom(label: string): RecordingRandom {
  let counter = 0;
  let pool: Uint8Array = new Uint8Array(0);
  const consumed: Uint8Array[] = [];
  const source = (n: number): Uint8Array => {
    while (pool.length < n) {
      const block = sha256(utf8Encode(`crosswatch vectors/${label}/${counter++}`));
      pool = concatBytes(pool, block);
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    consumed.push(out);
    return out;
  };
  return Object.assign(source, { consumedHex: () => toHex(concatBytes(...consumed)) });
}

/** Deterministic test bytes: data[i] = (i * 31 + 7) mod 256. */
export function patternBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

export { fromHex };
