/**
 * The tipster's side of a case: find it by the receipt-derived auth secret, hand back its
 * ciphertexts (status history, the team's messages, the tipster's own replies and evidence), and
 * store new replies. See docs/decisions/006-tipster-status.md.
 *
 * Two paths:
 * - JavaScript (normal): the browser derives the receipt keys, sends only the 32-byte auth secret
 *   (never the receipt), and decrypts everything itself. The server hashes the secret with
 *   `authLookupHash` and looks the tip up by that hash, the only receipt-derived value it stores.
 * - No JavaScript (fallback): the server receives the receipt in a POST body, derives the keys in
 *   memory, decrypts in memory for this one response, and encrypts a reply on arrival exactly as
 *   the browser would. Nothing of it is written to disk or logs.
 *
 * Wrong receipts are answered after the same minimum delay as right ones (`padToFloor`) and
 * every attempt counts against an in-memory, per-client limit (`statusLookups`, `statusReplies`).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { and, asc, eq, inArray, isNotNull, isNull, max, ne, sql } from "drizzle-orm";
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import {
  base64urlDecode,
  base64urlEncode,
  deriveReceiptKeys,
  RECEIPT_KDF_TRY_ORDER,
  type ReceiptKdfVersion,
  formatReceipt,
  isCryptoError,
  parseReceipt,
  openTeamMessageAsTipster,
  openTipKeysAsTipster,
  openTipPayload,
  openTipsterMessage,
  sealTipsterMessage,
  TAG,
  type TipsterTipKeys,
} from "../../crypto/index";
import * as cryptoApi from "../../crypto/index";
import { authLookupHashNative } from "../../crypto/receipt-hash.server";
import { pgCaseRows, sqliteCaseRows, type CaseRows } from "../../db/case-lookup";
import { preparedQuery, serializeOn, withTx, type Db } from "../../db/client";
import {
  attachmentChunks,
  attachments,
  districts,
  messages,
  staffKeys,
  staffRoles,
  staffUsers,
  stationings,
  teamMembers,
  teams,
  tipStatusHistory,
  tips,
  units,
  type PublicStatus,
} from "../../db/schema";
import {
  buildCaseView,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  MAX_REPLY_CHARS,
  type CaseView,
  type CaseWire,
  type EvidenceRef,
} from "../client/status/model";
import { encryptEvidence } from "../shared/evidence";
import { tipsterDay, tipsterMessageTime } from "../shared/tipster-time";
import type { Env } from "../env.server";
import { storeAttachments } from "./attachments.server";
import { approvalWire } from "./staff-keys.server";
import { checkPow, issueChallenge, noteSubmission } from "./pow.server";
import { RateLimiter } from "./rate-limit.server";

// ---------------------------------------------------------------- limits

/** A reply's ciphertext: MESSAGE_PADDING's largest bucket (64 KiB) plus framing. */
export const MAX_REPLY_CIPHERTEXT = 65_536 + 128;
/** One attachment chunk on the wire: 64 KiB plaintext + tag + MAC. */
const MAX_CHUNK_CIPHERTEXT = 65_536 + 1 + 16;
const MAX_HEADER_CIPHERTEXT = 1024 + 64;

/** Every status lookup (right or wrong receipt) takes at least this long on the JS path. */
export const JS_LOOKUP_FLOOR_MS = 400;
/** The no-JS path also runs argon2id on the server; its floor covers that. */
export const NOJS_LOOKUP_FLOOR_MS = 1_000;

// ---------------------------------------------------------------- HTTP helpers for the routes

/** Every response that carries case content (or could) is never stored by any cache. */
const NoJsStatusForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("open"), receipt: z.string().max(100) }),
  z.object({
    intent: z.literal("reply"),
    receipt: z.string().max(100),
    text: z.string().max(MAX_REPLY_CHARS * 2),
  }),
]);

/** The no-JS status form's fields (kept here so zod stays out of the page's browser bundle). */
export function parseNoJsStatusForm(fields: unknown) {
  return NoJsStatusForm.safeParse(fields);
}

/** Re-exported for the staff side, which imports them from here. */
export { apiError, NO_STORE, readJson } from "./http.server";

/** The site's receipt salt, given to the status page so the browser can derive keys. */
export function receiptSaltForPage(env: Env): string {
  return base64urlEncode(env.receiptSalt);
}

