/** The report form's shared rules (both paths use them) and the server's shape checks. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encryptAttachment } from "../../crypto/index";
import { CATEGORIES as SCHEMA_CATEGORIES, CORRUPTION_TYPES as SCHEMA_TYPES } from "../../db/schema";
import {
  CATEGORIES,
  CORRUPTION_TYPES,
  MAX_REPORT_FILE_BYTES,
  MAX_REPORT_FILES,
  buildIdentityBlock,
  buildReportPayload,
  ciphertextSizeFor,
  parseAmountYuan,
  splitChunks,
  validateReport,
} from "../../app/client/report/model";
import { checkAttachments } from "../../app/services/attachments.server";
import { RateLimiter } from "../../app/services/rate-limit.server";

const label = (f: string) => f;

describe("report model", () => {
  it("uses the same categories as the database schema", () => {
    expect([...CATEGORIES]).toEqual([...SCHEMA_CATEGORIES]);
    expect([...CORRUPTION_TYPES]).toEqual([...SCHEMA_TYPES]);
  });

  it("parses yuan amounts into integer fen and rejects nonsense", () => {
    expect(parseAmountYuan("")).toBeNull();
    expect(parseAmountYuan("1500000")).toBe(150_000_000);
    expect(parseAmountYuan("1,500.5 元")).toBe(150_050);
    expect(parseAmountYuan("１２３")).toBe(12_300);
    expect(parseAmountYuan("-5")).toBeNaN();
    expect(parseAmountYuan("1.234")).toBeNaN();
    expect(parseAmountYuan("abc")).toBeNaN();
    expect(parseAmountYuan("99999999999")).toBeNaN();
  });

  it("validates the form with one problem per rule", () => {
    const bad = validateReport({ district: "", text: "  ", amount: "x" }, [], label);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.map((p) => p.key).sort()).toEqual(
        ["amountInvalid", "categoryMissing", "chooseDistrict", "textMissing"].sort(),
      );
    }
    const files = Array.from({ length: MAX_REPORT_FILES + 1 }, (_, i) => ({
      name: `f${i}.jpg`,
      type: "image/jpeg",
      size: 10,
    }));
    const many = validateReport({ district: "d", category: "decision", text: "t" }, files, label);
    expect(many.ok ? [] : many.problems.map((p) => p.key)).toContain("tooManyFiles");
    const big = validateReport(
      { district: "d", category: "decision", text: "t" },
      [{ name: "big.pdf", type: "application/pdf", size: MAX_REPORT_FILE_BYTES + 1 }],
      label,
    );
    expect(big.ok ? [] : big.problems.map((p) => p.key)).toContain("fileTooLarge");
  });

  it("keeps the resident anonymous and outsiders-only unless they say otherwise", () => {
    const ok = validateReport(
      { district: "d", category: "corruption", corruptionType: "extortion", text: "t", name: "王" },
      [],
      label,
    );
    expect(ok.ok && ok.identity).toBeNull();
    expect(ok.ok && ok.onlyOutsiders).toBe(false); // an unticked checkbox is absent
    const ticked = validateReport(
      {
        district: "d",
        category: "decision",
        corruptionType: "extortion",
        text: "t",
        onlyOutsiders: "yes",
      },
      [],
      label,
    );
    expect(ticked.ok && ticked.onlyOutsiders).toBe(true);
    expect(ticked.ok && ticked.fields.corruptionType).toBeNull(); // only for corruption
    expect(buildIdentityBlock({ name: " ", phone: "", contact: "" })).toBeUndefined();
  });

  it("builds the payload shape staff read (docs/crypto.md §5.2)", () => {
    const p = buildReportPayload(
      {
        district: "tj-jinnan",
        unit: null,
        category: "livelihood",
        corruptionType: "extortion",
        text: "t",
        when: "",
        people: "",
        amountFen: null,
      },
      [],
    );
    expect(p).toMatchObject({
      v: 1,
      district: "tj-jinnan",
      text: "t",
      corruptionType: null,
      attachments: [],
    });
  });

  it("splits a file's concatenated ciphertext back into exactly its chunks", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300_000 }), (size) => {
        const enc = encryptAttachment(new Uint8Array(size), { name: "a", type: "image/png" });
        const joined = new Uint8Array(enc.chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of enc.chunks) {
          joined.set(c, at);
          at += c.length;
        }
        expect(joined.length).toBe(ciphertextSizeFor(size));
        const split = splitChunks(joined)!;
        expect(split.map((c) => c.length)).toEqual(enc.chunks.map((c) => c.length));
        expect(checkAttachments([{ header: enc.header, chunks: split }])).toEqual({ ok: true });
      }),
      { numRuns: 15 },
    );
  });

  it("refuses attachments with wrong tags, reordered chunks or too many files", () => {
    const enc = encryptAttachment(new Uint8Array(150_000), { name: "a", type: "image/png" });
    expect(checkAttachments([{ header: enc.header, chunks: [...enc.chunks].reverse() }])).toEqual({
      ok: false,
      code: "bad_ciphertext",
    });
    const badHeader = new Uint8Array(enc.header);
    badHeader[0] = 0;
    expect(checkAttachments([{ header: badHeader, chunks: enc.chunks }]).ok).toBe(false);
    const six = Array.from({ length: MAX_REPORT_FILES + 1 }, () => ({
      header: enc.header,
      chunks: enc.chunks,
    }));
    expect(checkAttachments(six)).toEqual({ ok: false, code: "too_many_files" });
  });

  it("rate limits per client key in fixed windows", () => {
    const limiter = new RateLimiter(2, 1000);
    expect(limiter.hit("a", 0)).toBe(true);
    expect(limiter.hit("a", 10)).toBe(true);
    expect(limiter.hit("a", 20)).toBe(false);
    expect(limiter.hit("b", 20)).toBe(true);
    expect(limiter.hit("a", 1001)).toBe(true);
  });
});
