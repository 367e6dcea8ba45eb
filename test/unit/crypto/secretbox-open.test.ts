/**
 * secretboxOpen keeps its working arrays between calls (crypto/nacl.ts): every length, growing
 * and shrinking, opens to the sealed message; a changed byte anywhere is refused; an answer
 * already returned is not touched by later calls.
 */
import { describe, expect, it } from "vitest";
import { secretbox, secretboxOpen } from "../../../crypto/nacl";

const bytes = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + 3) & 0xff);

describe("secretboxOpen with reused working arrays", () => {
  it("opens every length, in a growing and shrinking order, and keeps earlier answers", () => {
    const key = bytes(32, 1);
    const nonce = bytes(24, 2);
    const lengths = [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 200, 5000, 1, 1065, 0, 3000, 48];
    const kept: { answer: Uint8Array; message: Uint8Array }[] = [];
    for (const [n, len] of lengths.entries()) {
      const message = bytes(len, n);
      const answer = secretboxOpen(secretbox(message, nonce, key), nonce, key);
      expect(answer).not.toBeNull();
      expect(Array.from(answer!)).toEqual(Array.from(message));
      kept.push({ answer: answer!, message });
    }
    for (const k of kept) expect(Array.from(k.answer)).toEqual(Array.from(k.message));
  });

  it("refuses a changed byte, a wrong key or nonce, and a box shorter than its tag", () => {
    const key = bytes(32, 3);
    const nonce = bytes(24, 4);
    const message = bytes(100, 5);
    const box = secretbox(message, nonce, key);
    for (let i = 0; i < box.length; i++) {
      const bad = box.slice();
      bad[i] = bad[i]! ^ 0x01;
      expect(secretboxOpen(bad, nonce, key)).toBeNull();
      // and the next honest call still opens
      expect(Array.from(secretboxOpen(box, nonce, key)!)).toEqual(Array.from(message));
    }
    expect(secretboxOpen(box, nonce, bytes(32, 6))).toBeNull();
    expect(secretboxOpen(box, bytes(24, 7), key)).toBeNull();
    expect(secretboxOpen(box.subarray(0, 15), nonce, key)).toBeNull();
  });
});
