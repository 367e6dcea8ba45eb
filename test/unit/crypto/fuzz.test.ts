/**
 * Arbitrary bytes and strings into every decoder: each either succeeds or throws a CryptoError —
 * never a TypeError, RangeError or a tweetnacl/hash-wasm error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../../../crypto/index";

const staff = c.generateStaffKeys();
const keys = c.staffTipKeysFromRoot(new Uint8Array(32).fill(4));
const attKey = new Uint8Array(32).fill(6);
const findingKeys = c.findingKeysFromRoot("f", new Uint8Array(32).fill(5));
const att = c.encryptAttachment(new Uint8Array(10), { name: "a", type: "b" });

function typedOrOk(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (!c.isCryptoError(e)) throw e;
    return true;
  }
}

const byteDecoders: [string, (b: Uint8Array) => unknown][] = [
  ["openTipKeysAsStaff", (b) => c.openTipKeysAsStaff(b, staff.boxSecretKey)],
  ["openTipKeysAsTipster", (b) => c.openTipKeysAsTipster(b, staff.boxSecretKey)],
  ["openTipPayload", (b) => c.openTipPayload(b, keys)],
  [
    "openIdentity",
    (b) => c.openIdentity({ ciphertext: b, envelope: b, boxSecretKey: staff.boxSecretKey }),
  ],
  ["openStaffMessageAsTipster", (b) => c.openStaffMessageAsTipster(b, staff.boxSecretKey)],
  ["openSignedStaffMessage", (b) => c.openSignedStaffMessage(b, staff.boxSecretKey, keys)],
  ["openStaffMessageCopy", (b) => c.openStaffMessageCopy(b, keys)],
  ["openTipsterMessage", (b) => c.openTipsterMessage(b, keys)],
  ["openInternalNote", (b) => c.openInternalNote(b, keys)],
  ["openFindingKeys", (b) => c.openFindingKeys("f", b, staff.boxSecretKey)],
  ["openFindingBody", (b) => c.openFindingBody(b, findingKeys)],
  ["openFindingNote", (b) => c.openFindingNote(b, findingKeys)],
  ["openAttachmentHeader", (b) => c.openAttachmentHeader(attKey, b)],
  ["decryptAttachment (header)", (b) => c.decryptAttachment(attKey, b, [])],
  ["decryptAttachment (chunk)", (b) => c.decryptAttachment(att.key, att.header, [b])],
  ["wrappedStaffKeysParams", (b) => c.wrappedStaffKeysParams(b)],
  [
    "verifyStaffKeyApproval",
    (b) =>
      c.verifyStaffKeyApproval(
        { memberId: "m", boxPublicKey: staff.boxPublicKey, homeDistrictId: "d", validUntilMs: 1 },
        b,
        staff.signPublicKey,
        0,
      ),
  ],
  ["utf8Decode", (b) => c.utf8Decode(b)],
  ["fingerprint", (b) => c.fingerprint(b)],
  ["authLookupHash", (b) => c.authLookupHash(b)],
];

const tags = Object.values(c.TAG);
const blob = fc.oneof(
  fc.uint8Array({ maxLength: 1200 }),
  fc
    .tuple(fc.constantFrom(...tags), fc.uint8Array({ maxLength: 1200 }))
    .map(([t, rest]) => new Uint8Array([t, ...rest])),
  fc
    .tuple(fc.constantFrom(...tags), fc.constantFrom(105, 129, 296, 328, 1064, 288, 64))
    .map(([t, n]) => {
      const b = new Uint8Array(n + 1);
      b[0] = t;
      return b;
    }),
);

describe("fuzzing decoders", () => {
  it.each(byteDecoders)("%s never throws untyped errors", (_, decode) => {
    fc.assert(
      fc.property(blob, (b) => typedOrOk(() => decode(b))),
      { numRuns: 150 },
    );
  });

  it("string decoders never throw untyped errors", async () => {
    const secret = new Uint8Array(32);
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        typedOrOk(() => c.parseReceipt(s));
        typedOrOk(() => c.base64urlDecode(s));
        typedOrOk(() => c.parsePowChallenge(s));
        typedOrOk(() => c.fromHex(s));
        return true;
      }),
      { numRuns: 400 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 100 }),
        fc.string({ maxLength: 20 }),
        async (ch, sol) => {
          try {
            await c.verifyPow({
              challenge: ch,
              solution: sol,
              secret,
              nowMs: 0,
              store: { isSpent: () => false, markSpent: () => {} },
            });
          } catch (e) {
            expect(c.isCryptoError(e)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("non-byte arguments give typed errors", () => {
    for (const bad of [undefined, null, "str", 5, {}, [1, 2, 3]] as unknown as Uint8Array[]) {
      for (const [, decode] of byteDecoders) expect(typedOrOk(() => decode(bad))).toBe(true);
      expect(typedOrOk(() => c.sealTip(bad as unknown as c.SealTipInput))).toBe(true);
      expect(typedOrOk(() => c.openTipKeysAsStaff(new Uint8Array(106), bad))).toBe(true);
    }
  });
});
