// `npm test`: build the app once, make sure Chromium is there, then
//   1. unit, integration and e2e tests on SQLite (one vitest run), and
//   2. when PostgreSQL is installed (Debian's `postgresql`), the integration tests again on a
//      throwaway PostgreSQL cluster (scripts/lib/pg-throwaway.mjs: a temporary directory, a free
//      loopback port, run as `nobody` when we are root, removed at the end).
// The last lines say which engine ran which tests. Extra arguments go to vitest (e.g.
// `npm test -- --project unit`, or a file path); CROSSWATCH_TEST_ENGINES=sqlite|pg|both (default
// both when PostgreSQL is installed) picks the passes.
//
// A whole run goes in three lanes at once: unit + integration on SQLite, e2e on SQLite, and
// integration on PostgreSQL. vitest runs each lane's files one at a time (one worker on two cores,
// and the e2e project is one browser at a time), and most of a test's time is spent waiting on a
// server or on Chromium, so the lanes overlap well on a 2-core machine. The first lane prints as it
// goes; the others write to build/test-<lane>.log, printed whole when they end.
// CROSSWATCH_TEST_LANES=1 runs the passes one after another instead.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findPgBin, startThrowawayCluster } from "./lib/pg-throwaway.mjs";

const CHROMIUM = "/usr/bin/chromium";
const args = process.argv.slice(2);
const engines = process.env.CROSSWATCH_TEST_ENGINES || "both";
if (!["sqlite", "pg", "both"].includes(engines)) {
  console.error(`test: CROSSWATCH_TEST_ENGINES must be sqlite, pg or both (not "${engines}")`);
  process.exit(2);
}

if (!fs.existsSync(CHROMIUM)) {
  if (process.getuid?.() === 0) {
    console.log("test: installing Debian's chromium for the browser tests");
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } else {
    console.error(
      `test: ${CHROMIUM} is missing; install it with: sudo apt-get install -y chromium`,
    );
    process.exit(1);
  }
}

// `--project X` / `--project=X` arguments, and the rest.
const projects = [];
const rest = [];
for (let i = 0; i < args.length; i++) {
  const m = /^--project(?:=(.*))?$/.exec(args[i]);
  if (!m) rest.push(args[i]);
  else projects.push(m[1] ?? args[++i]);
}
const pgBin = findPgBin();
const pgVersion = pgBin ? path.basename(path.dirname(pgBin)) : null;
const integrationSelected = projects.length === 0 || projects.includes("integration");
const runSqlite = engines !== "pg";
const runPg = engines !== "sqlite" && integrationSelected && !!pgBin;
if (engines === "pg" && !pgBin) {
  console.error("test: CROSSWATCH_TEST_ENGINES=pg but PostgreSQL is not installed");
  process.exit(1);
}

console.log("test: building the app");
execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });

const buildDir = process.env.CROSSWATCH_BUILD_DIR || "build";

const totals = { passed: 0, failed: 0, skipped: 0 };

/**
 * One vitest run in a child process; resolves with its summary line. `log` null: output goes to
 * this process's stdout as it comes; otherwise to that file, printed whole when the run ends.
 */
function vitest(vitestArgs, env, reportName, log) {
  const report = `${buildDir}/${reportName}`;
  fs.rmSync(report, { force: true });
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      "node_modules/vitest/vitest.mjs",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...vitestArgs,
    ],
    {
      stdio: log ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, CROSSWATCH_BUILT: "1", ...env },
    },
  );
  children.add(child);
  if (log) {
    const out = fs.createWriteStream(log);
    child.stdout.pipe(out);
    child.stderr.pipe(out);
  }
  return new Promise((resolve) => {
    child.on("close", (status) => {
      children.delete(child);
      const seconds = Math.round((Date.now() - started) / 1000);
      try {
        const r = JSON.parse(fs.readFileSync(report, "utf8"));
        const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
        totals.passed += r.numPassedTests;
        totals.failed += r.numFailedTests;
        totals.skipped += skipped;
        resolve({
          ok: status === 0,
          total: r.numTotalTests,
          line:
            `${r.numPassedTests} passed, ${r.numFailedTests} failed` +
            (skipped ? `, ${skipped} skipped` : "") +
            ` (${seconds} s)`,
        });
      } catch {
        resolve({ ok: false, total: 0, line: `no test report was written (exit ${status})` });
      }
    });
  });
}

