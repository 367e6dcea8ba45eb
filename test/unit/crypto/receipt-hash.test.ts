/**
 * The server's native auth-secret hash (crypto/receipt-hash.server.ts) against the portable one
 * (crypto/receipt.ts): the stored receipt hash must not depend on which computed it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { authLookupHash, fromHex } from "../../../crypto/index";
import { authLookupHashNative } from "../../../crypto/receipt-hash.server";
import vectors from "../../../crypto/vectors/receipt.json";
import { expectCode } from "./helpers";

describe("authLookupHashNative", () => {
  it("gives the receipt vectors' auth look-up hashes", () => {
    expect(vectors.derive.length).toBeGreaterThan(0);
    for (const d of vectors.derive) {
      expect(authLookupHashNative(fromHex(d.authSecretHex))).toBe(d.authLookupHash);
      expect(authLookupHash(fromHex(d.authSecretHex))).toBe(d.authLookupHash);
    }
  });

  it("equals the portable hash on random secrets, Buffers included", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (secret) => {
        expect(authLookupHashNative(secret)).toBe(authLookupHash(secret));
        expect(authLookupHashNative(Buffer.from(secret))).toBe(authLookupHash(secret));
      }),
      { numRuns: 200 },
    );
  });

  it("refuses what the portable hash refuses, with the same codes", async () => {
    for (const bad of [new Uint8Array(31), new Uint8Array(33), new Uint8Array(0)]) {
      await expectCode(() => authLookupHash(bad), "bad_length");
      await expectCode(() => authLookupHashNative(bad), "bad_length");
    }
    const notBytes = "x".repeat(32) as unknown as Uint8Array;
    await expectCode(() => authLookupHash(notBytes), "bad_input");
    await expectCode(() => authLookupHashNative(notBytes), "bad_input");
  });
});
