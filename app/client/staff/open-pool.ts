/**
 * The pool of two Web Workers (open-worker.ts) that opens the inbox's tips, so decryption runs
 * beside the page instead of on it and takes half the time on a laptop with spare cores.
 *
 * The staff secret key stays where it is (this page's memory, key-store.ts): the workers get a
 * non-extractable WebCrypto handle of it (`staffOpeningKey`), posted with each call and dropped
 * after it. Where that cannot work (no native X25519, no module workers, a worker that fails) the
 * same tips are opened on the page, with the same results (inbox-client.ts); an envelope
 * WebCrypto refuses (a low-order ephemeral key) is decided on the page with tweetnacl
 * (`openOnPage`), as `openTipsAsStaff` does.
 */
import type { StaffKeys } from "../../../crypto/index";
import { startModuleWorker } from "../worker/module-worker";
import type { CiphertextRecord } from "../../shared/inbox-records";
import { type loadCrypto } from "./key-store";
import { decryptedFrom, UNOPENED, type Decrypted } from "./tip-content";

export type { Decrypted };

/** Per tip: what it says; null: it does not open; "page": open it on the page (see above). */
export type OpenedTip = Decrypted | null | "page";

/** A run of whole records of the inbox answer (inbox-records.ts), for one worker. */
export interface OpenRecordsRequest {
  handle: CryptoKey;
  records: Uint8Array;
}

/** What a worker answers for a run of records: each tip by id (with its record when "page"). */
export interface OpenedRecords {
  tips: { id: string; opened: OpenedTip; record?: CiphertextRecord }[];
  /** the end record's count, when the run held it */
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

/** One tip opened on the page's own thread (its envelope WebCrypto refused, or no worker). */
export function openOnPage(
  c: Awaited<ReturnType<typeof loadCrypto>>,
  keys: StaffKeys,
  tip: { payload: Uint8Array; envelope: Uint8Array } | undefined,
): Decrypted {
  if (!tip) return UNOPENED;
  try {
    const { payload } = c.openTipAsStaff({
      payload: tip.payload,
      envelope: tip.envelope,
      boxSecretKey: keys.boxSecretKey,
    });
    return decryptedFrom(payload);
  } catch {
    return UNOPENED;
  }
}
