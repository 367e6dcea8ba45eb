/**
 * For tests that compare the server's two ways of answering one POST: with a Content-Length it is
 * answered before Express by the route's `direct`/`directUpload` (server/direct-actions.ts,
 * plainDirect); a chunked body (no length) goes through Express, the web Request and the route's
 * `action`. Both must send the same status, headers and bytes.
 */

/** An answer's headers but the date and the connection's framing, the CSP's nonce blanked. */
export function comparableHeaders(res: Response): Record<string, string> {
  return Object.fromEntries(
    [...res.headers]
      .filter(([name]) => !["date", "content-length", "transfer-encoding"].includes(name))
      .map(([name, value]) => [name, value.replace(/'nonce-[^']*'/, "'nonce-'")]),
  );
}

/** POSTs `text` as a browser would (accepting compression), with a length or chunked. */
export async function postEitherPath(
  url: string,
  contentType: string,
  text: string,
  chunked: boolean,
  cookie?: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const bytes = new TextEncoder().encode(text);
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": contentType,
      // As a browser asks (fetch would decode a compressed answer; the header stays).
      "Accept-Encoding": "gzip, deflate, br",
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: chunked
      ? new ReadableStream({
          start(c) {
            c.enqueue(bytes);
            c.close();
          },
        })
      : bytes,
    ...(chunked ? { duplex: "half" } : {}),
  } as RequestInit);
  return { status: res.status, headers: comparableHeaders(res), body: await res.text() };
}
