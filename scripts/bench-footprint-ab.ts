/**
 * Same-run A/B of the server's resident memory under the footprint load (`tsx
 * scripts/bench-footprint-ab.ts`, after `node scripts/build.mjs`): starts one real server per
 * variant (each as `serve` runs it, plus the variant's environment and node flags), then drives
 * all of them at the same time with the same submissions as bench-server's footprint phase
 * (sealed 16 KiB reports, a 200 KB photo in every fourth, BENCH_CONCURRENCY per server), so the
 * machine's load falls on every variant alike. Prints, per variant: RSS idle, RSS at each
 * checkpoint, RSS and peak after the last submission, the server's `process.memory` split, RSS
 * again after BENCH_SETTLE_S idle seconds, and CPU per submission (from /proc) with the
 * submissions/s each server reached.
 *
 * BENCH_VARIANTS: `name|NAME=value … --flag …` entries separated by `;` (the first is the
 * baseline; `base|` = serve as is). BENCH_FOOTPRINT_TIPS (default 2,000) submissions per server,
 * BENCH_CHECKPOINT (default 1,000). BENCH_ENGINE=pg: on PostgreSQL, a throwaway cluster
 * (scripts/lib/pg-throwaway.mjs) with one database per server.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { startThrowawayCluster } from "./lib/pg-throwaway.mjs";
import {
  LoopbackAddresses,
  openStatus,
  postReport,
  readersFor,
  reportBody,
  runPool,
  sealLoadTips,
  solvedPow,
  withFreshReceipt,
  type LoadTip,
} from "../test/support/load";
import { startServer, type RunningServer } from "../test/support/server";
import { serverEnv } from "../test/support/tip-fixture";
import { envNumber as num } from "./lib/env-number";

const TIPS = num("BENCH_FOOTPRINT_TIPS", 2000);
const CHECKPOINT = num("BENCH_CHECKPOINT", 1000);
const CONCURRENCY = num("BENCH_CONCURRENCY", 64);
const SETTLE_S = num("BENCH_SETTLE_S", 10);
const DISTINCT = 64;
/** After the first checkpoint, as bench-server: status look-ups, one server at a time. */
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 8000);
const LOOKUP_CONCURRENCY = num("BENCH_LOOKUP_CONCURRENCY", 1024);

interface Variant {
  name: string;
  env: Record<string, string>;
  flags: string[];
}

function variants(): Variant[] {
  const spec = process.env.BENCH_VARIANTS ?? "base|;arena2|MALLOC_ARENA_MAX=2";
  return spec
    .split(";")
    .filter((s) => s.trim())
    .map((entry) => {
      const [name, rest = ""] = entry.split("|");
      const words = rest.trim().split(/\s+/).filter(Boolean);
      return {
        name: name!.trim(),
        env: Object.fromEntries(
          words
            .filter((w) => !w.startsWith("--"))
            .map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]),
        ),
        flags: words.filter((w) => w.startsWith("--")),
      };
    });
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1]);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

async function memorySplit(server: RunningServer): Promise<string> {
  const before = server.output().length;
  process.kill(server.proc.pid!, "SIGUSR2");
  for (let waited = 0; waited < 3000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    const line = server
      .output()
      .slice(before)
      .split("\n")
      .find((l) => l.includes('"process.memory"'));
    if (line) {
      const m = JSON.parse(line) as Record<string, number> & { spaces?: Record<string, number> };
      return `heap ${m.heapUsedMb}/${m.heapTotalMb} (young ${m.spaces?.new ?? "?"}), ext ${m.externalMb}, rest ${m.otherMb}`;
    }
  }
  return "no split";
}

interface Lane {
  v: Variant;
  server: RunningServer;
  pid: number;
  tips: LoadTip[];
  stored: number;
  failures: number;
  busyMs: number;
  cpu0: number;
  idle: number;
  checkpoints: number[];
  secrets: Uint8Array[];
  lookupCpuMs: number;
  lookupsFound: number;
}

const f0 = (n: number) => n.toFixed(0);

