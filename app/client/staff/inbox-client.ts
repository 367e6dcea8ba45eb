/**
 * Inbox decryption in the browser. The ciphertext arrives as a stream of binary records
 * (`GET /api/staff/inbox?format=records`, ADR 028, inbox-records.ts); runs of whole records go to
 * a pool of two workers (open-pool.ts) while the rest is still downloading, so download and
 * decryption overlap. Where workers or native X25519 are missing, the page reads the whole answer
 * and opens it itself (`openTipsAsStaff`). The payload's fields are kept for the list, the
 * reading pane and search; filters and sort are in app/components/cases/inbox-query.ts.
 */
import type { StaffKeys } from "../../../crypto/index";
import type { InboxRow } from "../../services/inbox.server";
import { StaffApiError } from "./api";
import { parseRecords, RecordRuns, type CiphertextRecord } from "../../shared/inbox-records";
import { loadCrypto } from "./key-store";
import { openOnPage, takeOpenPool, type OpenRecordsRequest, type OpenedRecords } from "./open-pool";
import { decryptedFrom, UNOPENED, type Decrypted } from "./tip-content";

/** The inbox row as the JSON answer sends it (type only: nothing of the server module is bundled). */
export type InboxWireRow = InboxRow;

export type { Decrypted };
export { warmOpenPool } from "./open-pool";

/** Bytes of whole records per worker call (≈ 110 tips): small enough to start early. */
const RUN_BYTES = 128 * 1024;

export interface InboxOpened {
  decrypted: Map<string, Decrypted>;
  /** from the request to the answer's last byte */
  fetchMs: number;
  /** from the answer's last byte to the last tip opened (the rest overlapped the download) */
  decryptMs: number;
  workers: number;
}

export async function fetchAndDecryptInbox(keys: StaffKeys): Promise<InboxOpened> {
  const t0 = performance.now();
  // The workers were started when the unlock form was sent (warmOpenPool); if not, they load
  // while the request is under way.
  const pool = takeOpenPool();
  const endPool = () => void pool.then((ws) => ws.forEach((w) => w.terminate()));
  let res: Response;
  try {
    res = await fetch("/api/staff/inbox?format=records", {
      cache: "no-store",
      credentials: "same-origin",
    });
  } catch {
    endPool();
    throw new StaffApiError("network");
  }
  if (!res.ok || !res.body) {
    endPool();
    const err = (
      (await res.json().catch(() => null)) as {
        error?: { code?: string; message?: string };
      } | null
    )?.error;
    throw new StaffApiError(err?.code ?? "network", err?.message);
  }
  const c = await loadCrypto();
  const handle = await c.staffOpeningKey(keys.boxSecretKey);
  const workers = handle ? await pool : [];
  const reader = res.body.getReader();
  const decrypted = new Map<string, Decrypted>();

  if (!handle || workers.length === 0) {
    endPool();
    const runs = new RecordRuns();
    const tips: CiphertextRecord[] = [];
    let end: number | null = null;
    const take = (run: Uint8Array | null) => {
      if (!run) return;
      const got = parseRecords(run);
      for (const t of got.tips) tips.push(t);
      end ??= got.end;
    };
    await readAll(reader, (chunk) => take(runs.push(chunk)));
    take(runs.flush());
    const t1 = performance.now();
    if (runs.rest !== 0 || end !== tips.length) throw new StaffApiError("network");
    const results = await c.openTipsAsStaff(tips, keys.boxSecretKey);
    tips.forEach((t, n) => {
      const r = results[n]!;
      decrypted.set(t.id, r.ok ? decryptedFrom(r.value.payload) : UNOPENED);
    });
    return { decrypted, fetchMs: t1 - t0, decryptMs: performance.now() - t1, workers: 0 };
  }

  const callers = workers.map((w) => new PoolWorker(w));
  const jobs: Promise<void>[] = [];
  let end: number | null = null;
  let received = 0;
  const send = (run: Uint8Array | null) => {
    if (!run) return;
    // The worker with the fewest runs waiting takes this one.
    const caller = callers.reduce((a, b) => (b.waiting < a.waiting ? b : a));
    jobs.push(
      caller.call({ handle, records: run }).then(async (got) => {
        const result =
          got ?? (await (await import("./open-worker")).openRecords({ handle, records: run }));
        if (result.end !== null) end = result.end;
        received += result.tips.length;
        for (const t of result.tips) {
          decrypted.set(
            t.id,
            t.opened === "page" ? openOnPage(c, keys, t.record) : (t.opened ?? UNOPENED),
          );
        }
      }),
    );
  };
  const runs = new RecordRuns(RUN_BYTES);
  try {
    await readAll(reader, (chunk) => send(runs.push(chunk)));
    send(runs.flush());
    const t1 = performance.now();
    await Promise.all(jobs);
    if (runs.rest !== 0 || end !== received) throw new StaffApiError("network");
    return {
      decrypted,
      fetchMs: t1 - t0,
      decryptMs: performance.now() - t1,
      workers: workers.length,
    };
  } finally {
    for (const w of workers) w.terminate();
  }
}

async function readAll(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onChunk(value);
    }
  } catch (err) {
    // A cut or foreign answer (InboxRecordsError) is shown as the network error too.
    if (err instanceof StaffApiError) throw err;
    throw new StaffApiError("network");
  }
}

/** One worker of the pool, several calls in flight; a worker that fails answers null to each. */
class PoolWorker {
  private next = 1;
  private readonly pending = new Map<number, (r: OpenedRecords | null) => void>();
  private dead = false;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<{ id?: number; ok?: OpenedRecords; failed?: boolean }>) => {
      const id = e.data?.id;
      const done = id === undefined ? undefined : this.pending.get(id);
      if (!done || id === undefined) return;
      this.pending.delete(id);
      done(e.data.ok && Array.isArray(e.data.ok.tips) ? e.data.ok : null);
    };
    worker.onerror = () => {
      this.dead = true;
      for (const done of this.pending.values()) done(null);
      this.pending.clear();
    };
  }

  get waiting(): number {
    return this.dead ? Infinity : this.pending.size;
  }

  call(req: OpenRecordsRequest): Promise<OpenedRecords | null> {
    if (this.dead) return Promise.resolve(null);
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      // Copied, not transferred: the page keeps the run in case the worker fails.
      this.worker.postMessage({ id, ...req });
    });
  }
}
