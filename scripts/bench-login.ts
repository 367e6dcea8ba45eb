/**
 * Sign-in flood, part of `npm run bench` (`npm run bench -- login`): does a flood of staff
 * sign-ins slow down everyone else? (issue 11 item 2: 30 parallel logins once pushed an unrelated
 * page from 0.03 s to 2.4 s, because argon2id ran on the event loop.)
 *
 * Against the real built server as `npm start` runs it (fresh demo database, SQLite):
 * 1. quiet: BENCH_LOGIN_PAGES sequential GETs of the home page (the district list a resident
 *    opens first) → p50 / p95;
 * 2. flood: waves of BENCH_LOGIN_PARALLEL (30) sign-ins sent at once, the next wave as soon as
 *    the last is answered, each a wrong password for a name nobody has (the same work as a real
 *    name: the hash runs), each from a loopback address of its own (127.N.x.y) so no per-client
 *    limit refuses it before the hash; after a second of flood, the same sequential page GETs
 *    → p50 / p95.
 * Rows: the flood's p95 and p50 over the quiet ones measured in the same run (target ≤ 5×; before
 * the hashing moved to a worker it was about 80×), and how the sign-ins were answered (401 =
 * hashed and refused, 503 = the hashing queue was full, answered at once).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { printBenchRows, type BenchRow } from "./lib/table";
import {
  LoopbackAddresses,
  percentile,
  request,
  statusCounts,
  type HttpResult,
} from "../test/support/load";
import { startServer } from "../test/support/server";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const PAGES = num("BENCH_LOGIN_PAGES", 40);
const PARALLEL = num("BENCH_LOGIN_PARALLEL", 30);
const WARMUP_MS = 1000;
/** An unrelated page may be at most this many times slower during the flood. */
const TARGET_RATIO = 5;
const HARD_LIMIT_MS = num("BENCH_LOGIN_LIMIT_MS", 5 * 60_000);

const killer = setTimeout(() => {
  console.error("bench-login: exceeded its time budget, stopping");
  process.exit(0);
}, HARD_LIMIT_MS);
killer.unref();

async function pageTimes(url: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await request(url, { path: "/", localAddress: "127.0.0.1" });
    if (r.status !== 200) throw new Error(`GET /: ${r.status} ${r.error ?? ""}`);
    times.push(r.ms);
  }
  return times;
}

async function main(): Promise<void> {
  if (process.env.CROSSWATCH_BUILT !== "1") {
    execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "ignore" });
  }
  const server = await startServer({ env: { CROSSWATCH_DEMO_OUTCOMES: "off" } });
  try {
    await pageTimes(server.url, 10); // warm the page and the database cache
    const quiet = await pageTimes(server.url, PAGES);

    const addresses = new LoopbackAddresses(91);
    const logins: HttpResult[] = [];
    const flood = { stopped: false };
    const signIn = async () => {
      const body = new URLSearchParams({
        username: `ghost.${randomBytes(6).toString("hex")}`,
        password: randomBytes(9).toString("base64url"),
      }).toString();
      logins.push(
        await request(server.url, {
          method: "POST",
          path: "/staff/login",
          localAddress: addresses.next(),
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: Buffer.from(body),
        }),
      );
    };
    // Waves of PARALLEL sign-ins at once, the next as soon as the last one is answered.
    const waves = (async () => {
      while (!flood.stopped) await Promise.all(Array.from({ length: PARALLEL }, signIn));
    })();
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const during = await pageTimes(server.url, PAGES);
    flood.stopped = true;
    await waves;

    const q50 = percentile(quiet, 50);
    const q95 = percentile(quiet, 95);
    const f50 = percentile(during, 50);
    const f95 = percentile(during, 95);
    const answers = statusCounts(logins);
    const answered = Object.entries(answers)
      .map(([status, n]) => `${n}× ${status}`)
      .join(", ");
    const rows: BenchRow[] = [
      {
        name: `home page p95 during ${PARALLEL} parallel sign-ins ÷ quiet p95`,
        measured: f95 / q95,
        target: TARGET_RATIO,
        unit: "×",
        note: `${f95.toFixed(0)} ms vs ${q95.toFixed(1)} ms quiet (${PAGES} GETs each)`,
      },
      {
        name: `home page p50 during ${PARALLEL} parallel sign-ins ÷ quiet p50`,
        measured: f50 / q50,
        target: TARGET_RATIO,
        unit: "×",
        note: `${f50.toFixed(0)} ms vs ${q50.toFixed(1)} ms quiet`,
      },
      {
        name: "sign-in attempts answered during the flood",
        measured: logins.length,
        target: null,
        unit: "",
        note: answered,
      },
    ];
    printBenchRows("Sign-in flood: an unrelated page stays fast (SQLite)", rows);
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
