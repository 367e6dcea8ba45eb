// `npm test`: build the app once, make sure Chromium is there, then
//   1. unit, integration and e2e tests on SQLite (one vitest run), and
//   2. when PostgreSQL is installed (Debian's `postgresql`), the integration tests again on a
//      throwaway PostgreSQL cluster (scripts/lib/pg-throwaway.mjs: a temporary directory, a free
//      loopback port, run as `nobody` when we are root, removed at the end).
// The last lines say which engine ran which tests. Extra arguments go to vitest (e.g.
// `npm test -- --project unit`, or a file path); CROSSWATCH_TEST_ENGINES=sqlite|pg|both (default
// both when PostgreSQL is installed) picks the passes.
import { execFileSync, spawnSync } from "node:child_process";
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

/** One vitest run; resolves with its summary line, or null when it wrote no report. */
function vitest(vitestArgs, env, reportName) {
  const report = `${buildDir}/${reportName}`;
  fs.rmSync(report, { force: true });
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      "node_modules/vitest/vitest.mjs",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...vitestArgs,
    ],
    { stdio: "inherit", env: { ...process.env, CROSSWATCH_BUILT: "1", ...env } },
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  try {
    const r = JSON.parse(fs.readFileSync(report, "utf8"));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += skipped;
    return {
      ok: result.status === 0,
      total: r.numTotalTests,
      line:
        `${r.numPassedTests} passed, ${r.numFailedTests} failed` +
        (skipped ? `, ${skipped} skipped` : "") +
        ` (${seconds} s)`,
    };
  } catch {
    return { ok: false, total: 0, line: `no test report was written (exit ${result.status})` };
  }
}

const summary = [];
let failed = false;

if (runSqlite) {
  // Not a PostgreSQL URL from the caller's environment: this pass is SQLite's.
  const r = vitest(args, { DATABASE_URL: "" }, "test-report.json");
  const which = projects.length ? projects.join(", ") : "unit, integration, e2e";
  summary.push(`tests on SQLite (${which}): ${r.line}`);
  if (!r.ok) failed = true;
  if (r.total === 0) {
    console.error("test: no test ran on SQLite");
    failed = true;
  }
}

if (runPg) {
  console.log(`\ntest: integration tests again on PostgreSQL ${pgVersion} (throwaway cluster)`);
  let cluster;
  const cleanUp = () => cluster?.stop();
  process.on("exit", cleanUp);
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.on(sig, () => {
      cleanUp();
      process.exit(130);
    });
  }
  try {
    cluster = await startThrowawayCluster({ bin: pgBin, quiet: false });
    const r = vitest(
      ["--project", "integration", "--passWithNoTests", ...rest],
      { DATABASE_URL: cluster.url },
      "test-report-pg.json",
    );
    summary.push(`tests on PostgreSQL ${pgVersion} (integration): ${r.line}`);
    if (!r.ok) failed = true;
  } catch (err) {
    summary.push(`tests on PostgreSQL ${pgVersion}: could not start a cluster: ${err.message}`);
    failed = true;
  } finally {
    cleanUp();
  }
} else if (engines !== "sqlite" && integrationSelected) {
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
