/**
 * Reads a multipart form (the no-JavaScript report) with limits, without ever losing the text.
 *
 * A resident without JavaScript who picks a 30 MB photo still sends the whole body; refusing it
 * unread (or throwing at the first oversize part) would answer with an empty form and lose
 * everything they typed. So the body is streamed: text fields are kept (each bounded), files are
 * kept while they fit the limits and otherwise drained and only *named* in `dropped`, so the page
 * can say which files to choose again. Only past `maxBodyBytes` (far above any legitimate form)
 * does reading stop; what was read until then is still returned. Everything stays in memory (on
 * this path the parts are plaintext): nothing is written to disk.
 */
import { unstable_parseMultipartFormData } from "@remix-run/node";
import { SNIFF_BYTES } from "../shared/file-types";

export interface MultipartLimits {
  /** largest single file kept */
  maxFileBytes: number;
  /** all kept files together */
  maxTotalFileBytes: number;
  /** files kept; further files are dropped */
  maxFiles: number;
  /** a text field is cut at this many bytes (the form's own limits are far below) */
  maxFieldBytes: number;
  /** text fields kept; further ones are ignored */
  maxFields: number;
  /** reading stops here (the request is then answered without its rest) */
  maxBodyBytes: number;
}

export interface KeptFile {
  field: string;
  name: string;
  type: string;
  data: Uint8Array;
}

export interface DroppedFile {
  field: string;
  name: string;
  type: string;
  /** bytes seen before it was dropped (the whole file unless reading stopped) */
  size: number;
  /** its first bytes (up to SNIFF_BYTES), so a dropped program is still named as one */
  head: Uint8Array;
  reason: "too_large" | "total_too_large" | "too_many";
}

export interface BoundedForm {
  /** text fields, every value in order (a name may repeat) */
  fields: [string, string][];
  files: KeptFile[];
  dropped: DroppedFile[];
}

export type MultipartRead =
  | { ok: true; form: BoundedForm }
  /** `form` holds what was read before the problem: the page can still show it. */
  | { ok: false; code: "not_multipart" | "malformed" | "body_too_large"; form: BoundedForm };

class BodyTooLarge extends Error {}

/** A copy of the body stream that errors once more than `max` bytes went through. */
function capped(body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > max) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

export async function readBoundedMultipart(
  request: Request,
  limits: MultipartLimits,
): Promise<MultipartRead> {
  const form: BoundedForm = { fields: [], files: [], dropped: [] };
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data") || !request.body) {
    return { ok: false, code: "not_multipart", form };
  }
  let keptBytes = 0;
  const decoder = () => new TextDecoder("utf-8", { fatal: false });
  const source = {
    headers: request.headers,
    body: capped(request.body, limits.maxBodyBytes),
  } as unknown as Request;
  try {
    await unstable_parseMultipartFormData(source, async ({ name, filename, contentType, data }) => {
      if (typeof filename !== "string") {
        // A text field: keep up to maxFieldBytes, drain the rest.
        const dec = decoder();
        let text = "";
        let bytes = 0;
        for await (const chunk of data) {
          if (bytes < limits.maxFieldBytes) {
            const room = limits.maxFieldBytes - bytes;
            text += dec.decode(chunk.subarray(0, room), { stream: true });
          }
          bytes += chunk.byteLength;
        }
        // A cut field ends where the last whole character did (no flush of a partial one).
        if (bytes <= limits.maxFieldBytes) text += dec.decode();
        if (form.fields.length < limits.maxFields) form.fields.push([name, text]);
        return undefined;
      }
      // A file: an empty file input still sends one part with no name and no bytes.
      const chunks: Uint8Array[] = [];
      const head = new Uint8Array(SNIFF_BYTES);
      let size = 0;
      let keeping = form.files.length < limits.maxFiles;
      for await (const chunk of data) {
        if (size < SNIFF_BYTES) head.set(chunk.subarray(0, SNIFF_BYTES - size), size);
        size += chunk.byteLength;
        if (
          keeping &&
          (size > limits.maxFileBytes || keptBytes + size > limits.maxTotalFileBytes)
        ) {
          keeping = false;
          chunks.length = 0;
        }
        if (keeping) chunks.push(chunk);
      }
      if (size === 0 && filename === "") return undefined;
      const file = { field: name, name: filename, type: contentType };
      if (keeping) {
        const bytes = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) {
          bytes.set(c, at);
          at += c.byteLength;
        }
        keptBytes += size;
        form.files.push({ ...file, data: bytes });
      } else {
        form.dropped.push({
          ...file,
          size,
          head: head.slice(0, Math.min(size, SNIFF_BYTES)),
          reason:
            form.files.length >= limits.maxFiles
              ? "too_many"
              : size > limits.maxFileBytes
                ? "too_large"
                : "total_too_large",
        });
      }
      return undefined;
    });
  } catch (err) {
    if (
      err instanceof BodyTooLarge ||
      (err as { cause?: unknown })?.cause instanceof BodyTooLarge
    ) {
      return { ok: false, code: "body_too_large", form };
    }
    return { ok: false, code: "malformed", form };
  }
  return { ok: true, form };
}
