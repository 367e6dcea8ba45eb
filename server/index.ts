/**
 * The production server: `npm start` builds, then runs this (compiled to build/server.js).
 *
 * It decides what is logged (structured JSON lines through app/log.server.ts): never a request
 * line, client address, user agent, receipt or body. The client address (the TCP peer, or
 * X-Forwarded-For from a TRUST_PROXY proxy) is reduced to a keyed hash of its bucket
 * (server/client-address.ts; random key per process) for in-memory rate limits and handed to the
 * app only as `context.clientKey`.
 */
import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import v8 from "node:v8";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type {
  NextFunction as ExpressNext,
  Request as ExpressRequest,
  Response as ExpressResponse,
} from "express";
import type { Env } from "../app/env.server";
import type { Db } from "../db/client";
import type * as AppModules from "./app-modules";
import { loadBundle } from "./code-cache";

// This file is <build>/server.js: the app build and its browser assets sit beside it.
const buildDir = path.dirname(fileURLToPath(import.meta.url));

// Everything else — packages, the app build, our services — is one CommonJS bundle beside this
// file, compiled with the code cache the build made (server/app-modules.ts, server/code-cache.ts).
let modules: typeof AppModules;
let codeCached: boolean;
try {
  ({ exports: modules, cached: codeCached } = loadBundle<typeof AppModules>(
    path.join(buildDir, "server-app.cjs"),
  ));
} catch (err) {
  // No logger without the bundle: the same one JSON line it would print.
  const msg = `cannot load the app build beside ${buildDir}: ${(err as Error).message} (run "npm run build")`;
  console.error(
    JSON.stringify({ level: "fatal", time: new Date(), event: "build.unreadable", msg }),
  );
  process.exit(1);
}
const {
  ConfigError,
  appBuild,
  assetHeaders,
  clientBucket,
  closeDb,
  compression,
  createRequestHandler,
  crossSiteRefused,
  databaseTarget,
  demoSeeding,
  describeDatabase,
  directActions,
  express,
  isStorageFailure,
  log,
  noStoreUnlessSet,
  openDb,
  parseEnv,
  plainDirect,
  proxyAddr,
  startResponse,
  sweepRetention,
  trackConnections,
} = modules;

// Node's own warnings and crashes become log lines too, so every line the process prints is JSON.
process.removeAllListeners("warning");
process.on("warning", (warning) => log.warn("node.warning", { err: warning }));
process.on("uncaughtException", (err) => {
  log.fatal("process.uncaught_exception", { err });
  process.exit(1);
});
process.on("unhandledRejection", (reason) => {
  log.fatal("process.unhandled_rejection", { err: reason });
  process.exit(1);
});

function fail(event: string, message: string): never {
  log.fatal(event, { msg: message });
  process.exit(1);
}

let env: Env;
try {
  env = parseEnv();
} catch (err) {
  if (err instanceof ConfigError) fail("config.invalid", `invalid configuration: ${err.message}`);
  fail("config.unreadable", `cannot read configuration: ${(err as Error).message}`);
}

let db: Db;
try {
  db = await openDb(databaseTarget(env));
} catch (err) {
  fail(
    "db.open_failed",
    `cannot open database ${describeDatabase(env)}: ${(err as Error).message}`,
  );
}

if (env.mode === "demo") {
  // Loaded only in demo mode: a production start never evaluates the demo data and its seeding.
  const { SeedRefused, seedDemo } = await demoSeeding();
  try {
    await seedDemo(db, buildDir, env);
  } catch (err) {
    if (err instanceof SeedRefused) fail("demo.refused", err.message);
    fail("demo.seed_failed", `cannot seed the demo: ${(err as Error).message}`);
  }
}
// The Remix app build, evaluated here, after the configuration and the database are known good.
const build = await appBuild();

const https = env.publicOrigin.startsWith("https://");
const addressKey = randomBytes(32);
let shuttingDown = false;

const app = express();
app.disable("x-powered-by");
// X-Forwarded-For counts only from the proxies TRUST_PROXY names (server/client-address.ts).
app.set("trust proxy", env.trustProxy);

