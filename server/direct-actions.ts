/**
 * The two requests the server exists for — POST /api/report (a sealed report) and POST
 * /api/status/open (a status look-up) — are answered by their route modules' `action` called
 * straight from Express, without Remix's request handler around it (issue 13). That handler
 * matches the URL against every route and builds its data-strategy machinery on each request, and
 * streams the answer through a web stream: about a sixth of the server's CPU per look-up in
 * bench-server profiles, for endpoints that have no page, loader or error boundary to render.
 *
 * What stays the same: the action is the very function Remix would call, from the same app build
 * (one copy of every service and its in-memory state — rate limits, caches), with a `Request`
 * made as @remix-run/express makes it (`toRequest`) and the same load context;
 * everything Express does before Remix (security headers, the cross-site check, compression,
 * no-store) runs before this too. Other methods on these paths still go to Remix (405, 404).
 */
import {
  createReadableStreamFromReadable,
  type ActionFunction,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type express from "express";
import type { PlainAnswer, PlainRequest } from "../app/services/http.server";

/**
 * A route module may also export `direct`: the same work on a plain request whose body the
 * server has read (app/services/http.server.ts), answering a plain answer — no web `Request`,
 * `Response` or body stream at all (the status look-up). Bodies without a declared length, or
 * longer than `SMALL_BODY_BYTES`, still go through `action`.
 */
type DirectFunction = (request: PlainRequest, context: AppLoadContext) => Promise<PlainAnswer>;

/** Path → the route module (by its id in the build) whose action answers POSTs to it. */
export const DIRECT_ACTIONS: Readonly<Record<string, string>> = {
  "/api/report": "routes/api.report",
  "/api/status/open": "routes/api.status.open",
};

export function directActions(
  build: ServerBuild,
  loadContext: (req: express.Request, res: express.Response) => AppLoadContext,
): { path: string; handler: express.RequestHandler }[] {
  return Object.entries(DIRECT_ACTIONS).map(([path, routeId]) => {
    const module = build.routes[routeId]?.module as
      { action?: ActionFunction; direct?: DirectFunction } | undefined;
    const action = module?.action;
    if (!action) throw new Error(`the app build has no action for ${routeId}`);
    const direct = module.direct;
    const handler: express.RequestHandler = (req, res, next) => {
      serve(action, direct, req, res, loadContext(req, res)).catch(next);
    };
    return { path, handler };
  });
}

async function serve(
  action: ActionFunction,
  direct: DirectFunction | undefined,
  req: express.Request,
  res: express.Response,
  context: AppLoadContext,
): Promise<void> {
  const bytes = await smallBody(req);
  if (bytes === GONE) return;
  if (direct && bytes) {
    const answer = await direct(
      {
        method: req.method,
        contentType: req.headers["content-type"] ?? null,
        contentLength: req.headers["content-length"] ?? null,
        cookie: req.headers.cookie ?? null,
        body: bytes,
      },
      context,
    );
    res.status(answer.status);
    for (const [key, value] of Object.entries(answer.headers)) res.append(key, value);
    res.end(answer.body);
    return;
  }
  const request = toRequest(req, res, bytes);
  let response: unknown;
  try {
    response = await action({ request, context, params: {} });
  } catch (thrown) {
    // A thrown Response is an answer, as in Remix; anything else is the error handler's.
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  if (!(response instanceof Response)) throw new Error("a direct action must answer a Response");
  // The answers are small JSON documents: read whole, written in one go.
  const body = Buffer.from(await response.arrayBuffer());
  res.status(response.status);
  for (const [key, value] of response.headers) res.append(key, value);
  res.end(body);
}

/** Bodies up to this size (by their Content-Length) are read before the action runs. */
const SMALL_BODY_BYTES = 16 * 1024;

/**
 * A status look-up's body is some 60 bytes: read whole and handed over as bytes, it skips the web
 * stream bridge (`createReadableStreamFromReadable`, a streamed `Request` that the action then
 * reads through a stream reader). Only for a declared length that small; reports (multipart, up to
 * megabytes) and bodies without a length stay streamed. A body longer than it declared is cut
 * off by Node's HTTP parser, not read past. Null: stream it.
 */
function smallBody(req: express.Request): Promise<Buffer | null> | null {
  const declared = req.headers["content-length"];
  if (declared === undefined || req.headers["transfer-encoding"] !== undefined) return null;
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length < 0 || length > SMALL_BODY_BYTES) return null;
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let ended = false;
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => {
      ended = true;
      resolve(Buffer.concat(parts));
    });
    // The client went away mid-body: nobody to answer (the error, if any, is the socket's).
    req.on("error", () => undefined);
    req.on("close", () => {
      if (!ended) resolve(GONE);
    });
  });
}
/** `smallBody`'s answer when the client left before sending its whole body. */
const GONE = Buffer.alloc(0);

/**
 * The web `Request` for an Express request, as @remix-run/express's (unexported)
 * `createRemixRequest` makes it: headers from `req.headers` (so what earlier middleware removed
 * stays removed), the body as a stream (or, when small, its bytes read already), aborted when the
 * client goes away before the answer.
 */
function toRequest(req: express.Request, res: express.Response, bytes: Buffer | null): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return new Request(
    new URL(req.originalUrl, `${req.protocol}://${req.get("host") ?? "localhost"}`),
    bytes
      ? {
          method: req.method,
          headers,
          body: new Uint8Array(bytes), // a copy: the type wants its own ArrayBuffer
          signal: controller.signal,
        }
      : {
          method: req.method,
          headers,
          body: createReadableStreamFromReadable(req),
          signal: controller.signal,
          duplex: "half", // a streamed body (Node's fetch requires it)
        },
  );
}
