/**
 * secretboxWithTag (crypto/nacl.ts, attachment chunks) is `tag ‖ secretbox(...)` byte for byte,
 * for every length, growing and shrinking through its kept working array; an answer already
 * returned is not touched by later calls, and the working array keeps no plaintext.
 */
import { describe, expect, it } from "vitest";
import { concatBytes } from "../../../crypto/bytes";
import { secretbox, secretboxOpen, secretboxWithTag } from "../../../crypto/nacl";

const bytes = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + 3) & 0xff);

describe("secretboxWithTag", () => {
  it("equals tag ‖ secretbox for every length, in a growing and shrinking order", () => {
    const key = bytes(32, 1);
    const nonce = bytes(24, 2);
    const lengths = [0, 1, 15, 16, 17, 31, 32, 33, 64, 65, 5000, 65536, 1, 70000, 0, 3000];
    const kept: { answer: Uint8Array; expected: Uint8Array }[] = [];
    for (const [n, len] of lengths.entries()) {
      const message = bytes(len, n);
      const tag = 0x50 + (n % 4);
      const expected = concatBytes(new Uint8Array([tag]), secretbox(message, nonce, key));
      const answer = secretboxWithTag(tag, message, nonce, key);
      expect(answer.length).toBe(1 + 16 + len);
      expect(Buffer.from(answer).equals(Buffer.from(expected))).toBe(true);
      expect(Array.from(secretboxOpen(answer.subarray(1), nonce, key)!)).toEqual(
        Array.from(message),
      );
      kept.push({ answer, expected });
    }
    for (const k of kept) expect(Buffer.from(k.answer).equals(Buffer.from(k.expected))).toBe(true);
  });

  it("checks nonce and key lengths like secretbox", () => {
    expect(() => secretboxWithTag(1, bytes(10, 1), bytes(23, 2), bytes(32, 3))).toThrow();
    expect(() => secretboxWithTag(1, bytes(10, 1), bytes(24, 2), bytes(31, 3))).toThrow();
  });
});
