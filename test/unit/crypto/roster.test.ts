/**
 * Signed rosters beyond the shared vector suite: round trips over random rosters, the encoder's
 * refusals, and that no byte string makes the decoder throw anything but a CryptoError.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../../../crypto/index";
import { expectCode } from "./helpers";

const id = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.length > 0);
const reader = fc.record({
  memberId: id,
  boxPublicKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  homeDistrictId: id,
  role: fc.constantFrom(...c.ROSTER_ROLES),
});
const roster: fc.Arbitrary<c.Roster> = fc
  .record({
    kind: fc.constantFrom(...c.ROSTER_KINDS),
    jurisdictionId: id,
    rosterId: id,
    roundId: fc.string({ maxLength: 10 }),
    serial: fc.nat({ max: 0xffffffff }),
    issuedAtMs: fc.nat({ max: 2 ** 45 }),
    validFromMs: fc.nat({ max: 2 ** 45 }),
    length: fc.integer({ min: 1, max: 2 ** 35 }),
    districtIds: fc.uniqueArray(id, { minLength: 1, maxLength: 5 }),
    readers: fc.uniqueArray(reader, { minLength: 1, maxLength: 5, selector: (r) => r.memberId }),
  })
  .map(({ length, ...r }) => ({ ...r, validUntilMs: r.validFromMs + length }));

const office = c.generateStaffKeys(c.fixedRandom(new Uint8Array(64).fill(3)));
const base: c.Roster = {
  kind: "team",
  jurisdictionId: "tianjin",
  rosterId: "st-1",
  roundId: "r4",
  serial: 1,
  issuedAtMs: 1,
  validFromMs: 10,
  validUntilMs: 20,
  districtIds: ["tj-jinnan"],
  readers: [
    {
      memberId: "a",
      boxPublicKey: new Uint8Array(32).fill(9),
      homeDistrictId: "tj-beichen",
      role: "member",
    },
  ],
};

describe("signed rosters", () => {
  it("round-trips random rosters through canonical bytes and a signature", () => {
    fc.assert(
      fc.property(roster, (r) => {
        const bytes = c.encodeRoster(r);
        const back = c.decodeRoster(bytes);
        expect(c.toHex(c.encodeRoster(back))).toBe(c.toHex(bytes));
        expect(new Set(back.districtIds)).toEqual(new Set(r.districtIds));
        expect(back.readers.map((x) => x.memberId).sort()).toEqual(
          r.readers.map((x) => x.memberId).sort(),
        );
      }),
      { numRuns: 200, seed: 41 },
    );
    // Signing is slow in pure JS (tweetnacl): a few rosters are enough to check the pairing.
    fc.assert(
      fc.property(roster, (r) => {
        const bytes = c.encodeRoster(r);
        const signature = c.signRoster(bytes, office.signSecretKey);
        expect(
          c.toHex(c.encodeRoster(c.verifyRoster(bytes, signature, office.signPublicKey))),
        ).toBe(c.toHex(bytes));
      }),
      { numRuns: 10, seed: 43 },
    );
  });

  it("never throws an untyped error on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const withTag = bytes.length > 0 ? bytes : new Uint8Array([0x91]);
        withTag[0] = 0x91;
        try {
          c.decodeRoster(withTag);
        } catch (e) {
          expect(c.isCryptoError(e)).toBe(true);
        }
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it("refuses rosters it cannot encode canonically", async () => {
    await expectCode(() => c.encodeRoster({ ...base, readers: [] }), "bad_input");
    await expectCode(() => c.encodeRoster({ ...base, districtIds: [] }), "bad_input");
    await expectCode(() => c.encodeRoster({ ...base, districtIds: ["a", "a"] }), "bad_input");
    await expectCode(
      () => c.encodeRoster({ ...base, readers: [base.readers[0]!, base.readers[0]!] }),
      "bad_input",
    );
    await expectCode(() => c.encodeRoster({ ...base, validUntilMs: 10 }), "bad_input");
    await expectCode(() => c.encodeRoster({ ...base, jurisdictionId: "" }), "bad_length");
    await expectCode(() => c.encodeRoster({ ...base, rosterId: "x".repeat(256) }), "bad_length");
    await expectCode(
      () =>
        c.encodeRoster({
          ...base,
          readers: [{ ...base.readers[0]!, boxPublicKey: new Uint8Array(31) }],
        }),
      "bad_length",
    );
    await expectCode(
      () =>
        c.encodeRoster({
          ...base,
          readers: [{ ...base.readers[0]!, role: "boss" as c.RosterRole }],
        }),
      "bad_input",
    );
    const many = Array.from({ length: c.MAX_ROSTER_READERS + 1 }, (_, i) => ({
      ...base.readers[0]!,
      memberId: `m${i}`,
    }));
    await expectCode(() => c.encodeRoster({ ...base, readers: many }), "oversize");
  });

  it("signs only what decodes", async () => {
    await expectCode(
      () => c.signRoster(new Uint8Array([0x91, 9]), office.signSecretKey),
      "bad_format",
    );
  });
});

describe("signed rosters and low-order keys", () => {
  it("refuses a low-order reader key when encoding and when decoding", async () => {
    const zero = new Uint8Array(32);
    await expectCode(
      () => c.encodeRoster({ ...base, readers: [{ ...base.readers[0]!, boxPublicKey: zero }] }),
      "weak_key",
    );
    const good = c.encodeRoster(base);
    const at = c.toHex(good).indexOf(c.toHex(base.readers[0]!.boxPublicKey)) / 2;
    const bad = good.slice();
    bad.set(zero, at);
    await expectCode(() => c.decodeRoster(bad), "weak_key");
  });
});
