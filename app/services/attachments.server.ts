/**
 * Evidence files of a report, as ciphertext: an encrypted header plus 64 KiB chunks
 * (crypto/attachment.ts). The server cannot open them; it checks their shape (tags, chunk sizes,
 * counts, total size) and stores them chunk by chunk in `attachment_chunks`, inside the caller's
 * transaction so a tip and its files are committed together.
 */
import { randomBytes } from "node:crypto";
import { TAG } from "../../crypto/index";
import { sql } from "drizzle-orm";
import { preparedQuery, type Tx } from "../../db/client";
import { attachmentChunks, attachments } from "../../db/schema";
import type { PlainUpload } from "./http.server";
import { multipartBoundary, parseBufferedMultipart, type BufferedPart } from "./multipart.server";
import {
  CHUNK_BYTES,
  CHUNK_OVERHEAD,
  MAX_REPORT_FILES,
  MAX_REPORT_FILE_BYTES,
  MAX_REPORT_TOTAL_BYTES,
} from "../client/report/model";

export interface IncomingAttachment {
  header: Uint8Array;
  chunks: Uint8Array[];
}

/** An encrypted header: tag + 16-byte prefix + MAC + a padded bucket of at most 1 KiB. */
const MAX_HEADER_BYTES = 1 + 16 + 16 + 1024;
const MIN_HEADER_BYTES = 1 + 16 + 16 + 256;

export type AttachmentCheck =
  | { ok: true }
  | { ok: false; code: "too_many_files" | "file_too_large" | "too_large" | "bad_ciphertext" };

/** Shape checks on ciphertext the server cannot read. */
export function checkAttachments(files: IncomingAttachment[]): AttachmentCheck {
  if (files.length > MAX_REPORT_FILES) return { ok: false, code: "too_many_files" };
  let total = 0;
  for (const file of files) {
    const h = file.header;
    if (h.length < MIN_HEADER_BYTES || h.length > MAX_HEADER_BYTES) {
      return { ok: false, code: "bad_ciphertext" };
    }
    if (h[0] !== TAG.ATTACHMENT_HEADER_V1) return { ok: false, code: "bad_ciphertext" };
    if (file.chunks.length === 0) return { ok: false, code: "bad_ciphertext" };
    let size = 0;
    for (let i = 0; i < file.chunks.length; i++) {
      const chunk = file.chunks[i]!;
      const last = i === file.chunks.length - 1;
      const tag = last ? TAG.ATTACHMENT_FINAL_CHUNK_V1 : TAG.ATTACHMENT_CHUNK_V1;
      if (chunk[0] !== tag || chunk.length < CHUNK_OVERHEAD) {
        return { ok: false, code: "bad_ciphertext" };
      }
      if (
        last
          ? chunk.length > CHUNK_BYTES + CHUNK_OVERHEAD
          : chunk.length !== CHUNK_BYTES + CHUNK_OVERHEAD
      ) {
        return { ok: false, code: "bad_ciphertext" };
      }
      size += chunk.length;
    }
    // Plaintext size: every chunk adds exactly CHUNK_OVERHEAD bytes.
    const plain = size - file.chunks.length * CHUNK_OVERHEAD;
    if (plain > MAX_REPORT_FILE_BYTES) return { ok: false, code: "file_too_large" };
    total += plain;
  }
  if (total > MAX_REPORT_TOTAL_BYTES) return { ok: false, code: "too_large" };
  return { ok: true };
}

/** Chunks per INSERT: few round trips, statements well under any driver's size limits. */
const CHUNKS_PER_INSERT = 16;

/**
 * Writes the files of one tip (or of one tipster reply, `messageId`) inside the transaction that
 * stores the tip or the reply. `ids` may fix the attachment ids (the caller already told them).
 */
export async function storeAttachments(
  tx: Tx,
  tipId: string,
  files: IncomingAttachment[],
  now: Date,
  opts: { messageId?: string; ids?: string[] } = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (const [n, file] of files.entries()) {
    const id = opts.ids?.[n] ?? "att_" + randomBytes(12).toString("base64url");
    ids.push(id);
    // Prepared once (`preparedQuery`: kept for every SQLite write transaction; issue 13).
    await preparedQuery(tx, "cw_attachment_insert", (t) =>
      (t as Tx)
        .insert(attachments)
        .values({
          id: sql.placeholder("id"),
          tipId: sql.placeholder("tipId"),
          messageId: sql.placeholder("messageId"),
          header: sql.placeholder("header"),
          chunkCount: sql.placeholder("chunkCount"),
          ciphertextSize: sql.placeholder("ciphertextSize"),
          complete: sql.placeholder("complete"),
          createdAt: sql.placeholder("createdAt"),
        })
        .prepare("cw_attachment_insert"),
    ).execute({
      id,
      tipId,
      messageId: opts.messageId ?? null,
      header: Buffer.from(file.header),
      chunkCount: file.chunks.length,
      ciphertextSize: file.chunks.reduce((s, c) => s + c.length, 0),
      complete: true,
      createdAt: now,
    });
    for (let i = 0; i < file.chunks.length; i += CHUNKS_PER_INSERT) {
      const batch = file.chunks.slice(i, i + CHUNKS_PER_INSERT);
      const name = `cw_attachment_chunks_${batch.length}`;
      const values: Record<string, unknown> = { attachmentId: id };
      batch.forEach((chunk, k) => {
        values[`idx${k}`] = i + k;
        values[`data${k}`] = Buffer.from(chunk);
      });
      await preparedQuery(tx, name, (t) =>
        (t as Tx)
          .insert(attachmentChunks)
          .values(
            batch.map((_, k) => ({
              attachmentId: sql.placeholder("attachmentId"),
              idx: sql.placeholder(`idx${k}`),
              data: sql.placeholder(`data${k}`),
            })),
          )
          .prepare(name),
      ).execute(values);
    }
  }
  return ids;
}

// ---------------------------------------------------------------- reading an upload

export type UploadRead =
  { ok: true; parts: BufferedPart[] } | { ok: false; code: "too_large" | "bad_request" };

/**
 * Reads a multipart body whole, in memory (never on disk: on the no-JS path it holds plaintext),
 * and splits it into parts (`parseBufferedMultipart`), with a declared-size cap checked before
 * reading (Node's HTTP parser stops at Content-Length, so the declared size bounds what is read;
 * more than `maxBytes` arriving anyway is refused too) and a per-part cap.
 */
export async function readUpload(
  request: PlainUpload,
  maxBytes: number,
  maxPartBytes: number,
): Promise<UploadRead> {
  const boundary = multipartBoundary(request.contentType ?? "");
  if (boundary === null) return { ok: false, code: "bad_request" };
  const declared = Number(request.contentLength ?? "NaN");
  if (!Number.isFinite(declared)) return { ok: false, code: "bad_request" };
  if (declared > maxBytes) return { ok: false, code: "too_large" };
  const body = await request.readBody(maxBytes);
  if (body === null) return { ok: false, code: "bad_request" };
  if (body === "too_large") return { ok: false, code: "too_large" };
  const read = parseBufferedMultipart(body, boundary, maxPartBytes);
  if (!read.ok)
    return { ok: false, code: read.code === "part_too_large" ? "too_large" : "bad_request" };
  return { ok: true, parts: read.parts };
}
