/**
 * Low-order X25519 public keys (docs/crypto.md §5.12): every shared secret with them is zero, so
 * anything boxed to them opens with a public constant. crypto/ refuses them wherever a key could
 * become a recipient; the app calls the same exported check on registration, approval and routing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertUsablePublicKey,
  encodeStaffKeyApproval,
  fromHex,
  generateStaffKeys,
  isLowOrderPublicKey,
  KNOWN_LOW_ORDER_KEYS,
  sealStaffMessage,
  sealTip,
  staffTipKeysFromRoot,
  wrapTipKeyForRecipient,
} from "../../../crypto/index";
import { box, boxKeyFromSharedSecret, secretboxOpen, x25519 } from "../../../crypto/nacl";
import { isLowOrderPublicKeyByList } from "../../../crypto/public-key-check.server";
import vectors from "../../../crypto/vectors/public-keys.json";
import { expectCode } from "./helpers";

const lowOrder = KNOWN_LOW_ORDER_KEYS.flatMap((h) => {
  const top = fromHex(h);
  top[31] = top[31]! | 0x80;
  return [fromHex(h), top];
});
const zero = new Uint8Array(32);

describe("the low-order check", () => {
  it("lists exactly points whose shared secret is zero for every secret key", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (secret) => {
        for (const key of lowOrder) expect(x25519(secret, key)).toEqual(zero);
      }),
      { numRuns: 20 },
    );
  });

  it("refuses every listed key, with and without the ignored top bit", () => {
    expect(lowOrder).toHaveLength(14);
    for (const key of lowOrder) expect(isLowOrderPublicKey(key)).toBe(true);
  });

  it("accepts real public keys and the base point", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const keys = generateStaffKeys(() => seed.slice());
        expect(isLowOrderPublicKey(keys.boxPublicKey)).toBe(false);
      }),
      { numRuns: 30 },
    );
    expect(isLowOrderPublicKey(fromHex("09" + "00".repeat(31)))).toBe(false);
  });

  it("agrees with a random scalar on arbitrary inputs (the list is only a shortcut)", () => {
    const scalar = generateStaffKeys().boxSecretKey;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        const zeroSecret = x25519(scalar, key).every((b) => b === 0);
        expect(isLowOrderPublicKey(key)).toBe(zeroSecret);
        // The second answer comes from the remembered verdict: the same.
        expect(isLowOrderPublicKey(key)).toBe(zeroSecret);
      }),
      { numRuns: 50 },
    );
  });

  it("the list is complete: the server's check by comparison gives the portable verdict", () => {
    for (const v of [...vectors.lowOrder, ...vectors.usable]) {
      const key = fromHex(v.publicKeyHex);
      expect(isLowOrderPublicKeyByList(key)).toBe(isLowOrderPublicKey(key));
    }
    for (const key of lowOrder) expect(isLowOrderPublicKeyByList(key)).toBe(true);
    expect(isLowOrderPublicKeyByList(fromHex("09" + "00".repeat(31)))).toBe(false);
    // A key inside a larger buffer (as parsed from a request) is read at its own offset.
    const inside = new Uint8Array(40);
    inside.set(lowOrder[4]!, 5);
    expect(isLowOrderPublicKeyByList(inside.subarray(5, 37))).toBe(true);
    // Next to each listed key: every single bit flipped (the top bit is ignored by both).
    for (const key of lowOrder) {
      for (let bit = 0; bit < 256; bit++) {
        const near = key.slice();
        near[bit >> 3] = near[bit >> 3]! ^ (1 << (bit & 7));
        expect(isLowOrderPublicKeyByList(near)).toBe(isLowOrderPublicKey(near));
      }
    }
    // The only encodings below 2^255 of a listed u-coordinate plus p are listed too (p, p + 1).
    const p = 2n ** 255n - 19n;
    const asNumber = (b: Uint8Array) =>
      b.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n) & (2n ** 255n - 1n);
    const listed = new Set(lowOrder.map(asNumber));
    for (const u of listed) if (u + p < 2n ** 255n) expect(listed.has(u + p)).toBe(true);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        expect(isLowOrderPublicKeyByList(key)).toBe(
          x25519(new Uint8Array(32).fill(1), key).every((b) => b === 0),
        );
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const keys = generateStaffKeys(() => seed.slice());
        expect(isLowOrderPublicKeyByList(keys.boxPublicKey)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it("types its errors", async () => {
    await expectCode(() => assertUsablePublicKey(zero), "weak_key");
    await expectCode(() => isLowOrderPublicKey(new Uint8Array(31)), "bad_length");
    await expectCode(() => isLowOrderPublicKey("x" as unknown as Uint8Array), "bad_input");
    await expectCode(() => isLowOrderPublicKeyByList(new Uint8Array(31)), "bad_length");
    await expectCode(() => isLowOrderPublicKeyByList("x" as unknown as Uint8Array), "bad_input");
  });
});

describe("nothing is sealed to a low-order key", () => {
  const staff = generateStaffKeys();
  const tipster = generateStaffKeys();

  it("why: a box to the all-zero key opens with a public constant", () => {
    // What the check prevents, with the raw primitive that has no check: crypto_box to the zero
    // key from a secret ephemeral key opens with HSalsa20(0³², 0¹⁶), which anybody can compute.
    const ephemeral = generateStaffKeys();
    const nonce = new Uint8Array(24).fill(3);
    const sealed = box(new Uint8Array([1, 2, 3]), nonce, zero, ephemeral.boxSecretKey);
    expect(secretboxOpen(sealed, nonce, boxKeyFromSharedSecret(zero))).toEqual(
      new Uint8Array([1, 2, 3]),
    );
    // Sealing through crypto/ refuses instead.
    expect(() =>
      sealTip({
        payload: { text: "x" },
        recipients: [{ id: "zero", boxPublicKey: zero }],
        tipsterPublicKey: tipster.boxPublicKey,
      }),
    ).toThrow(/weak_key/);
  });

  it("sealTip refuses a low-order staff recipient or tipster key", async () => {
    for (const key of lowOrder) {
      await expectCode(
        () =>
          sealTip({
            payload: { text: "x" },
            recipients: [
              { id: "a", boxPublicKey: staff.boxPublicKey },
              { id: "b", boxPublicKey: key },
            ],
            tipsterPublicKey: tipster.boxPublicKey,
          }),
        "weak_key",
      );
      await expectCode(
        () =>
          sealTip({
            payload: { text: "x" },
            recipients: [{ id: "a", boxPublicKey: staff.boxPublicKey }],
            tipsterPublicKey: key,
          }),
        "weak_key",
      );
    }
  });

  it("grants, staff messages and approvals refuse it too", async () => {
    const keys = staffTipKeysFromRoot(new Uint8Array(32).fill(7));
    for (const key of lowOrder) {
      await expectCode(() => wrapTipKeyForRecipient(keys, key), "weak_key");
      await expectCode(
        () => sealStaffMessage({ body: { text: "x" }, tipsterPublicKey: key, keys }),
        "weak_key",
      );
      await expectCode(
        () =>
          encodeStaffKeyApproval({
            memberId: "m",
            boxPublicKey: key,
            homeDistrictId: "d",
            validUntilMs: 1,
          }),
        "weak_key",
      );
    }
  });
});
