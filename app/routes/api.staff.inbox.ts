/**
 * GET /api/staff/inbox — the inbox rows with ciphertext. Audited.
 *
 * `?format=records` (what the inbox page loads after unlocking): the ciphertext only, streamed as
 * binary records in the list's order (newest first), then an end record with the count — a reader
 * that never sees it has a cut answer (app/client/staff/inbox-records.ts has the format). The
 * browser decrypts runs of records as they arrive (app/client/staff/inbox-client.ts).
 * `?format=ndjson`: the same as one JSON object per line, `{"id","payload","envelope"}` (base64url),
 * then `{"end":true,"count":N}`, for clients that want text. The same permission, listing rule
 * and audit as the JSON answer; ADR 028.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { badRequest, b64u, handleCaseApi } from "~/services/cases.server";
import {
  CIPHERTEXT_CHUNK,
  loadInbox,
  openInboxCiphertext,
  type InboxCiphertext,
} from "~/services/inbox.server";
import {
  encodeEndRecord,
  encodeTipRecords,
  RECORDS_CONTENT_TYPE,
  RECORDS_MAGIC,
} from "~/shared/inbox-records";

type Source = Awaited<ReturnType<typeof openInboxCiphertext>>;

export async function loader(args: LoaderFunctionArgs) {
  const format = new URL(args.request.url).searchParams.get("format");
  return await handleCaseApi(args, "tip:read:team", async (session) => {
    if (format === "records") {
      return streamed(await openInboxCiphertext(args.context.db, session), RECORDS);
    }
    if (format === "ndjson") {
      return streamed(await openInboxCiphertext(args.context.db, session), NDJSON);
    }
    if (format !== null && format !== "json") return badRequest(args.request);
    return { tips: await loadInbox(args.context.db, session) };
  });
}

interface Encoding {
  contentType: string;
  start: Uint8Array | null;
  rows(rows: InboxCiphertext[]): Uint8Array;
  end(count: number): Uint8Array;
}

const RECORDS: Encoding = {
  contentType: RECORDS_CONTENT_TYPE,
  start: RECORDS_MAGIC,
  rows: encodeTipRecords,
  end: encodeEndRecord,
};

const encoder = new TextEncoder();
const NDJSON: Encoding = {
  contentType: "application/x-ndjson; charset=utf-8",
  start: null,
  rows(rows) {
    let text = "";
    for (const r of rows) {
      text += `${JSON.stringify({ id: r.id, payload: b64u(r.payload), envelope: b64u(r.envelope) })}\n`;
    }
    return encoder.encode(text);
  },
  end: (count) => encoder.encode(`${JSON.stringify({ end: true, count })}\n`),
};

/** One chunk per query of `CIPHERTEXT_CHUNK` tips, read when the client takes more. */
function streamed(source: Source, encoding: Encoding): Response {
  let at = 0;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (encoding.start) controller.enqueue(encoding.start.slice());
    },
    async pull(controller) {
      if (at >= source.ids.length) {
        controller.enqueue(encoding.end(sent));
        controller.close();
        return;
      }
      const rows = await source.read(source.ids.slice(at, at + CIPHERTEXT_CHUNK));
      at += CIPHERTEXT_CHUNK;
      sent += rows.length;
      controller.enqueue(encoding.rows(rows));
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": encoding.contentType,
      // Ciphertext does not compress (ADR 026, 028): sent as it is, by us and by proxies.
      "Cache-Control": "no-store, no-transform",
      Pragma: "no-cache",
    },
  });
}
