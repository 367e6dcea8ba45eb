/**
 * Server capacity, part of `npm run bench` (`npm run bench -- server`): what the server exists
 * for — accepting reports and answering status look-ups — measured from outside against the
 * real server as `npm start` runs it (built app, `node build/server.js`, fresh demo database).
 *
 * Load comes from test/support/load.ts (the same generator as the crash and flood tests):
 * realistic sealed tips (16 KiB payload bucket, one envelope per routed reader, a 200 KB
 * encrypted photo in every fourth), each request on its own connection from its own loopback
 * source address (127.N.x.y), so per-client limits behave as in production. Proof of work is
 * fetched and solved before the timed phase, at a low difficulty set with POW_DIFFICULTY (a
 * setting only demo mode accepts; production refuses to start with it).
 *
 * Phases, each printed with its baseline measured in the same run, target and pass/fail:
 * 1. submissions: BENCH_TIPS reports at BENCH_CONCURRENCY (64) → accepted/s and p50/p99; the
 *    baseline is the raw durable insert of the same rows (read back from the server's database)
 *    with the same pragmas, one transaction per tip, once the server has stopped.
 * 2. status look-ups (JS path, with its 400 ms uniform floor) at BENCH_LOOKUP_CONCURRENCY → /s,
 *    p99, and the server's CPU time per look-up (from /proc): first each on a connection of its
 *    own (the server pays a TCP connection per look-up), then the same look-ups on kept-alive
 *    connections, a few per connection — what a browser's look-up costs, its fetch going out on
 *    the connection the status page came on.
 * 3. footprint: more submissions until BENCH_FOOTPRINT_TIPS (10,000) are stored, or for at most
 *    BENCH_FOOTPRINT_LIMIT_S (900) → server RSS, database growth per tip against the ciphertext it
 *    holds; then cold start (existing database) to the first answered request.
 * With PostgreSQL installed (Debian's postgresql package), the whole run repeats on a throwaway
 * cluster (scripts/lib/pg-throwaway.mjs); BENCH_ENGINES=sqlite skips it.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import Database from "better-sqlite3";
import pg from "pg";
import { isPostgresUrl } from "../db/dialect";
import { findPgBin, startThrowawayCluster } from "./lib/pg-throwaway.mjs";
import { printTable } from "./lib/table";
import {
  LoopbackAddresses,
  openStatus,
  percentile,
  postReport,
  prepareReports,
  readersFor,
  request,
  reportBody,
  runPool,
  sealLoadTips,
  solvedPow,
  statusCounts,
  withFreshReceipt,
  type HttpResult,
  type LoadTip,
} from "../test/support/load";
import { serverEnv } from "../test/support/tip-fixture";
import { spawnServer, startServer, type RunningServer } from "../test/support/server";
import { envNumber as num } from "./lib/env-number";

const TIPS = num("BENCH_TIPS", 1000);
const CONCURRENCY = num("BENCH_CONCURRENCY", 64);
const LOOKUPS = num("BENCH_LOOKUPS", 8000);
const LOOKUP_CONCURRENCY = num("BENCH_LOOKUP_CONCURRENCY", 1024);
const FOOTPRINT_TIPS = num("BENCH_FOOTPRINT_TIPS", 10_000);
const POW_DIFFICULTY = "2";
const ENGINE: "sqlite" | "pg" = isPostgresUrl(process.env.DATABASE_URL) ? "pg" : "sqlite";
const HARD_LIMIT_MS = num("BENCH_SERVER_LIMIT_MS", 30 * 60_000);
/** The footprint phase stops here even short of FOOTPRINT_TIPS (the row then says how far it got). */
const FOOTPRINT_LIMIT_MS = num("BENCH_FOOTPRINT_LIMIT_S", 900) * 1000;

const killer = setTimeout(() => {
  console.error("bench-server: exceeded its time budget, stopping");
  process.exit(0);
}, HARD_LIMIT_MS);
killer.unref();

interface Row {
  name: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
  pass: boolean | null;
}