export type ReceiptInput =
  | { ok: true; digits: string; formatted: string }
  | { ok: false; code: "badFormat" | "badLength" | "badChecksum" };

/** Tolerant receipt parsing (spaces, full-width digits) with the typo a resident made, if any. */
export function parseReceiptInput(input: string): ReceiptInput {
  try {
    const digits = parseReceipt(input);
    return { ok: true, digits, formatted: formatReceipt(digits) };
  } catch (err) {
    if (isCryptoError(err, "bad_checksum")) return { ok: false, code: "badChecksum" };
    if (isCryptoError(err, "bad_length")) return { ok: false, code: "badLength" };
    return { ok: false, code: "badFormat" };
  }
}

// ---------------------------------------------------------------- timing and rate limits

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `floorMs` have passed since `startedAt`, so every answer takes the same time. */
export async function padToFloor(startedAt: number, floorMs: number): Promise<void> {
  const left = startedAt + floorMs - Date.now();
  if (left > 0) await sleep(left);
}

/** Opening a case: 20 attempts per client per 10 minutes (a resident needs one or two). */
export const statusLookups = new RateLimiter(20, 10 * 60 * 1000);
/** Replies and evidence: 30 per client per 10 minutes, on top of proof of work. */
export const statusReplies = new RateLimiter(30, 10 * 60 * 1000);

// ---------------------------------------------------------------- proof of work for replies

/** Replies use the report form's proof of work (same difficulty, same single-use store). */
export function issueReplyChallenge(env: Env, now = Date.now()): string {
  return issueChallenge(env, now);
}

export async function verifyReplyPow(
  db: Db,
  env: Env,
  challenge: string,
  solution: string,
  now = Date.now(),
): Promise<boolean> {
  return (await checkPow(db, env, challenge, solution, now)).ok;
}

// ---------------------------------------------------------------- reading a case

export interface CaseSummary {
  status: PublicStatus;
  createdAt: Date;
  acknowledgeBy: Date;
  feedbackBy: Date;
  acknowledgedAt: Date | null;
  identityRevealedAt: Date | null;
  district: { id: string; nameZh: string; nameEn: string };
  unit: { id: string; nameZh: string; nameEn: string } | null;
}

export interface CaseCiphertexts {
  tipId: string;
  summary: CaseSummary;
  tipsterEnvelope: Uint8Array;
  payload: Uint8Array;
  history: {
    id: string;
    status: PublicStatus;
    at: Date;
    message: Uint8Array | null;
    author: string | null;
  }[];
  messages: {
    id: string;
    kind: "to_tipster" | "from_tipster";
    at: Date;
    body: Uint8Array;
    author: string | null;
  }[];
  attachments: {
    id: string;
    messageId: string | null;
    header: Uint8Array;
    chunkCount: number;
    ciphertextSize: number;
  }[];
  /** Some message from the team has not been marked as seen by the tipster yet. */
  unseenTeamMessages: boolean;
}

/**
 * docs/crypto.md §2's base64url (no padding), by Node's native encoder: the same text as
 * crypto's portable `base64urlEncode` (a unit test checks), which builds the string piece by piece
 * — for a look-up's ≈ 25 KB answer, a rope that JSON serialisation then flattened and the garbage
 * collector cleared: a third of a look-up's CPU (issue 13).
 */
export const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
const bytesOf = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * The look-up's four queries, built once per database handle (`preparedQuery`: SQLite keeps the
 * compiled statements, PostgreSQL names prepared statements): building each query's SQL anew cost
 * more than running it (issue 13, status look-ups). Only the columns the tipster's answer needs.
 */
