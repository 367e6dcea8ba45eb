/**
 * Opens many tips for the inbox on a pool of two Web Workers (open-worker.ts), so decryption runs
 * beside the page instead of on it and takes half the time on a laptop with spare cores.
 *
 * The staff secret key stays where it is (this page's memory, key-store.ts): the workers get a
 * non-extractable WebCrypto handle of it (`staffOpeningKey`), posted with each call and dropped
 * after it. Where that cannot work (no native X25519, no module workers, a worker that fails) the
 * same tips are opened on the page, with the same results; an envelope WebCrypto refuses (a
 * low-order ephemeral key) is decided on the page with tweetnacl, as `openTipsAsStaff` does.
 */
import type { StaffKeys } from "../../../crypto/index";
import { startModuleWorker } from "../worker/module-worker";
import type { CiphertextLine } from "./inbox-lines";
import { loadCrypto } from "./key-store";
import { decryptedFrom, UNOPENED, type Decrypted } from "./tip-content";

export type { Decrypted };

export interface WireCiphertext {
  /** base64url TIP_PAYLOAD_V1 */
  payload: string;
  /** base64url KEY_ENVELOPE_V1 of this member */
  envelope: string;
}

export interface OpenRequest {
  handle: CryptoKey;
  tips: WireCiphertext[];
}

/** Per tip: what it says; null: it does not open; "page": open it on the page (see above). */
export type OpenedTip = Decrypted | null | "page";

/** A run of whole lines of the streamed inbox answer (inbox-lines.ts), for one worker. */
export interface OpenLinesRequest {
  handle: CryptoKey;
  lines: Uint8Array;
}

/** What a worker answers for a run of lines: each tip by id (with its line when "page"). */
export interface OpenedLines {
  tips: { id: string; opened: OpenedTip; line?: CiphertextLine }[];
  /** the end line's count, when the run held it */
  end: number | null;
}

export const POOL_SIZE = 2;

const loadWorkerModule = () => import("./open-worker");

/** Starts the pool's workers (call it early: they load while the ciphertext downloads). */
export async function startOpenPool(): Promise<Worker[]> {
  if (typeof Worker === "undefined") return [];
  let url: string;
  try {
    url = (await loadWorkerModule()).selfUrl();
  } catch {
    return [];
  }
  const started = await Promise.all(
    Array.from({ length: POOL_SIZE }, () => startModuleWorker(url)),
  );
  return started.filter((w): w is Worker => w !== null);
}

/** A pool started ahead of the inbox (`warmOpenPool`), until the inbox takes it. */
let warm: { pool: Promise<Worker[]>; timer: ReturnType<typeof setTimeout> } | null = null;
/** A warmed pool nobody takes (a wrong passphrase, the page left) is ended after this long. */
const WARM_MS = 2 * 60 * 1000;

/**
 * Starts the pool ahead of the inbox: the unlock form was sent, so the workers and their crypto
 * module load while the passphrase's argon2id runs, not after it. Idempotent.
 */
export function warmOpenPool(): void {
  if (warm) return;
  const pool = startOpenPool();
  const timer = setTimeout(() => {
    if (warm?.pool !== pool) return;
    warm = null;
    void pool.then((ws) => ws.forEach((w) => w.terminate()));
  }, WARM_MS);
  warm = { pool, timer };
}

/** The warmed pool when there is one (the caller now owns it), else a pool started now. */
export function takeOpenPool(): Promise<Worker[]> {
  if (!warm) return startOpenPool();
  clearTimeout(warm.timer);
  const { pool } = warm;
  warm = null;
  return pool;
}

function callWorker(worker: Worker, req: OpenRequest): Promise<OpenedTip[] | null> {
  return new Promise((resolve) => {
    worker.onmessage = (e: MessageEvent<{ ok?: OpenedTip[]; failed?: boolean }>) =>
      resolve(Array.isArray(e.data?.ok) && e.data.ok.length === req.tips.length ? e.data.ok : null);
    worker.onerror = () => resolve(null);
    worker.postMessage({ id: 1, ...req });
  });
}

/**
 * Opens every tip, in order. `pool` is `startOpenPool()`'s promise; its workers are ended here.
 * `onPage` says how many tips were opened on the page (0 when the workers did all of them).
 */
export async function openInboxTips(
  keys: StaffKeys,
  tips: readonly WireCiphertext[],
  pool: Promise<Worker[]>,
): Promise<{ opened: Decrypted[]; workers: number; onPage: number }> {
  const c = await loadCrypto();
  const handle = await c.staffOpeningKey(keys.boxSecretKey);
  const workers = handle && tips.length > 0 ? await pool : [];
  if (!handle || workers.length === 0) {
    void pool.then((ws) => ws.forEach((w) => w.terminate()));
    const results = await c.openTipsAsStaff(
      tips.map((t) => ({
        payload: decodeOrEmpty(c, t.payload),
        envelope: decodeOrEmpty(c, t.envelope),
      })),
      keys.boxSecretKey,
    );
    return {
      opened: results.map((r) => (r.ok ? decryptedFrom(r.value.payload) : UNOPENED)),
      workers: 0,
      onPage: tips.length,
    };
  }
  try {
    const share = Math.ceil(tips.length / workers.length);
    const parts = await Promise.all(
      workers.map(async (w, i) => {
        const req: OpenRequest = { handle, tips: tips.slice(i * share, (i + 1) * share) };
        // A worker that fails leaves its share to the page.
        return (await callWorker(w, req)) ?? (await (await loadWorkerModule()).openShare(req));
      }),
    );
    const flat = parts.flat();
    let onPage = 0;
    const opened = flat.map((o, n): Decrypted => {
      if (o !== "page") return o ?? UNOPENED;
      onPage++;
      return openOnPage(c, keys, tips[n]);
    });
    return { opened, workers: workers.length, onPage };
  } finally {
    for (const w of workers) w.terminate();
  }
}

function decodeOrEmpty(c: Awaited<ReturnType<typeof loadCrypto>>, text: string): Uint8Array {
  try {
    return c.base64urlDecode(text);
  } catch {
    return new Uint8Array(0);
  }
}

/** One tip opened on the page's own thread (a worker failed, or there are none). */
export function openOnPage(
  c: Awaited<ReturnType<typeof loadCrypto>>,
  keys: StaffKeys,
  tip: { payload: string; envelope: string } | undefined,
): Decrypted {
  if (!tip) return UNOPENED;
  try {
    const { payload } = c.openTipAsStaff({
      payload: c.base64urlDecode(tip.payload),
      envelope: c.base64urlDecode(tip.envelope),
      boxSecretKey: keys.boxSecretKey,
    });
    return decryptedFrom(payload);
  } catch {
    return UNOPENED;
  }
}
