/**
 * Lighthouse (mobile preset: simulated slow 4G and 4× CPU) against Debian's Chromium — part of
 * `npm run bench` (`npx tsx scripts/bench-lighthouse.ts`).
 *
 * Starts the real built server with demo data and audits the public pages: the zero-JavaScript
 * pages must score 100 for performance, /report and /status at least 95, every page 100 for
 * accessibility. Each page is audited three times after one warm-up load; the median score is
 * printed with its target and pass/fail, with FCP, LCP and TBT of the median run.
 * BENCH_LIGHTHOUSE_PAGES=/report,/status audits only pages whose path starts so;
 * BENCH_LIGHTHOUSE_DETAIL=1 also prints the median run's longest main-thread tasks, its main-thread
 * time by kind of work and the number of DOM elements.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM_PATH } from "../test/support/chromium";
import { startServer } from "../test/support/server";
import { printTable } from "./lib/table";

const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const ALL_PAGES: { path: string; perfTarget: number }[] = [
  { path: "/", perfTarget: 100 },
  { path: "/districts/tj-jinnan", perfTarget: 100 },
  { path: "/safety", perfTarget: 100 },
  { path: "/results", perfTarget: 100 },
  { path: "/report?district=tj-jinnan", perfTarget: 95 },
  { path: "/status", perfTarget: 95 },
];
const ONLY = process.env.BENCH_LIGHTHOUSE_PAGES?.split(",").filter(Boolean) ?? [];
const PAGES = ONLY.length
  ? ALL_PAGES.filter((p) => ONLY.some((o) => p.path === o || p.path.startsWith(o + "?")))
  : ALL_PAGES;
const DETAIL = process.env.BENCH_LIGHTHOUSE_DETAIL === "1";

const HEADER = ["page", "performance (runs)", "target", "accessibility", "pass", "median run"];
const lines: string[][] = [];
// A busy machine can stretch this past its budget: the pages audited by then are still printed.
const killer = setTimeout(
  () => {
    console.error("bench-lighthouse: exceeded its time budget, stopping; audited so far:");
    printTable(`Lighthouse mobile (incomplete, median of ${RUNS})`, HEADER, lines);
    process.exit(0);
  },
  Number(process.env.BENCH_LIGHTHOUSE_LIMIT_MS ?? 900_000),
);
killer.unref();

interface Run {
  perf: number;
  a11y: number;
  fcp: number;
  lcp: number;
  tbt: number;
  /** the longest main-thread tasks (simulated ms) and what ran in them */
  longTasks: string[];
  /** main-thread time by kind of work (script, style and layout, parsing…) and the DOM's size */
  breakdown: string;
}

const median = <T>(xs: T[], key: (x: T) => number): T =>
  [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;

async function main() {
  if (process.env.CROSSWATCH_BUILT !== "1") {
    execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "ignore" });
  }
  const server = await startServer();
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  try {
    const audit = async (url: string): Promise<Run> => {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility"],
        formFactor: "mobile",
      });
      if (!result) throw new Error(`no Lighthouse result for ${url}`);
      const { categories, audits } = result.lhr;
      // A run Lighthouse could not score (no paint seen, page error) says why instead of a bare 0.
      if (result.lhr.runtimeError) {
        console.error(`${url}: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
      }
      return {
        perf: Math.round((categories.performance?.score ?? 0) * 100),
        a11y: Math.round((categories.accessibility?.score ?? 0) * 100),
        fcp: audits["first-contentful-paint"]?.numericValue ?? 0,
        lcp: audits["largest-contentful-paint"]?.numericValue ?? 0,
        tbt: audits["total-blocking-time"]?.numericValue ?? 0,
        longTasks: (
          (audits["long-tasks"]?.details as { items?: { url: string; duration: number }[] })
            ?.items ?? []
        ).map((t) => `${Math.round(t.duration)} ms ${t.url.replace(server.url, "")}`),
        breakdown: [
          ...(
            (
              audits["mainthread-work-breakdown"]?.details as {
                items?: { groupLabel: string; duration: number }[];
              }
            )?.items ?? []
          ).map((g) => `${g.groupLabel} ${Math.round(g.duration)} ms`),
          `DOM elements ${audits["dom-size"]?.numericValue ?? "?"}`,
        ].join("; "),
      };
    };
    for (const { path, perfTarget } of PAGES) {
      const url = server.url + path;
      const res = await fetch(url);
      if (res.status === 404) {
        lines.push([path, "-", "-", "-", "-", "not built yet (404)"]);
        continue;
      }
      await audit(url); // warm-up: fonts, caches, first compile
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await audit(url));
      const perf = median(runs, (r) => r.perf);
      const a11y = median(runs, (r) => r.a11y);
      const ok = perf.perf >= perfTarget && a11y.a11y >= 100;
      lines.push([
        path,
        `${perf.perf} (${runs.map((r) => r.perf).join("/")})`,
        `≥ ${perfTarget}`,
        `${a11y.a11y}`,
        ok ? "pass" : "FAIL",
        `FCP ${(perf.fcp / 1000).toFixed(2)} s, LCP ${(perf.lcp / 1000).toFixed(2)} s, TBT ${perf.tbt.toFixed(0)} ms`,
      ]);
      if (DETAIL) {
        console.log(`${path} long tasks: ${perf.longTasks.join("; ") || "none"}`);
        console.log(`${path} main thread: ${perf.breakdown}`);
      }
    }
  } finally {
    await chrome.kill();
    await server.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
  printTable(
    `Lighthouse mobile (median of ${RUNS} after a warm-up; accessibility target 100 everywhere)`,
    HEADER,
    lines,
  );
}

main()
  .catch((e: unknown) =>
    console.error("bench-lighthouse failed:", e instanceof Error ? e.stack : e),
  )
  .finally(() => clearTimeout(killer));
