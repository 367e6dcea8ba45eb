/**
 * The heavy browser work of the resident's pages, run in a Web Worker so the page never freezes:
 * receipt key derivation (argon2id), proof of work, photo reduction, metadata stripping,
 * attachment encryption and sealing. Only ever loaded with `import()` (host.ts), so the bundler
 * keeps it as its own module with its export names; the worker imports this same file by URL.
 * If a browser cannot start module workers, host.ts calls `runOp` on the page instead.
 */
import type * as CryptoModule from "../../../crypto/index";
import type { ReceiptKdfVersion } from "../../../crypto/index";
import { approvalContent } from "../../shared/approvals";
import { officeCovering, TRUST, type TrustConfig } from "../../shared/trusted-offices";
import { encryptEvidence } from "../../shared/evidence";
import { realType, SNIFF_BYTES } from "../../shared/file-types";
import { startModuleWorker } from "./module-worker";
import { trustedReaders, type SignedRosterWire } from "../../shared/roster-trust";
import {
  fitFileName,
  buildIdentityBlock,
  buildReportPayload,
  type IdentityFields,
  type ReportFields,
  type ReportFileRef,
} from "../report/model";
import { REDUCED_MAX_SIDE } from "../report/photo";

type CryptoApi = typeof CryptoModule;
let cryptoApi: Promise<CryptoApi> | null = null;
const loadCrypto = () => (cryptoApi ??= import("../../../crypto/index"));

/** This module's own URL, for the worker to import it. */
export function selfUrl(): string {
  return import.meta.url;
}

export interface ApprovalWire {
  memberId: string;
  /** set for v2 approvals (they also vouch for the member's signing key, docs/crypto.md §5.6) */
  signPublicKey?: string | null;
  homeDistrictId: string;
  validUntilMs: number;
  signature: string;
  /** What the server says the office key is: never used, the build's own key is (see tip.seal). */
  officeKey: string;
}

export interface ReaderWire {
  staffKeyId: string;
  boxPublicKey: string;
  approval: ApprovalWire | null;
}

/** JPEG quality of a reduced photo (its size: report/photo.ts). */
const REDUCED_QUALITY = 0.8;

export interface Ops {
  /** A new receipt and what the server may know of it (the secrets never leave the worker). */
  "receipt.prepare": {
    in: { salt: string };
    out: { receipt: string; authHash: string; tipsterPublicKey: string };
  };
  /** The tipster's keys from a typed receipt (status page). */
  "receipt.derive": {
    in: { receipt: string; salt: string; version: ReceiptKdfVersion };
    out: { authSecret: Uint8Array; boxSecretKey: Uint8Array };
  };
  "pow.solve": { in: { challenge: string }; out: { solution: string } };
  /**
   * Strip metadata (optionally reduce a photo first), then encrypt. The ciphertext comes back as
   * a Blob made here from the chunks: posting a Blob hands over a reference, so the page never
   * copies (or clones) the megabytes, and they are never joined into one array.
   */
  "file.encrypt": {
    in: { file: Blob; name: string; type: string; reduce: boolean };
    out: { ref: ReportFileRef; header: string; data: Blob };
  };
  /**
   * The checks `tip.seal` runs on the page's readers and rosters, run while the resident writes:
   * the office signatures verified here are remembered in this worker (`rememberVerified`), so
   * the seal after "send" does not repeat them. Answers how many readers passed.
   */
  "readers.check": {
    in: {
      district: string;
      readers: ReaderWire[];
      rosters: SignedRosterWire[];
      nowMs: number;
    };
    out: { readers: number };
  };
  /** Check the office's approval of every reader, then seal payload and identity to them. */
  "tip.seal": {
    in: {
      fields: ReportFields;
      identity: IdentityFields | null;
      refs: ReportFileRef[];
      readers: ReaderWire[];
      /** The office-signed rosters that must list every reader (ADR 017). */
      rosters: SignedRosterWire[];
      tipsterPublicKey: string;
      nowMs: number;
    };
    out: {
      tipsterEnvelope: string;
      payload: string;
      envelopes: { staffKeyId: string; envelope: string }[];
      identity: {
        ciphertext: string;
        envelopes: { staffKeyId: string; envelope: string }[];
      } | null;
    };
  };
}
export type OpName = keyof Ops;

/** A refusal the page explains to the resident (others are reported as "crypto"). */
export class WorkError extends Error {
  constructor(readonly code: "unverified" | "crypto") {
    super(code);
  }
}