const lookupQueries = (db: Db) => ({
  tip: preparedQuery(db, "cw_status_tip", (d) =>
    d
      .select({
        id: tips.id,
        status: tips.status,
        createdAt: tips.createdAt,
        acknowledgeBy: tips.acknowledgeBy,
        feedbackBy: tips.feedbackBy,
        acknowledgedAt: tips.acknowledgedAt,
        identityRevealedAt: tips.identityRevealedAt,
        targetDistrictId: tips.targetDistrictId,
        tipsterEnvelope: tips.tipsterEnvelope,
        payload: tips.payload,
        district: { nameZh: districts.nameZh, nameEn: districts.nameEn },
        unit: { id: units.id, nameZh: units.nameZh, nameEn: units.nameEn },
      })
      .from(tips)
      .leftJoin(districts, eq(districts.id, tips.targetDistrictId))
      .leftJoin(units, eq(units.id, tips.unitId))
      .where(eq(tips.receiptAuthHash, sql.placeholder("hash")))
      .limit(1)
      .prepare("cw_status_tip"),
  ),
  history: preparedQuery(db, "cw_status_history", (d) =>
    d
      .select({
        id: tipStatusHistory.id,
        status: tipStatusHistory.status,
        createdAt: tipStatusHistory.createdAt,
        publicMessage: tipStatusHistory.publicMessage,
        actorId: tipStatusHistory.actorId,
      })
      .from(tipStatusHistory)
      .where(eq(tipStatusHistory.tipId, sql.placeholder("tipId")))
      .orderBy(asc(tipStatusHistory.createdAt))
      .prepare("cw_status_history"),
  ),
  thread: preparedQuery(db, "cw_status_thread", (d) =>
    d
      .select({
        id: messages.id,
        kind: messages.kind,
        createdAt: messages.createdAt,
        body: messages.body,
        authorStaffId: messages.authorStaffId,
        readByTipsterAt: messages.readByTipsterAt,
      })
      .from(messages)
      .where(
        and(
          eq(messages.tipId, sql.placeholder("tipId")),
          inArray(messages.kind, ["to_tipster", "from_tipster"]),
        ),
      )
      .orderBy(asc(messages.createdAt))
      .prepare("cw_status_thread"),
  ),
  files: preparedQuery(db, "cw_status_files", (d) =>
    d
      .select({
        id: attachments.id,
        messageId: attachments.messageId,
        header: attachments.header,
        chunkCount: attachments.chunkCount,
        ciphertextSize: attachments.ciphertextSize,
        createdAt: attachments.createdAt,
      })
      .from(attachments)
      .where(and(eq(attachments.tipId, sql.placeholder("tipId")), eq(attachments.complete, true)))
      .orderBy(asc(attachments.createdAt))
      .prepare("cw_status_files"),
  ),
});

/** The look-up's rows by the four portable queries: the tip (with names), then its lists. */
async function portableCaseRows(db: Db, hash: string): Promise<CaseRows | undefined> {
  const q = lookupQueries(db);
  // The tip with its district's and unit's names in one query.
  const tip = (await q.tip.execute({ hash }))[0];
  if (!tip) return undefined;
  const history = await q.history.execute({ tipId: tip.id });
  const thread = await q.thread.execute({ tipId: tip.id });
  const files = await q.files.execute({ tipId: tip.id });
  return { tip, history, thread, files };
}

/** Everything the tipster may see, as ciphertext; null when no tip has this auth secret. */
export async function findCaseByAuthSecret(
  db: Db,
  authSecret: Uint8Array,
): Promise<CaseCiphertexts | null> {
  if (authSecret.length !== 32) return null;
  // `authLookupHash` on node:crypto (crypto/receipt-hash.server.ts: same value).
  const hash = authLookupHashNative(authSecret);
  // One read (db/case-lookup.ts): PostgreSQL in one round trip, SQLite in one read transaction;
  // inside a transaction, the four portable queries.
  const lite = sqliteCaseRows(db, hash);
  const one = lite === null ? await pgCaseRows(db, hash) : lite;
  const rows = one === null ? await portableCaseRows(db, hash) : one;
  if (!rows) return null;
  const { tip, history, thread, files } = rows;
  const { district, unit } = tip;
  return {
    tipId: tip.id,
    summary: {
      status: tip.status as PublicStatus,
      createdAt: tip.createdAt,
      acknowledgeBy: tip.acknowledgeBy,
      feedbackBy: tip.feedbackBy,
      acknowledgedAt: tip.acknowledgedAt,
      identityRevealedAt: tip.identityRevealedAt,
      district: {
        id: tip.targetDistrictId,
        nameZh: district?.nameZh ?? tip.targetDistrictId,
        nameEn: district?.nameEn ?? tip.targetDistrictId,
      },
      unit: unit ? { id: unit.id, nameZh: unit.nameZh, nameEn: unit.nameEn } : null,
    },
    tipsterEnvelope: bytesOf(tip.tipsterEnvelope),
    payload: bytesOf(tip.payload),
    history: history.map((h) => ({
      id: h.id,
      status: h.status as PublicStatus,
      at: h.createdAt,
      message: h.publicMessage ? bytesOf(h.publicMessage) : null,
      author: h.publicMessage ? h.actorId : null,
    })),
    messages: thread.map((m) => ({
      id: m.id,
      kind: m.kind as "to_tipster" | "from_tipster",
      at: m.createdAt,
      body: bytesOf(m.body),
      author: m.kind === "to_tipster" ? m.authorStaffId : null,
    })),
    attachments: files.map((f) => ({
      id: f.id,
      messageId: f.messageId,
      header: bytesOf(f.header),
      chunkCount: f.chunkCount,
      ciphertextSize: f.ciphertextSize,
    })),
    unseenTeamMessages: thread.some((m) => m.kind === "to_tipster" && m.readByTipsterAt === null),
  };
}

