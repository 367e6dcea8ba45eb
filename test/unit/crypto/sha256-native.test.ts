/**
 * The server's native SHA-256 (crypto/sha256.server.ts) against the portable one
 * (crypto/sha256.ts): the verified-signature memo's keys must not depend on which computed them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concatBytes, fromHex, sha256, toHex } from "../../../crypto/index";
import { sha256HexNative } from "../../../crypto/sha256.server";
import vectors from "../../../crypto/vectors/primitives.json";
import { expectCode } from "./helpers";

describe("sha256HexNative", () => {
  it("gives the SHA-256 vectors' digests", () => {
    expect(vectors.sha256.length).toBeGreaterThan(0);
    for (const v of vectors.sha256) {
      expect(sha256HexNative(fromHex(v.messageHex))).toBe(v.digestHex);
    }
  });

  it("equals the portable hash of the parts back to back, Buffers included", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), (parts) => {
        const expected = toHex(sha256(concatBytes(...parts)));
        expect(sha256HexNative(...parts)).toBe(expected);
        expect(sha256HexNative(...parts.map((p) => Buffer.from(p)))).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses what is not bytes", async () => {
    await expectCode(() => sha256HexNative("abc" as unknown as Uint8Array), "bad_input");
  });
});
