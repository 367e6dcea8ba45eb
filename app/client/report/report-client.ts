/**
 * The report's browser side, loaded with `import()` only when the resident starts a report (so
 * first paint carries no crypto): make the receipt and its keys on this device, strip photo
 * metadata, encrypt files and the report to exactly the readers the page showed, solve the proof
 * of work, and upload ciphertext with real progress. The receipt never leaves this device.
 */
import type * as CryptoModule from "../../../crypto/index";
import { officeCovering } from "../../shared/trusted-offices";
import { stripMetadata } from "../status/strip-metadata";
import {
  fitFileName,
  buildIdentityBlock,
  buildReportPayload,
  type IdentityFields,
  type ReportFields,
  type ReportFileRef,
} from "./model";

type CryptoApi = typeof CryptoModule;
let cryptoApi: Promise<CryptoApi> | null = null;

/** Starts loading crypto/ (argon2id, tweetnacl) in the background; safe to call repeatedly. */
export function loadCrypto(): Promise<CryptoApi> {
  cryptoApi ??= import("../../../crypto/index");
  return cryptoApi;
}

export type Step = "loading" | "keys" | "files" | "sealing" | "pow" | "upload" | "saving";

export class ReportError extends Error {
  constructor(
    readonly code: "network" | "crypto" | "server" | "unverified",
    readonly serverMessage?: string,
    readonly serverCode?: string,
  ) {
    super(code);
  }
}

export interface SubmitInput {
  fields: ReportFields;
  identity: IdentityFields | null;
  onlyOutsiders: boolean;
  files: readonly File[];
  readers: readonly {
    staffKeyId: string;
    boxPublicKey: string;
    /**
     * The office's signed approval of this key; the browser checks it before sealing against the
     * office key of this build (`officeKey` from the server is not used).
     */
    approval: {
      memberId: string;
      homeDistrictId: string;
      validUntilMs: number;
      signature: string;
      officeKey: string;
    } | null;
  }[];
  /** base64url site salt of the receipt KDF */
  salt: string;
}

export interface SubmitOk {
  /** "1234 5678 9012 3456" */
  receipt: string;
  acknowledgeBy: string;
  feedbackBy: string;
}

/**
 * Solves the proof of work in a Web Worker so the page stays smooth on a slow phone. The worker
 * is a tiny module script (a blob: URL, allowed by `worker-src 'self' blob:`) that imports this
 * very chunk from our own origin and calls crypto's synchronous solver. Any failure (old browser,
 * no module workers) falls back to the main-thread solver, which yields between slices.
 */
function solveInWorker(challenge: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (typeof Worker === "undefined") return reject(new Error("no workers"));
    const source =
      `import(${JSON.stringify(import.meta.url)})` +
      `.then((m) => m.loadCrypto())` +
      `.then((c) => { self.onmessage = (e) => self.postMessage({ ok: c.solvePowSync(e.data) }); self.postMessage({ ready: true }); })` +
      `.catch(() => self.postMessage({ failed: true }));`;
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    let worker: Worker;
    try {
      worker = new Worker(url, { type: "module" });
    } catch (err) {
      URL.revokeObjectURL(url);
      return reject(err as Error);
    }
    const done = (fn: () => void) => {
      worker.terminate();
      URL.revokeObjectURL(url);
      fn();
    };
    worker.onerror = () => done(() => reject(new Error("worker failed")));
    worker.onmessage = (e: MessageEvent<{ ready?: boolean; ok?: string; failed?: boolean }>) => {
      if (e.data.ready) worker.postMessage(challenge);
      else if (typeof e.data.ok === "string") done(() => resolve(e.data.ok!));
      else done(() => reject(new Error("worker failed")));
    };
  });
}

async function fetchChallenge(): Promise<string> {
  let res: Response;
  try {
    res = await fetch("/api/pow", { credentials: "omit", cache: "no-store" });
  } catch {
    throw new ReportError("network");
  }
  const json = (await res.json().catch(() => ({}))) as {
    challenge?: string;
    error?: { code?: string; message?: string };
  };
  if (!res.ok || !json.challenge) {
    throw new ReportError("server", json.error?.message, json.error?.code);
  }
  return json.challenge;
}

function upload(form: FormData, onProgress: (fraction: number) => void): Promise<SubmitOk> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/report");
    xhr.withCredentials = false;
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ReportError("network"));
    xhr.ontimeout = () => reject(new ReportError("network"));
    xhr.onload = () => {
      const json = (xhr.response ?? {}) as {
        acknowledgeBy?: string;
        feedbackBy?: string;
        error?: { code?: string; message?: string };
      };
      if (xhr.status === 201 && json.acknowledgeBy && json.feedbackBy) {
        resolve({ receipt: "", acknowledgeBy: json.acknowledgeBy, feedbackBy: json.feedbackBy });
      } else {
        reject(new ReportError("server", json.error?.message, json.error?.code));
      }
    };
    xhr.send(form);
  });
}

