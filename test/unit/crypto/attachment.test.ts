import { describe, expect, it } from "vitest";
import * as c from "../../../crypto/index";
import { patternBytes } from "../../support/crypto-vector-random";
import { expectCode } from "./helpers";

const CHUNK = c.ATTACHMENT_CHUNK_BYTES;

describe("attachments", () => {
  const data = patternBytes(3 * CHUNK + 5);
  const enc = c.encryptAttachment(data, { name: "ledger.pdf", type: "application/pdf" });
  const [a, b, d, z] = enc.chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];

  it("round-trips through the streaming API one chunk at a time", () => {
    const e = c.createAttachmentEncryptor({
      name: "x.bin",
      type: "application/octet-stream",
      size: data.length,
    });
    const chunks: Uint8Array[] = [];
    for (let at = 0; !e.done; at += CHUNK)
      chunks.push(e.encryptChunk(data.subarray(at, Math.min(data.length, at + CHUNK))));
    expect(chunks.map((x) => x[0])).toEqual([0x52, 0x52, 0x52, 0x53]);
    const dec = c.createAttachmentDecryptor(e.key, e.header);
    expect(dec.meta).toEqual({
      name: "x.bin",
      type: "application/octet-stream",
      size: data.length,
    });
    const parts = chunks.map((x) => dec.decryptChunk(x));
    dec.finish();
    expect(c.toHex(c.sha256(c.concatBytes(...parts)))).toBe(c.toHex(c.sha256(data)));
  });

  it("handles an empty file as one empty final chunk", () => {
    const e = c.encryptAttachment(new Uint8Array(0), { name: "", type: "" });
    expect(e.chunks.length).toBe(1);
    expect(e.chunks[0]![0]).toBe(0x53);
    expect(c.decryptAttachment(e.key, e.header, e.chunks).data.length).toBe(0);
  });

  it("handles exact multiples of the chunk size", () => {
    const e = c.encryptAttachment(patternBytes(2 * CHUNK), { name: "a", type: "b" });
    expect(e.chunks.length).toBe(2);
    expect(c.decryptAttachment(e.key, e.header, e.chunks).data.length).toBe(2 * CHUNK);
  });

  it("rejects truncation (missing final chunk)", async () => {
    await expectCode(() => c.decryptAttachment(enc.key, enc.header, [a, b, d]), "truncated");
    await expectCode(() => c.decryptAttachment(enc.key, enc.header, []), "truncated");
    const dec = c.createAttachmentDecryptor(enc.key, enc.header);
    dec.decryptChunk(a);
    await expectCode(() => dec.finish(), "truncated");
  });

  it("rejects reordered, duplicated, dropped-middle and extra chunks", async () => {
    await expectCode(() => c.decryptAttachment(enc.key, enc.header, [b, a, d, z]), "auth_failed");
    await expectCode(() => c.decryptAttachment(enc.key, enc.header, [a, a, d, z]), "auth_failed");
    await expectCode(() => c.decryptAttachment(enc.key, enc.header, [a, d, z]), "auth_failed");
    await expectCode(() => c.decryptAttachment(enc.key, enc.header, [a, b, z]), "auth_failed");
    await expectCode(() => c.decryptAttachment(enc.key, enc.header, [a, b, d, z, z]), "extra_data");
    await expectCode(() => c.decryptAttachment(enc.key, enc.header, [a, b, d, z, a]), "extra_data");
  });

  it("rejects chunks from another file, even with the same key", async () => {
    const other = c.encryptAttachment(data, { name: "ledger.pdf", type: "application/pdf" });
    await expectCode(
      () => c.decryptAttachment(enc.key, enc.header, [a, other.chunks[1]!, d, z]),
      "auth_failed",
    );
    await expectCode(() => c.decryptAttachment(enc.key, other.header, enc.chunks), "auth_failed");
  });

  it("rejects a final flag forged onto a middle chunk and vice versa", async () => {
    const forged = b.slice();
    forged[0] = 0x53;
    await expectCode(() => c.decryptAttachment(enc.key, enc.header, [a, forged]), "auth_failed");
    const unfinal = z.slice();
    unfinal[0] = 0x52;
    await expectCode(
      () => c.decryptAttachment(enc.key, enc.header, [a, b, d, unfinal]),
      "auth_failed",
    );
  });

  it("enforces chunk sizes, attachment limits and meta on the encrypting side", async () => {
    const e = c.createAttachmentEncryptor({ name: "a", type: "b", size: CHUNK + 1 });
    await expectCode(() => e.encryptChunk(new Uint8Array(CHUNK - 1)), "bad_length");
    e.encryptChunk(new Uint8Array(CHUNK));
    await expectCode(() => e.encryptChunk(new Uint8Array(2)), "bad_length");
    e.encryptChunk(new Uint8Array(1));
    await expectCode(() => e.encryptChunk(new Uint8Array(0)), "extra_data");
    await expectCode(
      () => c.createAttachmentEncryptor({ name: "a", type: "b", size: c.MAX_ATTACHMENT_BYTES + 1 }),
      "oversize",
    );
    await expectCode(
      () => c.createAttachmentEncryptor({ name: "n".repeat(256), type: "b", size: 1 }),
      "oversize",
    );
    await expectCode(
      () => c.createAttachmentEncryptor({ name: "a", type: "b", size: -1 }),
      "bad_input",
    );
  });

  it("rejects oversize chunk blobs before decrypting", async () => {
    const dec = c.createAttachmentDecryptor(enc.key, enc.header);
    await expectCode(() => dec.decryptChunk(new Uint8Array(CHUNK + 18).fill(0x52)), "oversize");
    await expectCode(() => dec.decryptChunk(new Uint8Array([0x52, 1, 2])), "truncated");
    await expectCode(() => dec.decryptChunk(new Uint8Array([0x54, 1, 2])), "bad_version");
  });
});
