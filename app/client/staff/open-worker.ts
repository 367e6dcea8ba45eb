/**
 * The inbox's decryption worker (open-pool.ts starts two). It receives runs of binary records
 * (inbox-records.ts) and a non-extractable X25519 handle of the staff key (`staffOpeningKey`: a
 * CryptoKey that can derive shared secrets but never be read), opens each tip's envelope and
 * payload with crypto/'s `openTipPayloadsWithHandle`, and answers with what the list needs
 * (content and the search text). The handle lives only for the call; nothing is kept between
 * calls. Only ever loaded with `import()`, so the bundler keeps it as its own module; the worker
 * imports this same file by URL (app/client/worker/module-worker.ts).
 */
import type * as CryptoModule from "../../../crypto/index";
import { decryptedFrom } from "./tip-content";
import { parseRecords } from "../../shared/inbox-records";
import type { OpenRecordsRequest, OpenedRecords } from "./open-pool";

type CryptoApi = typeof CryptoModule;
let cryptoApi: Promise<CryptoApi> | null = null;
const loadCrypto = () => (cryptoApi ??= import("../../../crypto/index"));

/** This module's own URL, for the worker to import it. */
export function selfUrl(): string {
  return import.meta.url;
}

/** Opens one run of records (also what the page runs when a worker fails). */
export async function openRecords(req: OpenRecordsRequest): Promise<OpenedRecords> {
  const { tips, end } = parseRecords(req.records);
  const c = await loadCrypto();
  const opened = await c.openTipPayloadsWithHandle(tips, req.handle);
  return {
    tips: tips.map((t, n): OpenedRecords["tips"][number] => {
      const o = opened[n]!;
      // An envelope WebCrypto refuses goes back to the page with its ciphertext.
      if (o === null) return { id: t.id, opened: "page", record: t };
      return { id: t.id, opened: o.ok ? decryptedFrom(o.value) : null };
    }),
    end,
  };
}

export function serve(scope: {
  onmessage: ((e: MessageEvent<OpenRecordsRequest & { id: number }>) => void) | null;
  postMessage(msg: unknown): void;
}): void {
  scope.onmessage = (e) => {
    const { id, ...req } = e.data;
    openRecords(req).then(
      (ok) => scope.postMessage({ id, ok }),
      () => scope.postMessage({ id, failed: true }),
    );
  };
  // The crypto module loads now, while the page's request waits for its first byte, not when
  // the first run of ciphertext arrives (under load that was most of a second of idle workers).
  loadCrypto().catch(() => undefined);
  scope.postMessage({ ready: true });
}