const log = (msg: string) => console.log(`  [${ENGINE}] ${msg}`);
/**
 * With BENCH_PROFILE_DIR: the monotonic clock in µs at a phase boundary — the clock V8's CPU
 * profiles are stamped with, so a profile can be cut into phases
 * (`node scripts/lib/cpuprofile-summary.mjs PROFILE FROM TO`).
 */
const mark = (phase: string) => {
  if (process.env.BENCH_PROFILE_DIR) log(`mark ${phase} ${process.hrtime.bigint() / 1000n}`);
};

// ---------------------------------------------------------------- server process figures

/** utime + stime of a process in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const { user, kernel } = cpuSplitMs(pid);
  return user + kernel;
}

/** utime and stime of a process in ms: JavaScript, V8 and SQLite vs the kernel (TCP, files). */
function cpuSplitMs(pid: number): { user: number; kernel: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // USER_HZ is 100 on Linux
  return { user: (Number(fields[11]) * 1000) / 100, kernel: (Number(fields[12]) * 1000) / 100 };
}

/**
 * PostgreSQL only: CPU time in ms of the cluster serving `url` (its postmaster found by the port
 * on its command line): the postmaster and its live children (backends, WAL writer, checkpointer)
 * plus the children it has reaped. On this machine every round trip costs the database side
 * CPU too, which the server's own figure does not show. null on SQLite or when not found.
 */
function databaseCpuMs(url: string): number | null {
  if (!isPostgresUrl(url)) return null;
  const port = new URL(url).port;
  const stats: { pid: number; ppid: number; fields: string[] }[] = [];
  let postmaster: number | null = null;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.push({ pid: Number(entry), ppid: Number(fields[1]), fields });
      if (stat.includes("(postgres)")) {
        const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        if (cmd.includes("-D") && cmd.join(" ").includes(`-p ${port}`)) postmaster = Number(entry);
      }
    } catch {
      // exited meanwhile
    }
  }
  if (postmaster === null) return null;
  let ticks = 0;
  for (const p of stats) {
    if (p.pid === postmaster) {
      ticks += Number(p.fields[11]) + Number(p.fields[12]) + Number(p.fields[13]);
      ticks += Number(p.fields[14]);
    } else if (p.ppid === postmaster) {
      ticks += Number(p.fields[11]) + Number(p.fields[12]);
    }
  }
  return (ticks * 1000) / 100;
}

/** Resident and peak resident memory of a process in MB. */
function rssMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1]);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

interface MemorySplit {
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  otherMb: number;
  /** V8's heap spaces, physical MB (new = the young generation). */
  spaces?: Record<string, number>;
}

/** "used / total (young N), Buffers, rest" of a `process.memory` line. */
function showSplit(split: MemorySplit | null): string {
  if (!split) return "not reported";
  const young = split.spaces ? ` (young ${split.spaces.new ?? 0})` : "";
  return `${split.heapUsedMb} / ${split.heapTotalMb}${young}, ${split.externalMb}, ${split.otherMb}`;
}

/**
 * Where the server's resident memory is: it logs a `process.memory` line on SIGUSR2
 * (server/index.ts); null when no line came within 2 s.
 */
async function memorySplit(server: RunningServer): Promise<MemorySplit | null> {
  const before = server.output().length;
  process.kill(server.proc.pid!, "SIGUSR2");
  for (let waited = 0; waited < 2000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = server
      .output()
      .slice(before)
      .split("\n")
      .find((l) => l.includes('"process.memory"'));
    if (line) return JSON.parse(line) as MemorySplit;
  }
  return null;
}

// ---------------------------------------------------------------- database figures

/** Bytes the database holds on disk (SQLite: file after a WAL checkpoint; PostgreSQL: size). */
async function databaseBytes(database: string): Promise<number> {
  if (ENGINE === "sqlite") {
    const conn = new Database(database);
    try {
      conn.pragma("busy_timeout = 10000");
      conn.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      conn.close();
    }
    return fs.statSync(database).size;
  }
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    await client.query("checkpoint").catch(() => undefined);
    const r = await client.query<{ size: string }>(
      "select pg_database_size(current_database()) as size",
    );
    return Number(r.rows[0]!.size);
  } finally {
    await client.end();
  }
}

