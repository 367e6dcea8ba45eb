/**
 * Inbox decryption in the browser: every row's envelope is opened in one batch (openTipsAsStaff,
 * native X25519 where the browser has it) and the payload's fields kept for the list, the
 * reading pane and search. Filters and sort are in app/components/cases/inbox-query.ts.
 */
import type { StaffKeys } from "../../../crypto/index";
import type { InboxRow } from "../../services/inbox.server";
import { staffApi } from "./api";
import { loadCrypto } from "./key-store";
import { contentHaystack, tipContent, type TipContent } from "./tip-content";

/** The inbox row as the API sends it (type only: nothing of the server module is bundled). */
export type InboxWireRow = InboxRow;

export interface Decrypted {
  /** null when the payload could not be opened */
  content: TipContent | null;
  /** lower-cased searchable content */
  haystack: string;
}

export async function fetchAndDecryptInbox(
  keys: StaffKeys,
): Promise<{ decrypted: Map<string, Decrypted>; fetchMs: number; decryptMs: number }> {
  const t0 = performance.now();
  const [c, wire] = await Promise.all([
    loadCrypto(),
    staffApi<{ tips: InboxWireRow[] }>("/api/staff/inbox", ""),
  ]);
  const t1 = performance.now();
  const opened = await c.openTipsAsStaff(
    wire.tips.map((r) => ({
      payload: c.base64urlDecode(r.payload ?? ""),
      envelope: c.base64urlDecode(r.envelope ?? ""),
    })),
    keys.boxSecretKey,
  );
  const decrypted = new Map<string, Decrypted>();
  wire.tips.forEach((r, i) => {
    const o = opened[i]!;
    const content = o.ok ? tipContent(o.value.payload) : null;
    decrypted.set(r.id, { content, haystack: content ? contentHaystack(content) : "" });
  });
  return { decrypted, fetchMs: t1 - t0, decryptMs: performance.now() - t1 };
}
