/**
 * The JavaScript report's multipart reader (parseBufferedMultipart in
 * app/services/multipart.server.ts, used by readUpload): bodies serialised by a real FormData
 * (undici's, as browsers and the API tests send them) come back part for part and byte for byte,
 * whatever the bytes hold; malformed bodies and oversize parts are refused, never thrown.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readUpload } from "~/services/attachments.server";
import { plainUpload } from "~/services/http.server";
import { multipartBoundary, parseBufferedMultipart } from "~/services/multipart.server";

async function serialise(form: FormData) {
  const request = new Request("http://x/", { method: "POST", body: form });
  const type = request.headers.get("Content-Type")!;
  return { type, body: new Uint8Array(await request.arrayBuffer()) };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("parseBufferedMultipart", () => {
  it("reads back what a FormData sent: names, file names, bytes, in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: fc.constantFrom("meta", "file", "x"),
            file: fc.boolean(),
            // Bytes that look like delimiters and line ends as often as not.
            data: fc.array(
              fc.oneof(
                fc.uint8Array({ maxLength: 40 }),
                fc.constantFrom(
                  new TextEncoder().encode("\r\n--"),
                  new TextEncoder().encode("\r\n\r\n"),
                  new TextEncoder().encode("--formdata-undici-0"),
                ),
              ),
              { maxLength: 6 },
            ),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (fields) => {
          const form = new FormData();
          const sent = fields.map((f) => {
            const bytes = Buffer.concat(f.data);
            if (f.file) form.append(f.name, new Blob([bytes]), "blob.bin");
            else form.append(f.name, text(bytes));
            // A text field is sent as UTF-8 of the (possibly repaired) string, its line breaks
            // as CRLF (the HTML spec's form serialisation).
            const sentText = text(bytes).replace(/\r\n|\r|\n/g, "\r\n");
            return { ...f, bytes: f.file ? bytes : new TextEncoder().encode(sentText) };
          });
          const { type, body } = await serialise(form);
          const boundary = multipartBoundary(type)!;
          const read = parseBufferedMultipart(body, boundary, 1_000_000);
          expect(read.ok).toBe(true);
          if (!read.ok) return;
          expect(read.parts.map((p) => p.name)).toEqual(sent.map((f) => f.name));
          expect(read.parts.map((p) => p.filename)).toEqual(
            sent.map((f) => (f.file ? "blob.bin" : null)),
          );
          read.parts.forEach((p, i) =>
            expect(Buffer.from(p.data).equals(Buffer.from(sent[i]!.bytes))).toBe(true),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("takes a boundary quoted or not, a preamble and an epilogue", () => {
    expect(multipartBoundary("multipart/form-data; boundary=abc")).toBe("abc");
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe("a b");
    expect(multipartBoundary("multipart/form-data")).toBeNull();
    expect(multipartBoundary("text/plain; boundary=abc")).toBeNull();
    expect(multipartBoundary("multipart/form-data-x; boundary=abc")).toBeNull();
    const body = Buffer.from(
      'preamble\r\n--abc\r\nContent-Disposition: form-data; name="meta"\r\n\r\n{}\r\n' +
        '--abc \r\ncontent-disposition: form-data; name=file; filename=""\r\n' +
        "Content-Type: application/octet-stream\r\n\r\n\r\n\r\n--abc--\r\nepilogue",
    );
    const read = parseBufferedMultipart(new Uint8Array(body), "abc", 100);
    expect(read).toEqual({
      ok: true,
      parts: [
        { name: "meta", filename: null, data: new Uint8Array(Buffer.from("{}")) },
        { name: "file", filename: "", data: new Uint8Array(Buffer.from("\r\n")) },
      ],
    });
  });

  it("refuses malformed bodies and oversize parts", () => {
    const bad = [
      "", // nothing
      "--abc\r\n", // no part, no end
      '--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nx', // no closing delimiter
      '--abc\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--abc--', // not form-data
      "--abc\r\nContent-Disposition: form-data\r\n\r\nx\r\n--abc--", // no name
      "--abc\r\n\r\nx\r\n--abc--", // no headers
      '--abcX\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--abc--', // wrong boundary
      "--abc\r\nContent-Disposition: form-data; name=a", // headers never end
    ];
    for (const b of bad) {
      expect(parseBufferedMultipart(Buffer.from(b), "abc", 100), JSON.stringify(b)).toEqual({
        ok: false,
        code: "malformed",
      });
    }
    const big = Buffer.from(
      `--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\n${"x".repeat(101)}\r\n--abc--`,
    );
    expect(parseBufferedMultipart(big, "abc", 100)).toEqual({ ok: false, code: "part_too_large" });
    expect(parseBufferedMultipart(big, "abc", 101).ok).toBe(true);
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
        const body = Buffer.concat([Buffer.from("--abc\r\n"), junk]);
        const read = parseBufferedMultipart(body, "abc", 1000);
        expect(typeof read.ok).toBe("boolean");
      }),
    );
  });
});

describe("readUpload", () => {
  const request = async (form: FormData, length?: string) => {
    const { type, body } = await serialise(form);
    return plainUpload(
      new Request("http://x/", {
        method: "POST",
        headers: { "Content-Type": type, "Content-Length": length ?? String(body.length) },
        body,
      }),
    );
  };

  it("refuses by the declared size before reading, and by the bytes that arrive", async () => {
    const form = new FormData();
    form.append("meta", "x".repeat(500));
    expect(await readUpload(await request(form), 2000, 1000)).toMatchObject({ ok: true });
    expect(await readUpload(await request(form, "3000"), 2000, 1000)).toEqual({
      ok: false,
      code: "too_large",
    });
    // A declared length that lies low: what arrives still counts.
    expect(await readUpload(await request(form, "10"), 300, 1000)).toEqual({
      ok: false,
      code: "too_large",
    });
    expect(await readUpload(await request(form), 2000, 100)).toEqual({
      ok: false,
      code: "too_large",
    });
    const noLength = plainUpload(
      new Request("http://x/", {
        method: "POST",
        headers: { "Content-Type": "multipart/form-data; boundary=abc" },
        body: "--abc--",
      }),
    );
    expect(await readUpload(noLength, 2000, 1000)).toEqual({ ok: false, code: "bad_request" });
  });
});
