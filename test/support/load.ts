/**
 * The one load generator behind the crash test, the flood test and `npm run bench -- server`.
 *
 * It talks to the real server over HTTP exactly as residents' browsers do — POST /api/report with
 * a multipart body (sealed `meta` + one part per encrypted file), GET /api/pow, POST
 * /api/status/open — and spreads requests over many loopback source addresses (127.N.x.y via
 * `localAddress`; Linux routes all of 127/8 to the loopback interface), so per-client limits
 * behave as with real residents. Each request uses its own connection unless given a keep-alive
 * agent (bench-server's kept-alive look-ups).
 *
 * Tips are realistic on the wire: the report payload of app/client/report/model.ts padded to the
 * 16 KiB bucket (the text carries a unique marker so tests can prove which tip decrypted), one
 * envelope per reader that routing computes for the district, a tipster envelope, and in some
 * tips a 200 KB "photo" (random bytes: a JPEG does not compress either) encrypted in 64 KiB
 * chunks. Two shortcuts, both invisible to the server: the receipt keys come from a real receipt
 * through argon2id with the unsafe test parameters (the server never derives them on the JS path;
 * the auth secret still finds the tip), and the X25519 work is batched (`sealTipsMany`,
 * byte-identical to `sealTip`).
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import zlib from "node:zlib";
import {
  authLookupHash,
  base64urlEncode,
  deriveReceiptKeys,
  encryptAttachment,
  generateReceipt,
  sealTipsMany,
  sha256,
  solvePowSync,
  openTipKeysAsStaff,
  openTipPayload,
  toHex,
  UNSAFE_TEST_KDF,
  type StaffMessageSigner,
  type StaffTipKeys,
} from "../../crypto/index";
import { buildReportPayload, type ReportFileRef } from "../../app/client/report/model";
import { routeTip } from "../../app/services/tips.server";
import { closeDb, openDb } from "../../db/client";
import { rawSql } from "./server";
import { DEMO_KEY_PASSPHRASE, serverEnv, type ServerFiles } from "./tip-fixture";
import { unwrapStaffKeysCached } from "./kdf-cache";

// ---------------------------------------------------------------- source addresses

/**
 * Loopback source addresses 127.<block>.x.y (x, y in 1..254), handed out in turn. Give each
 * phase or actor its own block so their per-client counters never mix; 127.0.0.1 (block 0, the
 * address tests and browsers use) is never handed out.
 */
export class LoopbackAddresses {
  private n = 0;
  constructor(
    readonly block: number,
    /** How many distinct addresses to cycle through (at most 254 × 254). */
    readonly size = 254 * 254,
  ) {
    if (!Number.isInteger(block) || block < 1 || block > 254) throw new Error("block 1..254");
  }

  next(): string {
    const i = this.n++ % this.size;
    return `127.${this.block}.${1 + Math.floor(i / 254)}.${1 + (i % 254)}`;
  }
}

// ---------------------------------------------------------------- HTTP

export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the server under test
  json: any;
  ms: number;
  /** The answer's Content-Encoding, when it had one (the body is decoded before `json`). */
  encoding?: string;
  /** Set when no response arrived (connection refused or reset, e.g. after kill -9). */
  error?: string;
}

/** One request on its own connection from `localAddress`; never rejects. */
export function request(
  url: string,
  opts: {
    method?: string;
    path: string;
    localAddress: string;
    headers?: Record<string, string>;
    body?: Buffer;
    timeoutMs?: number;
    /** A keep-alive agent to send on (its connection is reused); default: a connection of its own. */
    agent?: http.Agent;
  },
): Promise<HttpResult> {
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: opts.method ?? "GET",
        path: opts.path,
        localAddress: opts.localAddress,
        agent: opts.agent ?? false,
        headers: {
          ...(opts.body ? { "Content-Length": String(opts.body.length) } : {}),
          ...opts.headers,
        },
        timeout: opts.timeoutMs ?? 60_000,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("error", (err) =>
          resolve({ status: 0, json: null, ms: performance.now() - started, error: err.message }),
        );
        res.on("end", () => {
          const encoding = res.headers["content-encoding"];
          let text: string;
          try {
            text = decoded(Buffer.concat(parts), encoding).toString("utf8");
          } catch (err) {
            return resolve({
              status: 0,
              json: null,
              ms: performance.now() - started,
              error: `undecodable ${encoding} body: ${(err as Error).message}`,
            });
          }
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = { text };
          }
          const ms = performance.now() - started;
          resolve({ status: res.statusCode ?? 0, json, ms, ...(encoding ? { encoding } : {}) });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err) =>
      resolve({ status: 0, json: null, ms: performance.now() - started, error: err.message }),
    );
    req.end(opts.body);
  });
}

