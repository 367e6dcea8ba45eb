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
 *
 * Both go one step further (`plainDirect`): a POST with a declared body length is answered
 * before Express, from the server's own `node:http` listener, by the route's `direct` (the status
 * look-up: a small body read first) or `directUpload` (the report: the route reads the body from
 * the socket once its cheap refusals passed) on plain values — Express's per-request work (its
 * request/response prototypes, the query parser, a router walk through every middleware,
 * static-file checks), the web `Request`, its body stream and the `Response` were most of what a
 * look-up cost besides SQLite and the socket, and ≈ 10 % of a report's CPU (issue 13,
 * bench-server profiles; ADR 032).
 */
import type http from "node:http";
import {
  createReadableStreamFromReadable,
  type ActionFunction,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type express from "express";
import type { PlainAnswer, PlainRequest, PlainUpload } from "../app/services/http.server";
import { crossSiteRefused } from "./cross-site";
import { finishAnswer, plainSecurity, type CompressMiddleware } from "./respond";

/**
 * A route module may also export `direct`: the same work on a plain request whose body the
 * server has read (app/services/http.server.ts), answering a plain answer — no web `Request`,
 * `Response` or body stream at all (the status look-up). Served by `plainDirect` before Express;
 * bodies without a declared length, or longer than `SMALL_BODY_BYTES`, still go through Express
 * and `action`.
 */
type DirectFunction = (request: PlainRequest, context: AppLoadContext) => Promise<PlainAnswer>;

/**
 * Or `directUpload` with `DIRECT_UPLOAD_MAX_BYTES`: the work on a request whose body the route
 * reads itself, when it is ready to (`readBody`: after its cheap refusals), straight from the
 * socket — no web `Request`, body stream or `Response` (the report). Served by `plainDirect` for
 * bodies whose declared length is at most that; the rest (no length, a larger one, which the route
 * refuses unread) go through Express and `action`.
 */
type DirectUploadFunction = (request: PlainUpload, context: AppLoadContext) => Promise<PlainAnswer>;

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
    const action = routeModule(build, routeId).action;
    if (!action) throw new Error(`the app build has no action for ${routeId}`);
    const handler: express.RequestHandler = (req, res, next) => {
      serve(action, req, res, loadContext(req, res)).catch(next);
    };
    return { path, handler };
  });
}

const routeModule = (build: ServerBuild, routeId: string) =>
  (build.routes[routeId]?.module ?? {}) as {
    action?: ActionFunction;
    direct?: DirectFunction;
    directUpload?: DirectUploadFunction;
    DIRECT_UPLOAD_MAX_BYTES?: number;
  };

/** How `plainDirect` serves a path: a small body read first, or a body the route reads. */
type PlainRoute =
  | { kind: "small"; direct: DirectFunction }
  | { kind: "upload"; direct: DirectUploadFunction; maxBytes: number };

export interface PlainDirectDeps {
  /** Everything the plain path does not answer (Express). */
  fallback: http.RequestListener;
  https: boolean;
  /** The compression middleware Express uses (one instance, same negotiation). */
  compress: CompressMiddleware;
  /** The load context Express would give the route, for this request and its CSP nonce. */
  context: (req: http.IncomingMessage, nonce: string) => AppLoadContext;
  /** An error the route threw (logged as Express's error handler logs it). */
  onError: (err: unknown) => void;
}

/**
 * The server's request listener: a POST to a DIRECT_ACTIONS path whose route exports `direct`
 * (with a declared body of at most SMALL_BODY_BYTES) or `directUpload` (at most its
 * DIRECT_UPLOAD_MAX_BYTES), not refused as cross-site, is answered here; everything else goes to
 * `fallback` untouched (Express: a refused cross-site POST gets its 403 there, a chunked or larger
 * body goes through `action`).
 *
 * What Express would have done for this request is done here by the same code: the security
 * headers with a fresh nonce and, after the route, no-store unless it set a Cache-Control and the
 * same compression middleware instance (server/respond.ts, which Express's middleware calls
 * too), the cross-site rule (server/cross-site.ts), the same load context (client key from the
 * address Express's `req.ip` gives), and on an error the same log line and plain 500. The
 * answer's status, headers and bytes are the route's (status-api and report-api check both paths
 * answer alike).
 */
