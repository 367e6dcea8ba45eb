/**
 * Small HTTP helpers shared by JSON endpoints and pages: the no-store header for anything that
 * shows case content, the `{ error: { code, message } }` shape of API refusals, and a bounded
 * JSON body reader, and the one schema for binary (base64url) fields.
 */
import { z } from "zod";

export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** `{ error: { code, message } }` with a localized message and a 4xx status. */
export function apiError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return answerResponse(apiErrorAnswer(status, code, message, headers));
}

// ---------------------------------------------------------------- plain requests and answers
/*
 * The status look-up is answered without web `Request`/`Response` objects on the server's direct
 * path (server/direct-actions.ts, issue 13: building them, the body stream and serialising the
 * answer through them were a fifth of the CPU per look-up). Its route keeps a Remix `action` too;
 * both call one function on these plain values, so the answer (status, headers, bytes) is the
 * same whichever path serves it.
 */

/** What a JSON API needs of a request: a few headers and the body, already read. */
export interface PlainRequest {
  method: string;
  contentType: string | null;
  contentLength: string | null;
  cookie: string | null;
  /** The whole body (the direct path reads bodies up to 16 KB before calling). */
  body: Uint8Array;
}

/** A JSON answer: status, headers (Content-Type included) and the body as the bytes to send. */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * As `Response.json(data, { status, headers })` would make it, with the charset Express adds to a
 * JSON Content-Type (so the server's plain path, which writes headers as they are, sends the same
 * header). Serialised to bytes here, once: a status look-up does this before its time floor.
 */
export function jsonAnswer(
  data: unknown,
  status = 200,
  headers: Record<string, string> = {},
): PlainAnswer {
  return {
    status,
    headers: { ...headers, "content-type": "application/json; charset=utf-8" },
    body: Buffer.from(JSON.stringify(data)),
  };
}

/** `apiError` as a plain answer. */
export function apiErrorAnswer(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): PlainAnswer {
  return jsonAnswer({ error: { code, message } }, status, { ...NO_STORE, ...headers });
}

export function answerResponse(answer: PlainAnswer): Response {
  const { body } = answer;
  return new Response(new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as BodyInit, {
    status: answer.status,
    headers: answer.headers,
  });
}

/** The plain request of a web `Request`, its body read up to `maxBytes` (more: cut short). */
export async function plainRequest(request: Request, maxBytes: number): Promise<PlainRequest> {
  const plain = {
    method: request.method,
    contentType: request.headers.get("Content-Type"),
    contentLength: request.headers.get("Content-Length"),
    cookie: request.headers.get("Cookie"),
  };
  const declared = Number(plain.contentLength ?? "0");
  if (declared > maxBytes || !request.body) return { ...plain, body: new Uint8Array(0) };
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    parts.push(value);
    if (size > maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return { ...plain, body: Buffer.concat(parts) };
}

/**
 * A request whose body is read on demand, up to a cap the route chooses (a report: megabytes of
 * multipart, refused by its declared size or its quota before a byte of it is read). The web
 * `Request` of Remix's path (`plainUpload`) and the server's direct path (server/direct-actions.ts)
 * both give one, so a route answers alike on either.
 */
export interface PlainUpload {
  method: string;
  contentType: string | null;
  contentLength: string | null;
  cookie: string | null;
  /** The whole body; "too_large" once more than `maxBytes` arrived; null if it could not be read. */
  readBody(maxBytes: number): Promise<Buffer | "too_large" | null>;
}

/** `PlainUpload` of a web `Request`: its body stream read through a reader, capped. */
export function plainUpload(request: Request): PlainUpload {
  return {
    method: request.method,
    contentType: request.headers.get("Content-Type"),
    contentLength: request.headers.get("Content-Length"),
    cookie: request.headers.get("Cookie"),
    async readBody(maxBytes) {
      if (!request.body) return null;
      const chunks: Uint8Array[] = [];
      let size = 0;
      try {
        const reader = request.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > maxBytes) {
            await reader.cancel();
            return "too_large";
          }
          chunks.push(value);
        }
      } catch {
        return null;
      }
      return Buffer.concat(chunks, size);
    },
  };
}

/** `readJson` on a plain request: undefined for anything else (type, size, UTF-8). */
export function plainJson(request: PlainRequest, maxBytes: number): unknown {
  if (!(request.contentType ?? "").startsWith("application/json")) return undefined;
  const declared = Number(request.contentLength ?? "0");
  if (declared > maxBytes || request.body.length > maxBytes) return undefined;
  try {
    return JSON.parse(strictUtf8.decode(request.body)) as unknown;
  } catch {
    return undefined;
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads a JSON body of at most `maxBytes`; undefined for anything else (type, size, UTF-8). */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  // Checked before reading, so a body of another type is never read.
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json")) return undefined;
  return plainJson(await plainRequest(request, maxBytes), maxBytes);
}

/**
 * A binary field at the HTTP edge: the strict base64url of docs/crypto.md §2 (no padding, no
 * `+/`, no whitespace, unused low bits zero), decoded to bytes during validation. Every JSON
 * endpoint reads its binary fields through this one schema, so a string that is not the canonical
 * encoding of some bytes fails `safeParse` like any other bad field (the route's localized 400)
 * instead of throwing later in a decoder (a 500). `bytes`: exact length; `max`: at most that many.
 */
export function b64urlField(size: { bytes: number } | { max: number }) {
  const maxBytes = "bytes" in size ? size.bytes : size.max;
  return z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3))
    .transform((text, ctx) => {
      const bytes = strictBase64url(text);
      if (bytes) return bytes;
      ctx.addIssue({ code: "custom", message: "not canonical base64url" });
      return z.NEVER;
    })
    .refine((b) => ("bytes" in size ? b.length === size.bytes : b.length <= size.max), {
      message: "wrong length",
    });
}

/**
 * docs/crypto.md §2's strict base64url on Node's native decoder (a report's fields are some
 * 40 KB of it; crypto's portable decoder was 1.5 % of the CPU per submission). Node's decoder
 * skips what it does not understand, so the text is accepted only if it is exactly the encoding
 * of what was decoded: that refuses padding, `+/`, whitespace, other characters, an impossible
 * length and non-zero unused bits, as `base64urlDecode` does (test/unit/http-edge.test.ts).
 */
function strictBase64url(text: string): Uint8Array | null {
  const decoded = Buffer.from(text, "base64url");
  if (decoded.toString("base64url") !== text) return null;
  return new Uint8Array(decoded);
}
