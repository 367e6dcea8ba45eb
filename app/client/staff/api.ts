/** JSON calls to /api/staff/* with the session's CSRF token; errors carry the server's message. */
export class StaffApiError extends Error {
  constructor(
    readonly code: string,
    readonly serverMessage?: string,
  ) {
    super(serverMessage ?? code);
  }
}

export async function staffApi<T = Record<string, unknown>>(
  url: string,
  csrf: string,
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers:
        body === undefined ? {} : { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "same-origin",
    });
  } catch {
    throw new StaffApiError("network");
  }
  let json: Record<string, unknown>;
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    throw new StaffApiError("network");
  }
  if (!res.ok) {
    const err = json.error as { code?: string; message?: string } | undefined;
    throw new StaffApiError(err?.code ?? "network", err?.message);
  }
  return json as T;
}