export function plainDirect(build: ServerBuild, deps: PlainDirectDeps): http.RequestListener {
  const routes = new Map<string, PlainRoute>();
  for (const [path, routeId] of Object.entries(DIRECT_ACTIONS)) {
    const module = routeModule(build, routeId);
    if (module.direct) routes.set(path, { kind: "small", direct: module.direct });
    else if (module.directUpload && module.DIRECT_UPLOAD_MAX_BYTES)
      routes.set(path, {
        kind: "upload",
        direct: module.directUpload,
        maxBytes: module.DIRECT_UPLOAD_MAX_BYTES,
      });
  }
  return (req, res) => {
    const route = req.method === "POST" ? routes.get(req.url ?? "") : undefined;
    if (
      !route ||
      declaredLength(req, route.kind === "small" ? SMALL_BODY_BYTES : route.maxBytes) === null ||
      crossSiteRefused(req.method, req.headers)
    )
      return deps.fallback(req, res);
    const security = plainSecurity(deps.https);
    const context = deps.context(req, security.nonce);
    const served =
      route.kind === "small"
        ? servePlain(route.direct, req, res, deps, context, security.headers)
        : serveUpload(route.direct, req, res, deps, context, security.headers);
    served.catch((err: unknown) => {
      deps.onError(err);
      if (res.headersSent) return void res.destroy();
      finishAnswer(
        req,
        res,
        deps.compress,
        {
          status: 500,
          headers: { "Content-Type": "text/plain; charset=utf-8" },
          body: Buffer.from("Internal error"),
        },
        security.headers,
      );
    });
  };
}

async function servePlain(
  direct: DirectFunction,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  deps: PlainDirectDeps,
  context: AppLoadContext,
  security: Record<string, string>,
): Promise<void> {
  const bytes = await smallBody(req);
  if (bytes === GONE || bytes === null) return;
  const answer = await direct(
    {
      method: req.method ?? "POST",
      contentType: req.headers["content-type"] ?? null,
      contentLength: req.headers["content-length"] ?? null,
      cookie: req.headers.cookie ?? null,
      body: bytes,
    },
    context,
  );
  finishAnswer(req, res, deps.compress, answer, security);
}

async function serveUpload(
  direct: DirectUploadFunction,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  deps: PlainDirectDeps,
  context: AppLoadContext,
  security: Record<string, string>,
): Promise<void> {
  const answer = await direct(
    {
      method: req.method ?? "POST",
      contentType: req.headers["content-type"] ?? null,
      contentLength: req.headers["content-length"] ?? null,
      cookie: req.headers.cookie ?? null,
      readBody: (maxBytes) => readBody(req, maxBytes),
    },
    context,
  );
  finishAnswer(req, res, deps.compress, answer, security);
}

/**
 * The body of `req`, at most `maxBytes` ("too_large" past it: reading stops), or null when the
 * client went away before sending it all (nobody to answer; the route refuses it as unreadable).
 * Node's HTTP parser stops at the declared length, which `plainDirect` bounded already.
 */
function readBody(
  req: http.IncomingMessage,
  maxBytes: number,
): Promise<Buffer | "too_large" | null> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: Buffer | "too_large" | null) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on("data", (part: Buffer) => {
      if (settled) return;
      size += part.length;
      if (size > maxBytes) {
        req.pause();
        return settle("too_large");
      }
      parts.push(part);
    });
    req.on("end", () => settle(Buffer.concat(parts, size)));
    req.on("error", () => settle(null));
    req.on("close", () => settle(null));
  });
}

async function serve(
  action: ActionFunction,
  req: express.Request,
  res: express.Response,
  context: AppLoadContext,
): Promise<void> {
  const bytes = await smallBody(req);
  if (bytes === GONE) return;
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
function smallBody(req: http.IncomingMessage): Promise<Buffer | null> | null {
  if (declaredSmallLength(req) === null) return null;
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
/** The declared body length when it is at most SMALL_BODY_BYTES (and not chunked), else null. */
function declaredSmallLength(req: http.IncomingMessage): number | null {
  return declaredLength(req, SMALL_BODY_BYTES);
}
/** The declared body length when it is at most `max` (and not chunked), else null. */
function declaredLength(req: http.IncomingMessage, max: number): number | null {
  const declared = req.headers["content-length"];
  if (declared === undefined || req.headers["transfer-encoding"] !== undefined) return null;
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length < 0 || length > max) return null;
  return length;
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
