/**
 * Inbox decryption in the browser: the ciphertext of every row is fetched in one call and opened
 * on a pool of two workers (open-pool.ts; on the page where workers or native X25519 are
 * missing); the payload's fields are kept for the list, the reading pane and search. Filters and
 * sort are in app/components/cases/inbox-query.ts.
 */
import type { StaffKeys } from "../../../crypto/index";
import type { InboxRow } from "../../services/inbox.server";
import { staffApi } from "./api";
import { openInboxTips, startOpenPool } from "./open-pool";
import type { Decrypted } from "./tip-content";

/** The inbox row as the API sends it (type only: nothing of the server module is bundled). */
export type InboxWireRow = InboxRow;

export type { Decrypted };

export async function fetchAndDecryptInbox(keys: StaffKeys): Promise<{
  decrypted: Map<string, Decrypted>;
  fetchMs: number;
  decryptMs: number;
  workers: number;
}> {
  const t0 = performance.now();
  // The workers load while the ciphertext downloads.
  const pool = startOpenPool();
  let wire: { tips: InboxWireRow[] };
  try {
    wire = await staffApi<{ tips: InboxWireRow[] }>("/api/staff/inbox", "");
  } catch (err) {
    void pool.then((ws) => ws.forEach((w) => w.terminate()));
    throw err;
  }
  const t1 = performance.now();
  const { opened, workers } = await openInboxTips(
    keys,
    wire.tips.map((r) => ({ payload: r.payload ?? "", envelope: r.envelope ?? "" })),
    pool,
  );
  const decrypted = new Map<string, Decrypted>();
  wire.tips.forEach((r, i) => decrypted.set(r.id, opened[i]!));
  return { decrypted, fetchMs: t1 - t0, decryptMs: performance.now() - t1, workers };
}
