/**
 * Loads a CommonJS bundle (build/server-app.cjs: the app build and every package the server runs)
 * with V8's code cache, made when the app is built (scripts/build.mjs → writeCodeCache).
 *
 * Without it, each start parses the 7 MB bundle and compiles every function its modules run while
 * they load: about half of what loading them costs (issue 13 item 7, cold start; measured in
 * docs/benchmarks.md). Node 20 has no compile cache for ES modules or `require`, so the bundle is
 * compiled here as Node's own CommonJS loader would (the same wrapper function), with the cache.
 *
 * The cache is trusted only for the exact source it was made from: V8 itself checks the V8
 * version, its flags and the source's length, not its content, so the file starts with the
 * SHA-256 of the source and a mismatch means compiling without it. A missing, stale or rejected
 * cache costs time, never correctness. The cache is written only by the build, never by the
 * running server: the build directory may be read-only.
 */
import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import fs from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

const HASH_BYTES = 32;
/** Node's CommonJS wrapper, around a module's source: `(function (exports, require, …) {` … `});`. */
const [WRAP_HEAD, WRAP_TAIL] = Module.wrap("\0").split("\0") as [string, string];

export function codeCachePath(file: string): string {
  return `${file}.v8cache`;
}

interface Compiled {
  script: vm.Script;
  /** true: compiled with the build's cache; false: there was none, or it did not fit. */
  cached: boolean;
  run: () => unknown;
}

function compile(bundle: string, useCache: boolean): Compiled & { hash: Buffer } {
  const file = path.resolve(bundle);
  // Hashed as bytes and, when they are all ASCII (the build escapes what esbuild leaves
  // non-ASCII), read as Latin-1: decoding 7 MB of UTF-8 and hashing the string (which encodes it
  // again) cost twice the CPU of this at every start. Other text is decoded as UTF-8.
  const bytes = fs.readFileSync(file);
  const hash = createHash("sha256").update(bytes).digest();
  const source = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
  // The build writes the bundle already wrapped (scripts/build.mjs): V8 then compiles the string
  // read from the file as it is. Wrapping here makes a second 7 MB string that V8 flattens into a
  // third: ≈ 1,800 more fresh pages at every start, expensive on the VM we measure on
  // (docs/benchmarks.md, "Cold start on PostgreSQL"). Other bundles are wrapped here.
  const wrapped =
    source.startsWith(WRAP_HEAD) && source.endsWith(WRAP_TAIL) ? source : Module.wrap(source);
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      const stored = fs.readFileSync(codeCachePath(file));
      if (stored.length > HASH_BYTES && stored.subarray(0, HASH_BYTES).equals(hash)) {
        cachedData = stored.subarray(HASH_BYTES);
      }
    } catch {
      cachedData = undefined; // no cache: compile from source
    }
  }
  const script = new vm.Script(wrapped, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const run = () => {
    const module = { exports: {} as unknown };
    const fn = script.runInThisContext() as (...args: unknown[]) => void;
    fn.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
    return module.exports;
  };
  return { script, hash, cached: cachedData !== undefined && !script.cachedDataRejected, run };
}

/** Evaluates the CommonJS bundle `file` (with its code cache when it fits) and returns its exports. */
export function loadBundle<T>(file: string): { exports: T; cached: boolean } {
  const { run, cached } = compile(file, true);
  return { exports: run() as T, cached };
}

/**
 * Build step: evaluates `file` once — its modules load, then `warm` loads what the bundle defers
 * (nothing starts) — and writes the code V8 compiled meanwhile, headed by the source's hash. Run
 * in a process of its own with the node flags the server runs with (V8 refuses a cache made under
 * other flags). Returns the cache's size.
 */
export async function writeCodeCache<T>(
  file: string,
  warm: (exports: T) => Promise<unknown> = async () => undefined,
): Promise<number> {
  const { script, hash, run } = compile(file, false);
  await warm(run() as T);
  const data = script.createCachedData();
  fs.writeFileSync(codeCachePath(path.resolve(file)), Buffer.concat([hash, data]));
  return data.length;
}
