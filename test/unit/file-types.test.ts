import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkEvidenceFile,
  detectKind,
  EVIDENCE_ACCEPT,
  extensionOf,
  safeFileName,
  SNIFF_BYTES,
} from "~/shared/file-types";

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(
    parts.flatMap((p) => (typeof p === "string" ? Array.from(p, (c) => c.charCodeAt(0)) : p)),
  );

const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], "JFIF", [0]);
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], "IHDR");
const PDF = bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
const PE = bytes("MZ", [0x90, 0, 3, 0, 0, 0, 4, 0], "This program cannot be run in DOS mode");
const ELF = bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

describe("detectKind reads the first bytes, not the name", () => {
  it.each([
    ["jpeg", JPEG],
    ["png", PNG],
    ["pdf", PDF],
    ["executable", PE],
    ["executable", ELF],
    ["executable", bytes([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1])],
    ["executable", bytes([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])],
    ["script", bytes("#!/bin/sh\nrm -rf ~\n")],
    ["office", bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ["office", bytes("{\\rtf1\\ansi")],
    ["zip", bytes([0x50, 0x4b, 0x03, 0x04, 20, 0])],
    ["gif", bytes("GIF89a")],
    ["webp", bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 ")],
    ["heic", bytes([0, 0, 0, 24], "ftypheic")],
    ["svg", bytes([0xef, 0xbb, 0xbf], "  <svg xmlns='http://www.w3.org/2000/svg'>")],
    ["svg", bytes('<?xml version="1.0"?><svg>')],
    ["html", bytes("<!DOCTYPE html><script>alert(1)</script>")],
    ["text", bytes("2019 list\nZhang 120000\n")],
    ["unknown", bytes([0, 1, 2, 3])],
  ])("%s", (kind, head) => {
    expect(detectKind(head)).toBe(kind);
  });
});

describe("checkEvidenceFile (the upload check)", () => {
  it("refuses a program renamed fake.jpg as an executable, whatever type the browser claims", () => {
    for (const type of ["image/jpeg", "", "application/octet-stream"]) {
      expect(checkEvidenceFile({ name: "fake.jpg", type }, PE)).toEqual({
        ok: false,
        reason: "executable",
        detected: "executable",
      });
    }
    expect(checkEvidenceFile({ name: "run.png", type: "image/png" }, ELF)).toMatchObject({
      reason: "executable",
    });
  });
  it("accepts real evidence by its contents and corrects a wrong claim", () => {
    expect(checkEvidenceFile({ name: "photo.jpg", type: "image/jpeg" }, JPEG)).toEqual({
      ok: true,
      kind: "jpeg",
      mime: "image/jpeg",
    });
    // A PNG saved as .jpg (common on phones) is a PNG, and is handled as one.
    expect(checkEvidenceFile({ name: "shot.jpg", type: "image/jpeg" }, PNG)).toMatchObject({
      ok: true,
      kind: "png",
    });
    expect(checkEvidenceFile({ name: "scan", type: "" }, PDF)).toMatchObject({ kind: "pdf" });
  });
  it("names a disguised file a mismatch and anything else unsupported; empty files too", () => {
    const html = bytes("<html><body>");
    expect(checkEvidenceFile({ name: "a.pdf", type: "application/pdf" }, html)).toMatchObject({
      reason: "mismatch",
      detected: "html",
    });
    expect(checkEvidenceFile({ name: "a.gif", type: "image/gif" }, bytes("GIF89a"))).toMatchObject({
      reason: "unsupported",
    });
    expect(
      checkEvidenceFile({ name: "a.jpg", type: "image/jpeg" }, new Uint8Array()),
    ).toMatchObject({ reason: "empty" });
  });
  it("the accept list offers types and extensions", () => {
    expect(EVIDENCE_ACCEPT.split(",")).toEqual(
      expect.arrayContaining(["image/jpeg", "image/png", "application/pdf", ".jpg", ".pdf"]),
    );
    expect(SNIFF_BYTES).toBeGreaterThanOrEqual(16);
  });
});

describe("safeFileName", () => {
  it("keeps a plain name, with the extension of the real kind", () => {
    expect(safeFileName("公示栏.jpg", "jpeg")).toBe("公示栏.jpg");
    expect(safeFileName("公示栏.JPEG", "jpeg")).toBe("公示栏.jpg");
    expect(safeFileName("shot.jpg", "png")).toBe("shot.png");
    expect(safeFileName("名单.txt", "text")).toBe("名单.txt");
    expect(safeFileName("fake.jpg", "executable")).toBe("fake.bin");
    expect(safeFileName("invoice.pdf.exe", "unknown")).toBe("invoice.pdf.bin");
    // Before decrypting, only the claimed extension is known (shown, never used to save).
    expect(safeFileName("名单.TXT", null)).toBe("名单.txt");
    expect(safeFileName("../x\u202egpj.exe", null)).toBe("xgpj.exe");
  });
  it("drops directories, control and bidi characters, and reserved characters", () => {
    expect(safeFileName("..\\..\\Windows\\evil.pdf", "pdf")).toBe("evil.pdf");
    expect(safeFileName("../../etc/passwd", "text")).toBe("passwd.txt");
    // U+202E turns "photo\u202Egpj.exe" into what looks like "photoexe.jpg".
    expect(safeFileName("photo\u202egpj.exe", "executable")).toBe("photogpj.bin");
    expect(safeFileName('a<b>:"c|?*.png', "png")).toBe("a_b___c___.png");
    expect(safeFileName("...", "pdf")).toBe("evidence.pdf");
    expect(safeFileName("", "jpeg", "附件1")).toBe("附件1.jpg");
  });
  it("is always short, flat and free of control characters (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 400 }),
        fc.constantFrom("jpeg", "png", "pdf", "text", "executable", "unknown" as const, null),
        (name, kind) => {
          const out = safeFileName(name, kind);
          // eslint-disable-next-line no-control-regex
          expect(out).not.toMatch(/[\\/\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069<>:"|?*]/);
          expect(Array.from(out).length).toBeLessThanOrEqual(85);
          expect(new TextEncoder().encode(out).length).toBeLessThan(255);
          expect(out.startsWith(".")).toBe(false);
          if (kind !== null)
            expect(["jpg", "png", "pdf", "txt", "bin"]).toContain(extensionOf(out));
        },
      ),
      { numRuns: 200 },
    );
  });
});
