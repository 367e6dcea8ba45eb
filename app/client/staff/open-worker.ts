/**
 * The inbox's decryption worker (open-pool.ts starts two). It receives base64url ciphertext and
 * a non-extractable X25519 handle of the staff key (`staffOpeningKey`: a CryptoKey that can
 * derive shared secrets but never be read), opens each tip's envelope and payload with
 * crypto/'s `openTipPayloadsWithHandle`, and answers with what the list needs (content and the
 * search text). The handle lives only for the call; nothing is kept between calls.
 * Only ever loaded with `import()`, so the bundler keeps it as its own module; the worker imports
 * this same file by URL (app/client/worker/module-worker.ts).
 */
import type * as CryptoModule from "../../../crypto/index";
import { decryptedFrom } from "./tip-content";
import { parseLines } from "./inbox-lines";
import type { OpenLinesRequest, OpenedLines, OpenRequest, OpenedTip } from "./open-pool";

type CryptoApi = typeof CryptoModule;
let cryptoApi: Promise<CryptoApi> | null = null;
const loadCrypto = () => (cryptoApi ??= import("../../../crypto/index"));

/** This module's own URL, for the worker to import it. */
export function selfUrl(): string {
  return import.meta.url;
}

/** Opens one share of the inbox (also what the page runs when no worker can start). */
export async function openShare(req: OpenRequest): Promise<OpenedTip[]> {
  const c = await loadCrypto();
  const items = req.tips.map((t) => {
    try {
      return { payload: c.base64urlDecode(t.payload), envelope: c.base64urlDecode(t.envelope) };
    } catch {
      return null;
    }
  });
  const opened = await c.openTipPayloadsWithHandle(
    items.map((i) => i ?? { payload: new Uint8Array(0), envelope: new Uint8Array(0) }),
    req.handle,
  );
  return opened.map((o): OpenedTip => {
    if (o === null) return "page";
    return o.ok ? decryptedFrom(o.value) : null;
  });
}

/** Opens one run of lines of the streamed inbox answer (inbox-lines.ts). */
export async function openLines(req: OpenLinesRequest): Promise<OpenedLines> {
  const { tips, end } = parseLines(req.lines);
  const opened = await openShare({ handle: req.handle, tips });
  return {
    tips: tips.map((t, n) => {
      const o = opened[n]!;
      // An envelope WebCrypto refuses goes back to the page with its ciphertext.
      return o === "page" ? { id: t.id, opened: o, line: t } : { id: t.id, opened: o };
    }),
    end,
  };
}

export function serve(scope: {
  onmessage: ((e: MessageEvent<(OpenRequest | OpenLinesRequest) & { id: number }>) => void) | null;
  postMessage(msg: unknown): void;
}): void {
  scope.onmessage = (e) => {
    const { id, ...req } = e.data;
    ("lines" in req ? openLines(req) : openShare(req)).then(
      (ok) => scope.postMessage({ id, ok }),
      () => scope.postMessage({ id, failed: true }),
    );
  };
  // The crypto module loads now, while the page's request waits for its first byte, not when
  // the first run of ciphertext arrives (under load that was most of a second of idle workers).
  loadCrypto().catch(() => undefined);
  scope.postMessage({ ready: true });
}
