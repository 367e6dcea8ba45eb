/**
 * A report sealed exactly as app/client/report/report-client.ts seals it (receipt keys from the
 * server's receipt salt, the tip sealed to the readers `routeTip` computes, one encrypted photo,
 * a solved proof of work fetched from the server), and the multipart POST the browser sends.
 * Shared by the report endpoint tests and the two-node test.
 */
import {
  authLookupHash,
  base64urlDecode,
  base64urlEncode,
  encryptAttachment,
  sealTip,
  sha256,
  solvePowSync,
  toHex,
} from "../../crypto/index";
import type { ReceiptKeys } from "../../crypto/index";
import { buildReportPayload } from "../../app/client/report/model";
import { routeTip } from "../../app/services/tips.server";
import { closeDb, openDb } from "../../db/client";
import { testReceiptWithKeys } from "./kdf-cache";
import { serverEnv, type ServerFiles } from "./tip-fixture";

/** A server the report goes to: its URL, and its files for the keys and readers. */
export type ReportServer = ServerFiles & { url: string };

export interface Built {
  meta: Record<string, unknown>;
  files: Uint8Array[];
  receipt: string;
  /** The receipt's keys (what the tipster's browser derives from it). */
  keys: ReceiptKeys;
}

/** The readers a report about `districtId` (and `unitId`) must be sealed to, as the browser gets them. */
export async function reportReaders(
  server: ServerFiles,
  districtId = "tj-jinnan",
  unitId: string | null = null,
) {
  const db = await openDb(server.database, { migrate: false });
  try {
    const route = await routeTip(db, serverEnv(server), districtId, new Date(), unitId);
    if (!route.ok) throw new Error("no readers");
    return route.recipients.map((r) => ({
      id: r.staffKeyId,
      boxPublicKey: new Uint8Array(r.boxPublicKey),
    }));
  } finally {
    await closeDb(db);
  }
}

/**
 * fetch, sent again on a new connection when the kept-alive one it used was closed by the server
 * just as the request started (nothing delivered). Deriving a receipt (argon2id) on a busy machine
 * leaves connections idle past the server's keep-alive timeout.
 */
export async function fetchFresh(url: string, init?: RequestInit): Promise<Response> {
  return fetch(url, init).catch((err: unknown) => {
    const code = ((err as { cause?: { code?: string } }).cause ?? {}).code;
    if (code === "EPIPE" || code === "ECONNRESET" || code === "UND_ERR_SOCKET") {
      return fetch(url, init);
    }
    throw err;
  });
}

/** A fresh proof-of-work challenge from the server. */
export async function powChallenge(server: { url: string }): Promise<string> {
  const res = await fetchFresh(`${server.url}/api/pow`);
  if (res.status !== 200) throw new Error(`GET /api/pow: ${res.status}`);
  return ((await res.json()) as { challenge: string }).challenge;
}

