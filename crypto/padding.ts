/**
 * Length hiding: plaintext → 4-byte big-endian length ‖ plaintext ‖ zero bytes, total length the
 * smallest power of two ≥ the bucket minimum that fits. The padded size reveals only the bucket.
 */
import { readU32be, u32be } from "./bytes";
import { ensure } from "./errors";

export interface PaddingScheme {
  /** smallest bucket (power of two) */
  readonly minBucket: number;
  /** largest bucket (power of two); larger plaintexts are refused with `oversize` */
  readonly maxBucket: number;
}

/** Tip payloads: 1 KiB, 2 KiB, … 1 MiB (11 buckets). */
export const PAYLOAD_PADDING: PaddingScheme = Object.freeze({
  minBucket: 1024,
  maxBucket: 1 << 20,
});
/** Messages, notes and identity blocks: 256 B, 512 B, … 64 KiB (9 buckets). */
export const MESSAGE_PADDING: PaddingScheme = Object.freeze({ minBucket: 256, maxBucket: 1 << 16 });
/** Attachment headers: 256 B, 512 B, 1 KiB. */
export const HEADER_PADDING: PaddingScheme = Object.freeze({ minBucket: 256, maxBucket: 1024 });

const LENGTH_PREFIX = 4;

/** Largest plaintext the scheme accepts. */
export function maxPlaintext(scheme: PaddingScheme): number {
  return scheme.maxBucket - LENGTH_PREFIX;
}

export function bucketFor(length: number, scheme: PaddingScheme): number {
  const need = length + LENGTH_PREFIX;
  ensure(need <= scheme.maxBucket, "oversize", `plaintext above ${maxPlaintext(scheme)} bytes`);
  let bucket = scheme.minBucket;
  while (bucket < need) bucket *= 2;
  return bucket;
}

export function pad(data: Uint8Array, scheme: PaddingScheme): Uint8Array {
  const out = new Uint8Array(bucketFor(data.length, scheme));
  out.set(u32be(data.length), 0);
  out.set(data, LENGTH_PREFIX);
  return out;
}

function isBucket(n: number, scheme: PaddingScheme): boolean {
  for (let b = scheme.minBucket; b <= scheme.maxBucket; b *= 2) if (b === n) return true;
  return false;
}

/** Reverses `pad`; rejects sizes that are not buckets, impossible lengths and non-zero padding. */
export function unpad(padded: Uint8Array, scheme: PaddingScheme): Uint8Array {
  ensure(isBucket(padded.length, scheme), "bad_length", "padded size is not a bucket");
  const length = readU32be(padded, 0);
  ensure(length <= padded.length - LENGTH_PREFIX, "bad_format", "length prefix too large");
  let nonZero = 0;
  for (let i = LENGTH_PREFIX + length; i < padded.length; i++) nonZero |= padded[i]!;
  ensure(nonZero === 0, "bad_format", "padding bytes are not zero");
  return padded.slice(LENGTH_PREFIX, LENGTH_PREFIX + length);
}
