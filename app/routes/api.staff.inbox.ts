/**
 * GET /api/staff/inbox — the inbox rows with ciphertext. Audited.
 *
 * `?format=ndjson` (what the inbox page loads after unlocking): the ciphertext only, streamed as
 * one JSON object per line, `{"id","payload","envelope"}` in the list's order (newest first), then
 * `{"end":true,"count":N}` — a reader that never sees that line has a cut answer. The browser
 * decrypts lines as they arrive (app/client/staff/inbox-stream.ts). The same permission, listing
 * rule and audit as the JSON answer; ADR 028.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { badRequest, handleCaseApi } from "~/services/cases.server";
import {
  CIPHERTEXT_CHUNK,
  loadInbox,
  openInboxCiphertext,
  type InboxCiphertext,
} from "~/services/inbox.server";

export async function loader(args: LoaderFunctionArgs) {
  const format = new URL(args.request.url).searchParams.get("format");
  return await handleCaseApi(args, "tip:read:team", async (session) => {
    if (format === "ndjson") return ndjson(await openInboxCiphertext(args.context.db, session));
    if (format !== null && format !== "json") return badRequest(args.request);
    return { tips: await loadInbox(args.context.db, session) };
  });
}

/** One chunk of lines per query of `CIPHERTEXT_CHUNK` tips, read when the client takes more. */
function ndjson(source: Awaited<ReturnType<typeof openInboxCiphertext>>): Response {
  const encoder = new TextEncoder();
  let at = 0;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at >= source.ids.length) {
        controller.enqueue(encoder.encode(`${JSON.stringify({ end: true, count: sent })}\n`));
        controller.close();
        return;
      }
      const rows: InboxCiphertext[] = await source.read(
        source.ids.slice(at, at + CIPHERTEXT_CHUNK),
      );
      at += CIPHERTEXT_CHUNK;
      sent += rows.length;
      let text = "";
      for (const r of rows) {
        text += `${JSON.stringify({ id: r.id, payload: r.payload, envelope: r.envelope })}\n`;
      }
      controller.enqueue(encoder.encode(text));
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      // Ciphertext does not compress (ADR 026, 028): sent as it is, by us and by proxies.
      "Cache-Control": "no-store, no-transform",
      Pragma: "no-cache",
    },
  });
}
