/**
 * The status page's browser side: turns the receipt into keys on the device, asks the server for
 * the case with the auth secret only, decrypts it, and encrypts replies and evidence before they
 * leave the device. crypto/ is loaded lazily (it brings argon2id), when the resident asks.
 */
import type * as CryptoModule from "../../../crypto/index";
import type { ReceiptKdfVersion, TipsterTipKeys } from "../../../crypto/index";
import { buildCaseView, type CaseView, type CaseWire, type EvidenceRef } from "./model";
import type { Ops } from "../worker/entry";
import { startWorker, type WorkClient } from "../worker/host";
import { encryptEvidence } from "../../shared/evidence";
import { officeCovering } from "../../shared/trusted-offices";
import { teamMessageOpener } from "./team-messages";

type CryptoApi = typeof CryptoModule;
let cryptoApi: Promise<CryptoApi> | null = null;

export function loadCrypto(): Promise<CryptoApi> {
  cryptoApi ??= import("../../../crypto/index");
  return cryptoApi;
}

/** What went wrong, as a key of the `tipster.errors` dictionary, or a server-localized message. */
export class StatusError extends Error {
  constructor(
    readonly code:
      "badFormat" | "badLength" | "badChecksum" | "network" | "crypto" | "decrypt" | "server",
    readonly serverMessage?: string,
    readonly httpStatus?: number,
  ) {
    super(code);
  }
}

/** An open case, kept only in this page's memory. */
export interface OpenCase {
  view: CaseView;
  authSecret: string;
  keys: TipsterTipKeys;
  /** single-use proof-of-work challenge for the next reply */
  pow: string;
}

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new StatusError("network");
  }
  let json: Record<string, unknown>;
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    throw new StatusError("network");
  }
  if (!res.ok) {
    const err = json.error as { message?: unknown } | undefined;
    throw new StatusError(
      "server",
      typeof err?.message === "string" ? err.message : undefined,
      res.status,
    );
  }
  return json;
}

async function freshChallenge(): Promise<string | null> {
  try {
    const res = await fetch("/api/pow", { credentials: "omit", cache: "no-store" });
    if (!res.ok) return null;
    const json = (await res.json()) as { challenge?: unknown };
    return typeof json.challenge === "string" ? json.challenge : null;
  } catch {
    return null;
  }
}

type DerivedKeys = Ops["receipt.derive"]["out"];
let work: Promise<WorkClient> | null = null;
let ahead: { digits: string; keys: Promise<DerivedKeys> } | null = null;

/** argon2id in a Web Worker, so the page stays responsive while it runs. */
function derive(digits: string, saltB64: string, version: ReceiptKdfVersion): Promise<DerivedKeys> {
  work ??= startWorker({ lanes: "warm" });
  return work.then((w) => w.call("receipt.derive", { receipt: digits, salt: saltB64, version }));
}

/** The resident is about to type a receipt: load crypto and start the worker now. */
export function warmUp(): void {
  void loadCrypto().catch(() => undefined);
  work ??= startWorker({ lanes: "warm" });
}

/**
 * Starts deriving the keys as soon as the field holds a complete, valid receipt — before the
 * resident presses the button — so the look-up itself waits little or not at all.
 */
export async function prepareKeys(receipt: string, saltB64: string): Promise<void> {
  const c = await loadCrypto();
  let digits: string;
  try {
    digits = c.parseReceipt(receipt);
  } catch {
    return;
  }
  keysAhead(digits, saltB64, c.RECEIPT_KDF_TRY_ORDER[0]!);
}

/**
 * The newest version's keys for these digits, derived once: typing the last digit and pressing
 * the button straight after (or a paste and Enter) must not start a second argon2id run behind the
 * first in the same worker — whichever of the two gets here first starts it, the other waits for it.
 */
function keysAhead(digits: string, saltB64: string, version: ReceiptKdfVersion) {
  if (ahead?.digits !== digits) {
    const keys = derive(digits, saltB64, version);
    keys.catch(() => undefined);
    ahead = { digits, keys };
  }
  return ahead.keys;
}

