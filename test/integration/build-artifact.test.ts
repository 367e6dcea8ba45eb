/**
 * Every documented test command must test the artifact users run. vitest sets NODE_ENV=test for
 * everything it starts, including the global setup that builds for `npm run test:e2e`; the Remix
 * CLI takes its mode from NODE_ENV, so that build used to ship React's development bundle (with
 * hydration warnings a production build never prints). scripts/build.mjs now always builds for
 * production.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import fs from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUILD_DIR, REPO_ROOT, TEST_ENGINE } from "../support/server";

/** A warning only React DOM's development build contains. */
const REACT_DEV_ONLY = "Expected server HTML to contain a matching";

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".js"))
    .map((e) => path.join(e.parentPath, e.name));
}

function assertProductionBuild(dir: string) {
  const server = fs.readFileSync(path.join(dir, "index.js"), "utf8");
  expect(/\bmode = "(\w+)"/.exec(server)?.[1]).toBe("production");
  const devChunks = filesUnder(path.join(dir, "client")).filter((f) =>
    fs.readFileSync(f, "utf8").includes(REACT_DEV_ONLY),
  );
  expect(devChunks).toEqual([]);
}

// The build has no engine in it, and a second build at the same moment as the SQLite lane's would
// write the shared trust file twice at once (scripts/test.mjs runs the engines in parallel).
describe.skipIf(TEST_ENGINE === "pg")("the build every test command uses", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-build-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // A whole build, beside other test lanes: minutes on a busy machine. Run asynchronously — a
  // synchronous one blocks this worker's event loop and vitest's RPC with it.
  it("is the production build even when the caller runs with NODE_ENV=test (as vitest does)", async () => {
    // A build writes the trusted office keys into app/shared/generated/trusted-offices.json, which
    // every build directory shares; without this run's demo keys a second build would replace them
    // and every later test's approvals would stop verifying. Same seeds → same trust file.
    const seeds = path.join(BUILD_DIR, "demo-office-keys.json");
    if (fs.existsSync(seeds)) fs.copyFileSync(seeds, path.join(tmp, "demo-office-keys.json"));
    await promisify(execFile)(process.execPath, ["scripts/build.mjs"], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: "test", CROSSWATCH_BUILD_DIR: tmp },
      maxBuffer: 16 * 1024 * 1024,
    });
    assertProductionBuild(tmp);
  }, 300_000);

  it("is what this run's servers use", () => {
    assertProductionBuild(BUILD_DIR);
  });
});

describe("the server entry", () => {
  const read = (name: string) => fs.readFileSync(path.join(BUILD_DIR, name), "utf8");
  const specifiersOf = (code: string) =>
    new Set(
      [
        ...code.matchAll(/^\s*import\s[^;]*?\sfrom\s*"([^"]+)"/gm),
        ...code.matchAll(/\b(?:require|__require|import)\(\s*"([^"]+)"\s*\)/g),
      ].map((m) => m[1]!),
    );
  const builtin = (s: string) => s.startsWith("node:") || builtinModules.includes(s);

  // Issue 13 item 7 (cold start): build/server-app.cjs carries the app build and every package in
  // one file; loading them file by file from node_modules was most of a start's CPU.
  it("bundles the app build and every package except the native addons", () => {
    const code = read("server-app.cjs");
    const packages = [...specifiersOf(code)].filter((s) => !builtin(s)).sort();
    expect(packages).toEqual(["better-sqlite3", "pg-native"]);
    // The app build is inside (its routes' actions, which direct-actions calls, among them).
    expect(code).toContain("routes/api.report");
    expect(code).toContain("createRequestHandler");
    // server.js, the entry, holds no second copy of any of it: Node's built-ins only.
    const entry = read("server.js");
    expect([...specifiersOf(entry)].filter((s) => !builtin(s))).toEqual([]);
    expect(entry).not.toContain("routes/api.report");
    expect(entry.length).toBeLessThan(50_000);
  });

  // Issue 13 item 7 (footprint): V8 keeps the script's source for the process's life, two bytes
  // per character if a single one is outside Latin-1 (16 MB instead of 7 for this file).
  it("is ASCII only, so V8 holds its source one byte per character", () => {
    for (const name of ["server-app.cjs", "server.js"]) {
      const code = read(name);
      const outside = /[\u0080-\uffff]/.exec(code);
      expect(outside && code.slice(outside.index - 40, outside.index + 10)).toBeNull();
    }
  });

  // Issue 13 item 7 (cold start): the build compiles the bundle once and keeps V8's code, headed
  // by the hash of the source it belongs to (server/code-cache.ts); a server of this build
  // starts with it (its listening line says so: test/integration/server.test.ts).
  it("comes with V8's code cache for this very bundle", () => {
    const cache = fs.readFileSync(path.join(BUILD_DIR, "server-app.cjs.v8cache"));
    const hash = createHash("sha256").update(read("server-app.cjs")).digest();
    expect(cache.subarray(0, 32).equals(hash)).toBe(true);
    expect(cache.length).toBeGreaterThan(1_000_000);
  });
});
