import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../../../crypto/index";
import { expectCode } from "./helpers";

const RECEIPTS = ["9935 2944 8584 0781", "3637 8868 1362 5387", "8684 8315 5119 8572"];

describe("receipt generation", () => {
  it("formats 16 digits in groups of four with a valid check digit", () => {
    for (let i = 0; i < 50; i++) {
      const r = c.generateReceipt();
      expect(r).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
      expect(c.parseReceipt(r)).toBe(r.replace(/ /g, ""));
    }
  });

  it("discards bytes ≥ 250 (rejection sampling) and maps the rest to byte mod 10", () => {
    const bytes = new Uint8Array(64);
    for (let i = 0; i < 32; i++) bytes[i] = i % 2 === 0 ? 250 + (i % 6) : 249; // only 249 → 9 kept
    for (let i = 32; i < 64; i++) bytes[i] = 249 - (i - 32); // 249, 248, … → 9, 8, …
    const r = c.generateReceipt(c.fixedRandom(bytes)).replace(/ /g, "");
    // 16 digits kept from the first block (only odd positions, all 9), rest from the second.
    expect(r.slice(0, 15)).toBe("9".repeat(15).slice(0, 15));
    expect(c.dammCheckDigit(r.slice(0, 15))).toBe(r[15]);
  });

  it("is close to uniform over many draws", () => {
    const counts = new Array(10).fill(0) as number[];
    for (let i = 0; i < 2000; i++) {
      for (const d of c.generateReceipt().replace(/ /g, "").slice(0, 15)) counts[Number(d)]!++;
    }
    const expected = 30000 / 10;
    for (const n of counts) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.08);
  });
});

describe("Damm check digit", () => {
  it("matches the published example 572 → 4", () => {
    expect(c.dammCheckDigit("572")).toBe("4");
  });

  it("rejects every single-digit substitution and every adjacent transposition", async () => {
    for (const r of RECEIPTS) {
      const digits = r.replace(/ /g, "");
      for (let i = 0; i < 16; i++) {
        for (let d = 0; d < 10; d++) {
          if (String(d) === digits[i]) continue;
          const typo = digits.slice(0, i) + d + digits.slice(i + 1);
          await expectCode(() => c.parseReceipt(typo), "bad_checksum");
        }
      }
      for (let i = 0; i < 15; i++) {
        if (digits[i] === digits[i + 1]) continue;
        const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
        await expectCode(() => c.parseReceipt(swapped), "bad_checksum");
      }
    }
  });

  it("catches all adjacent transpositions for every digit pair (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{15}$/), fc.integer({ min: 0, max: 14 }), (body, i) => {
        const full = body + c.dammCheckDigit(body);
        fc.pre(full[i] !== full[i + 1]);
        const swapped = full.slice(0, i) + full[i + 1] + full[i] + full.slice(i + 2);
        expect(() => c.parseReceipt(swapped)).toThrow(/bad_checksum/);
      }),
      { numRuns: 300 },
    );
  });
});

describe("receipt parsing", () => {
  const digits = "9935294485840781";
  it.each([
    ["spaces", "9935 2944 8584 0781"],
    ["no separators", digits],
    ["dashes", "9935-2944-8584-0781"],
    ["full-width digits", "９９３５２９４４８５８４０７８１"],
    ["ideographic spaces", "9935\u30002944\u30008584\u30000781"],
    ["full-width dashes", "9935－2944－8584－0781"],
    ["surrounding whitespace and tabs", "\t 9935 2944\n8584 0781  "],
    ["mixed", "９９３５ 2944-8584\u30000781"],
  ])("accepts %s", (_, input) => {
    expect(c.parseReceipt(input)).toBe(digits);
  });

  it.each([
    ["too short", "9935 2944 8584 078", "bad_length"],
    ["too long", "9935 2944 8584 0781 1", "bad_length"],
    ["letters", "9935 2944 8584 078l", "bad_format"],
    ["empty", "", "bad_length"],
    ["huge input", "1".repeat(10000), "bad_length"],
    ["punctuation", "9935.2944.8584.0781", "bad_format"],
  ] as const)("rejects %s", async (_, input, code) => {
    await expectCode(() => c.parseReceipt(input), code);
  });

  it("rejects non-strings with a typed error", async () => {
    await expectCode(() => c.parseReceipt(42 as unknown as string), "bad_input");
  });
});

describe("receipt key derivation", () => {
  const salt = new Uint8Array(16).fill(7);
  it("is deterministic, format-independent and salt-dependent (test-only KDF)", async () => {
    const opt = { unsafeTestKdf: c.UNSAFE_TEST_KDF };
    const a = await c.deriveReceiptKeys("9935 2944 8584 0781", salt, opt);
    const b = await c.deriveReceiptKeys("９９３５-２９４４-８５８４-０７８１", salt, opt);
    const other = await c.deriveReceiptKeys("9935 2944 8584 0781", new Uint8Array(16).fill(8), opt);
    expect(c.toHex(a.authSecret)).toBe(c.toHex(b.authSecret));
    expect(c.toHex(a.boxPublicKey)).toBe(c.toHex(b.boxPublicKey));
    expect(c.toHex(a.authSecret)).not.toBe(c.toHex(other.authSecret));
    expect(c.toHex(a.authSecret)).not.toBe(c.toHex(a.boxSecretKey));
    expect(c.authLookupHash(a.authSecret)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("uses production parameters by default and they meet the OWASP floor", () => {
    expect(c.RECEIPT_KDF.memoryKiB).toBeGreaterThanOrEqual(19456);
    expect(c.RECEIPT_KDF.iterations).toBeGreaterThanOrEqual(2);
  });

  it("rejects bad receipts and salts with typed errors", async () => {
    await expectCode(() => c.deriveReceiptKeys("1234", salt), "bad_length");
    await expectCode(
      () => c.deriveReceiptKeys("9935 2944 8584 0781", new Uint8Array(8)),
      "bad_length",
    );
    await expectCode(() => c.authLookupHash(new Uint8Array(31)), "bad_length");
  });
});
