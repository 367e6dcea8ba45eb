/**
 * crypto/argon2-lanes.ts: argon2id's lanes on several threads over shared WebAssembly memory must
 * give the `argon2id` package's bytes (which test/unit/crypto/argon2-wasm.test.ts checks against
 * hash-wasm) — one thread slice by slice, and two real threads (a Node worker thread) meeting at
 * every slice boundary — and a helper thread that fails must cost a retry on one thread, never a
 * wrong key or a hang. The same path runs in Chromium in test/e2e/status-flow.test.ts.
 */
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  argon2idBegin,
  argon2idFillAll,
  argon2idFinish,
  type Argon2LaneJob,
} from "../../../crypto/argon2-lanes";
import {
  argon2idBytes,
  argon2idLastThreads,
  prepareArgon2Lanes,
  RECEIPT_KDF_VERSIONS,
  useArgon2LaneHelpers,
  type Argon2Params,
} from "../../../crypto/kdf";

const password = new TextEncoder().encode("4921508837261054");
const salt = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const small: [string, Argon2Params][] = [
  ["1 lane, 1 pass, 64 KiB", { memoryKiB: 64, iterations: 1, parallelism: 1 }],
  ["2 lanes, 3 passes, 1 MiB", { memoryKiB: 1024, iterations: 3, parallelism: 2 }],
  [
    "4 lanes, 2 passes, 2 MiB + 5 KiB (m rounded down)",
    { memoryKiB: 2053, iterations: 2, parallelism: 4 },
  ],
];

describe("argon2id lanes, one thread slice by slice", () => {
  it.each(small)("%s: the package's bytes", async (_name, params) => {
    const job = argon2idBegin(password, salt, params, 64);
    await argon2idFillAll(job);
    expect(hex(argon2idFinish(job, 64))).toBe(hex(await argon2idBytes(password, salt, params, 64)));
    // the shared memory holds nothing of the derivation afterwards
    expect(new Uint8Array(job.memory.buffer).some((b) => b !== 0)).toBe(false);
  });
});

describe("argon2id lanes on two threads", () => {
  let worker: Worker;
  let next = 1;
  const pending = new Map<number, (ok: boolean) => void>();
  let calls = 0;

  beforeAll(async () => {
    const bundled = await build({
      entryPoints: ["test/support/argon2-lane-worker.ts"],
      bundle: true,
      write: false,
      platform: "node",
      format: "cjs",
      logLevel: "silent",
    });
    worker = new Worker(bundled.outputFiles[0]!.text, { eval: true });
    worker.on("message", (m: { id: number; ok: boolean }) => {
      pending.get(m.id)?.(m.ok);
      pending.delete(m.id);
    });
  });

  afterAll(async () => {
    useArgon2LaneHelpers(null);
    await worker?.terminate();
  });

  const helpers = {
    threads: 1,
    run: (job: Argon2LaneJob, lane: number) =>
      new Promise<void>((resolve, reject) => {
        calls++;
        const id = next++;
        pending.set(id, (ok) => (ok ? resolve() : reject(new Error("lane failed"))));
        worker.postMessage({ id, job, lane });
      }),
  };

  it.each([
    ["receipt KDF v3 (64 MiB, 2 passes, 2 lanes)", RECEIPT_KDF_VERSIONS[3]],
    ["2 lanes, 3 passes, 1 MiB", small[1]![1]],
  ] as [string, Argon2Params][])("%s: the package's bytes", async (_name, params) => {
    useArgon2LaneHelpers(null);
    const single = await argon2idBytes(password, salt, params, 64);
    expect(argon2idLastThreads()).toBe(1);
    useArgon2LaneHelpers(helpers);
    const before = calls;
    const threaded = await argon2idBytes(password, salt, params, 64);
    expect(argon2idLastThreads()).toBe(2);
    expect(calls).toBe(before + 1);
    expect(hex(threaded)).toBe(hex(single));
  });

  it("leaves the shared memory all zeros, reuses it, and a prepared realm gives the same bytes", async () => {
    const params = RECEIPT_KDF_VERSIONS[3];
    useArgon2LaneHelpers(null);
    const single = await argon2idBytes(password, salt, params, 64);
    const seen: WebAssembly.Memory[] = [];
    useArgon2LaneHelpers({
      threads: 1,
      run: (job, lane) => {
        seen.push(job.memory);
        return helpers.run(job, lane);
      },
    });
    await prepareArgon2Lanes(params); // a small warm-up derivation on both threads
    expect(seen).toHaveLength(1);
    expect(argon2idLastThreads()).toBe(1); // the warm-up is not a derivation of the caller's
    for (let i = 0; i < 2; i++) {
      expect(hex(await argon2idBytes(password, salt, params, 64))).toBe(hex(single));
      expect(argon2idLastThreads()).toBe(2);
    }
    expect(seen).toHaveLength(3);
    // one memory, prepared once and taken by every derivation after it
    expect(seen[1]!.buffer).toBe(seen[0]!.buffer);
    expect(seen[2]!.buffer).toBe(seen[0]!.buffer);
    expect(new Uint8Array(seen[0]!.buffer).some((b) => b !== 0)).toBe(false);
  });

  it("runs one-lane derivations and more lanes than helpers on this thread", async () => {
    useArgon2LaneHelpers(helpers);
    const before = calls;
    await argon2idBytes(password, salt, small[0]![1], 32);
    expect(argon2idLastThreads()).toBe(1);
    await argon2idBytes(password, salt, small[2]![1], 32);
    expect(argon2idLastThreads()).toBe(1);
    expect(calls).toBe(before);
  });

  it("a helper that fails costs a retry on one thread: same bytes, no hang", async () => {
    const params = small[1]![1];
    useArgon2LaneHelpers(null);
    const single = await argon2idBytes(password, salt, params, 64);
    useArgon2LaneHelpers({ threads: 1, run: () => Promise.reject(new Error("helper died")) });
    const started = Date.now();
    expect(hex(await argon2idBytes(password, salt, params, 64))).toBe(hex(single));
    expect(argon2idLastThreads()).toBe(1);
    expect(Date.now() - started).toBeLessThan(9_000); // well before the 10 s barrier timeout
  });
});
