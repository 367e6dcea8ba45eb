/**
 * Attachments: a random 32-byte key per file (the app stores it, base64url, in the tip payload's
 * attachment index or in a message body) and a random 16-byte nonce prefix P.
 *
 *   header blob: 0x51 ‖ P ‖ secretbox(pad(JSON {name, type, size}), P ‖ 0^7 ‖ 0x02, key)
 *   chunk i:     0x52 ‖ secretbox(chunk, P ‖ i (7 bytes BE) ‖ 0x00, key)       (not last)
 *   last chunk:  0x53 ‖ secretbox(chunk, P ‖ i (7 bytes BE) ‖ 0x01, key)
 *
 * Every chunk is exactly 64 KiB except the last (0..64 KiB; an empty file is one empty last
 * chunk). The nonce binds index and last-flag, so reordering, duplicating, dropping the end or
 * appending chunks is detected; the header's size must agree with the chunks.
 */
import { concatBytes, expectBytes, uintBE, utf8Encode } from "./bytes";
import { CryptoError, ensure } from "./errors";
import { TAG } from "./formats";
import { decodeJsonObject, encodeJsonObject } from "./json";
import { expectTag } from "./envelope";
import { MAC_BYTES, secretbox, secretboxOpen, secretboxWithTag } from "./nacl";
import { HEADER_PADDING, pad, unpad } from "./padding";
import { draw, type RandomSource } from "./random";

export const ATTACHMENT_CHUNK_BYTES = 65536;
/** Largest attachment accepted (100 MiB = 1600 chunks). */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;
const PREFIX_BYTES = 16;
const MAX_NAME_BYTES = 255;
const MAX_TYPE_BYTES = 127;
const FLAG_CHUNK = 0x00;
const FLAG_FINAL = 0x01;
const FLAG_HEADER = 0x02;

export interface AttachmentMeta {
  /** file name as the resident chose it */
  readonly name: string;
  /** MIME type, e.g. "image/jpeg" */
  readonly type: string;
  /** plaintext size in bytes */
  readonly size: number;
}

function chunkCount(size: number): number {
  return size === 0 ? 1 : Math.ceil(size / ATTACHMENT_CHUNK_BYTES);
}

function nonceFor(prefix: Uint8Array, index: number, flag: number): Uint8Array {
  return concatBytes(prefix, uintBE(index, 7), new Uint8Array([flag]));
}

function checkMeta(meta: AttachmentMeta): void {
  if (!meta || typeof meta.name !== "string" || typeof meta.type !== "string") {
    throw new CryptoError("bad_input", "attachment meta needs name, type and size");
  }
  ensure(utf8Encode(meta.name).length <= MAX_NAME_BYTES, "oversize", "file name too long");
  ensure(utf8Encode(meta.type).length <= MAX_TYPE_BYTES, "oversize", "MIME type too long");
  ensure(Number.isSafeInteger(meta.size) && meta.size >= 0, "bad_input", "size must be an integer");
  ensure(meta.size <= MAX_ATTACHMENT_BYTES, "oversize", "attachment too large");
}

export interface AttachmentEncryptor {
  /** per-attachment key: store it where the readers of the tip will find it */
  readonly key: Uint8Array;
  /** ATTACHMENT_HEADER_V1 blob */
  readonly header: Uint8Array;
  /**
   * Encrypts the next chunk. Every chunk must be exactly ATTACHMENT_CHUNK_BYTES long except the
   * last, which is whatever remains of `meta.size`; the encryptor marks the last one itself.
   */
  encryptChunk(plaintext: Uint8Array): Uint8Array;
  /** true once the last chunk has been produced */
  readonly done: boolean;
}

/** Random: key (32), nonce prefix (16). */
export function createAttachmentEncryptor(
  meta: AttachmentMeta,
  random?: RandomSource,
): AttachmentEncryptor {
  checkMeta(meta);
  const key = draw(random, 32);
  const prefix = draw(random, PREFIX_BYTES);
  const headerPlain = pad(
    encodeJsonObject({ name: meta.name, type: meta.type, size: meta.size }),
    HEADER_PADDING,
  );
  const header = concatBytes(
    new Uint8Array([TAG.ATTACHMENT_HEADER_V1]),
    prefix,
    secretbox(headerPlain, nonceFor(prefix, 0, FLAG_HEADER), key),
  );
  const total = chunkCount(meta.size);
  let index = 0;
  return {
    key,
    header,
    get done() {
      return index >= total;
    },
    encryptChunk(plaintext: Uint8Array): Uint8Array {
      if (!(plaintext instanceof Uint8Array))
        throw new CryptoError("bad_input", "chunk must be bytes");
      ensure(index < total, "extra_data", "all chunks were already encrypted");
      const last = index === total - 1;
      const expected = last ? meta.size - index * ATTACHMENT_CHUNK_BYTES : ATTACHMENT_CHUNK_BYTES;
      ensure(
        plaintext.length === expected,
        "bad_length",
        `chunk ${index} must be ${expected} bytes`,
      );
      const sealed = secretboxWithTag(
        last ? TAG.ATTACHMENT_FINAL_CHUNK_V1 : TAG.ATTACHMENT_CHUNK_V1,
        plaintext,
        nonceFor(prefix, index, last ? FLAG_FINAL : FLAG_CHUNK),
        key,
      );
      index++;
      return sealed;
    },
  };
}