async function reducePhoto(
  file: Blob,
  type: string,
): Promise<{ bytes: Uint8Array; type: string } | null> {
  if (typeof OffscreenCanvas === "undefined" || typeof createImageBitmap === "undefined") {
    return null;
  }
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, REDUCED_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext("2d");
    if (!ctx) return null;
    ctx.drawImage(bitmap, 0, 0, w, h);
    bitmap.close();
    // A fresh JPEG from pixels carries no metadata at all.
    const out = await canvas.convertToBlob({ type: "image/jpeg", quality: REDUCED_QUALITY });
    if (out.size >= file.size && type === "image/jpeg") return null; // no gain: keep the original
    return { bytes: new Uint8Array(await out.arrayBuffer()), type: "image/jpeg" };
  } catch {
    return null;
  }
}

function reducedName(name: string): string {
  const dot = name.lastIndexOf(".");
  return `${dot > 0 ? name.slice(0, dot) : name}-reduced.jpg`;
}

/**
 * Office signatures this worker has verified, by the exact inputs of the check (office key,
 * signature, signed content): `readers.check` runs the checks while the resident writes, and
 * `tip.seal` after "send" finds them here instead of repeating the pure-JS Ed25519 work. Only
 * successes are kept, an entry answers only for identical inputs, and the time checks (approval
 * expiry, roster window) run on every call — the rule of the server's memo
 * (app/services/verified-cache.server.ts).
 */
const verified = new Map<string, unknown>();
const MAX_VERIFIED = 256;

function rememberVerified<T>(key: string, verify: () => T): T {
  if (verified.has(key)) return verified.get(key) as T;
  const value = verify();
  if (verified.size >= MAX_VERIFIED) verified.clear();
  verified.set(key, value);
  return value;
}

/**
 * Seal only to keys the office signed (DESIGN §4): a reader added behind the office's back — say
 * by someone who can write to the database — is refused here, on the device. The office key is
 * the one compiled into this build for the office covering the district, never one named in the
 * server's response. And only to keys a current roster signed by that same office lists, for this
 * member, for this district (docs/crypto.md §5.13): a reader the database added to a team is
 * refused too. Throws `unverified`.
 */
export function checkReaders(
  c: CryptoApi,
  district: string,
  readers: readonly ReaderWire[],
  rosters: readonly SignedRosterWire[],
  nowMs: number,
  trust: TrustConfig = TRUST,
): void {
  const office = officeCovering(district, trust);
  if (readers.length === 0 || !office) throw new WorkError("unverified");
  for (const r of readers) {
    const a = r.approval;
    if (!a || a.homeDistrictId === district) throw new WorkError("unverified");
    try {
      // A low-order key would let anybody open the envelope (docs/crypto.md §5.12).
      if (c.isLowOrderPublicKey(c.base64urlDecode(r.boxPublicKey))) throw new Error("weak key");
      const key = JSON.stringify([
        "approval",
        office.signPublicKey,
        r.boxPublicKey,
        a.memberId,
        a.signPublicKey ?? null,
        a.homeDistrictId,
        a.validUntilMs,
        a.signature,
      ]);
      rememberVerified(key, () =>
        c.verifyStaffKeyApprovalSignature(
          approvalContent(c, a, r.boxPublicKey),
          c.base64urlDecode(a.signature),
          c.base64urlDecode(office.signPublicKey),
        ),
      );
      // verifyStaffKeyApproval's time check, on every call.
      if (!(typeof nowMs === "number" && nowMs <= a.validUntilMs)) throw new Error("expired");
    } catch {
      throw new WorkError("unverified");
    }
  }
  const listed = trustedReaders(
    {
      base64urlDecode: c.base64urlDecode,
      toHex: c.toHex,
      isCryptoError: c.isCryptoError,
      // The roster's window and serial are checked by trustedReaders on every call.
      verifyRoster: (roster, signature, officeKey) =>
        rememberVerified(
          JSON.stringify(["roster", c.toHex(officeKey), c.toHex(signature), c.toHex(roster)]),
          () => c.verifyRoster(roster, signature, officeKey),
        ),
    },
    { rosters, districtId: district, nowMs, kinds: ["team", "office"] },
    trust,
  ).readers;
  for (const r of readers) {
    const entry = listed.get(c.toHex(c.base64urlDecode(r.boxPublicKey)));
    if (!entry || entry.memberId !== r.approval?.memberId) throw new WorkError("unverified");
  }
}

