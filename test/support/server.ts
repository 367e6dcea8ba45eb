/**
 * Starts the real production server (`node build/server.js`, as `npm start` does after building)
 * on a free port with a fresh temp data directory, and talks to it over HTTP.
 *
 * Engine: SQLite (a file in the data directory) unless the test process runs with
 * `DATABASE_URL=postgres://…` (scripts/test.mjs sets it to a throwaway cluster): then every data
 * directory gets its own fresh PostgreSQL database on that server, remembered in the directory so
 * that a restart with the same `dataDir` finds the same database.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { isPostgresUrl } from "../../db/dialect";
import { findPgBin } from "../../scripts/lib/pg-throwaway.mjs";
import { assertCleanLogs, callerLabel, captureServerOutput } from "./log-capture";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
/** Where `scripts/build.mjs` put the build (CROSSWATCH_BUILD_DIR, default ./build). */
export const BUILD_DIR = path.resolve(REPO_ROOT, process.env.CROSSWATCH_BUILD_DIR || "build");

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  /** What `openDb` opens to reach the server's database: a SQLite file or a postgres:// URL. */
  database: string;
  proc: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Environment for the child: the parent's, minus anything that would change its behaviour. */
function baseEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("VITEST") || k === "NODE_ENV" || k === "TEST") continue;
    if (
      /^(PORT|HOST|DATA_DIR|DATABASE_PATH|DATABASE_URL|CROSSWATCH_|SESSION_SECRET|POW_SECRET|POW_DIFFICULTY|RECEIPT_SALT|OFFICE_SIGNING_KEYS|PUBLIC_ORIGIN|TRUST_PROXY|LOGIN_LOCKOUT|RETENTION_DAYS)/.test(
        k,
      )
    )
      continue;
    env[k] = v;
  }
  return env;
}

/**
 * How `npm run serve` (and `npm start`) run the server — environment settings and node flags —
 * read from package.json's `serve` script (`[NAME=value …] node [--flags …] build/server.js`),
 * so tests and benches run it as users do.
 */
export const SERVE: { env: Record<string, string>; nodeFlags: string[] } = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const m = /^((?:[A-Z_]+=\S+\s+)*)node((?:\s+--\S+)*)\s+build\/server\.js$/.exec(
    pkg.scripts.serve ?? "",
  );
  if (!m)
    throw new Error(`package.json "serve" is not "[NAME=value] node [--flags] build/server.js"`);
  if (!pkg.scripts.start?.endsWith(` && ${pkg.scripts.serve}`)) {
    throw new Error(`package.json "start" must end by running what "serve" runs`);
  }
  const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);
  return {
    env: Object.fromEntries(
      words(m[1]!).map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]),
    ),
    nodeFlags: words(m[2]!),
  };
})();