/**
 * Who wrote the team's messages on this case, so the tipster's browser can check each signature
 * against the office's approval of the signer's key (docs/crypto.md §5.7.1): every approved
 * (non-pending) key of each author, and the author's role in the tip's team ("office" for an
 * office admin outside it). Public keys, signatures and roles only.
 */
export async function caseSigners(
  db: Db,
  env: Env,
  found: CaseCiphertexts,
): Promise<CaseWire["signers"]> {
  const ids = [
    ...new Set(
      [...found.history.map((h) => h.author), ...found.messages.map((m) => m.author)].filter(
        (id): id is string => id !== null,
      ),
    ),
  ];
  if (ids.length === 0) return {};
  const tip = (
    await db
      .select({ stationingId: tips.stationingId })
      .from(tips)
      .where(eq(tips.id, found.tipId))
      .limit(1)
  )[0];
  const team = tip?.stationingId
    ? (
        await db
          .select({ id: teams.id, nameZh: teams.nameZh, nameEn: teams.nameEn })
          .from(stationings)
          .innerJoin(teams, eq(teams.id, stationings.teamId))
          .where(eq(stationings.id, tip.stationingId))
          .limit(1)
      )[0]
    : undefined;
  const out: CaseWire["signers"] = {};
  for (const id of ids) {
    const staff = (await db.select().from(staffUsers).where(eq(staffUsers.id, id)).limit(1))[0];
    if (!staff) continue;
    const member = team
      ? (
          await db
            .select({ role: teamMembers.role })
            .from(teamMembers)
            .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.staffId, id)))
            .limit(1)
        )[0]
      : undefined;
    const office = (
      await db
        .select({ role: staffRoles.role })
        .from(staffRoles)
        .where(and(eq(staffRoles.staffId, id), eq(staffRoles.role, "office_admin")))
        .limit(1)
    )[0];
    const keys = await db
      .select()
      .from(staffKeys)
      .where(
        and(
          eq(staffKeys.staffId, id),
          ne(staffKeys.status, "pending"),
          isNotNull(staffKeys.officeSignature),
        ),
      );
    out[id] = {
      role: member ? member.role : office ? "office" : null,
      team: member && team ? { nameZh: team.nameZh, nameEn: team.nameEn } : null,
      approvals: keys.flatMap((k) => approvalWire(env, id, staff.jurisdictionId, k) ?? []),
    };
  }
  return out;
}

/**
 * The tipster has seen the team's messages (shown as read in the staff thread). A write
 * transaction only when `findCaseByAuthSecret` saw an unseen one: most look-ups find none, and on
 * SQLite every write transaction queues behind the submissions' commits.
 */
export async function markTeamMessagesSeen(
  db: Db,
  found: Pick<CaseCiphertexts, "tipId" | "unseenTeamMessages">,
  now = new Date(),
): Promise<void> {
  if (!found.unseenTeamMessages) return;
  const tipId = found.tipId;
  await withTx(db, (tx) =>
    tx
      .update(messages)
      // To the day only (app/shared/tipster-time.ts): when the tipster looked is the tipster's.
      .set({ readByTipsterAt: tipsterDay(now) })
      .where(
        and(
          eq(messages.tipId, tipId),
          eq(messages.kind, "to_tipster"),
          isNull(messages.readByTipsterAt),
        ),
      ),
  );
}