// Security headers and no-store come from server/respond.ts, which the plain path uses too.
app.use((req, res, next) => {
  // A path that is not valid percent-encoded UTF-8 names no page: 400 here, before routing, where
  // decoding a parameter would throw (a 500; found by test/integration/hostile-input.test.ts).
  // A NUL names nothing either, and PostgreSQL refuses it in a text parameter (a 500 when a
  // route passed it on: /api/staff/findings/%00/…, found by the same test).
  // A backslash, or "//" at the start once decoded, names no page either: rendering such a path
  // made react-router resolve it against a base URL as another host ("/\'fXj{…" → host 'fXj{),
  // which threw Invalid URL (a 500; found by the same test).
  try {
    const decoded = decodeURIComponent(req.path);
    if (decoded.includes("\0")) throw new URIError("NUL in path");
    if (decoded.includes("\\") || decoded.startsWith("//")) throw new URIError("not a path");
  } catch {
    startResponse(res, https);
    return void res
      .status(400)
      .type("text/plain; charset=utf-8")
      .set("Cache-Control", "no-store")
      .send("请求地址无效。\nThis address is not valid.\n");
  }
  // Build files get the headers that apply to a subresource only (server/security-headers.ts).
  if (req.path.startsWith("/build/")) {
    res.set(assetHeaders());
    return next();
  }
  res.locals.cspNonce = startResponse(res, https);
  // Staff pages and every API carry case content or a session: never cached, refusals included
  // (a 405 or 400 that Remix makes itself has no route headers). Routes may only tighten this.
  // Set when the head goes out, only if the route set nothing: Remix appends route headers, so
  // setting it up front would send "no-store, no-store".
  if (/^\/(staff|api)(\/|$)/.test(req.path)) {
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      noStoreUnlessSet(this);
      return writeHead.apply(this, args);
    } as typeof writeHead;
  }
  next();
});

// Cross-site form posts are refused here with a 403 (server/cross-site.ts). An `Origin: null` that
// passed (our own no-JS forms) is dropped so Remix's own origin check does not turn it into a 500.
app.use((req, res, next) => {
  if (crossSiteRefused(req.method, req.headers))
    return void res.status(403).type("text/plain").send("Forbidden: cross-site request");
  if (req.headers.origin === "null") delete req.headers.origin;
  next();
});

// One instance for Express and the plain path (server/direct-actions.ts).
const compress = compression();
app.use(compress);

// Fingerprinted build output: cache for a year, never revalidate.
app.use(
  "/build",
  express.static(path.join(buildDir, "client"), {
    immutable: true,
    maxAge: "1y",
    index: false,
    fallthrough: true,
  }),
);
app.use("/build", (_req, res) => {
  res.status(404).type("text/plain").send("Not found");
});
app.use(express.static("public", { maxAge: "1h", index: false }));

const clientKey = (ip: string | undefined) =>
  createHmac("sha256", addressKey).update(clientBucket(ip)).digest("base64url");
const loadContext = (req: ExpressRequest, res: ExpressResponse) => ({
  db,
  env,
  cspNonce: res.locals.cspNonce as string,
  clientKey: clientKey(req.ip),
});

// Reports and status look-ups: their route actions, called without Remix's handler around them
// (server/direct-actions.ts).
for (const { path: route, handler } of directActions(build, loadContext)) app.post(route, handler);

app.all("*", createRequestHandler({ build, mode: "production", getLoadContext: loadContext }));

// Errors that escape Remix: log the error only, answer a plain 500.
app.use((err: unknown, _req: ExpressRequest, res: ExpressResponse, next: ExpressNext) => {
  log.error("request.error", { err });
  if (res.headersSent) return next(err);
  res.status(500).type("text/plain").send("Internal error");
});

