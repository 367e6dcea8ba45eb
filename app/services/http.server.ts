/**
 * Small HTTP helpers shared by JSON endpoints and pages: the no-store header for anything that
 * shows case content, the `{ error: { code, message } }` shape of API refusals, and a bounded
 * JSON body reader.
 */

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

/** Reads a JSON body of at most `maxBytes`; undefined for anything else (wrong type, too big). */
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
    return JSON.parse(Buffer.concat(parts).toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