/** Rows of one tip, table by table, in insert order (what acceptTip writes). */
interface TipRows {
  tables: { table: string; rows: Record<string, unknown>[] }[];
}

const TIP_TABLES = ["tips", "tip_envelopes", "tip_status_history", "attachments"] as const;

/**
 * The rows the server stored for these tips, given as the receipt auth hashes the generator
 * sent, with ids renamed so the same rows can be inserted again.
 */
async function storedRows(database: string, hashes: string[]): Promise<TipRows[]> {
  const out: TipRows[] = [];
  const rename = (row: Record<string, unknown>, keys: string[]) => {
    const copy = { ...row };
    for (const k of keys) if (typeof copy[k] === "string") copy[k] = `${copy[k] as string}~raw`;
    return copy;
  };
  const query = async (sql: string, params: unknown[]): Promise<Record<string, unknown>[]> => {
    if (ENGINE === "sqlite") {
      const conn = new Database(database, { readonly: true });
      try {
        return conn.prepare(sql.replace(/\$\d+/g, "?")).all(...params) as Record<string, unknown>[];
      } finally {
        conn.close();
      }
    }
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  for (const hash of hashes) {
    const tip = (await query("select * from tips where receipt_auth_hash = $1", [hash]))[0];
    if (!tip) continue;
    const id = tip.id as string;
    const rows: TipRows = {
      tables: [{ table: "tips", rows: [rename(tip, ["id", "receipt_auth_hash"])] }],
    };
    for (const table of TIP_TABLES.slice(1)) {
      const r = await query(`select * from ${table} where tip_id = $1`, [id]);
      rows.tables.push({ table, rows: r.map((x) => rename(x, ["id", "tip_id"])) });
    }
    const files = rows.tables.find((t) => t.table === "attachments")!.rows;
    for (const f of files) {
      const original = (f.id as string).replace(/~raw$/, "");
      const chunks = await query("select * from attachment_chunks where attachment_id = $1", [
        original,
      ]);
      rows.tables.push({
        table: "attachment_chunks",
        rows: chunks.map((x) => rename(x, ["attachment_id"])),
      });
    }
    out.push(rows);
  }
  return out;
}

/**
 * The baseline: the same rows inserted with the engine's plain driver, one durable transaction
 * per tip (SQLite: WAL, synchronous=FULL, foreign_keys, secure_delete — the server's pragmas;
 * PostgreSQL: synchronous_commit on). Returns tips per second.
 */
async function rawInsertRate(database: string, tips: TipRows[]): Promise<number> {
  if (ENGINE === "sqlite") {
    const conn = new Database(database);
    conn.pragma("busy_timeout = 5000");
    conn.pragma("journal_mode = WAL");
    conn.pragma("synchronous = FULL");
    conn.pragma("foreign_keys = ON");
    conn.pragma("secure_delete = ON");
    const statements = new Map<string, Database.Statement>();
    const insert = (table: string, row: Record<string, unknown>) => {
      const cols = Object.keys(row);
      const key = `${table}(${cols.join(",")})`;
      let st = statements.get(key);
      if (!st) {
        st = conn.prepare(
          `insert into ${table} (${cols.join(",")}) values (${cols.map(() => "?").join(",")})`,
        );
        statements.set(key, st);
      }
      st.run(...cols.map((c) => row[c]));
    };
    const one = conn.transaction((t: TipRows) => {
      for (const { table, rows } of t.tables) for (const row of rows) insert(table, row);
    });
    const started = performance.now();
    for (const t of tips) one.immediate(t);
    const seconds = (performance.now() - started) / 1000;
    conn.close();
    return tips.length / seconds;
  }
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    const started = performance.now();
    for (const t of tips) {
      await client.query("begin");
      for (const { table, rows } of t.tables) {
        for (const row of rows) {
          const cols = Object.keys(row);
          await client.query(
            `insert into ${table} (${cols.join(",")}) values (${cols.map((_, i) => `$${i + 1}`).join(",")})`,
            cols.map((c) => row[c]),
          );
        }
      }
      await client.query("commit");
    }
    return tips.length / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- phases

interface Submitted {
  results: HttpResult[];
  seconds: number;
  cpuMs: number;
}

async function submitAll(
  server: RunningServer,
  reports: { body: Buffer; contentType: string }[],
  concurrency: number,
  addresses: LoopbackAddresses,
): Promise<Submitted> {
  const results: HttpResult[] = new Array(reports.length);
  const cpu0 = cpuMs(server.proc.pid!);
  const started = performance.now();
  await runPool(reports, concurrency, async (r, i) => {
    results[i] = await postReport(server.url, r, addresses.next());
  });
  return {
    results,
    seconds: (performance.now() - started) / 1000,
    cpuMs: cpuMs(server.proc.pid!) - cpu0,
  };
}

interface LookupPhase {
  results: HttpResult[];
  seconds: number;
  /** Server CPU per look-up in ms, and its user / kernel split. */
  cpu: number;
  user: number;
  kernel: number;
  /** What Content-Encoding came back, counted (the client asks as Chromium does). */
  encodings: Record<string, number>;
  /** The server's memory at the burst's height (`sampleAt`), if the phase was still running. */
  height: { rss: number; split: MemorySplit | null } | null;
}

/**
 * Every secret opened once, LOOKUP_CONCURRENCY at a time. `keptAlive` false: each look-up on a
 * connection of its own from its own address. True: LOOKUP_CONCURRENCY addresses, each sending its
 * share in turn on one kept-alive connection (a browser's fetch after the page it came from).
 */
async function lookupPhase(
  pid: number,
  url: string,
  secrets: Uint8Array[],
  addresses: LoopbackAddresses,
  keptAlive = false,
  sampleAt?: { server: RunningServer; ms: number },
): Promise<LookupPhase> {
  const results: HttpResult[] = [];
  const agent = keptAlive ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : undefined;
  const split0 = cpuSplitMs(pid);
  const started = performance.now();
  // What the look-ups in flight hold (issue 13, item 7): RSS and the `process.memory` split once
  // the burst has filled its LOOKUP_CONCURRENCY slots (the floor keeps each open ≥ 400 ms).
  let running = true;
  let height: LookupPhase["height"] = null;
  const sampled = sampleAt
    ? new Promise<void>((resolve) =>
        setTimeout(() => {
          if (!running) return resolve();
          const rss = rssMb(pid).rss;
          void memorySplit(sampleAt.server).then((split) => {
            height = { rss, split };
            resolve();
          });
        }, sampleAt.ms),
      )
    : Promise.resolve();
  if (!agent) {
    await runPool(secrets, LOOKUP_CONCURRENCY, async (secret) => {
      results.push(await openStatus(url, secret, addresses.next()));
    });
  } else {
    const lanes = Array.from({ length: Math.min(LOOKUP_CONCURRENCY, secrets.length) }, (_, i) =>
      secrets.filter((_, j) => j % LOOKUP_CONCURRENCY === i),
    );
    await Promise.all(
      lanes.map(async (lane) => {
        const address = addresses.next();
        for (const secret of lane) results.push(await openStatus(url, secret, address, agent));
      }),
    );
    agent.destroy();
  }
  running = false;
  const seconds = (performance.now() - started) / 1000;
  const split1 = cpuSplitMs(pid);
  await sampled;
  const n = Math.max(1, results.length);
  const user = (split1.user - split0.user) / n;
  const kernel = (split1.kernel - split0.kernel) / n;
  const encodings = results.reduce<Record<string, number>>((counts, r) => {
    const e = r.encoding ?? "identity";
    counts[e] = (counts[e] ?? 0) + 1;
    return counts;
  }, {});
  return { results, seconds, cpu: user + kernel, user, kernel, encodings, height };
}

/**
 * Spawn → first answered request (the home page) on an existing database, in wall time and in the
 * new process's CPU time (the figure that carries over from a busy machine); stops that server.
 */
async function coldStart(server: RunningServer): Promise<{ ms: number; cpuMs: number }> {
  const env = {
    CROSSWATCH_MODE: "demo",
    HOST: "127.0.0.1",
    PORT: String(server.port),
    DATA_DIR: server.dataDir,
    POW_DIFFICULTY,
    ...(isPostgresUrl(server.database)
      ? { DATABASE_URL: server.database }
      : { DATABASE_PATH: server.database }),
  };
  const started = performance.now();
  const proc = spawnServer(env);
  const exited = new Promise((r) => proc.on("exit", r));
  try {
    for (;;) {
      const res = await request(server.url, {
        path: "/",
        localAddress: "127.0.0.1",
        timeoutMs: 2000,
      });
      if (res.status === 200) return { ms: performance.now() - started, cpuMs: cpuMs(proc.pid!) };
      if (proc.exitCode !== null) throw new Error("server exited during cold start");
      if (performance.now() - started > 30_000) throw new Error("no answer within 30 s");
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    proc.kill("SIGTERM");
    await exited;
  }
}

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  // BENCH_PROFILE_DIR: the server writes a V8 CPU profile there when it stops (for digging).
  const nodeArgs = process.env.BENCH_PROFILE_DIR
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const server = await startServer({ env: { POW_DIFFICULTY }, nodeArgs });
  let stopped = false;
  try {
    const pid = server.proc.pid!;
    // The baseline of the footprint: the same server idle, after start-up and one page.
    await request(server.url, { path: "/", localAddress: "127.0.0.1" });
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssMb(pid);
    const idleSplit = await memorySplit(server);
    const env = serverEnv(server);
    const readers = await readersFor(server, "tj-jinnan");
    log(`${readers.length} readers for 津南; sealing ${TIPS} tips`);
    const t0 = performance.now();
    const tips = await sealLoadTips(readers, TIPS, {
      salt: env.receiptSalt,
      attachmentBytes: 200 * 1024,
      attachmentEvery: 4,
    });
    log(`sealed in ${f1((performance.now() - t0) / 1000)} s; solving proof of work`);
    const reports = await prepareReports(server.url, tips, new LoopbackAddresses(10));
    const sizeBefore = await databaseBytes(server.database);

    // 1. submissions
    log(`submitting ${TIPS} at ${CONCURRENCY} concurrent`);
    mark("submissions");
    const dbCpu0 = databaseCpuMs(server.database);
    const submitted = await submitAll(server, reports, CONCURRENCY, new LoopbackAddresses(11));
    const dbCpu1 = databaseCpuMs(server.database);
    mark("submissions-end");
    const ok = submitted.results.filter((r) => r.status === 201);
    const rate = ok.length / submitted.seconds;
    const lat = submitted.results.map((r) => r.ms);
    log(`statuses ${JSON.stringify(statusCounts(submitted.results))}`);

    // 2. status look-ups: every tip opened repeatedly, each request from its own address
    const openable = tips.filter((_, i) => submitted.results[i]?.status === 201);
    if (openable.length === 0) throw new Error("no submission was accepted");
    const secrets = Array.from(
      { length: LOOKUPS },
      (_, i) => openable[i % openable.length]!.authSecret,
    );
    mark("lookups");
    const fresh = await lookupPhase(pid, server.url, secrets, new LoopbackAddresses(12), false, {
      server,
      ms: 1500,
    });
    mark("lookups-end");
    const { results: lookups, seconds: lookupSeconds, cpu: lookupCpu } = fresh;
    const found = lookups.filter((r) => r.status === 200).length;
    log(
      `look-ups ${JSON.stringify(statusCounts(lookups))} encodings ${JSON.stringify(fresh.encodings)}`,
    );
    // The same look-ups on kept-alive connections, as the status page's fetch goes out on the
    // connection its page came on: each of LOOKUP_CONCURRENCY addresses sends its share one
    // after the other on one connection (fewer than the per-client quota of 20).
    mark("lookups-kept");
    const kept = await lookupPhase(pid, server.url, secrets, new LoopbackAddresses(15), true);
    mark("lookups-kept-end");
    const keptFound = kept.results.filter((r) => r.status === 200).length;
    log(`kept-alive look-ups ${JSON.stringify(statusCounts(kept.results))}`);
    const afterLookups = rssMb(pid);
    const afterLookupsSplit = await memorySplit(server);

    // 3. footprint: reuse sealed bodies under fresh receipts until FOOTPRINT_TIPS are stored
    let stored = ok.length;
    let ciphertext = tips.reduce(
      (n, t, i) => n + (submitted.results[i]?.status === 201 ? t.ciphertextBytes : 0),
      0,
    );
    const powAddresses = new LoopbackAddresses(13);
    const footAddresses = new LoopbackAddresses(14);
    const more = Math.max(0, FOOTPRINT_TIPS - stored);
    log(`footprint: ${more} more submissions`);
    const batch = 500;
    let failures = 0;
    const footprintStarted = performance.now();
    const footprintDeadline = footprintStarted + FOOTPRINT_LIMIT_MS;
    for (
      let done = 0;
      done < more && failures < 100 && performance.now() < footprintDeadline;
      done += batch
    ) {
      const n = Math.min(batch, more - done);
      const round: LoadTip[] = Array.from({ length: n }, (_, i) =>
        withFreshReceipt(tips[(done + i) % tips.length]!),
      );
      await runPool(round, CONCURRENCY, async (tip) => {
        const pow = await solvedPow(server.url, powAddresses.next());
        const res = await postReport(server.url, reportBody(tip, pow), footAddresses.next());
        if (res.status === 201) {
          stored++;
          ciphertext += tip.ciphertextBytes;
        } else failures++;
      });
    }
    const mem = rssMb(pid);
    const split = await memorySplit(server);
    const sizeAfter = await databaseBytes(server.database);
    const growthPerTip = (sizeAfter - sizeBefore) / (stored || 1);
    const cipherPerTip = ciphertext / (stored || 1);
    log(
      `stored ${stored} (${f0((stored - ok.length) / ((performance.now() - footprintStarted) / 1000))}/s), footprint failures ${failures}`,
    );

    // cold start on the existing database
    await server.stop();
    stopped = true;
    const cold = await coldStart(server);

    // baseline: the same rows, raw, one durable transaction per tip
    const copies = await storedRows(
      server.database,
      tips.filter((_, i) => submitted.results[i]?.status === 201).map((t) => t.receiptAuthHash),
    );
    const rawDbCpu0 = databaseCpuMs(server.database);
    const raw = await rawInsertRate(server.database, copies);
    // The raw inserts' backend has exited: its CPU counts once the postmaster has reaped it.
    if (rawDbCpu0 !== null) await new Promise((r) => setTimeout(r, 500));
    const rawDbCpu1 = databaseCpuMs(server.database);

    const cpuPerSubmission = submitted.cpuMs / Math.max(1, ok.length);
    rows.push(
      {
        name: `submissions/s (${CONCURRENCY} concurrent, ${ok.length}/${TIPS} accepted)`,
        measured: f0(rate),
        baseline: `${f0(raw)} raw inserts/s`,
        ratio: f2(rate / raw),
        target: "≥ 0.50",
        pass: rate / raw >= 0.5 && ok.length === TIPS,
      },
      {
        name: "submission latency p50 / p99 (ms)",
        measured: `${f0(percentile(lat, 50))} / ${f0(percentile(lat, 99))}`,
        baseline: "—",
        ratio: "—",
        target: "p99 ≤ 100",
        pass: percentile(lat, 99) <= 100,
      },
      {
        name: "server CPU per submission (ms)",
        measured: f2(cpuPerSubmission),
        baseline: `${f2(1000 / raw)} raw insert`,
        ratio: f2(cpuPerSubmission / (1000 / raw)),
        target: "—",
        pass: null,
      },
      ...(dbCpu0 !== null && dbCpu1 !== null && rawDbCpu0 !== null && rawDbCpu1 !== null
        ? [
            {
              name: "database CPU per submission (ms; the PostgreSQL cluster's processes)",
              measured: f2((dbCpu1 - dbCpu0) / Math.max(1, ok.length)),
              baseline: `${f2((rawDbCpu1 - rawDbCpu0) / Math.max(1, copies.length))} raw insert`,
              ratio: f2(
                (dbCpu1 - dbCpu0) /
                  Math.max(1, ok.length) /
                  Math.max(0.01, (rawDbCpu1 - rawDbCpu0) / Math.max(1, copies.length)),
              ),
              target: "—",
              pass: null,
            },
          ]
        : []),
      {
        name: `status look-ups/s (${LOOKUP_CONCURRENCY} concurrent, ${found}/${lookups.length} found)`,
        measured: f0(lookups.length / lookupSeconds),
        baseline: `floor-bound ${f0(LOOKUP_CONCURRENCY / 0.4)}`,
        ratio: f2(lookups.length / lookupSeconds / 2000),
        target: "≥ 2000 (ratio to it)",
        pass: lookups.length / lookupSeconds >= 2000 && found === lookups.length,
      },
      {
        name: "look-up latency p50 / p99 (ms; floor 400)",
        measured: `${f0(
          percentile(
            lookups.map((r) => r.ms),
            50,
          ),
        )} / ${f0(
          percentile(
            lookups.map((r) => r.ms),
            99,
          ),
        )}`,
        baseline: "—",
        ratio: "—",
        target: "—",
        pass: null,
      },
      {
        name: "server CPU per look-up (ms) → capacity per core",
        measured: f2(lookupCpu),
        baseline: `${f0(1000 / lookupCpu)}/s per core`,
        ratio: f2(1000 / lookupCpu / 2000),
        target: "≥ 2000/s",
        pass: 1000 / lookupCpu >= 2000,
      },
      {
        name: "  its split (ms): user (JS, V8, SQLite) / kernel (TCP, a connection each)",
        measured: `${f2(fresh.user)} / ${f2(fresh.kernel)}`,
        baseline: "—",
        ratio: "—",
        target: "—",
        pass: null,
      },
      {
        name: `same on kept-alive connections (≈ ${f0(LOOKUPS / Math.min(LOOKUP_CONCURRENCY, LOOKUPS))} per connection, ${keptFound}/${kept.results.length} found; user / kernel)`,
        measured: `${f2(kept.cpu)} (${f2(kept.user)} / ${f2(kept.kernel)})`,
        baseline: `${f0(1000 / kept.cpu)}/s per core`,
        ratio: f2(1000 / kept.cpu / 2000),
        target: "≥ 2000/s",
        pass: 1000 / kept.cpu >= 2000,
      },
      {
        name: "  kept-alive look-ups/s (p50 / p99 ms)",
        measured: `${f0(kept.results.length / kept.seconds)} (${f0(
          percentile(
            kept.results.map((r) => r.ms),
            50,
          ),
        )} / ${f0(
          percentile(
            kept.results.map((r) => r.ms),
            99,
          ),
        )})`,
        baseline: "—",
        ratio: "—",
        target: "—",
        pass: null,
      },
      {
        name: "server RSS idle after start (MB; baseline of the next row)",
        measured: f0(idle.rss),
        baseline: "—",
        ratio: f2(idle.rss / 150),
        target: "—",
        pass: null,
      },
      {
        name: "  its split (MB): V8 heap used / total (young), Buffers, rest",
        measured: showSplit(idleSplit),
        baseline: "—",
        ratio: "—",
        target: "—",
        pass: null,
      },
      {
        name: `server RSS during the look-ups (MB; ${LOOKUP_CONCURRENCY} concurrent, a connection each, at 1.5 s)`,
        measured: fresh.height ? f0(fresh.height.rss) : "phase ended before",
        baseline: "—",
        ratio: "—",
        target: "—",
        pass: null,
      },
      {
        name: "  its split (MB): V8 heap used / total (young), Buffers, rest",
        measured: showSplit(fresh.height?.split ?? null),
        baseline: "—",
        ratio: "—",
        target: "—",
        pass: null,
      },
      {
        name: "server RSS after the look-ups (MB)",
        measured: f0(afterLookups.rss),
        baseline: `${f0(afterLookups.rss - idle.rss)} MB over idle`,
        ratio: "—",
        target: "—",
        pass: null,
      },
      {
        name: "  its split (MB): V8 heap used / total (young), Buffers, rest",
        measured: showSplit(afterLookupsSplit),
        baseline: "—",
        ratio: "—",
        target: "—",
        pass: null,
      },
      {
        name: `server RSS after ${stored}${stored < FOOTPRINT_TIPS ? ` of ${FOOTPRINT_TIPS} (time limit)` : ""} submissions (MB; peak)`,
        measured: `${f0(mem.rss)} (${f0(mem.peak)})`,
        baseline: "—",
        ratio: f2(mem.rss / 150),
        target: "≤ 150",
        pass: mem.rss <= 150 && stored >= FOOTPRINT_TIPS,
      },
      {
        name: "  its split (MB): V8 heap used / total (young), Buffers, rest",
        measured: showSplit(split),
        baseline: `${f0(mem.rss - idle.rss)} MB over idle`,
        ratio: "—",
        target: "—",
        pass: null,
      },
      {
        name: "database growth per tip (KB)",
        measured: f1(growthPerTip / 1024),
        baseline: `${f1(cipherPerTip / 1024)} KB ciphertext`,
        ratio: f2(growthPerTip / cipherPerTip),
        target: "≤ 1.10",
        pass: growthPerTip / cipherPerTip <= 1.1,
      },
      {
        name: "cold start to first response (ms)",
        measured: f0(cold.ms),
        baseline: "—",
        ratio: f2(cold.ms / 1000),
        target: "≤ 1000",
        pass: cold.ms <= 1000,
      },
      {
        name: "  its CPU time (ms; ≈ the wait on an idle core)",
        measured: f0(cold.cpuMs),
        baseline: "—",
        ratio: f2(cold.cpuMs / 1000),
        target: "≤ 1000",
        pass: cold.cpuMs <= 1000,
      },
    );
    return rows;
  } finally {
    if (!stopped) await server.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

function print(rows: Row[], engine: string): void {
  printTable(
    `server capacity, ${engine} (${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`,
    ["name", "measured", "baseline (same run)", "ratio", "target", "pass"],
    rows.map((r) => [
      r.name,
      r.measured,
      r.baseline,
      r.ratio,
      r.target,
      r.pass === null ? "—" : r.pass ? "pass" : "FAIL",
    ]),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  if (process.env.CROSSWATCH_BUILT !== "1") {
    execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "ignore" });
  }
  print(await run(), ENGINE === "pg" ? "PostgreSQL" : "SQLite");
  const engines = (process.env.BENCH_ENGINES ?? "sqlite,pg").split(",");
  if (ENGINE === "sqlite" && engines.includes("pg")) {
    if (!findPgBin()) {
      console.log("\n(PostgreSQL is not installed: the PostgreSQL run is skipped)");
    } else {
      const cluster = await startThrowawayCluster();
      try {
        const child = spawn(
          process.execPath,
          ["node_modules/tsx/dist/cli.mjs", "scripts/bench-server.ts"],
          {
            stdio: "inherit",
            env: { ...process.env, DATABASE_URL: cluster.url, CROSSWATCH_BUILT: "1" },
          },
        );
        await new Promise((r) => child.on("exit", r));
      } finally {
        cluster.stop();
      }
    }
  }
  if (ENGINE === "sqlite") console.log(`\n(${f1((performance.now() - started) / 1000)} s)`);
}

main().catch((err) => {
  console.error("bench-server:", err instanceof Error ? err.stack : err);
  process.exit(1);
});