async function main() {
  const vs = variants();
  const lanes: Lane[] = [];
  try {
    for (const v of vs) {
      const server = await startServer({
        env: { POW_DIFFICULTY: "2", ...v.env },
        nodeArgs: v.flags,
      });
      lanes.push({
        v,
        server,
        pid: server.proc.pid!,
        tips: [],
        stored: 0,
        failures: 0,
        busyMs: 0,
        cpu0: 0,
        idle: 0,
        checkpoints: [],
        secrets: [],
        lookupCpuMs: 0,
        lookupsFound: 0,
      });
    }
    for (const lane of lanes) {
      const readers = await readersFor(lane.server, "tj-jinnan");
      lane.tips = await sealLoadTips(readers, DISTINCT, {
        salt: serverEnv(lane.server).receiptSalt,
        attachmentBytes: 200 * 1024,
        attachmentEvery: 4,
      });
    }
    await new Promise((r) => setTimeout(r, 1000));
    for (const lane of lanes) {
      lane.idle = rssMb(lane.pid).rss;
      lane.cpu0 = cpuMs(lane.pid);
    }
    const load0 = fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0];
    console.log(`variants: ${vs.map((v) => v.name).join(", ")}; load ${load0}`);
    let n = 0;
    let block = 0;
    while (n < TIPS) {
      const size = Math.min(CHECKPOINT, TIPS - n);
      await Promise.all(
        lanes.map(async (lane, li) => {
          const pow = new LoopbackAddresses(20 + li * 2);
          const post = new LoopbackAddresses(21 + li * 2);
          const t0 = performance.now();
          const round = Array.from({ length: size }, (_, i) =>
            withFreshReceipt(lane.tips[(n + i) % lane.tips.length]!),
          );
          await runPool(round, CONCURRENCY, async (tip) => {
            const p = await solvedPow(lane.server.url, pow.next());
            const res = await postReport(lane.server.url, reportBody(tip, p), post.next());
            if (res.status === 201) {
              lane.stored++;
              if (lane.secrets.length < 1000) lane.secrets.push(tip.authSecret);
            } else lane.failures++;
          });
          lane.busyMs += performance.now() - t0;
          lane.checkpoints.push(rssMb(lane.pid).rss);
        }),
      );
      n += size;
      block++;
      if (block === 1 && LOOKUPS > 0) {
        for (const [li, lane] of lanes.entries()) {
          const addresses = new LoopbackAddresses(40 + li);
          const secrets = Array.from(
            { length: LOOKUPS },
            (_, i) => lane.secrets[i % lane.secrets.length]!,
          );
          const c0 = cpuMs(lane.pid);
          await runPool(secrets, LOOKUP_CONCURRENCY, async (secret) => {
            const res = await openStatus(lane.server.url, secret, addresses.next());
            if (res.status === 200) lane.lookupsFound++;
          });
          lane.lookupCpuMs = cpuMs(lane.pid) - c0;
        }
        console.log(
          `  look-ups: ${lanes.map((l) => `${l.v.name} ${f0(rssMb(l.pid).rss)} MB`).join(" · ")}`,
        );
      }
      console.log(
        `  ${n}: ${lanes.map((l) => `${l.v.name} ${f0(l.checkpoints[block - 1]!)} MB`).join(" · ")}`,
      );
    }
    const after = lanes.map((l) => ({
      ...rssMb(l.pid),
      cpu: cpuMs(l.pid) - l.cpu0 - l.lookupCpuMs,
    }));
    const splits: string[] = [];
    for (const l of lanes) splits.push(await memorySplit(l.server));
    await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
    const settled = lanes.map((l) => rssMb(l.pid).rss);
    const load1 = fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0];
    console.log(`\nload ${load0} → ${load1}; ${TIPS} submissions per server`);
    console.log(
      "variant | idle | checkpoints | after (peak) | split after | settled " +
        `${SETTLE_S}s | CPU/sub | subs/s | failures | CPU/look-up (found)`,
    );
    lanes.forEach((l, i) => {
      console.log(
        [
          `${l.v.name} (${[...Object.entries(l.v.env).map(([k, v]) => `${k}=${v}`), ...l.v.flags].join(" ") || "serve"})`,
          f0(l.idle),
          l.checkpoints.map(f0).join("/"),
          `${f0(after[i]!.rss)} (${f0(after[i]!.peak)})`,
          splits[i],
          f0(settled[i]!),
          `${(after[i]!.cpu / Math.max(1, l.stored)).toFixed(1)} ms`,
          f0(l.stored / (l.busyMs / 1000)),
          String(l.failures),
          `${(l.lookupCpuMs / Math.max(1, LOOKUPS)).toFixed(2)} ms (${l.lookupsFound})`,
        ].join(" | "),
      );
    });
  } finally {
    for (const l of lanes) await l.server.stop().catch(() => undefined);
  }
}

async function onPostgres() {
  const cluster = await startThrowawayCluster();
  try {
    const child = spawn(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "scripts/bench-footprint-ab.ts"],
      { stdio: "inherit", env: { ...process.env, DATABASE_URL: cluster.url, BENCH_ENGINE: "" } },
    );
    await new Promise((r) => child.on("exit", r));
  } finally {
    cluster.stop();
  }
}

(process.env.BENCH_ENGINE === "pg" ? onPostgres() : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
