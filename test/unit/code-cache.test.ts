/**
 * server/code-cache.ts: the server's bundle is compiled with the code cache the build made, and
 * only when that cache was made from the very same source (V8 itself compares the source's length
 * only). Issue 13 item 7 (cold start).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import Module from "node:module";
import os from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { codeCachePath, writeCodeCache } from "../../server/code-cache";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-code-cache-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Each load runs in a process of its own, as a server start does: within one process V8 reuses
// what it compiled before and never looks at the cache.
const loader = path.join(dir, "load.mjs");
buildSync({
  stdin: {
    contents: `import { loadBundle } from "./server/code-cache.ts";
const { exports, cached } = loadBundle(process.argv[2]);
console.log(JSON.stringify({ cached, answer: exports.answer(), file: exports.file, dir: exports.dir, self: exports.self }));`,
    resolveDir: path.resolve(__dirname, "../.."),
    loader: "ts",
  },
  outfile: loader,
  bundle: true,
  platform: "node",
  format: "esm",
  logLevel: "warning",
});
function loadBundle<T>(file: string): { exports: T; cached: boolean } {
  const out = JSON.parse(execFileSync(process.execPath, [loader, file], { encoding: "utf8" })) as {
    cached: boolean;
    answer: unknown;
  };
  return { cached: out.cached, exports: { ...out, answer: () => out.answer } as T };
}

let n = 0;
/**
 * A CommonJS bundle exporting `answer()` (and what CommonJS gives a module), with its cache;
 * `wrapped`: written inside Node's CommonJS wrapper, as scripts/build.mjs writes the server's.
 */
async function bundle(body: string, wrapped = false): Promise<string> {
  const file = path.join(dir, `bundle-${++n}.cjs`);
  const source = `const path = require("node:path");
module.exports = { answer: () => ${body}, file: __filename, dir: path.basename(__dirname), self: this === module.exports };
`;
  fs.writeFileSync(file, wrapped ? Module.wrap(source) : source);
  await writeCodeCache<{ answer: () => unknown }>(file, async (m) => m.answer());
  return file;
}

describe("loadBundle", () => {
  it("runs the bundle as CommonJS with the build's cache", async () => {
    const file = await bundle(`"first"`);
    const { exports, cached } = loadBundle<{
      answer: () => string;
      file: string;
      dir: string;
      self: boolean;
    }>(file);
    expect(cached).toBe(true);
    expect(exports.answer()).toBe("first");
    expect(exports.file).toBe(file);
    expect(exports.dir).toBe(path.basename(dir));
    expect(exports.self).toBe(true);
  });

  it("runs a bundle the build wrapped as it is, not wrapped a second time", async () => {
    const file = await bundle(`"wrapped"`, true);
    const { exports, cached } = loadBundle<{
      answer: () => string;
      file: string;
      dir: string;
      self: boolean;
    }>(file);
    expect(cached).toBe(true);
    expect(exports.answer()).toBe("wrapped");
    expect(exports.file).toBe(file);
    expect(exports.self).toBe(true);
  });

  it("reads a bundle that is not all ASCII as UTF-8, with its cache", async () => {
    const file = await bundle(`"津南 – 天津"`);
    const { exports, cached } = loadBundle<{ answer: () => string }>(file);
    expect(exports.answer()).toBe("津南 – 天津");
    expect(cached).toBe(true);
  });

  it("ignores a cache made from other source of the same length (V8 would take it)", async () => {
    const file = await bundle(`"alpha"`);
    const cache = fs.readFileSync(codeCachePath(file));
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`"alpha"`, `"omega"`));
    fs.writeFileSync(codeCachePath(file), cache);
    const { exports, cached } = loadBundle<{ answer: () => string }>(file);
    expect(cached).toBe(false);
    expect(exports.answer()).toBe("omega");
  });

  it("compiles from source when the cache is missing, cut short or damaged", async () => {
    const file = await bundle(`40 + 2`);
    const cache = fs.readFileSync(codeCachePath(file));
    const damaged = Buffer.from(cache);
    damaged[damaged.length >> 1]! ^= 0xff;
    for (const bytes of [cache.subarray(0, 40), cache.subarray(0, 10), damaged, null]) {
      if (bytes) fs.writeFileSync(codeCachePath(file), bytes);
      else fs.rmSync(codeCachePath(file));
      const { exports, cached } = loadBundle<{ answer: () => number }>(file);
      expect(exports.answer()).toBe(42);
      if (bytes !== damaged) expect(cached).toBe(false);
    }
  });
});
