/**
 * The HTTP edge's decoders (app/services/http.server.ts): strict base64url fields and strict
 * UTF-8 JSON bodies. Anything that is not the one canonical form fails validation (→ a 400 in the
 * route) and never throws.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { base64urlDecode, base64urlEncode } from "../../crypto/index";
import { b64urlField, plainJson, readJson } from "~/services/http.server";

describe("b64urlField", () => {
  const key = b64urlField({ bytes: 32 });
  const blob = b64urlField({ max: 100 });

  it("decodes canonical base64url to bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const parsed = blob.safeParse(base64urlEncode(bytes));
        expect(parsed.success && parsed.data).toEqual(bytes);
      }),
    );
  });

  it("refuses every non-canonical or foreign spelling without throwing", () => {
    const bad = [
      "A".repeat(42) + "B", // non-zero unused bits
      "A".repeat(42) + "A=", // padding
      "A".repeat(41) + "+/", // standard alphabet
      "A".repeat(21) + " " + "A".repeat(21), // white space
      "A".repeat(44), // 33 bytes
      "A".repeat(42), // 31 bytes
      "A", // impossible length
      "ＡＡ", // full-width letters
      "",
    ];
    for (const text of bad) expect(key.safeParse(text).success, JSON.stringify(text)).toBe(false);
    for (const value of [null, 42, ["AA"], { a: 1 }])
      expect(key.safeParse(value).success).toBe(false);
    expect(key.safeParse("A".repeat(43)).success).toBe(true);
  });

  it("never throws on arbitrary strings, and accepts only what re-encodes to itself", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 140 }), (text) => {
        const parsed = blob.safeParse(text);
        if (parsed.success) expect(base64urlEncode(parsed.data)).toBe(text);
      }),
    );
  });

  it("accepts exactly what crypto's strict decoder accepts, with the same bytes", () => {
    // Strings over the alphabet, padding, the standard alphabet's extra letters and white space.
    const letter = fc.constantFrom(
      ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ \n".split(""),
    );
    fc.assert(
      fc.property(fc.array(letter, { maxLength: 60 }), (letters) => {
        const text = letters.join("");
        let expected: Uint8Array | null;
        try {
          expected = base64urlDecode(text);
        } catch {
          expected = null;
        }
        const parsed = blob.safeParse(text);
        expect(parsed.success ? parsed.data : null).toEqual(expected);
        if (parsed.success) expect(Object.getPrototypeOf(parsed.data)).toBe(Uint8Array.prototype);
      }),
      { numRuns: 2000 },
    );
  });

  it("enforces the byte limit before decoding", () => {
    expect(blob.safeParse(base64urlEncode(new Uint8Array(101))).success).toBe(false);
    expect(z.object({ k: key }).safeParse({ k: "A".repeat(10_000) }).success).toBe(false);
  });
});

describe("readJson", () => {
  const post = (body: Uint8Array | string, type = "application/json") =>
    new Request("http://x/", {
      method: "POST",
      headers: { "Content-Type": type },
      body: typeof body === "string" ? body : Buffer.from(body),
    });

  it("parses a UTF-8 JSON body", async () => {
    expect(await readJson(post('{"reason":"补偿款"}'), 1000)).toEqual({ reason: "补偿款" });
  });

  it("refuses invalid UTF-8 instead of repairing it with U+FFFD", async () => {
    const body = new Uint8Array([...Buffer.from('{"reason":"'), 0xe8, 0xa1, ...Buffer.from('"}')]);
    expect(await readJson(post(body), 1000)).toBeUndefined();
  });

  it("refuses other types and oversize bodies", async () => {
    expect(await readJson(post("{}", "text/plain"), 1000)).toBeUndefined();
    expect(await readJson(post(JSON.stringify({ a: "x".repeat(2000) })), 1000)).toBeUndefined();
  });
});

describe("plainJson (the direct path's readJson)", () => {
  const plain = (body: Uint8Array | string, type: string | null = "application/json") => {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    return {
      method: "POST",
      contentType: type,
      contentLength: String(bytes.length),
      cookie: null,
      body: bytes,
    };
  };

  it("parses what readJson parses and refuses what it refuses", () => {
    expect(plainJson(plain('{"reason":"补偿款"}'), 1000)).toEqual({ reason: "补偿款" });
    const bad = new Uint8Array([...Buffer.from('{"reason":"'), 0xe8, 0xa1, ...Buffer.from('"}')]);
    expect(plainJson(plain(bad), 1000)).toBeUndefined();
    expect(plainJson(plain("{}", "text/plain"), 1000)).toBeUndefined();
    expect(plainJson(plain("{}", null), 1000)).toBeUndefined();
    expect(plainJson(plain(JSON.stringify({ a: "x".repeat(2000) })), 1000)).toBeUndefined();
    expect(plainJson({ ...plain("{}"), contentLength: "5000" }, 1000)).toBeUndefined();
    expect(plainJson(plain(""), 1000)).toBeUndefined();
  });
});