/** A report sealed exactly as app/client/report/report-client.ts does it. */
export async function buildReport(
  server: ReportServer,
  opts: { text?: string; dropReader?: boolean; pow?: { challenge: string; solution: string } } = {},
): Promise<Built> {
  const env = serverEnv(server);
  const { receipt, keys } = await testReceiptWithKeys(env.receiptSalt);
  const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
  const enc = encryptAttachment(photo, { name: "p.jpg", type: "image/jpeg" });
  const refs = [
    {
      name: "p.jpg",
      type: "image/jpeg",
      size: photo.length,
      key: base64urlEncode(enc.key),
      ref: toHex(sha256(enc.header)),
    },
  ];
  let recipients = await reportReaders(server, "tj-jinnan", "tj-jinnan-hanchengqiao");
  if (opts.dropReader) recipients = recipients.slice(1);
  const sealed = sealTip({
    payload: buildReportPayload(
      {
        district: "tj-jinnan",
        unit: "tj-jinnan-hanchengqiao",
        category: "corruption",
        corruptionType: "false_claims",
        text: opts.text ?? "村干部虚报冒领拆迁补偿款。",
        when: "",
        people: "",
        amountFen: null,
      },
      refs,
    ),
    recipients,
    tipsterPublicKey: keys.boxPublicKey,
  });
  let pow = opts.pow;
  if (!pow) {
    const c = await powChallenge(server);
    pow = { challenge: c, solution: solvePowSync(c) };
  }
  const chunks = enc.chunks;
  const file = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    file.set(c, at);
    at += c.length;
  }
  return {
    receipt,
    keys,
    files: [file],
    meta: {
      district: "tj-jinnan",
      unit: "tj-jinnan-hanchengqiao",
      category: "corruption",
      receiptAuthHash: authLookupHash(keys.authSecret),
      tipsterPublicKey: base64urlEncode(keys.boxPublicKey),
      tipsterEnvelope: base64urlEncode(sealed.tipsterEnvelope),
      payload: base64urlEncode(sealed.payload),
      envelopes: sealed.envelopes.map((e) => ({
        staffKeyId: e.recipientId,
        envelope: base64urlEncode(e.envelope),
      })),
      identity: null,
      onlyOutsiders: true,
      pow,
      files: [{ header: base64urlEncode(enc.header) }],
    },
  };
}

/** The multipart body the browser posts to /api/report. */
export function reportForm(built: Built): FormData {
  const form = new FormData();
  form.append("meta", JSON.stringify(built.meta));
  built.files.forEach((f, i) => form.append("file", new Blob([f as BlobPart]), `f${i}`));
  return form;
}

/** POSTs a built report to `server`'s /api/report (as the browser does). */
export async function postReport(
  server: { url: string },
  built: Built,
  lang?: "en",
): Promise<Response> {
  return fetchFresh(`${server.url}/api/report`, {
    method: "POST",
    body: reportForm(built),
    headers: lang ? { Cookie: `lang=${lang}` } : {},
  });
}

/** A reader as the report page offers it to the browser. */
export interface OfferedReader {
  staffKeyId: string;
  boxPublicKey: string;
}

/**
 * A JavaScript-path report (no files) sealed to exactly `readers`, as the browser seals it, and
 * posted to /api/report: its status and JSON answer.
 */
export async function sendSealedReport(
  server: ReportServer,
  readers: readonly OfferedReader[],
  opts: { district?: string; unit?: string | null; text?: string } = {},
): Promise<{ status: number; json: { error?: { code: string } } }> {
  const district = opts.district ?? "tj-jinnan";
  const unit = opts.unit ?? null;
  const { keys } = await testReceiptWithKeys(serverEnv(server).receiptSalt);
  const sealed = sealTip({
    payload: buildReportPayload(
      {
        district,
        unit,
        category: "livelihood",
        corruptionType: null,
        text: opts.text ?? "小区门口的路一直没有修。",
        when: "",
        people: "",
        amountFen: null,
      },
      [],
    ),
    recipients: readers.map((r) => ({
      id: r.staffKeyId,
      boxPublicKey: base64urlDecode(r.boxPublicKey),
    })),
    tipsterPublicKey: keys.boxPublicKey,
  });
  const challenge = await powChallenge(server);
  const form = new FormData();
  form.append(
    "meta",
    JSON.stringify({
      district,
      unit,
      category: "livelihood",
      receiptAuthHash: authLookupHash(keys.authSecret),
      tipsterPublicKey: base64urlEncode(keys.boxPublicKey),
      tipsterEnvelope: base64urlEncode(sealed.tipsterEnvelope),
      payload: base64urlEncode(sealed.payload),
      envelopes: sealed.envelopes.map((e) => ({
        staffKeyId: e.recipientId,
        envelope: base64urlEncode(e.envelope),
      })),
      identity: null,
      onlyOutsiders: true,
      pow: { challenge, solution: solvePowSync(challenge) },
      files: [],
    }),
  );
  const res = await fetchFresh(`${server.url}/api/report`, { method: "POST", body: form });
  return { status: res.status, json: (await res.json()) as { error?: { code: string } } };
}
