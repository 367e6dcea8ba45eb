/** The no-JS form reader (app/services/multipart.server.ts): limits that never cost the text. */
import { describe, expect, it } from "vitest";
import { readBoundedMultipart, type MultipartLimits } from "../../app/services/multipart.server";

const LIMITS: MultipartLimits = {
  maxFileBytes: 100,
  maxTotalFileBytes: 150,
  maxFiles: 2,
  maxFieldBytes: 20,
  maxFields: 5,
  maxBodyBytes: 10_000,
};

function request(parts: [string, string | { name: string; type: string; size: number }][]) {
  const form = new FormData();
  for (const [k, v] of parts) {
    if (typeof v === "string") form.append(k, v);
    else form.append(k, new Blob([new Uint8Array(v.size).fill(7)], { type: v.type }), v.name);
  }
  return new Request("http://x/report", { method: "POST", body: form });
}

describe("readBoundedMultipart", () => {
  it("keeps text around files that are dropped for size, count or total, and names them", async () => {
    const read = await readBoundedMultipart(
      request([
        ["text", "before"],
        ["files", { name: "big.jpg", type: "image/jpeg", size: 101 }],
        ["files", { name: "a.jpg", type: "image/jpeg", size: 90 }],
        ["files", { name: "b.pdf", type: "application/pdf", size: 90 }],
        ["files", { name: "c.png", type: "image/png", size: 10 }],
        ["files", { name: "d.png", type: "image/png", size: 10 }],
        ["when", "after"],
      ]),
      LIMITS,
    );
    expect(read.ok).toBe(true);
    expect(read.form.fields).toEqual([
      ["text", "before"],
      ["when", "after"],
    ]);
    expect(read.form.files.map((f) => [f.name, f.data.length])).toEqual([
      ["a.jpg", 90],
      ["c.png", 10],
    ]);
    expect(read.form.dropped.map((f) => [f.name, f.size, f.reason])).toEqual([
      ["big.jpg", 101, "too_large"],
      ["b.pdf", 90, "total_too_large"],
      ["d.png", 10, "too_many"],
    ]);
  });

  it("cuts long fields without breaking characters, and stops at the body cap keeping what came first", async () => {
    const read = await readBoundedMultipart(request([["text", "举报".repeat(20)]]), LIMITS);
    expect(read.ok && read.form.fields[0]![1]).toBe("举报举报举报"); // 18 of 20 bytes, whole chars
    const capped = await readBoundedMultipart(
      request([
        ["text", "kept"],
        ["files", { name: "huge.jpg", type: "image/jpeg", size: 20_000 }],
      ]),
      LIMITS,
    );
    expect(capped.ok).toBe(false);
    expect(!capped.ok && capped.code).toBe("body_too_large");
    expect(capped.form.fields).toEqual([["text", "kept"]]);
  });

  it("refuses what is not multipart, and survives a broken body", async () => {
    const plain = new Request("http://x", { method: "POST", body: "a=1" });
    expect((await readBoundedMultipart(plain, LIMITS)).ok).toBe(false);
    const broken = new Request("http://x", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=zz" },
      body: '--zz\r\nContent-Disposition: form-data; name="text"\r\n\r\nhalf',
    });
    const read = await readBoundedMultipart(broken, LIMITS);
    expect(read.ok).toBe(false);
  });
});
