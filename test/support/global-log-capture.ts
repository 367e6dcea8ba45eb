/**
 * Global setup for the integration and e2e projects: one capture directory for every server's
 * output (log-capture.ts), and at the end one scan of every captured line against every canary
 * any test registered. The totals go to `<dir>/result.json` (docs/reliability.md is filled from
 * them); any finding fails the run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CAPTURE_DIR_ENV, describeHits, scanCaptureDir } from "./log-capture";

export default function setup() {
  // Both projects list this setup; the first one to run owns the directory and the final scan.
  if (process.env[CAPTURE_DIR_ENV]) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-logs-"));
  process.env[CAPTURE_DIR_ENV] = dir;
  return () => {
    const result = scanCaptureDir(dir);
    const summary = {
      serverRuns: result.files,
      linesScanned: result.lines,
      hits: result.hits.length,
    };
    fs.writeFileSync(path.join(dir, "result.json"), JSON.stringify(summary, null, 2) + "\n");
    console.log(
      `\nlog hygiene: ${summary.serverRuns} server runs, ${summary.linesScanned} log lines scanned, ${summary.hits} findings (${dir})`,
    );
    if (result.hits.length > 0) throw new Error(describeHits(result.hits));
  };
}