/** Runs one operation (in the worker, or on the page as a fallback). */
export async function runOp<K extends OpName>(op: K, input: Ops[K]["in"]): Promise<Ops[K]["out"]> {
  const c = await loadCrypto();
  switch (op) {
    case "receipt.prepare": {
      const { salt } = input as Ops["receipt.prepare"]["in"];
      const receipt = c.generateReceipt();
      const keys = await c.deriveReceiptKeys(receipt, c.base64urlDecode(salt));
      const out = {
        receipt: c.formatReceipt(receipt),
        authHash: c.authLookupHash(keys.authSecret),
        tipsterPublicKey: c.base64urlEncode(keys.boxPublicKey),
      };
      keys.authSecret.fill(0);
      keys.boxSecretKey.fill(0);
      return out as Ops[K]["out"];
    }
    case "receipt.derive": {
      const { receipt, salt, version } = input as Ops["receipt.derive"]["in"];
      const keys = await c.deriveReceiptKeys(receipt, c.base64urlDecode(salt), { version });
      return { authSecret: keys.authSecret, boxSecretKey: keys.boxSecretKey } as Ops[K]["out"];
    }
    case "pow.solve": {
      const { challenge } = input as Ops["pow.solve"]["in"];
      return { solution: c.solvePowSync(challenge) } as Ops[K]["out"];
    }
    case "file.encrypt": {
      const f = input as Ops["file.encrypt"]["in"];
      let name = fitFileName(f.name); // the attachment format holds at most 255 bytes
      // What the file really is, from its first bytes (app/shared/file-types.ts), not its name.
      let type = realType(new Uint8Array(await f.file.slice(0, SNIFF_BYTES).arrayBuffer()), f.type);
      let raw: Uint8Array | null = null;
      if (f.reduce) {
        const reduced = await reducePhoto(f.file, type);
        if (reduced) {
          raw = reduced.bytes;
          type = reduced.type;
          name = fitFileName(reducedName(f.name));
        }
      }
      raw ??= new Uint8Array(await f.file.arrayBuffer());
      const enc = encryptEvidence(c, { name, type, data: raw });
      return {
        ref: enc.ref,
        header: c.base64urlEncode(enc.header),
        data: new Blob(enc.chunks as BlobPart[], { type: "application/octet-stream" }),
      } as Ops[K]["out"];
    }
    case "readers.check": {
      const r = input as Ops["readers.check"]["in"];
      checkReaders(c, r.district, r.readers, r.rosters, r.nowMs);
      return { readers: r.readers.length } as Ops[K]["out"];
    }
    case "tip.seal": {
      const s = input as Ops["tip.seal"]["in"];
      checkReaders(c, s.fields.district, s.readers, s.rosters, s.nowMs);
      // sealTipsMany, not sealTip: the key envelopes' X25519 on the browser's native WebCrypto
      // where it has it (tweetnacl otherwise) — the same format and procedure (byte-identical
      // to sealTip under the same randomness, crypto/tip.ts), a fraction of the time.
      const [sealed] = await c.sealTipsMany([
        {
          payload: buildReportPayload(s.fields, s.refs),
          identity: buildIdentityBlock(s.identity),
          recipients: s.readers.map((r) => ({
            id: r.staffKeyId,
            boxPublicKey: c.base64urlDecode(r.boxPublicKey),
          })),
          tipsterPublicKey: c.base64urlDecode(s.tipsterPublicKey),
        },
      ]);
      if (!sealed) throw new WorkError("crypto");
      const wire = (list: readonly { recipientId: string; envelope: Uint8Array }[]) =>
        list.map((e) => ({ staffKeyId: e.recipientId, envelope: c.base64urlEncode(e.envelope) }));
      return {
        tipsterEnvelope: c.base64urlEncode(sealed.tipsterEnvelope),
        payload: c.base64urlEncode(sealed.payload),
        envelopes: wire(sealed.envelopes),
        identity: sealed.identity
          ? {
              ciphertext: c.base64urlEncode(sealed.identity.ciphertext),
              envelopes: wire(sealed.identity.envelopes),
            }
          : null,
      } as Ops[K]["out"];
    }
  }
  throw new WorkError("crypto");
}

interface Request {
  id: number;
  op: OpName;
  input: unknown;
}

type LaneMode = "cold" | "warm" | "none";

type ServeScope = {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
};

/**
 * The worker of a page where the receipt's derivation is on the critical path (/status: it starts
 * when the receipt is complete and the case waits for it): as `serve`, and the lane helper's
 * memory and block function are warmed up before the page is told `lanes` (`startLaneHelper`).
 * /report does not ask for this: its derivation starts at focus, off the critical path, and the
 * warm-up's work would land on the proof of work and encryption after "send".
 */
export function serveWarm(scope: ServeScope): void {
  serve(scope, "warm");
}

