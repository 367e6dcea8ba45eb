/**
 * Byte helpers shared by every format: concatenation, big-endian integers, strict UTF-8, hex and
 * base64url. No Buffer, no atob: the same code runs in Node and in browsers.
 */
import { CryptoError, ensure } from "./errors";

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** Throws `bad_length` unless `value` is a Uint8Array of exactly `length` bytes. */
export function expectBytes(value: unknown, length: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new CryptoError("bad_input", `${what} must be bytes`);
  ensure(value.length === length, "bad_length", `${what} must be ${length} bytes`);
  return value;
}

export function u16be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 8) & 0xff, n & 0xff]);
}

export function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

export function readU16be(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

export function readU32be(b: Uint8Array, at: number): number {
  return (
    (((b[at] ?? 0) << 24) |
      ((b[at + 1] ?? 0) << 16) |
      ((b[at + 2] ?? 0) << 8) |
      (b[at + 3] ?? 0)) >>>
    0
  );
}

/** Big-endian unsigned integer of `width` bytes (≤ 8); `n` must be a safe non-negative integer. */
export function uintBE(n: number, width: number): Uint8Array {
  ensure(Number.isSafeInteger(n) && n >= 0, "bad_input", "integer out of range");
  const out = new Uint8Array(width);
  let rest = n;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  ensure(rest === 0, "bad_input", `integer does not fit in ${width} bytes`);
  return out;
}

/** Reads a big-endian unsigned integer; throws `bad_format` above 2^53 - 1. */
export function readUintBE(b: Uint8Array, at: number, width: number): number {
  let n = 0;
  for (let i = 0; i < width; i++) n = n * 256 + (b[at + i] ?? 0);
  ensure(Number.isSafeInteger(n), "bad_format", "integer above 2^53 - 1");
  return n;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Strict UTF-8 decode: invalid sequences throw `bad_format` instead of becoming U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new CryptoError("bad_format", "invalid UTF-8");
  }
}

const HEX = "0123456789abcdef";

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}

export function fromHex(hex: string): Uint8Array {
  ensure(typeof hex === "string" && hex.length % 2 === 0, "bad_format", "hex has odd length");
  ensure(/^[0-9a-fA-F]*$/.test(hex), "bad_format", "not hex");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_INDEX[B64URL.charCodeAt(i)] = i;

/** RFC 4648 §5 base64url without padding. */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]! + B64URL[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Strict base64url decode: no padding, no whitespace, no standard-alphabet `+/`, and the unused
 * low bits of the last character must be zero, so every byte string has exactly one encoding.
 */
export function base64urlDecode(text: string): Uint8Array {
  ensure(typeof text === "string", "bad_input", "base64url input must be a string");
  ensure(text.length % 4 !== 1, "bad_format", "impossible base64url length");
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64URL_INDEX[c]! : -1;
    ensure(v >= 0, "bad_format", "invalid base64url character");
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  ensure((acc & ((1 << bits) - 1)) === 0, "bad_format", "non-canonical base64url");
  return out;
}