/** Attachment chunks of one of this tip's attachments, in order (for download). */
export async function attachmentChunksFor(db: Db, tipId: string, attachmentId: string) {
  const row = (
    await db
      .select({ id: attachments.id })
      .from(attachments)
      .where(and(eq(attachments.id, attachmentId), eq(attachments.tipId, tipId)))
      .limit(1)
  )[0];
  if (!row) return null;
  return (
    await db
      .select({ data: attachmentChunks.data })
      .from(attachmentChunks)
      .where(eq(attachmentChunks.attachmentId, attachmentId))
      .orderBy(asc(attachmentChunks.idx))
  ).map((c) => bytesOf(c.data));
}

// ---------------------------------------------------------------- writing replies

export interface IncomingEvidence {
  header: Uint8Array;
  chunks: Uint8Array[];
}

export type ReplyCheck =
  { ok: true } | { ok: false; code: "bad_ciphertext" | "too_large" | "too_many_files" };

/** Shape checks on ciphertext the server cannot read: tags, sizes, counts. */
export function checkReply(body: Uint8Array, evidence: IncomingEvidence[]): ReplyCheck {
  if (body.length < 2 || body.length > MAX_REPLY_CIPHERTEXT)
    return { ok: false, code: "bad_ciphertext" };
  if (body[0] !== TAG.TIPSTER_MESSAGE_V1) return { ok: false, code: "bad_ciphertext" };
  if (evidence.length > MAX_EVIDENCE_FILES) return { ok: false, code: "too_many_files" };
  let total = 0;
  for (const file of evidence) {
    if (file.header.length > MAX_HEADER_CIPHERTEXT || file.header[0] !== TAG.ATTACHMENT_HEADER_V1) {
      return { ok: false, code: "bad_ciphertext" };
    }
    if (file.chunks.length === 0) return { ok: false, code: "bad_ciphertext" };
    file.chunks.forEach((chunk, i) => {
      total += chunk.length;
      const last = i === file.chunks.length - 1;
      const tag = last ? TAG.ATTACHMENT_FINAL_CHUNK_V1 : TAG.ATTACHMENT_CHUNK_V1;
      if (chunk.length > MAX_CHUNK_CIPHERTEXT || chunk[0] !== tag) total = Infinity;
    });
    if (total === Infinity) return { ok: false, code: "bad_ciphertext" };
  }
  if (total > MAX_EVIDENCE_BYTES + evidence.length * 1024 * 64)
    return { ok: false, code: "too_large" };
  return { ok: true };
}