// Status look-ups are answered before Express (server/direct-actions.ts): the same headers,
// cross-site rule, compression and load context, the client's address as Express's `req.ip`
// finds it (proxy-addr with the compiled TRUST_PROXY setting). Every other request is Express's.
const trustProxy = app.get("trust proxy fn") as (addr: string, i: number) => boolean;
const server = http.createServer(
  plainDirect(build, {
    fallback: app,
    https,
    compress,
    context: (req, nonce) => ({
      db,
      env,
      cspNonce: nonce,
      clientKey: clientKey(proxyAddr(req, trustProxy)),
    }),
    onError: (err) => log.error("request.error", { err }),
  }),
);
const connections = trackConnections(server);
// An idle kept-alive connection stays open 65 s, longer than a reverse proxy's upstream keep-alive
// (nginx 60 s) and than clients keep one (they read `Keep-Alive: timeout=65` and stop a second
// early): with a short timeout the server closed connections that a client, its event loop late
// under load, had just reused — its request failed with EPIPE ('other side closed'). Idle
// connections cost a socket each, nothing else; SIGTERM closes them (server/shutdown.ts).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.requestTimeout = 120_000;

server.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EADDRINUSE")
    fail("server.port_in_use", `port ${env.port} is already in use (set PORT)`);
  if (err.code === "EACCES")
    fail("server.port_denied", `no permission to listen on port ${env.port} (set PORT)`);
  fail("server.error", `server error: ${err.message}`);
});

server.listen(env.port, env.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.port;
  const shownHost = env.host === "0.0.0.0" || env.host === "127.0.0.1" ? "localhost" : env.host;
  const engine = env.databaseUrl ? "PostgreSQL" : "SQLite";
  log.info("server.listening", {
    msg: `listening on http://${shownHost}:${port} (${env.mode} mode, ${engine})`,
    port,
    mode: env.mode,
    // false: started without the build's code cache (another node version or flags: slower).
    codeCache: codeCached,
  });
  // Retention (app/services/retention.server.ts): one sweep at start, then every six hours.
  void retentionSweep();
  setInterval(() => void retentionSweep(), RETENTION_SWEEP_MS).unref();
});

const RETENTION_SWEEP_MS = 6 * 60 * 60 * 1000;
let sweeping: Promise<void> | null = null;
function retentionSweep(): Promise<void> {
  if (shuttingDown || sweeping) return sweeping ?? Promise.resolve();
  sweeping = sweepRetention(db, env.retention)
    .then(() => undefined)
    .catch((err: unknown) => {
      // A full disk or a lost database connection: the next sweep tries again.
      if (isStorageFailure(err)) log.warn("retention.deferred", { msg: "storage unavailable" });
      else log.error("retention.failed", { err });
    })
    .finally(() => {
      sweeping = null;
    });
  return sweeping;
}

function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info("server.stopping", { msg: `${signal} received, finishing in-flight requests`, signal });
  const force = setTimeout(() => {
    log.warn("server.grace_over", { msg: "grace period over, closing remaining connections" });
    connections.destroyAll();
  }, env.shutdownGraceMs);
  force.unref();
  void connections.drain(1_000).then(async () => {
    try {
      await sweeping;
      await closeDb(db);
    } catch (err) {
      log.error("db.close_failed", { err });
      process.exit(1);
    }
    log.info("server.stopped", { msg: "stopped" });
    process.exit(0);
  });
}

// What the process holds, on request (`kill -USR2 <pid>`; bench-server asks after its footprint
// phase): one `process.memory` line in MB — resident, the V8 heap, memory outside it that V8
// tracks (Buffers and other array buffers), and the rest (native code, SQLite's page caches, the
// allocator's free lists, worker threads' own heaps); then the heap by V8 space (new = the young
// generation, large_object holds this script's own source).
process.on("SIGUSR2", () => {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1048576);
  log.info("process.memory", {
    rssMb: mb(m.rss),
    heapTotalMb: mb(m.heapTotal),
    heapUsedMb: mb(m.heapUsed),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
    otherMb: mb(m.rss - m.heapTotal - m.external),
    spaces: Object.fromEntries(
      v8
        .getHeapSpaceStatistics()
        .map((s) => [s.space_name.replace(/_space$/, ""), mb(s.physical_space_size)]),
    ),
  });
});
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
