/**
 * Small HTTP helpers shared by JSON endpoints and pages: the no-store header for anything that
 * shows case content, the `{ error: { code, message } }` shape of API refusals, and a bounded
 * JSON body reader, and the one schema for binary (base64url) fields.
 */
import { z } from "zod";
import { base64urlDecode, isCryptoError } from "../../crypto/index";

export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** `{ error: { code, message } }` with a localized message and a 4xx status. */
export function apiError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error: { code, message } },
    { status, headers: { ...NO_STORE, ...headers } },
  );
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads a JSON body of at most `maxBytes`; undefined for anything else (type, size, UTF-8). */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json")) return undefined;
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes || !request.body) return undefined;
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    parts.push(value);
  }
  try {
    // Invalid UTF-8 is bad input, not text to repair with U+FFFD.
    return JSON.parse(strictUtf8.decode(Buffer.concat(parts))) as unknown;
  } catch {
    return undefined;
  }
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
      try {
        return base64urlDecode(text);
      } catch (err) {
        if (!isCryptoError(err)) throw err;
        ctx.addIssue({ code: "custom", message: "not canonical base64url" });
        return z.NEVER;
      }
    })
    .refine((b) => ("bytes" in size ? b.length === size.bytes : b.length <= size.max), {
      message: "wrong length",
    });
}