/** Prints a lane's log file whole, between two rulers. */
function printLog(title, log) {
  const rule = "─".repeat(20);
  console.log(`\n${rule} ${title}: output (${log}) ${rule}`);
  process.stdout.write(fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "(no output)\n");
  console.log(`${rule} end of ${title} ${rule}\n`);
}

const children = new Set();
let cluster;
const cleanUp = () => {
  for (const c of children) c.kill("SIGTERM");
  cluster?.stop();
};
process.on("exit", cleanUp);
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    cleanUp();
    process.exit(130);
  });
}

const summary = [];
let failed = false;
// Lanes only for a whole run: with a project or a file named, the caller asked for one thing.
const lanes = process.env.CROSSWATCH_TEST_LANES !== "1" && args.length === 0;

/** The SQLite pass: one vitest run, or two lanes (unit + integration, e2e) at once. */
async function sqlitePass() {
  // Not a PostgreSQL URL from the caller's environment: this pass is SQLite's.
  const env = { DATABASE_URL: "" };
  const runs = lanes
    ? [
        {
          which: "unit, integration",
          args: ["--project", "unit", "--project", "integration"],
          report: "test-report.json",
          log: null,
        },
        {
          which: "e2e",
          args: ["--project", "e2e"],
          report: "test-report-e2e.json",
          log: `${buildDir}/test-e2e.log`,
        },
      ]
    : [
        {
          which: projects.length ? projects.join(", ") : "unit, integration, e2e",
          args,
          report: "test-report.json",
          log: null,
        },
      ];
  const results = await Promise.all(
    runs.map(async (run) => {
      const r = await vitest(run.args, env, run.report, run.log);
      if (run.log) printLog(`tests on SQLite (${run.which})`, run.log);
      return { run, r };
    }),
  );
  let total = 0;
  for (const { run, r } of results) {
    summary.push(`tests on SQLite (${run.which}): ${r.line}`);
    if (!r.ok) failed = true;
    total += r.total;
  }
  if (total === 0) {
    console.error("test: no test ran on SQLite");
    failed = true;
  }
}

/** The PostgreSQL pass: the integration project on a throwaway cluster. */
async function pgPass() {
  const log = lanes && runSqlite ? `${buildDir}/test-pg.log` : null;
  if (!log)
    console.log(`\ntest: integration tests again on PostgreSQL ${pgVersion} (throwaway cluster)`);
  try {
    cluster = await startThrowawayCluster({ bin: pgBin, quiet: !!log });
    const r = await vitest(
      ["--project", "integration", "--passWithNoTests", ...rest],
      { DATABASE_URL: cluster.url },
      "test-report-pg.json",
      log,
    );
    if (log) printLog(`tests on PostgreSQL ${pgVersion} (integration)`, log);
    summary.push(`tests on PostgreSQL ${pgVersion} (integration): ${r.line}`);
    if (!r.ok) failed = true;
  } catch (err) {
    summary.push(`tests on PostgreSQL ${pgVersion}: could not start a cluster: ${err.message}`);
    failed = true;
  } finally {
    cluster?.stop();
    cluster = undefined;
  }
}

if (lanes && runPg) {
  console.log(
    `test: three lanes at once — unit + integration on SQLite (below), e2e on SQLite ` +
      `(${buildDir}/test-e2e.log) and integration on PostgreSQL ${pgVersion} (${buildDir}/test-pg.log)`,
  );
  await Promise.all([runSqlite ? sqlitePass() : null, pgPass()]);
} else {
  if (runSqlite) await sqlitePass();
  if (runPg) await pgPass();
}
if (!runPg && engines !== "sqlite" && integrationSelected) {
  summary.push(
    "tests on PostgreSQL: not run — PostgreSQL is not installed (Debian: apt-get install " +
      "postgresql; `bash .ci/run` installs it), so the integration tests ran on SQLite only",
  );
}

// Plain closing lines for CI: which engine ran what, "N passed, N failed[, N skipped]".
console.log("\n" + summary.join("\n"));
console.log(
  `tests: ${totals.passed} passed, ${totals.failed} failed` +
    (totals.skipped ? `, ${totals.skipped} skipped` : ""),
);
process.exit(failed ? 1 : 0);