/** A body as sent with Content-Encoding `encoding` (what a browser undoes before reading it). */
function decoded(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding) {
    case undefined:
    case "identity":
      return body;
    case "gzip":
      return zlib.gunzipSync(body);
    case "deflate":
      return zlib.inflateSync(body);
    case "br":
      return zlib.brotliDecompressSync(body);
    default:
      throw new Error("unknown Content-Encoding");
  }
}

/** What Chromium sends with every request (the bench's look-ups ask for compression as it does). */
export const BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd";

// ---------------------------------------------------------------- tips

export interface LoadReader {
  id: string;
  boxPublicKey: Uint8Array;
}

/** The readers routing computes for `districtId` now (what the report page would list). */
export async function readersFor(server: ServerFiles, districtId: string): Promise<LoadReader[]> {
  const db = await openDb(server.database, { migrate: false });
  try {
    const route = await routeTip(db, serverEnv(server), districtId);
    if (!route.ok) throw new Error(`no reader for ${districtId}: ${route.reason}`);
    return route.recipients.map((r) => ({
      id: r.staffKeyId,
      boxPublicKey: new Uint8Array(r.boxPublicKey),
    }));
  } finally {
    await closeDb(db);
  }
}

export interface LoadTipOptions {
  districtId?: string;
  unitId?: string | null;
  /** Padding bucket of the sealed payload (power of two; default 16 KiB). */
  payloadBucket?: number;
  /** Size of the one encrypted attachment, or 0 for none. */
  attachmentBytes?: number;
}

export interface LoadTip {
  /** Unique text inside the sealed payload: a decrypted tip proves which request it came from. */
  marker: string;
  /** What the status page sends to open the case (POST /api/status/open). */
  authSecret: Uint8Array;
  /** The tipster's box secret key (from the receipt), to open the team's replies; null when unknown. */
  tipsterSecretKey: Uint8Array | null;
  receiptAuthHash: string;
  /** The request's `meta` field, without the proof of work. */
  meta: Record<string, unknown>;
  /** The attachment's encrypted chunks back to back (the `file` part), if any. */
  file: Uint8Array | null;
  /** Ciphertext bytes the server must keep for this tip (payload, envelopes, file). */
  ciphertextBytes: number;
}

const SENTENCES = [
  "村委会主任在拆迁补偿中虚报面积，把不存在的房屋也算进补偿名单。",
  "补偿款先打到村集体账户，再以“协调费”的名义分走一部分。",
  "去年冬天低保名单里有三户是村干部的亲属，家里有车有店。",
  "修路的钱按每公里报销，实际只铺了一半，剩下的路段还是土路。",
  "群众去问，被告知“上面定的”，再问就说影响不好。",
];

/** Report text whose payload JSON fills most of `bucket` (so it pads to exactly that bucket). */
function textFor(marker: string, bucket: number): string {
  const target = Math.floor(bucket * 0.85);
  const parts = [`[${marker}]`];
  let bytes = parts[0]!.length;
  for (let i = 0; bytes < target; i++) {
    const s = SENTENCES[i % SENTENCES.length]!;
    parts.push(s);
    bytes += Buffer.byteLength(s);
  }
  return parts.join("");
}

/**
 * Seals `count` distinct tips to `readers`. `attachmentEvery`: every n-th tip (n ≥ 1) carries an
 * attachment of `opts.attachmentBytes` (0 = none).
 */