const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString("base64url")}`;

/** Stores a tipster reply (ciphertext) and its evidence files in one transaction. */
export async function recordTipsterReply(
  db: Db,
  tipId: string,
  body: Uint8Array,
  evidence: IncomingEvidence[] = [],
  now = new Date(),
): Promise<{ messageId: string; attachmentIds: string[] }> {
  const messageId = newId("msg");
  const attachmentIds = evidence.map(() => newId("att"));
  await withTx(db, async (tx) => {
    // Stored to the day, after the thread's latest message (app/shared/tipster-time.ts), read
    // under the thread's lock: parallel replies would otherwise read the same latest message and
    // get the same time, and the thread's order between them would be left to chance.
    await serializeOn(tx, `thread:${tipId}`);
    const latest = (
      await tx
        .select({ at: max(messages.createdAt) })
        .from(messages)
        .where(eq(messages.tipId, tipId))
    )[0]?.at;
    const at = tipsterMessageTime(
      now,
      latest ? new Date(latest as unknown as Date | number) : null,
    );
    await tx.insert(messages).values({
      id: messageId,
      tipId,
      kind: "from_tipster",
      body: Buffer.from(body),
      createdAt: at,
    });
    await storeAttachments(tx, tipId, evidence, at, { messageId, ids: attachmentIds });
    await tx
      .update(tips)
      .set({ lastTipsterActivityAt: tipsterDay(now) })
      .where(eq(tips.id, tipId));
  });
  noteSubmission(now.getTime());
  return { messageId, attachmentIds };
}

// ---------------------------------------------------------------- the no-JavaScript path

export type NoJsOpen =
  | { ok: true; tipId: string; view: CaseView; keys: TipsterTipKeys }
  | { ok: false; code: "not_found" };

/** The API's JSON form of a case: ciphertexts as base64url, times as ISO 8601. */
export function caseWire(found: CaseCiphertexts, signers: CaseWire["signers"] = {}): CaseWire {
  const s = found.summary;
  return {
    summary: {
      status: s.status,
      createdAt: s.createdAt.toISOString(),
      acknowledgeBy: s.acknowledgeBy.toISOString(),
      feedbackBy: s.feedbackBy.toISOString(),
      acknowledgedAt: s.acknowledgedAt ? s.acknowledgedAt.toISOString() : null,
      identityRevealedAt: s.identityRevealedAt ? s.identityRevealedAt.toISOString() : null,
      district: { nameZh: s.district.nameZh, nameEn: s.district.nameEn },
      unit: s.unit ? { nameZh: s.unit.nameZh, nameEn: s.unit.nameEn } : null,
    },
    tipsterEnvelope: b64(found.tipsterEnvelope),
    payload: b64(found.payload),
    history: found.history.map((h) => ({
      id: h.id,
      status: h.status,
      at: h.at.toISOString(),
      message: h.message ? b64(h.message) : null,
      author: h.author,
    })),
    messages: found.messages.map((m) => ({
      id: m.id,
      kind: m.kind,
      at: m.at.toISOString(),
      body: b64(m.body),
      author: m.author,
    })),
    attachments: found.attachments.map((a) => ({
      id: a.id,
      messageId: a.messageId,
      header: b64(a.header),
      chunkCount: a.chunkCount,
    })),
    signers,
  };
}

/**
 * The look-up's answer body: the bytes of `JSON.stringify({ case: wire, pow })` in UTF-8, made
 * without passing the two large base64url texts (the sealed payload, ≈ 22 KB, and the tipster
 * envelope) through `JSON.stringify` and the UTF-8 encoder. The district and unit names make the
 * JSON text two-byte, so the payload was widened, copied and encoded again: ≈ 90 µs per look-up
 * against ≈ 15 µs copying its one-byte text straight into the body (issue 13, item 2).
 * base64url needs no JSON escaping; every other value goes through `JSON.stringify` as before,
 * in the wire's key order (test/unit/status-answer.test.ts compares the bytes).
 */
export function caseAnswerBody(wire: CaseWire, pow: string): Buffer {
  // Even entries: JSON text (UTF-8); odd entries: a base64url text (one byte per character).
  const texts: string[] = [];
  let json = '{"case":{';
  let first = true;
  for (const [key, value] of Object.entries(wire)) {
    if (value === undefined) continue;
    json += `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    if (RAW_WIRE_KEYS.has(key) && typeof value === "string") {
      texts.push(`${json}"`, value);
      json = '"';
    } else json += JSON.stringify(value);
  }
  texts.push(`${json}},"pow":${JSON.stringify(pow)}}`);
  let size = 0;
  for (let i = 0; i < texts.length; i++)
    size += i % 2 === 0 ? Buffer.byteLength(texts[i]!) : texts[i]!.length;
  const body = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < texts.length; i++)
    at += body.write(texts[i]!, at, i % 2 === 0 ? "utf8" : "latin1");
  return body;
}
/** The wire's base64url texts that are copied into the answer as they are (`caseAnswerBody`). */
const RAW_WIRE_KEYS = new Set(["tipsterEnvelope", "payload"]);

/**
 * Derives the receipt keys on the server (argon2id, in memory), finds the tip and decrypts it for
 * one response. `receiptDigits` must already be parsed (16 digits, check digit verified). The
 * receipt does not say which KDF version made it: the newest is tried first, then older ones.
 */
export async function openCaseWithReceipt(
  db: Db,
  env: Env,
  receiptDigits: string,
): Promise<NoJsOpen> {
  for (const version of RECEIPT_KDF_TRY_ORDER) {
    const opened = await openCaseWithVersion(db, env, receiptDigits, version);
    if (opened.ok) return opened;
  }
  return { ok: false, code: "not_found" };
}