/**
 * A worker that never derives a receipt (/report's proof-of-work worker): as `serve`, without a
 * lane helper — a third thread loading crypto/ on a two-core phone for nothing.
 */
export function serveSolo(scope: ServeScope): void {
  serve(scope, "none");
}

/**
 * Worker side: answer each request with its result (buffers transferred) or an error code.
 * `lanes`: start the argon2id lane helper ("cold"), also warm it up ("warm"), or not ("none").
 */
export function serve(scope: ServeScope, lanes: LaneMode = "cold"): void {
  scope.onmessage = (e) => {
    const { id, op, input } = e.data;
    const started = performance.now();
    runOp(op, input as never).then(
      async (out) => {
        const transfer = new Set<ArrayBuffer>();
        for (const v of Object.values(out as Record<string, unknown>)) {
          if (v instanceof Uint8Array && v.buffer instanceof ArrayBuffer) transfer.add(v.buffer);
        }
        const ms = performance.now() - started;
        // how many threads the receipt's argon2id used (the phone bench and status-flow read it)
        const threads = op.startsWith("receipt.") ? (await loadCrypto()).argon2idLastThreads() : 1;
        scope.postMessage({ id, ok: out, ms, threads }, [...transfer]);
      },
      (err: unknown) =>
        scope.postMessage({
          id,
          error: err instanceof WorkError ? err.code : "crypto",
          ms: performance.now() - started,
        }),
    );
  };
  scope.postMessage({ ready: true });
  if (lanes !== "none") startLaneHelper(scope, lanes === "warm");
}

/**
 * A cross-origin isolated page (COOP + COEP, server/security-headers.ts) can share WebAssembly
 * memory between threads: start one helper worker (this same module, `serveLane`) that fills the
 * second lane of a two-lane argon2id derivation (receipt KDF v3) while this worker fills the first
 * (crypto/argon2-lanes.ts) — about half the wall time on a phone with two free cores. The helper
 * is used only once it says it is ready, with crypto/ loaded: this worker blocks in Atomics.wait
 * during its own lane, and a nested worker that still had to load its modules could wait for
 * this thread (seen under load: the lane timed out and the derivation ran again on one thread).
 * Derivations that start before then, or if the helper cannot start, run on one thread. The page
 * is told (`lanes`), so the phone bench and tests can wait for it.
 */
function startLaneHelper(scope: { postMessage(msg: unknown): void }, warm: boolean): void {
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (g.crossOriginIsolated !== true) return;
  void startModuleWorker(selfUrl(), "serveLane").then(async (worker) => {
    if (!worker) return;
    const c = await loadCrypto();
    const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
    let next = 1;
    worker.onerror = () => {
      c.useArgon2LaneHelpers(null);
      for (const p of pending.values()) p.reject(new Error("lane helper failed"));
      pending.clear();
      worker.terminate();
    };
    worker.onmessage = (e: MessageEvent<{ id?: number; ok?: boolean }>) => {
      const p = e.data.id === undefined ? undefined : pending.get(e.data.id);
      if (!p) return;
      pending.delete(e.data.id!);
      if (e.data.ok) p.resolve();
      else p.reject(new Error("lane failed"));
    };
    c.useArgon2LaneHelpers({
      threads: 1,
      run: (job, lane) =>
        new Promise<void>((resolve, reject) => {
          const id = next++;
          pending.set(id, { resolve, reject });
          worker.postMessage({ id, job, lane });
        }),
    });
    // Where asked (`serveWarm`): memory faulted in and the block function compiled and optimised
    // on both threads while the resident types, so the receipt's derivation starts at full speed.
    if (warm) await c.prepareArgon2Lanes(c.RECEIPT_KDF_VERSIONS[c.CURRENT_RECEIPT_KDF_VERSION]);
    scope.postMessage({ lanes: 2 });
  });
}

/** The lane helper's side: load crypto/, say so, then fill the lane each job names. */
export function serveLane(scope: {
  onmessage: ((e: MessageEvent<LaneRequest>) => void) | null;
  postMessage(msg: unknown): void;
}): void {
  void loadCrypto().then(
    (c) => {
      scope.onmessage = (e) => {
        const { id, job, lane } = e.data;
        c.argon2idFillLane(job, lane).then(
          () => scope.postMessage({ id, ok: true }),
          () => scope.postMessage({ id, ok: false }),
        );
      };
      scope.postMessage({ ready: true });
    },
    () => scope.postMessage({ failed: true }),
  );
}

interface LaneRequest {
  id: number;
  job: CryptoModule.Argon2LaneJob;
  lane: number;
}