export async function sealLoadTips(
  readers: LoadReader[],
  count: number,
  opts: LoadTipOptions & { attachmentEvery?: number; salt: Uint8Array; tag?: string },
): Promise<LoadTip[]> {
  const districtId = opts.districtId ?? "tj-jinnan";
  const unitId = opts.unitId === undefined ? "tj-jinnan-hanchengqiao" : opts.unitId;
  const bucket = opts.payloadBucket ?? 16 * 1024;
  const tag = opts.tag ?? randomBytes(4).toString("hex");
  const pending: {
    marker: string;
    authSecret: Uint8Array;
    tipsterPublicKey: Uint8Array;
    tipsterSecretKey: Uint8Array;
    header: Uint8Array | null;
    file: Uint8Array | null;
    payload: ReturnType<typeof buildReportPayload>;
  }[] = [];
  for (let i = 0; i < count; i++) {
    const marker = `load-${tag}-${i}`;
    const keys = await deriveReceiptKeys(generateReceipt(), opts.salt, {
      unsafeTestKdf: UNSAFE_TEST_KDF,
    });
    const withFile =
      (opts.attachmentBytes ?? 0) > 0 &&
      opts.attachmentEvery !== undefined &&
      i % opts.attachmentEvery === 0;
    const refs: ReportFileRef[] = [];
    let header: Uint8Array | null = null;
    let file: Uint8Array | null = null;
    if (withFile) {
      const photo = randomBytes(opts.attachmentBytes!);
      const enc = encryptAttachment(photo, { name: `IMG_${1000 + i}.jpg`, type: "image/jpeg" });
      refs.push({
        name: `IMG_${1000 + i}.jpg`,
        type: "image/jpeg",
        size: photo.length,
        key: base64urlEncode(enc.key),
        ref: toHex(sha256(enc.header)),
      });
      header = enc.header;
      file = Buffer.concat(enc.chunks);
    }
    pending.push({
      marker,
      authSecret: keys.authSecret,
      tipsterPublicKey: keys.boxPublicKey,
      tipsterSecretKey: keys.boxSecretKey,
      header,
      file,
      payload: buildReportPayload(
        {
          district: districtId,
          unit: unitId,
          category: "corruption",
          corruptionType: "false_claims",
          text: textFor(marker, bucket),
          when: "2020年8月",
          people: "村委会主任",
          amountFen: 150_000_000,
        },
        refs,
      ),
    });
  }
  const sealed = await sealTipsMany(
    pending.map((p) => ({
      payload: p.payload,
      recipients: readers,
      tipsterPublicKey: p.tipsterPublicKey,
    })),
  );
  return pending.map((p, i) => {
    const s = sealed[i]!;
    const envelopes = s.envelopes.map((e) => ({
      staffKeyId: e.recipientId,
      envelope: base64urlEncode(e.envelope),
    }));
    return {
      marker: p.marker,
      authSecret: p.authSecret,
      tipsterSecretKey: p.tipsterSecretKey,
      receiptAuthHash: authLookupHash(p.authSecret),
      file: p.file,
      ciphertextBytes:
        s.payload.length +
        s.tipsterEnvelope.length +
        s.envelopes.reduce((n, e) => n + e.envelope.length, 0) +
        (p.file?.length ?? 0) +
        (p.header?.length ?? 0),
      meta: {
        district: districtId,
        unit: unitId,
        category: "corruption",
        receiptAuthHash: authLookupHash(p.authSecret),
        tipsterPublicKey: base64urlEncode(p.tipsterPublicKey),
        tipsterEnvelope: base64urlEncode(s.tipsterEnvelope),
        payload: base64urlEncode(s.payload),
        envelopes,
        identity: null,
        onlyOutsiders: true,
        files: p.header ? [{ header: base64urlEncode(p.header) }] : [],
      },
    };
  });
}

/**
 * The same sealed bytes under a fresh receipt (auth hash and tipster key): for long footprint runs
 * that need thousands of stored tips but not thousands of distinct payloads. The server stores it
 * like any other tip; only that tipster could not open it (its envelope is another tipster's).
 */
export function withFreshReceipt(tip: LoadTip): LoadTip {
  const authSecret = new Uint8Array(randomBytes(32));
  // Any point but the few low-order ones (the server refuses those): a random 32-byte string
  // is one of them with negligible probability.
  const tipsterPublicKey = new Uint8Array(randomBytes(32));
  return {
    ...tip,
    authSecret,
    tipsterSecretKey: null,
    receiptAuthHash: authLookupHash(authSecret),
    meta: {
      ...tip.meta,
      receiptAuthHash: authLookupHash(authSecret),
      tipsterPublicKey: base64urlEncode(tipsterPublicKey),
    },
  };
}

/**
 * Opens stored load tips as one team member would, unwrapping the member's demo key once
 * (argon2id) for all of them: checks after a run open dozens of tips.
 */
export class TeamReader {
  private secret: Uint8Array | null = null;
  private signSecret: Uint8Array | null = null;
  constructor(readonly staffId: string) {}

  /** The member as the signer of messages to tipsters (docs/crypto.md §5.7.1). */
  signer(): StaffMessageSigner {
    if (!this.signSecret) throw new Error("open a tip first (tipKeys) to unwrap the key");
    return { memberId: this.staffId, signSecretKey: this.signSecret };
  }

