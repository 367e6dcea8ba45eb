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

const result = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...args], {
  stdio: "inherit",
  env: { ...process.env, CROSSWATCH_BUILT: "1" },
});
process.exit(result.status ?? 1);