/** Encrypts and sends one report; `onStep` drives the progress bar. */
export async function submitReport(
  input: SubmitInput,
  onStep: (step: Step, fraction: number) => void,
): Promise<SubmitOk> {
  onStep("loading", 0.02);
  const challengeP = fetchChallenge();
  challengeP.catch(() => undefined);
  let c: CryptoApi;
  try {
    c = await loadCrypto();
  } catch {
    throw new ReportError("network");
  }
  const guard = async <R>(fn: () => R | Promise<R>): Promise<R> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ReportError) throw err;
      throw new ReportError("crypto");
    }
  };

  onStep("keys", 0.05);
  const receipt = c.generateReceipt();
  const keys = await guard(() => c.deriveReceiptKeys(receipt, c.base64urlDecode(input.salt)));

  onStep("files", 0.12);
  const refs: ReportFileRef[] = [];
  const headers: { header: string }[] = [];
  const blobs: Blob[] = [];
  for (const file of input.files) {
    const raw = new Uint8Array(await file.arrayBuffer());
    const data = stripMetadata(raw, file.type);
    const name = fitFileName(file.name); // the attachment format holds at most 255 bytes
    const enc = await guard(() => c.encryptAttachment(data, { name, type: file.type }));
    refs.push({
      name,
      type: file.type,
      size: data.length,
      key: c.base64urlEncode(enc.key),
      ref: c.toHex(c.sha256(enc.header)),
    });
    headers.push({ header: c.base64urlEncode(enc.header) });
    blobs.push(new Blob(enc.chunks as BlobPart[], { type: "application/octet-stream" }));
  }

  onStep("sealing", 0.2);
  // Seal only to keys the office signed (DESIGN §4): a reader added behind the office's back —
  // say by someone who can write to the database — is refused here, in the resident's browser.
  // The office key is the one compiled into this build for the office covering the district,
  // never one named in the server's response.
  const office = officeCovering(input.fields.district);
  if (input.readers.length === 0 || !office) throw new ReportError("unverified");
  for (const r of input.readers) {
    const a = r.approval;
    if (!a || a.homeDistrictId === input.fields.district) throw new ReportError("unverified");
    try {
      // A low-order key would let anybody open the envelope (docs/crypto.md §5.12).
      if (c.isLowOrderPublicKey(c.base64urlDecode(r.boxPublicKey))) throw new Error("weak key");
      c.verifyStaffKeyApproval(
        {
          memberId: a.memberId,
          boxPublicKey: c.base64urlDecode(r.boxPublicKey),
          homeDistrictId: a.homeDistrictId,
          validUntilMs: a.validUntilMs,
        },
        c.base64urlDecode(a.signature),
        c.base64urlDecode(office.signPublicKey),
        Date.now(),
      );
    } catch {
      throw new ReportError("unverified");
    }
  }
  const sealed = await guard(() =>
    c.sealTip({
      payload: buildReportPayload(input.fields, refs),
      identity: buildIdentityBlock(input.identity),
      recipients: input.readers.map((r) => ({
        id: r.staffKeyId,
        boxPublicKey: c.base64urlDecode(r.boxPublicKey),
      })),
      tipsterPublicKey: keys.boxPublicKey,
    }),
  );
  const receiptAuthHash = c.authLookupHash(keys.authSecret);
  const tipsterPublicKey = c.base64urlEncode(keys.boxPublicKey);
  keys.authSecret.fill(0);
  keys.boxSecretKey.fill(0);

  onStep("pow", 0.25);
  const challenge = await challengeP;
  const solution = await guard(() => solveInWorker(challenge).catch(() => c.solvePow(challenge)));

  const meta = {
    district: input.fields.district,
    unit: input.fields.unit,
    category: input.fields.category,
    receiptAuthHash,
    tipsterPublicKey,
    tipsterEnvelope: c.base64urlEncode(sealed.tipsterEnvelope),
    payload: c.base64urlEncode(sealed.payload),
    envelopes: sealed.envelopes.map((e) => ({
      staffKeyId: e.recipientId,
      envelope: c.base64urlEncode(e.envelope),
    })),
    identity: sealed.identity
      ? {
          ciphertext: c.base64urlEncode(sealed.identity.ciphertext),
          envelopes: sealed.identity.envelopes.map((e) => ({
            staffKeyId: e.recipientId,
            envelope: c.base64urlEncode(e.envelope),
          })),
        }
      : null,
    onlyOutsiders: input.onlyOutsiders,
    pow: { challenge, solution },
    files: headers,
  };
  const form = new FormData();
  form.append("meta", JSON.stringify(meta));
  blobs.forEach((b, i) => form.append("file", b, `f${i}`));

  onStep("upload", 0.3);
  const done = await upload(form, (f) => onStep(f >= 1 ? "saving" : "upload", 0.3 + 0.68 * f));
  onStep("saving", 1);
  return { ...done, receipt: c.formatReceipt(receipt) };
}