  /** The member's keys for one tip, and the tip's sealed payload. */
  async tipKeys(
    database: string,
    tipId: string,
  ): Promise<{ keys: StaffTipKeys; payload: Uint8Array }> {
    const rows = await rawSql<{ envelope: Uint8Array; wrapped: Uint8Array; payload: Uint8Array }>(
      database,
      `select e.envelope, k.wrapped_secret_key as wrapped, t.payload
         from tip_envelopes e join staff_keys k on k.id = e.staff_key_id join tips t on t.id = e.tip_id
        where e.tip_id = $1 and e.staff_id = $2 and e.kind = 'tip'`,
      [tipId, this.staffId],
    );
    const row = rows[0];
    if (!row) throw new Error(`${this.staffId} holds no envelope for ${tipId}`);
    if (!this.secret) {
      const keys = await unwrapStaffKeysCached(new Uint8Array(row.wrapped), DEMO_KEY_PASSPHRASE);
      this.secret = keys.boxSecretKey;
      this.signSecret = keys.signSecretKey;
    }
    return {
      keys: openTipKeysAsStaff(new Uint8Array(row.envelope), this.secret),
      payload: new Uint8Array(row.payload),
    };
  }

  /** The tip's decrypted payload. */
  async openPayload(database: string, tipId: string) {
    const { keys, payload } = await this.tipKeys(database, tipId);
    return openTipPayload(payload, keys);
  }
}

// ---------------------------------------------------------------- proof of work and requests

export interface SolvedPow {
  challenge: string;
  solution: string;
}

/** A challenge from GET /api/pow (from `localAddress`), solved here. */
export async function solvedPow(url: string, localAddress: string): Promise<SolvedPow> {
  const res = await request(url, { path: "/api/pow", localAddress });
  if (res.status !== 200) {
    throw new Error(`GET /api/pow: ${res.status} ${res.error ?? JSON.stringify(res.json)}`);
  }
  const challenge = String(res.json.challenge);
  return { challenge, solution: solvePowSync(challenge) };
}

/** The multipart/form-data body the report page's script sends. */
export function reportBody(
  tip: LoadTip,
  pow: SolvedPow | null,
): { body: Buffer; contentType: string } {
  const boundary = `----crosswatch-load-${randomBytes(8).toString("hex")}`;
  const meta = JSON.stringify(pow ? { ...tip.meta, pow } : tip.meta);
  const parts: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\n\r\n${meta}\r\n`,
      "utf8",
    ),
  ];
  if (tip.file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f0"\r\n` +
          "Content-Type: application/octet-stream\r\n\r\n",
        "utf8",
      ),
      Buffer.from(tip.file),
      Buffer.from("\r\n", "utf8"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`, "utf8"));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A report ready to send: its body is built once, before any timed phase. */
export interface ReadyReport {
  tip: LoadTip;
  body: Buffer;
  contentType: string;
}

/** Fetches and solves one challenge per tip (from rotating addresses) and builds the bodies. */
export async function prepareReports(
  url: string,
  tips: LoadTip[],
  addresses: LoopbackAddresses,
): Promise<ReadyReport[]> {
  const out: ReadyReport[] = [];
  await runPool(tips, 8, async (tip) => {
    const pow = await solvedPow(url, addresses.next());
    out.push({ tip, ...reportBody(tip, pow) });
  });
  return out;
}

export function postReport(
  url: string,
  report: { body: Buffer; contentType: string },
  localAddress: string,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return request(url, {
    method: "POST",
    path: "/api/report",
    localAddress,
    headers: { "Content-Type": report.contentType, ...headers },
    body: report.body,
  });
}

/**
 * The status page's JS-path look-up: only the 32-byte auth secret goes to the server, with the
 * Accept-Encoding a browser sends (so a server that compressed the answer would pay for it here).
 */
export function openStatus(
  url: string,
  authSecret: Uint8Array,
  localAddress: string,
  agent?: http.Agent,
): Promise<HttpResult> {
  return request(url, {
    method: "POST",
    path: "/api/status/open",
    localAddress,
    ...(agent ? { agent } : {}),
    headers: { "Content-Type": "application/json", "Accept-Encoding": BROWSER_ACCEPT_ENCODING },
    body: Buffer.from(JSON.stringify({ authSecret: base64urlEncode(authSecret) })),
  });
}

// ---------------------------------------------------------------- running and measuring

/** Runs `fn` over `items` with at most `concurrency` in flight; `stop()` ends it early. */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
  signal?: { stopped: boolean },
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.stopped) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** The p-th percentile (0..100) of `values` (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Counts of each HTTP status (0 = no response) in `results`. */
export function statusCounts(results: readonly HttpResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[String(r.status)] = (out[String(r.status)] ?? 0) + 1;
  return out;
}
