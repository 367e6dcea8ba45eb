import { expect } from "vitest";
import { isCryptoError, type CryptoErrorCode } from "../../../crypto/index";
import { errorCode } from "../../support/crypto-vector-suite";

export { errorCode };

export async function expectCode(fn: () => unknown, code: CryptoErrorCode): Promise<void> {
  expect(await errorCode(fn)).toBe(code);
}

/** Asserts that `fn` throws a CryptoError (any code) — never succeeds, never throws untyped. */
export async function expectTypedRejection(fn: () => unknown, what: string): Promise<void> {
  let thrown: unknown = undefined;
  let succeeded = false;
  try {
    await fn();
    succeeded = true;
  } catch (e) {
    thrown = e;
  }
  expect(succeeded, `${what}: accepted`).toBe(false);
  expect(isCryptoError(thrown), `${what}: untyped ${String(thrown)}`).toBe(true);
}

export function flipByte(blob: Uint8Array, index: number, mask = 0xff): Uint8Array {
  const out = blob.slice();
  out[index] = out[index]! ^ mask;
  return out;
}

/** Every index for blobs up to `limit` bytes; otherwise all of the first 128, then every `step`. */
export function positions(length: number, limit = 1200, step = 97): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    if (length <= limit || i < 128 || i % step === 0 || i >= length - 32) out.push(i);
  }
  return out;
}
