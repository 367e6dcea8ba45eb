import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../../../crypto/index";
import { bucketFor, pad, unpad } from "../../../crypto/padding";
import { expectCode } from "./helpers";

describe("base64url", () => {
  it("matches Node's encoder and round-trips", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = c.base64urlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect(c.toHex(c.base64urlDecode(text))).toBe(c.toHex(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it("rejects padding, the standard alphabet, whitespace and non-canonical tails", async () => {
    for (const t of ["AA==", "A+", "A/", "AB C", "AR", "AAB", "A", "ü"]) {
      await expectCode(() => c.base64urlDecode(t), "bad_format");
    }
  });
});

describe("hex and UTF-8", () => {
  it("round-trips hex and rejects junk", async () => {
    expect(c.toHex(c.fromHex("00ff10"))).toBe("00ff10");
    await expectCode(() => c.fromHex("0"), "bad_format");
    await expectCode(() => c.fromHex("zz"), "bad_format");
  });

  it("decodes UTF-8 strictly", async () => {
    expect(c.utf8Decode(c.utf8Encode("巡察"))).toBe("巡察");
    await expectCode(() => c.utf8Decode(new Uint8Array([0xff, 0xfe])), "bad_format");
  });
});

describe("padding", () => {
  it("uses power-of-two buckets from the minimum", () => {
    expect(bucketFor(0, c.PAYLOAD_PADDING)).toBe(1024);
    expect(bucketFor(1020, c.PAYLOAD_PADDING)).toBe(1024);
    expect(bucketFor(1021, c.PAYLOAD_PADDING)).toBe(2048);
    expect(bucketFor(0, c.MESSAGE_PADDING)).toBe(256);
    expect(bucketFor((1 << 20) - 4, c.PAYLOAD_PADDING)).toBe(1 << 20);
  });

  it("refuses oversize plaintexts and malformed padding", async () => {
    await expectCode(() => bucketFor((1 << 20) - 3, c.PAYLOAD_PADDING), "oversize");
    await expectCode(() => unpad(new Uint8Array(1000), c.PAYLOAD_PADDING), "bad_length");
    const p = pad(new Uint8Array([1, 2, 3]), c.MESSAGE_PADDING);
    p[200] = 1;
    await expectCode(() => unpad(p, c.MESSAGE_PADDING), "bad_format");
    const q = pad(new Uint8Array([1, 2, 3]), c.MESSAGE_PADDING);
    q[1] = 1; // length prefix far beyond the bucket
    await expectCode(() => unpad(q, c.MESSAGE_PADDING), "bad_format");
  });

  it("round-trips any length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const padded = pad(bytes, c.PAYLOAD_PADDING);
        expect(padded.length & (padded.length - 1)).toBe(0);
        expect(c.toHex(unpad(padded, c.PAYLOAD_PADDING))).toBe(c.toHex(bytes));
      }),
      { numRuns: 100 },
    );
  });
});

describe("SHA-256 and HMAC", () => {
  it("agree with node:crypto on random inputs", async () => {
    const { createHash, createHmac } = await import("node:crypto");
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 100 }),
        (msg, key) => {
          expect(c.toHex(c.sha256(msg))).toBe(createHash("sha256").update(msg).digest("hex"));
          expect(c.toHex(c.hmacSha256(key, msg))).toBe(
            createHmac("sha256", key).update(msg).digest("hex"),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("agree with node:crypto at every padding boundary, calls in any order", async () => {
    // hmacSha256 reuses scratch buffers between calls: lengths around the one- and two-block
    // tails, long keys (hashed first) and short ones, one after another.
    const { createHmac } = await import("node:crypto");
    for (const keyLen of [0, 1, 32, 64, 65, 100]) {
      for (let len = 0; len <= 200; len++) {
        const key = Uint8Array.from({ length: keyLen }, (_, i) => (i * 7 + len) & 0xff);
        const msg = Uint8Array.from({ length: len }, (_, i) => (i * 13 + keyLen) & 0xff);
        expect(c.toHex(c.hmacSha256(key, msg))).toBe(
          createHmac("sha256", key).update(msg).digest("hex"),
        );
      }
    }
  });
});
