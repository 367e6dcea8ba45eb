/**
 * Page side of the work worker (entry.ts). `startWorker()` starts one module worker — a tiny
 * blob: script (allowed by `worker-src 'self' blob:`) that imports entry.ts from our own origin —
 * and `call(op, input)` runs one operation there; a worker runs its calls one after another.
 * If module workers are unavailable, calls run on the page (slower to respond, same result).
 *
 * Every call is marked when it is sent (`crosswatch:worker-start:<op>`), and recorded when it
 * finishes as a User Timing measure `crosswatch:worker:<op>` whose detail holds the worker's own
 * busy time; the phone benchmark reads these (CPU throttling in Chromium's DevTools protocol slows
 * only the page, not its workers, so the bench scales worker time itself; and it waits until no
 * call made ahead of "send" is still running).
 */
import type { OpName, Ops } from "./entry";
import { startModuleWorker } from "./module-worker";

export type WorkFailure = "unverified" | "crypto";

export class WorkerCallError extends Error {
  constructor(readonly code: WorkFailure) {
    super(code);
  }
}

export interface WorkClient {
  call<K extends OpName>(op: K, input: Ops[K]["in"]): Promise<Ops[K]["out"]>;
  close(): void;
}

const loadEntry = () => import("./entry");

/** entry.ts's worker function for each lane mode (`startWorker`) */
const ENTRY = { cold: "serve", warm: "serveWarm", none: "serveSolo" } as const;

function record(op: string, start: number, workerMs: number, inWorker: boolean, threads = 1): void {
  try {
    performance.measure(`crosswatch:worker:${op}`, {
      start,
      end: performance.now(),
      detail: { workerMs, inWorker, threads },
    });
  } catch {
    // User Timing is optional
  }
}

function onPage(): WorkClient {
  return {
    async call(op, input) {
      const start = performance.now();
      const entry = await loadEntry();
      try {
        return await entry.runOp(op, input);
      } catch (err) {
        throw new WorkerCallError(err instanceof entry.WorkError ? err.code : "crypto");
      } finally {
        record(op, start, performance.now() - start, false);
      }
    },
    close() {},
  };
}

interface Reply {
  id?: number;
  ready?: boolean;
  failed?: boolean;
  ok?: unknown;
  error?: WorkFailure;
  ms?: number;
  threads?: number;
  /** the worker can fill this many argon2id lanes at once (sent once its helper is ready) */
  lanes?: number;
}

/**
 * Starts a worker; resolves once it has loaded (or with the on-page fallback). `lanes` (entry.ts):
 * "cold" (default) starts the argon2id lane helper; "warm" also warms it up before the worker says
 * `lanes`, for a page whose receipt derivation is on its critical path (/status); "none" starts no
 * helper, for a worker that never derives a receipt.
 */
export async function startWorker(
  opts: { lanes?: "cold" | "warm" | "none" } = {},
): Promise<WorkClient> {
  if (typeof Worker === "undefined") return onPage();
  let url: string;
  try {
    url = (await loadEntry()).selfUrl();
  } catch {
    return onPage();
  }
  const worker = await startModuleWorker(url, ENTRY[opts.lanes ?? "cold"]);
  if (!worker) return onPage();

  let next = 1;
  const pending = new Map<
    number,
    { op: string; start: number; resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  worker.onmessage = (e: MessageEvent<Reply>) => {
    if (e.data.lanes) {
      // the worker's argon2id lane helper is ready (entry.ts startLaneHelper)
      try {
        performance.mark("crosswatch:worker:lanes", { detail: { lanes: e.data.lanes } });
      } catch {
        // User Timing is optional
      }
      return;
    }
    const p = e.data.id === undefined ? undefined : pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id!);
    record(p.op, p.start, e.data.ms ?? 0, true, e.data.threads ?? 1);
    if (e.data.error) p.reject(new WorkerCallError(e.data.error));
    else p.resolve(e.data.ok);
  };
  worker.onerror = () => {
    for (const p of pending.values()) p.reject(new WorkerCallError("crypto"));
    pending.clear();
  };
  return {
    call(op, input) {
      try {
        performance.mark(`crosswatch:worker-start:${op}`);
      } catch {
        // User Timing is optional
      }
      return new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, {
          op,
          start: performance.now(),
          resolve: resolve as (v: unknown) => void,
          reject,
        });
        worker.postMessage({ id, op, input });
      });
    },
    close() {
      for (const p of pending.values()) p.reject(new WorkerCallError("crypto"));
      pending.clear();
      worker.terminate();
    },
  };
}