/** Decrypts only the header (e.g. to list files before downloading them). */
export function openAttachmentHeader(key: Uint8Array, header: Uint8Array): AttachmentMeta {
  expectTag(header, TAG.ATTACHMENT_HEADER_V1, "attachment header");
  expectBytes(key, 32, "attachment key");
  const min = 1 + PREFIX_BYTES + MAC_BYTES + HEADER_PADDING.minBucket;
  ensure(header.length >= min, "truncated", "attachment header too short");
  ensure(
    header.length <= min - HEADER_PADDING.minBucket + HEADER_PADDING.maxBucket,
    "oversize",
    "attachment header too long",
  );
  const prefix = header.subarray(1, 1 + PREFIX_BYTES);
  const opened = secretboxOpen(
    header.subarray(1 + PREFIX_BYTES),
    nonceFor(prefix, 0, FLAG_HEADER),
    key,
  );
  if (!opened)
    throw new CryptoError("auth_failed", "attachment header does not open with this key");
  const json = decodeJsonObject(unpad(opened, HEADER_PADDING));
  const { name, type, size } = json;
  if (typeof name !== "string" || typeof type !== "string" || typeof size !== "number") {
    throw new CryptoError("bad_format", "attachment header fields missing");
  }
  const meta = { name, type, size };
  try {
    checkMeta(meta);
  } catch {
    throw new CryptoError("bad_format", "attachment header fields out of range");
  }
  return meta;
}

export interface AttachmentDecryptor {
  readonly meta: AttachmentMeta;
  /** Decrypts the next chunk in order; throws on any tampering, reordering or extra chunk. */
  decryptChunk(blob: Uint8Array): Uint8Array;
  /** Throws `truncated` unless the last chunk was seen. Call after the last chunk arrived. */
  finish(): void;
  readonly done: boolean;
}

export function createAttachmentDecryptor(
  key: Uint8Array,
  header: Uint8Array,
): AttachmentDecryptor {
  const meta = openAttachmentHeader(key, header);
  const prefix = header.slice(1, 1 + PREFIX_BYTES);
  const total = chunkCount(meta.size);
  let index = 0;
  return {
    meta,
    get done() {
      return index >= total;
    },
    decryptChunk(blob: Uint8Array): Uint8Array {
      ensure(index < total, "extra_data", "chunk after the last chunk");
      if (!(blob instanceof Uint8Array)) throw new CryptoError("bad_input", "chunk must be bytes");
      ensure(blob.length > 0, "truncated", "empty chunk");
      const tag = blob[0];
      ensure(
        tag === TAG.ATTACHMENT_CHUNK_V1 || tag === TAG.ATTACHMENT_FINAL_CHUNK_V1,
        "bad_version",
        "unknown attachment chunk format",
      );
      const final = tag === TAG.ATTACHMENT_FINAL_CHUNK_V1;
      ensure(blob.length >= 1 + MAC_BYTES, "truncated", "chunk too short");
      ensure(blob.length <= 1 + MAC_BYTES + ATTACHMENT_CHUNK_BYTES, "oversize", "chunk too long");
      const opened = secretboxOpen(
        blob.subarray(1),
        nonceFor(prefix, index, final ? FLAG_FINAL : FLAG_CHUNK),
        key,
      );
      if (!opened)
        throw new CryptoError("auth_failed", `chunk ${index} is not chunk ${index} of this file`);
      const last = index === total - 1;
      // Authentic but inconsistent with the header: only a buggy or malicious writer gets here.
      ensure(final === last, "bad_format", "last-chunk flag disagrees with size");
      const expected = last ? meta.size - index * ATTACHMENT_CHUNK_BYTES : ATTACHMENT_CHUNK_BYTES;
      ensure(opened.length === expected, "bad_format", "chunk length disagrees with header size");
      index++;
      return opened;
    },
    finish(): void {
      ensure(index >= total, "truncated", "attachment ended before its last chunk");
    },
  };
}

export interface EncryptedAttachment {
  readonly key: Uint8Array;
  readonly header: Uint8Array;
  readonly chunks: Uint8Array[];
}

/** Whole-file convenience over `createAttachmentEncryptor`. Random: key (32), prefix (16). */
export function encryptAttachment(
  data: Uint8Array,
  meta: { readonly name: string; readonly type: string },
  random?: RandomSource,
): EncryptedAttachment {
  if (!(data instanceof Uint8Array)) throw new CryptoError("bad_input", "data must be bytes");
  const enc = createAttachmentEncryptor(
    { name: meta?.name, type: meta?.type, size: data.length },
    random,
  );
  const chunks: Uint8Array[] = [];
  let at = 0;
  do {
    const end = Math.min(data.length, at + ATTACHMENT_CHUNK_BYTES);
    chunks.push(enc.encryptChunk(data.subarray(at, end)));
    at = end;
  } while (!enc.done);
  return { key: enc.key, header: enc.header, chunks };
}

/** Whole-file convenience over `createAttachmentDecryptor`. */
export function decryptAttachment(
  key: Uint8Array,
  header: Uint8Array,
  chunks: readonly Uint8Array[],
): { meta: AttachmentMeta; data: Uint8Array } {
  const dec = createAttachmentDecryptor(key, header);
  if (!Array.isArray(chunks)) throw new CryptoError("bad_input", "chunks must be an array");
  const data = new Uint8Array(dec.meta.size);
  let at = 0;
  for (const chunk of chunks) {
    const plain = dec.decryptChunk(chunk);
    data.set(plain, at);
    at += plain.length;
  }
  dec.finish();
  return { meta: dec.meta, data };
}