async function openCaseWithVersion(
  db: Db,
  env: Env,
  receiptDigits: string,
  version: ReceiptKdfVersion,
): Promise<NoJsOpen> {
  const keys = await deriveReceiptKeys(receiptDigits, env.receiptSalt, { version });
  try {
    const found = await findCaseByAuthSecret(db, keys.authSecret);
    if (!found) return { ok: false, code: "not_found" };
    const tipKeys = safeOpen(() => openTipKeysAsTipster(found.tipsterEnvelope, keys.boxSecretKey));
    if (!tipKeys) return { ok: false, code: "not_found" };
    const view = buildCaseView(caseWire(found), {
      payload: (b) => safeOpen(() => openTipPayload(base64urlDecode(b), tipKeys)),
      // The server could check the signatures here, but it is the party they protect against:
      // the page says so, and nothing is marked as verified without JavaScript.
      fromTeam: (b) => ({
        body: safeOpen(
          () => openTeamMessageAsTipster(base64urlDecode(b), keys.boxSecretKey, tipKeys).body,
        ),
        signature: { state: "unchecked" },
      }),
      fromMe: (b) => safeOpen(() => openTipsterMessage(base64urlDecode(b), tipKeys)),
    });
    return { ok: true, tipId: found.tipId, view, keys: tipKeys };
  } finally {
    keys.authSecret.fill(0);
    keys.boxSecretKey.fill(0);
  }
}

function safeOpen<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (err) {
    if (isCryptoError(err)) return null;
    throw err;
  }
}

/** A file uploaded through the no-JS form, held in memory only until it is encrypted. */
export interface PlainUpload {
  name: string;
  type: string;
  data: Uint8Array;
}

/**
 * No-JS reply: the server does what the browser would — strips photo metadata, encrypts each
 * file with its own key, seals the text and the file keys for the team — then forgets it all.
 */
export async function replyWithKeys(
  db: Db,
  tipId: string,
  keys: TipsterTipKeys,
  text: string,
  uploads: PlainUpload[] = [],
  now = new Date(),
): Promise<{ messageId: string }> {
  const refs: EvidenceRef[] = [];
  const evidence: IncomingEvidence[] = [];
  for (const file of uploads) {
    const enc = encryptEvidence(cryptoApi, file);
    refs.push(enc.ref);
    evidence.push({ header: enc.header, chunks: enc.chunks });
  }
  const body = sealTipsterMessage({
    body: refs.length > 0 ? { text, attachments: refs.map((r) => ({ ...r })) } : { text },
    keys,
  });
  const { messageId } = await recordTipsterReply(db, tipId, body, evidence, now);
  return { messageId };
}

export type NoJsFormRead =
  | { ok: true; fields: Record<string, string>; uploads: PlainUpload[] }
  | { ok: false; code: "bad_request" | "too_large" };

/** Request bytes a no-JS form may carry: the evidence limit plus the text fields. */
export const MAX_NOJS_FORM_BYTES = MAX_EVIDENCE_BYTES + 256 * 1024;

/**
 * Reads the no-JS status form: URL-encoded (open) or multipart (reply with files), in memory
 * only, refusing bodies over the evidence limit before reading them.
 */
export async function readNoJsForm(request: Request): Promise<NoJsFormRead> {
  const type = request.headers.get("Content-Type") ?? "";
  const declared = Number(request.headers.get("Content-Length") ?? "NaN");
  if (!Number.isFinite(declared) || declared > MAX_NOJS_FORM_BYTES) {
    return { ok: false, code: Number.isFinite(declared) ? "too_large" : "bad_request" };
  }
  let form: FormData;
  try {
    form = type.startsWith("multipart/form-data")
      ? await unstable_parseMultipartFormData(
          request,
          unstable_createMemoryUploadHandler({ maxPartSize: MAX_EVIDENCE_BYTES }),
        )
      : await request.formData();
  } catch (err) {
    if (err instanceof MaxPartSizeExceededError) return { ok: false, code: "too_large" };
    return { ok: false, code: "bad_request" };
  }
  const fields: Record<string, string> = {};
  const uploads: PlainUpload[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") fields[name] = value;
    else if (name === "files" && value.size > 0) {
      uploads.push({
        name: value.name.slice(0, 200) || "file",
        type: value.type.slice(0, 100),
        data: new Uint8Array(await value.arrayBuffer()),
      });
    }
  }
  return { ok: true, fields, uploads };
}
