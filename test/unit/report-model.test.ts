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
  checkConfirmation,
  fitFileName,
  splitChunks,
  validateReport,
} from "../../app/client/report/model";
import { checkAttachments } from "../../app/services/attachments.server";
import { RateLimiter } from "../../app/services/rate-limit.server";

const label = (f: string) => f;

const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const PDF_HEAD = new TextEncoder().encode("%PDF-1.7\n");

describe("report model", () => {
  it("uses the same categories as the database schema", () => {
    expect([...CATEGORIES]).toEqual([...SCHEMA_CATEGORIES]);
    expect([...CORRUPTION_TYPES]).toEqual([...SCHEMA_TYPES]);
  });

  it("reads amounts as people write them, and names what is wrong with the rest", () => {
    const base = { district: "d", unit: "", category: "decision", text: "t" };
    const amount = (a: string) => {
      const r = validateReport({ ...base, amount: a }, [], label);
      return r.ok ? r.fields.amountFen : r.problems.map((p) => p.key);
    };
    expect(amount("")).toBeNull();
    expect(amount("1.5万")).toBe(1_500_000);
    expect(amount("１５０００元")).toBe(1_500_000);
    expect(amount("1,500,000")).toBe(150_000_000);
    expect(amount("1.234")).toEqual(["amountPrecision"]);
    expect(amount("1,50")).toEqual(["amountGrouping"]);
    expect(amount("101亿")).toEqual(["amountTooLarge"]);
    expect(amount("150多万")).toEqual(["amountInvalid"]);
  });

  it("keeps the amount as typed next to the fen, so the team can search for it as written", () => {
    const base = { district: "d", unit: "", category: "decision", text: "t" };
    const r = validateReport({ ...base, amount: " 1.5万 " }, [], label);
    if (!r.ok) throw new Error("refused");
    expect(r.fields.amountText).toBe("1.5万");
    const payload = buildReportPayload(r.fields, []);
    expect(payload).toMatchObject({ amountFen: 1_500_000, amountText: "1.5万" });
    const none = validateReport(base, [], label);
    if (!none.ok) throw new Error("refused");
    expect(buildReportPayload(none.fields, [])).not.toHaveProperty("amountText");
  });

  it('makes the resident choose a unit, "not sure" included', () => {
    const v = { district: "d", category: "decision", text: "t" };
    const none = validateReport(v, [], label);
    expect(none.ok ? [] : none.problems.map((p) => p.key)).toEqual(["unitMissing"]);
    const unsure = validateReport({ ...v, unit: "" }, [], label);
    expect(unsure.ok && unsure.fields.unit).toBeNull();
  });

  it("shortens file names the attachment format cannot hold, keeping the extension", () => {
    const bytes = (s: string) => new TextEncoder().encode(s).length;
    expect(fitFileName("photo.jpg")).toBe("photo.jpg");
    const long = fitFileName(`${"照".repeat(120)}.jpg`);
    expect(bytes(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith("….jpg")).toBe(true);
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 300 }),
        fc.constantFrom("", ".pdf"),
        (n, ext) => {
          const out = fitFileName(n + ext);
          expect(bytes(out)).toBeLessThanOrEqual(255);
          expect(out.length).toBeGreaterThan(0);
        },
      ),
    );
    // The shortened name is accepted by the attachment format.
    expect(() =>
      encryptAttachment(new Uint8Array(1), { name: long, type: "image/jpeg" }),
    ).not.toThrow();
  });

  it("checks each receipt confirmation control for what it checks", () => {
    const d = "1234567890123452";
    expect(checkConfirmation(true, "3452", d)).toEqual({ written: null, last4: null });
    expect(checkConfirmation(false, "3452", d)).toEqual({ written: "mustTick", last4: null });
    expect(checkConfirmation(true, "1111", d)).toEqual({ written: null, last4: "last4Wrong" });
    expect(checkConfirmation(false, "", d)).toEqual({ written: "mustTick", last4: "last4Missing" });
    expect(checkConfirmation(true, " ３４５２ ", d)).toEqual({ written: null, last4: null });
  });

  it("validates the form with one problem per rule", () => {
    const bad = validateReport({ district: "", text: "  ", amount: "x" }, [], label);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.map((p) => p.key).sort()).toEqual(
        ["amountInvalid", "categoryMissing", "chooseDistrict", "textMissing", "unitMissing"].sort(),
      );
    }
    const files = Array.from({ length: MAX_REPORT_FILES + 1 }, (_, i) => ({
      name: `f${i}.jpg`,
      type: "image/jpeg",
      size: 10,
      head: JPEG_HEAD,
    }));
    const many = validateReport(
      { district: "d", unit: "", category: "decision", text: "t" },
      files,
      label,
    );
    expect(many.ok ? [] : many.problems.map((p) => p.key)).toContain("tooManyFiles");
    const big = validateReport(
      { district: "d", category: "decision", text: "t" },
      [
        {
          name: "big.pdf",
          type: "application/pdf",
          size: MAX_REPORT_FILE_BYTES + 1,
          head: PDF_HEAD,
        },
      ],
      label,
    );
    expect(big.ok ? [] : big.problems.map((p) => p.key)).toContain("fileTooLarge");
  });

  it("reads each file's real type from its first bytes, not from its name", () => {
    const form = { district: "d", unit: "", category: "decision", text: "t" };
    const keys = (files: Parameters<typeof validateReport>[1]) => {
      const r = validateReport(form, files, label);
      return r.ok ? [] : r.problems.map((p) => [p.key, p.vars?.name]);
    };
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]);
    expect(keys([{ name: "fake.jpg", type: "image/jpeg", size: 8, head: exe }])).toEqual([
      ["fileExecutable", "fake.jpg"],
    ]);
    const html = new TextEncoder().encode("<html><script>");
    expect(keys([{ name: "scan.pdf", type: "application/pdf", size: 14, head: html }])).toEqual([
      ["fileMismatch", "scan.pdf"],
    ]);
    // A real photo with no type from the system is accepted: its bytes say JPEG.
    expect(keys([{ name: "IMG_0001", type: "", size: 10, head: JPEG_HEAD }])).toEqual([]);
    // Too large first (the no-JS path saw only its first bytes), but a program is named as one.
    const big = 11 * 1024 * 1024;
    const zeros = new Uint8Array(64);
    expect(keys([{ name: "big.jpg", type: "image/jpeg", size: big, head: zeros }])).toEqual([
      ["fileTooLarge", "big.jpg"],
    ]);
    expect(keys([{ name: "big.jpg", type: "image/jpeg", size: big, head: exe }])).toEqual([
      ["fileExecutable", "big.jpg"],
    ]);
  });

  it("keeps the resident anonymous and outsiders-only unless they say otherwise", () => {
    const ok = validateReport(
      {
        district: "d",
        unit: "",
        category: "corruption",
        corruptionType: "extortion",
        text: "t",
        name: "王",
      },
      [],
      label,
    );
    expect(ok.ok && ok.identity).toBeNull();
    expect(ok.ok && ok.onlyOutsiders).toBe(false); // an unticked checkbox is absent
    const ticked = validateReport(
      {
        district: "d",
        unit: "",
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
