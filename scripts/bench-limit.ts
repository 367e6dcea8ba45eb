/**
 * The physical limit of item 1 on this machine (`npm run bench -- limit`): how fast, and at what
 * p99, can ANY Node server accept durable submissions at bench-server's load? A server that does
 * nothing but read the body and insert it (scripts/lib/limit-server.mjs) is driven by the same
 * generator as bench-server (test/support/load.ts: a connection and a loopback address each, 64
 * concurrent) with bodies of a realistic report's sizes (≈ 24 KB of sealed text and envelopes, a
 * 200 KB photo in every fourth). Baseline in the same run: the raw durable insert of the same
 * bodies, one transaction each, synchronous=FULL (bench-server's baseline shape). The real server
 * also parses, checks proof of work, routes and writes ≈ 14 rows; it cannot beat these rows.
 * Modes alternate, BENCH_LIMIT_ROUNDS (2) times; the best round of each is printed.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { printTable } from "./lib/table";
import { LoopbackAddresses, percentile, request, runPool } from "../test/support/load";
import { envNumber as num } from "./lib/env-number";

const N = num("BENCH_LIMIT_REQUESTS", 3000);
const CONCURRENCY = num("BENCH_CONCURRENCY", 64);
const ROUNDS = num("BENCH_LIMIT_ROUNDS", 2);
const PORT = num("BENCH_LIMIT_PORT", 3391);

const bodies = Array.from({ length: N }, (_, i) =>
  Buffer.concat([randomBytes(24 * 1024), i % 4 === 0 ? randomBytes(200 * 1024) : Buffer.alloc(0)]),
);

function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, 100 ticks a second
}

interface Served {
  perSecond: number;
  p50: number;
  p99: number;
  cpuPerRequest: number;
}

async function serve(mode: "fsync" | "group"): Promise<Served> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-limit-"));
  const child = fork("scripts/lib/limit-server.mjs", [path.join(dir, "db"), String(PORT)], {
    env: { ...process.env, MODE: mode },
  });
  try {
    await new Promise((resolve, reject) => {
      child.once("message", resolve);
      child.once("exit", () => reject(new Error("limit server exited")));
    });
    const addresses = new LoopbackAddresses(21);
    const ms: number[] = [];
    let accepted = 0;
    const cpu0 = cpuMs(child.pid!);
    const started = performance.now();
    await runPool(bodies, CONCURRENCY, async (body) => {
      const r = await request(`http://127.0.0.1:${PORT}`, {
        method: "POST",
        path: "/",
        localAddress: addresses.next(),
        headers: { "Content-Type": "application/octet-stream" },
        body,
      });
      if (r.status === 201) accepted++;
      ms.push(r.ms);
    });
    const seconds = (performance.now() - started) / 1000;
    if (accepted !== N) throw new Error(`${N - accepted} of ${N} not accepted`);
    return {
      perSecond: accepted / seconds,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      cpuPerRequest: (cpuMs(child.pid!) - cpu0) / accepted,
    };
  } finally {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function rawInsertRate(): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-limit-raw-"));
  const db = new Database(path.join(dir, "db"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec("create table t (id integer primary key, body blob not null)");
    const insert = db.prepare("insert into t (body) values (?)");
    const one = db.transaction((b: Buffer) => insert.run(b));
    const started = performance.now();
    for (const b of bodies) one.immediate(b);
    return N / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const best = (xs: Served[]) => xs.reduce((a, b) => (b.p99 < a.p99 ? b : a));

async function main(): Promise<void> {
  const raws: number[] = [];
  const runs: Record<"fsync" | "group", Served[]> = { fsync: [], group: [] };
  for (let round = 0; round < ROUNDS; round++) {
    raws.push(rawInsertRate());
    for (const mode of ["fsync", "group"] as const) runs[mode].push(await serve(mode));
  }
  const raw = raws.reduce((a, b) => a + b) / raws.length;
  const f0 = (n: number) => n.toFixed(0);
  const line = (name: string, s: Served): string[][] => [
    [
      `${name}: accepted/s ÷ raw durable inserts`,
      f0(s.perSecond),
      `${f0(raw)}/s`,
      (s.perSecond / raw).toFixed(2),
      "—",
      "—",
    ],
    [
      `${name}: p50 / p99 at ${CONCURRENCY} concurrent`,
      `${f0(s.p50)} / ${f0(s.p99)} ms`,
      "—",
      "—",
      "p99 ≤ 100 ms",
      s.p99 <= 100 ? "pass" : "FAIL",
    ],
    [`${name}: server CPU per request`, `${s.cpuPerRequest.toFixed(2)} ms`, "—", "—", "—", "—"],
  ];
  printTable(
    `the physical limit: a server that only inserts the body (${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}; ${N} requests, best of ${ROUNDS} by p99; raw inserts ${raws.map(f0).join(" · ")}/s)`,
    ["name", "measured", "baseline (same run)", "ratio", "target", "pass"],
    [...line("fsync per commit", best(runs.fsync)), ...line("group commit", best(runs.group))],
  );
}

main().catch((err) => {
  console.error("bench-limit:", err instanceof Error ? err.stack : err);
  process.exit(1);
});