/** Receipt → keys (argon2id on this device) → ciphertexts from the server → decrypted view. */
export async function openCase(receipt: string, saltB64: string): Promise<OpenCase> {
  let c: CryptoApi;
  try {
    c = await loadCrypto();
  } catch {
    throw new StatusError("network");
  }
  let digits: string;
  try {
    digits = c.parseReceipt(receipt);
  } catch (err) {
    if (c.isCryptoError(err, "bad_checksum")) throw new StatusError("badChecksum");
    if (c.isCryptoError(err, "bad_length")) throw new StatusError("badLength");
    throw new StatusError("badFormat");
  }
  // The receipt does not say which KDF version made it: newest first, older ones on "not found".
  let keys: DerivedKeys | null = null;
  let json: Record<string, unknown> | null = null;
  const versions = c.RECEIPT_KDF_TRY_ORDER;
  for (let i = 0; i < versions.length && !json; i++) {
    try {
      keys = await (i === 0
        ? keysAhead(digits, saltB64, versions[0]!)
        : derive(digits, saltB64, versions[i]!));
    } catch {
      throw new StatusError("crypto");
    } finally {
      ahead = null;
    }
    try {
      json = await postJson("/api/status/open", { authSecret: c.base64urlEncode(keys.authSecret) });
    } catch (err) {
      const notFound = err instanceof StatusError && err.httpStatus === 404;
      if (!notFound || i === versions.length - 1) throw err;
    }
  }
  if (!keys || !json) throw new StatusError("crypto");
  const authSecret = c.base64urlEncode(keys.authSecret);
  const wire = json.case as CaseWire;
  const open = <T>(fn: () => T): T | null => {
    try {
      return fn();
    } catch {
      return null;
    }
  };
  const tipKeys = open(() =>
    c.openTipKeysAsTipster(c.base64urlDecode(wire.tipsterEnvelope), keys.boxSecretKey),
  );
  if (!tipKeys) throw new StatusError("decrypt");
  const payload = open(() => c.openTipPayload(c.base64urlDecode(wire.payload), tipKeys));
  // Every team message is checked against the office's approval of its signer, under the office
  // key compiled into this build for the office covering the tip's district (DESIGN §4) — the
  // district as the resident sealed it, never a key or a district named in the response — so
  // rows written into the database cannot pass.
  const district = typeof payload?.district === "string" ? payload.district : null;
  const office = district ? officeCovering(district) : null;
  const view = buildCaseView(wire, {
    payload: () => payload,
    fromTeam: teamMessageOpener(c, keys.boxSecretKey, tipKeys, wire.signers ?? {}, () =>
      office ? [office.signPublicKey] : [],
    ),
    fromMe: (b) => open(() => c.openTipsterMessage(c.base64urlDecode(b), tipKeys)),
  });
  keys.boxSecretKey.fill(0);
  return { view, authSecret, keys: tipKeys, pow: json.pow as string };
}

export interface SentReply {
  message: CaseView["thread"][number];
  pow: string;
}

/** Encrypts the reply and files on this device, solves the proof of work, sends ciphertext. */
export async function sendReply(
  current: OpenCase,
  text: string,
  files: readonly File[],
  signal?: AbortSignal,
): Promise<SentReply> {
  const c = await loadCrypto();
  const refs: EvidenceRef[] = [];
  const wireFiles: { header: string; chunks: string[] }[] = [];
  for (const file of files) {
    const data = new Uint8Array(await file.arrayBuffer());
    const enc = encryptEvidence(c, { name: file.name, type: file.type, data });
    refs.push(enc.ref);
    wireFiles.push({
      header: c.base64urlEncode(enc.header),
      chunks: enc.chunks.map((chunk) => c.base64urlEncode(chunk)),
    });
  }
  const body = c.sealTipsterMessage({
    body: refs.length > 0 ? { text, attachments: refs.map((r) => ({ ...r })) } : { text },
    keys: current.keys,
  });
  // The challenge from opening the case expires after 10 minutes; a resident may take longer
  // to write, so ask for a fresh one and fall back to the one we hold.
  const challenge = (await freshChallenge()) ?? current.pow;
  let solution: string;
  try {
    solution = await c.solvePow(challenge, signal ? { signal } : {});
  } catch {
    throw new StatusError("crypto");
  }
  const json = await postJson("/api/status/reply", {
    authSecret: current.authSecret,
    body: c.base64urlEncode(body),
    files: wireFiles,
    pow: { challenge, solution },
  });
  const message = json.message as { id: string; at: string };
  return {
    message: {
      id: message.id,
      at: message.at,
      from: "me",
      text,
      files: refs.map((r) => r.name),
      signature: null,
    },
    pow: json.pow as string,
  };
}