/** Every server a test starts has its output captured and scanned (test/support/log-capture.ts). */
export function spawnServer(
  env: Record<string, string>,
  cwd = REPO_ROOT,
  nodeArgs: string[] = [],
): ChildProcess {
  const args = [...SERVE.nodeFlags, ...nodeArgs, path.join(BUILD_DIR, "server.js")];
  const proc = spawn(process.execPath, args, {
    cwd,
    // Sealing the demo's 2,293 findings costs seconds: only tests that need them ask for them.
    env: {
      ...baseEnv(),
      ...SERVE.env,
      CROSSWATCH_DEMO_OUTCOMES: "off",
      ...env,
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  captureServerOutput(proc, callerLabel());
  return proc;
}

/** The PostgreSQL server tests run against, or null for SQLite. */
export const TEST_PG_URL = isPostgresUrl(process.env.DATABASE_URL)
  ? process.env.DATABASE_URL
  : null;

/** Which engine this test process (and the servers it starts) uses. */
export const TEST_ENGINE: "sqlite" | "pg" = TEST_PG_URL ? "pg" : "sqlite";

/** The template is named after the migrations it holds, so a new migration gets a new one. */
const TEMPLATE = `cw_template_${createHash("sha256")
  .update(fs.readFileSync(path.join(REPO_ROOT, "db/migrations/pg/meta/_journal.json")))
  .digest("hex")
  .slice(0, 12)}`;

function urlOf(name: string): string {
  const url = new URL(TEST_PG_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh PostgreSQL database on the test server with the schema migrated; its URL. Copied from
 * a migrated template database (made once per cluster), which is much faster than migrating.
 */
export async function createTestDatabase(
  opts: { empty?: boolean; from?: string } = {},
): Promise<string> {
  if (!TEST_PG_URL) throw new Error("no PostgreSQL test server (DATABASE_URL)");
  const name = `cw_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    // Test files run in parallel workers: one makes the template, the others wait for it.
    await admin.query("select pg_advisory_lock(4242)");
    try {
      const exists = await admin.query("select 1 from pg_database where datname = $1", [TEMPLATE]);
      if (opts.empty) {
        await admin.query(`create database "${name}"`);
      } else if (exists.rowCount === 0) {
        await admin.query(`create database "${TEMPLATE}"`);
        const { openDb, closeDb } = await import("../../db/client");
        await closeDb(await openDb(urlOf(TEMPLATE)));
      }
      if (!opts.empty) {
        await admin.query(`create database "${name}" template "${opts.from ?? TEMPLATE}"`);
      }
    } finally {
      await admin.query("select pg_advisory_unlock(4242)");
    }
  } finally {
    await admin.end();
  }
  return urlOf(name);
}

/** Drops a database made by createTestDatabase (connections are closed first). */
export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  if (!TEST_PG_URL || !isPostgresUrl(databaseUrl)) return;
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** Makes `database` (a postgres:// URL) the one servers started with `dataDir` use. */
export function attachDatabase(dataDir: string, database: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, "test-database-url"), database + "\n");
}

/** The database of a data directory: its SQLite file, or its PostgreSQL database (made once). */
export async function databaseFor(dataDir: string): Promise<string> {
  if (!TEST_PG_URL) return path.join(dataDir, "crosswatch.db");
  const marker = path.join(dataDir, "test-database-url");
  if (fs.existsSync(marker)) return fs.readFileSync(marker, "utf8").trim();
  const url = await createTestDatabase();
  attachDatabase(dataDir, url);
  return url;
}

/**
 * Every byte the database holds, for "never stored in clear" checks: the SQLite file and its WAL,
 * or a data-only pg_dump of the PostgreSQL database (text columns and hex bytea alike).
 */
export function storedBytes(database: string): Buffer {
  if (!isPostgresUrl(database)) {
    return Buffer.concat(
      [database, `${database}-wal`].filter((p) => fs.existsSync(p)).map((p) => fs.readFileSync(p)),
    );
  }
  const bin = findPgBin();
  if (!bin) throw new Error("pg_dump not found");
  return execFileSync(path.join(bin, "pg_dump"), ["--data-only", "--dbname", database], {
    maxBuffer: 256 * 1024 * 1024,
  });
}

/**
 * Runs one SQL statement on a test database as an insider with direct access would (tampering
 * tests), on either engine: `$1, $2, …` placeholders, rows back for a query.
 */
export async function rawSql<T = Record<string, unknown>>(
  database: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (!isPostgresUrl(database)) {
    const conn = new Database(database);
    try {
      const stmt = conn.prepare(text.replace(/\$\d+/g, "?"));
      if (stmt.reader) return stmt.all(...params) as T[];
      stmt.run(...params);
      return [];
    } finally {
      conn.close();
    }
  }
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function startServer(
  opts: {
    env?: Record<string, string>;
    dataDir?: string;
    timeoutMs?: number;
    /** Extra node flags before the script (e.g. --cpu-prof for benchmarks). */
    nodeArgs?: string[];
  } = {},
): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-test-"));
  const level = seededLevel(opts);
  if (level) await copySeeded(await seededTemplate(level), dataDir);
  const database = await databaseFor(dataDir);
  // Test runs go in parallel lanes (scripts/test.mjs): another process may take the free port
  // between freePort() and the server's listen. The server then exits with `server.port_in_use`
  // before listening, and a fresh port is tried — unless the caller chose the port.
  const fixedPort = opts.env?.PORT !== undefined;
  let port = 0;
  let proc: ChildProcess | undefined;
  let out = "";
  let exited: Promise<number | null> = Promise.resolve(null);
  for (let attempt = 1; ; attempt++) {
    port = fixedPort ? Number(opts.env?.PORT) : await freePort();
    const child = spawnServer(
      {
        CROSSWATCH_MODE: "demo",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATA_DIR: dataDir,
        ...(isPostgresUrl(database) ? { DATABASE_URL: database } : { DATABASE_PATH: database }),
        ...opts.env,
      },
      REPO_ROOT,
      opts.nodeArgs,
    );
    proc = child;
    out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
    while (!out.includes("listening on")) {
      if (child.exitCode !== null) break;
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`server did not start in time:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (out.includes("listening on")) break;
    await exited;
    if (!fixedPort && attempt < 3 && out.includes("server.port_in_use")) continue;
    throw new Error(`server exited (${child.exitCode}):\n${out}`);
  }
  const running = proc;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    database,
    proc: running,
    output: () => out,
    exited,
    async stop(signal = "SIGTERM") {
      if (running.exitCode === null && running.signalCode === null) running.kill(signal);
      const code = await exited;
      // A test that started a server fails if the server printed anything it must not.
      assertCleanLogs(out, callerLabel());
      return code;
    },
  };
}

/**
 * Seeding the demo costs a server start 3 s of CPU (14 s with the full outcomes), about a hundred
 * times in a CI run: so a fresh server (no data directory given, demo mode) starts on a copy of a
 * demo database seeded once per build, engine and outcomes level. The copy is what the seed makes
 * (same rows, same secrets.json; only its clock is minutes older); tests of seeding itself start
 * on a data directory of their own and seed as users do.
 */
function seededLevel(opts: { env?: Record<string, string>; dataDir?: string }): string | null {
  const env = opts.env ?? {};
  if (opts.dataDir !== undefined || process.env.CROSSWATCH_TEST_NO_TEMPLATE) return null;
  if ((env.CROSSWATCH_MODE ?? "demo") !== "demo") return null;
  if (env.DATABASE_PATH !== undefined || env.DATABASE_URL !== undefined) return null;
  return env.CROSSWATCH_DEMO_OUTCOMES ?? "off";
}

/** A seeded data directory for `level` (made once; other test processes wait for it). */
async function seededTemplate(level: string): Promise<string> {
  const server = fs.statSync(path.join(BUILD_DIR, "server.js"));
  const key = createHash("sha256")
    .update(
      JSON.stringify([
        server.mtimeMs,
        server.size,
        fs.readFileSync(path.join(BUILD_DIR, "demo-office-keys.json"), "utf8"),
        TEMPLATE,
        TEST_PG_URL,
        level,
      ]),
    )
    .digest("hex")
    .slice(0, 16);
  const root = path.join(BUILD_DIR, "test-seeded");
  const dir = path.join(root, `${TEST_ENGINE}-${level}-${key}`);
  const lock = `${dir}.lock`;
  fs.mkdirSync(root, { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (fs.existsSync(dir)) return dir;
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another test process is seeding it; take over only if that process is gone.
      const owner = Number(readOrEmpty(path.join(lock, "pid")));
      if (owner && !alive(owner)) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`no seeded demo template after 300 s (${lock})`);
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      const partial = fs.mkdtempSync(path.join(root, "partial-"));
      // Seeded as users do: the real server in demo mode on an empty data directory.
      const seeder = await startServer({
        dataDir: partial,
        env: { CROSSWATCH_DEMO_OUTCOMES: level },
        timeoutMs: 280_000,
      });
      const code = await seeder.stop();
      if (code !== 0) throw new Error(`the seeding server exited with ${code}`);
      if (TEST_PG_URL) {
        // The seeded database becomes a template of its own, named after the key.
        const seeded = fs.readFileSync(path.join(partial, "test-database-url"), "utf8").trim();
        const name = `cw_seeded_${key}`;
        const admin = new pg.Client({ connectionString: TEST_PG_URL });
        await admin.connect();
        try {
          await admin.query(`drop database if exists "${name}"`);
          await admin.query(
            `alter database "${new URL(seeded).pathname.slice(1)}" rename to "${name}"`,
          );
        } finally {
          await admin.end();
        }
        fs.writeFileSync(path.join(partial, "test-database-url"), urlOf(name) + "\n");
      }
      fs.renameSync(partial, dir);
      // Templates of earlier builds are of no more use.
      for (const old of fs.readdirSync(root)) {
        if (old.startsWith(`${TEST_ENGINE}-${level}-`) && !old.endsWith(key)) {
          if (!old.endsWith(".lock"))
            fs.rmSync(path.join(root, old), { recursive: true, force: true });
        }
      }
      return dir;
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Puts a copy of a seeded data directory into `dataDir` (its own database on PostgreSQL). */
async function copySeeded(template: string, dataDir: string): Promise<void> {
  for (const name of fs.readdirSync(template)) {
    if (name === "test-database-url" || name.endsWith("-shm")) continue;
    fs.copyFileSync(path.join(template, name), path.join(dataDir, name));
  }
  if (TEST_PG_URL) {
    const url = fs.readFileSync(path.join(template, "test-database-url"), "utf8").trim();
    const from = new URL(url).pathname.slice(1);
    attachDatabase(dataDir, await createTestDatabase({ from }));
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
