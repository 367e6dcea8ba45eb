/**
 * Same-period A/B of the server's CPU per accepted report between builds (`tsx
 * scripts/ab-report-cpu.ts`; not part of `npm run bench`): how issue 13 item 1's changes were
 * measured on a loaded machine, where a single bench-server run says little.
 *
 * Seals AB_TIPS tips once (as bench-server: 16 KiB payload, a 200 KB photo in every fourth), then
 * AB_PAIRS rounds, the variants' order flipped every round: each variant gets a fresh server (a
 * copy of the seeded demo template, as bench-server), its proof of work solved, then the AB_TIPS
 * reports at AB_CONCURRENCY (64) from many loopback addresses; CPU time from /proc.
 *
 * AB_VARIANTS: `name|server.js|NAME=value …` entries separated by `;` — an empty server.js is
 * ./build's; another is a copy of an earlier build (`cp -r build /tmp/base` before rebuilding,
 * and `ln -s "$PWD/node_modules" /tmp/base/node_modules` so it finds its packages). Default:
 * `base|/tmp/perf-build-base/server.js|;new||`.
 */
import fs from "node:fs";
import {
  LoopbackAddresses,
  postReport,
  prepareReports,
  readersFor,
  runPool,
  sealLoadTips,
  statusCounts,
  percentile,
  type HttpResult,
} from "../test/support/load";
import { startServer } from "../test/support/server";
import { serverEnv } from "../test/support/tip-fixture";

const TIPS = Number(process.env.AB_TIPS ?? 1000);
const PAIRS = Number(process.env.AB_PAIRS ?? 3);
const CONC = Number(process.env.AB_CONCURRENCY ?? 64);
const variants = (process.env.AB_VARIANTS ?? "base|/tmp/perf-build-base/server.js|;new||")
  .split(";")
  .filter(Boolean)
  .map((s) => {
    const [name, script = "", envs = ""] = s.split("|");
    const env: Record<string, string> = {};
    for (const w of envs.split(/\s+/).filter(Boolean))
      env[w.slice(0, w.indexOf("="))] = w.slice(w.indexOf("=") + 1);
    return { name: name!, script, env };
  });

function cpu(pid: number) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(f[11]) * 10, sys: Number(f[12]) * 10 };
}
const load = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0];

async function main() {
  const first = await startServer({ env: { POW_DIFFICULTY: "2" } });
  const readers = await readersFor(first, "tj-jinnan");
  const env = serverEnv(first);
  await first.stop();
  fs.rmSync(first.dataDir, { recursive: true, force: true });
  const tips = await sealLoadTips(readers, TIPS, {
    salt: env.receiptSalt,
    attachmentBytes: 200 * 1024,
    attachmentEvery: 4,
  });
  console.log(`sealed ${TIPS}`);
  const res: Record<
    string,
    { cpu: number; user: number; sys: number; rate: number; p50: number }[]
  > = {};
  for (let pair = 0; pair < PAIRS; pair++) {
    const order = pair % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) {
      const server = await startServer({
        env: { POW_DIFFICULTY: "2", ...v.env },
        nodeArgs: v.script ? [v.script] : [],
      });
      try {
        const reports = await prepareReports(server.url, tips, new LoopbackAddresses(10));
        const addrs = new LoopbackAddresses(11);
        const results: HttpResult[] = new Array(reports.length);
        const c0 = cpu(server.proc.pid!);
        const t0 = performance.now();
        await runPool(reports, CONC, async (r, i) => {
          results[i] = await postReport(server.url, r, addrs.next());
        });
        const secs = (performance.now() - t0) / 1000;
        const c1 = cpu(server.proc.pid!);
        const ok = results.filter((r) => r.status === 201).length;
        const r = {
          cpu: (c1.user + c1.sys - c0.user - c0.sys) / ok,
          user: (c1.user - c0.user) / ok,
          sys: (c1.sys - c0.sys) / ok,
          rate: ok / secs,
          p50: percentile(
            results.map((x) => x.ms),
            50,
          ),
        };
        (res[v.name] ??= []).push(r);
        console.log(
          `pair ${pair + 1} ${v.name.padEnd(8)} ${JSON.stringify(statusCounts(results))} cpu/report ${r.cpu.toFixed(2)} ms (user ${r.user.toFixed(2)} sys ${r.sys.toFixed(2)}) ${r.rate.toFixed(0)}/s p50 ${r.p50.toFixed(0)} load ${load()}`,
        );
      } finally {
        await server.stop();
        fs.rmSync(server.dataDir, { recursive: true, force: true });
      }
    }
  }
  for (const [name, rs] of Object.entries(res)) {
    const c = rs.map((r) => r.cpu).sort((a, b) => a - b);
    const rt = rs.map((r) => r.rate).sort((a, b) => a - b);
    console.log(
      `${name.padEnd(8)} cpu/report median ${c[Math.floor(c.length / 2)]!.toFixed(2)} [${c.map((x) => x.toFixed(2)).join(", ")}]  rate [${rt.map((x) => x.toFixed(0)).join(", ")}]`,
    );
  }
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
