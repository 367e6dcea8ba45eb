/**
 * Staff password hashing off the event loop (issue 11 item 2, ADR 007 update). argon2id
 * (hash-wasm's WebAssembly) is synchronous CPU work of tens of milliseconds per call; run on the
 * main thread, thirty parallel sign-ins held every other page for seconds. Here the hashes run in
 * a small pool of worker threads with a bounded queue:
 *
 * - at most `workers` hashes at a time (one on a 2-core machine), so sign-in can never take more
 *   than that share of the CPU, and the event loop only posts messages;
 * - at most `maxWaiting` more wait their turn; a sign-in beyond that is refused at once with
 *   `HasherBusyError` (the route answers a localized 503 with Retry-After), without hashing,
 *   instead of queueing for ever;
 * - creating a hash for a new password (invitations, the demo seed) waits however long it takes:
 *   it is rare and already behind a secret link.
 *
 * The worker is a few lines of CommonJS evaluated in place that `require`s hash-wasm by the path
 * this module resolves, so the same code runs from the Remix build, from `tsx` scripts and under
 * vitest, with no extra build entry. An idle pool does not keep the process alive, and a worker
 * idle for a minute ends (its memory goes back; the next job starts one); a worker that dies
 * fails its current job (a failed verification) and is replaced on the next one.
 */
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export class HasherBusyError extends Error {
  constructor() {
    super("password hashing is busy");
    this.name = "HasherBusyError";
  }
}

export interface HashParams {
  memorySize: number;
  iterations: number;
  parallelism: number;
  hashLength: number;
}

export type HashJob =
  | { op: "verify"; hash: string; password: string }
  | { op: "hash"; password: string; salt: Uint8Array; params: HashParams };

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { argon2id, argon2Verify } = require(workerData.hashWasm);
parentPort.on("message", async (job) => {
  try {
    const result =
      job.op === "verify"
        ? await argon2Verify({ hash: job.hash, password: job.password })
        : await argon2id({
            ...job.params,
            password: job.password,
            salt: job.salt,
            outputType: "encoded",
          });
    parentPort.postMessage({ ok: true, result });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String((err && err.message) || err) });
  }
});
`;

interface Pending {
  job: HashJob;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
  /** Set while the worker is idle: ends it when no job came for `idleMs`. */
  retire: NodeJS.Timeout | null;
}

export class PasswordHasher {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private hashWasm: string | undefined;

  /**
   * `idleMs`: a worker that had no job for this long ends, and with it its thread, its V8 heap and
   * the argon2id memory its WebAssembly instance keeps (about 30 MB in all); the next sign-in
   * starts a new one (tens of milliseconds). Sign-ins come in bursts (a shift starting), so
   * between bursts the server does not hold that memory (issue 13 item 7, footprint).
   */
  constructor(
    readonly workers: number,
    readonly maxWaiting: number,
    readonly idleMs = 60_000,
  ) {}

  /** Hashes waiting for a free worker (for tests and the bench). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Worker threads running now, busy or idle (for tests). */
  get running(): number {
    return this.slots.length;
  }

  /**
   * Runs one job. With `refuseWhenBusy`, a job that would have to wait behind `maxWaiting` others
   * is refused with HasherBusyError before any work is done.
   */
  run(job: HashJob, opts: { refuseWhenBusy: boolean }): Promise<unknown> {
    const free = this.slots.find((s) => s.current === null);
    if (!free && this.slots.length >= this.workers && opts.refuseWhenBusy) {
      if (this.queue.length >= this.maxWaiting) return Promise.reject(new HasherBusyError());
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker (tests); waiting jobs fail. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) p.reject(new Error("password hasher closed"));
    await Promise.all(
      this.slots.splice(0).map((s) => {
        if (s.retire) clearTimeout(s.retire);
        return s.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.current === null);
      if (!slot && this.slots.length < this.workers) slot = this.spawn();
      if (!slot) return;
      const next = this.queue.shift()!;
      if (slot.retire) clearTimeout(slot.retire);
      slot.retire = null;
      slot.current = next;
      slot.worker.ref();
      slot.worker.postMessage(next.job);
    }
  }

  private spawn(): Slot {
    this.hashWasm ??= createRequire(import.meta.url).resolve("hash-wasm");
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { hashWasm: this.hashWasm },
    });
    const slot: Slot = { worker, current: null, retire: null };
    worker.unref();
    worker.on("message", (msg: { ok: boolean; result?: unknown; error?: string }) => {
      const done = slot.current;
      slot.current = null;
      worker.unref();
      if (done) {
        if (msg.ok) done.resolve(msg.result);
        else done.reject(new Error(msg.error ?? "argon2id failed"));
      }
      this.dispatch();
      if (slot.current === null && !slot.retire) {
        slot.retire = setTimeout(() => {
          const index = this.slots.indexOf(slot);
          if (index < 0 || slot.current !== null) return;
          this.slots.splice(index, 1);
          void worker.terminate();
        }, this.idleMs);
        slot.retire.unref();
      }
    });
    const lost = (err: Error) => {
      if (slot.retire) clearTimeout(slot.retire);
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      slot.current?.reject(err);
      slot.current = null;
      this.dispatch();
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`password worker exited (${code})`)));
    this.slots.push(slot);
    return slot;
  }
}

/**
 * The process-wide pool: one worker per spare core, at most two (each hash holds 19 MiB), and 16
 * sign-ins waiting at most, about a second of work at today's parameters.
 */
export const passwordHasher = new PasswordHasher(
  Math.min(2, Math.max(1, availableParallelism() - 1)),
  16,
);
