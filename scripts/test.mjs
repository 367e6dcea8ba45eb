// `npm test`: build the app once, make sure Chromium is there, then run unit, integration and
// e2e tests in one vitest run. Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
const args = process.argv.slice(2);

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

console.log("test: building the app");
execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });

const report = `${process.env.CROSSWATCH_BUILD_DIR || "build"}/test-report.json`;
const result = spawnSync(
  process.execPath,
  [
    "node_modules/vitest/vitest.mjs",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...args,
  ],
  { stdio: "inherit", env: { ...process.env, CROSSWATCH_BUILT: "1" } },
);

// One plain closing line for CI: "N passed, N failed[, N skipped]".
try {
  const r = JSON.parse(fs.readFileSync(report, "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(
    `\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` +
      (skipped ? `, ${skipped} skipped` : ""),
  );
  if (r.numTotalTests === 0) {
    console.error("test: no test ran");
    process.exit(1);
  }
} catch {
  console.error("test: no test report was written");
  process.exit(result.status || 1);
}
process.exit(result.status ?? 1);
