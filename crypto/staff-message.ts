/**
 * Signed staff → tipster messages (0x45, docs/crypto.md §5.7.1): the author signs a statement with
 * their office-approved Ed25519 key, then the statement and signature are boxed to the tipster's
 * receipt key exactly like the unsigned v1 message (0x41). The server, which knows the tipster's
 * public key, can box anything to the tipster — but it cannot sign as a team member.
 *
 *   statement = 0x46 ‖ tip binding (32) ‖ message id (16) ‖ written-at ms (u64) ‖ context (1) ‖
 *               u8 len ‖ status (ASCII) ‖ u16 len ‖ member id (UTF-8) ‖ author Ed25519 key (32) ‖
 *               body (JSON object, UTF-8, the rest)
 *   signature = Ed25519(author, "crosswatch/v1/staff-message" ‖ 0x00 ‖ statement)
 *   blob      = 0x45 ‖ ephemeral pk ‖ nonce ‖ box(pad(statement ‖ signature), tipster pk)
 *
 * The tip binding is HMAC-SHA256(T, "crosswatch/v1/staff-message-binding") with T the tip's
 * tipster view key: only holders of the tip's keys (its readers and its tipster) can compute it,
 * and it differs per tip, so a signed message cannot be moved to another tip. The message id and
 * time let the tipster's browser spot a message shown twice; the context (a reply, or the note
 * with a given public status) stops a note from being shown under another status.
 *
 * What this module proves is "the holder of this Ed25519 key wrote exactly this, for this tip";
 * that the key belongs to an approved team member is the office's v2 approval (signature.ts),
 * which the caller checks against the office key it trusts.
 */
import {
  concatBytes,
  expectBytes,
  readU16be,
  readUintBE,
  toHex,
  u16be,
  uintBE,
  utf8Decode,
  utf8Encode,
} from "./bytes";
import { CryptoError, ensure } from "./errors";
import { LABEL, TAG } from "./formats";
import { decodeJsonObject, encodeJsonObject, type JsonObject } from "./json";
import { deriveSubkey } from "./kdf";
import { openFromPublicKey, sealSymmetric, sealToPublicKey } from "./envelope";
import { SIGNATURE_BYTES, signDetached, signKeyPairFromSeed, verifyDetached } from "./nacl";
import { MESSAGE_PADDING } from "./padding";
import { draw, type RandomSource } from "./random";
import { openStaffMessageAsTipster, type SealedStaffMessage } from "./messages";
import type { StaffTipKeys, TipsterTipKeys } from "./tip";

/** Why the team wrote: a message in the thread, or the note that comes with a status change. */
export type StaffMessageContext = { kind: "reply" } | { kind: "status"; status: string };

const CONTEXT_BYTE = { reply: 0x01, status: 0x02 } as const;
const MESSAGE_ID_BYTES = 16;
const MAX_STATUS_BYTES = 32;
const MAX_MEMBER_ID_BYTES = 255;

export interface StaffMessageSigner {
  /** the member id the office's approval names (the staff id) */
  readonly memberId: string;
  /** tweetnacl Ed25519 secret key (64 bytes: seed ‖ public key), as in StaffKeys */
  readonly signSecretKey: Uint8Array;
}

export interface SignedStaffMessage {
  readonly body: JsonObject;
  /** 16 random bytes, hex: the same message shown twice has the same id */
  readonly messageId: string;
  /** when the author's browser signed it (ms since the epoch) */
  readonly writtenAtMs: number;
  readonly context: StaffMessageContext;
  /** who signed: check with the office's v2 approval of (memberId, …, signPublicKey, …) */
  readonly memberId: string;
  readonly signPublicKey: Uint8Array;
}

export interface SealedSignedStaffMessage extends SealedStaffMessage {
  /** the message id (hex) inside the signed statement */
  readonly messageId: string;
}

/** HMAC(T, "crosswatch/v1/staff-message-binding"): per tip, known only to holders of its keys. */
export function staffMessageBinding(keys: TipsterTipKeys): Uint8Array {
  if (!keys) throw new CryptoError("bad_input", "tip keys required");
  return deriveSubkey(expectBytes(keys.view, 32, "tip view key"), LABEL.STAFF_MESSAGE_BINDING);
}

function contextBytes(context: StaffMessageContext): Uint8Array {
  if (!context || (context.kind !== "reply" && context.kind !== "status")) {
    throw new CryptoError("bad_input", "message context must be a reply or a status");
  }
  if (context.kind === "reply") return new Uint8Array([CONTEXT_BYTE.reply, 0]);
  ensure(
    typeof context.status === "string" && /^[a-z_]{1,32}$/.test(context.status),
    "bad_input",
    "status must be 1-32 characters a-z and _",
  );
  return concatBytes(
    new Uint8Array([CONTEXT_BYTE.status, context.status.length]),
    utf8Encode(context.status),
  );
}

/** The exact bytes the author signs (after the label): exported for vectors and the spec test. */
export function encodeStaffMessageStatement(input: {
  readonly binding: Uint8Array;
  readonly messageId: Uint8Array;
  readonly writtenAtMs: number;
  readonly context: StaffMessageContext;
  readonly memberId: string;
  readonly signPublicKey: Uint8Array;
  readonly body: JsonObject;
}): Uint8Array {
  expectBytes(input.binding, 32, "tip binding");
  expectBytes(input.messageId, MESSAGE_ID_BYTES, "message id");
  expectBytes(input.signPublicKey, 32, "sign public key");
  if (typeof input.memberId !== "string") throw new CryptoError("bad_input", "member id");
  const member = utf8Encode(input.memberId);
  ensure(
    member.length >= 1 && member.length <= MAX_MEMBER_ID_BYTES,
    "bad_length",
    "member id must be 1-255 bytes",
  );
  return concatBytes(
    new Uint8Array([TAG.STAFF_MESSAGE_STATEMENT_V1]),
    input.binding,
    input.messageId,
    uintBE(input.writtenAtMs, 8),
    contextBytes(input.context),
    u16be(member.length),
    member,
    input.signPublicKey,
    encodeJsonObject(input.body),
  );
}

function signedBytes(statement: Uint8Array): Uint8Array {
  return concatBytes(utf8Encode(LABEL.STAFF_MESSAGE_SIGNATURE), new Uint8Array([0]), statement);
}

/**
 * Seals a signed message for the tipster (0x45) and the team's copy (0x44, same JSON body, under
 * HMAC(K, staff-message-copy) as in messages.ts).
 * Random: message id (16), ephemeral secret key (32), nonce (24), then the copy's nonce (24).
 */
export function sealSignedStaffMessage(input: {
  readonly body: JsonObject;
  readonly tipsterPublicKey: Uint8Array;
  readonly keys: StaffTipKeys;
  readonly signer: StaffMessageSigner;
  readonly context: StaffMessageContext;
  readonly writtenAtMs: number;
  readonly random?: RandomSource | undefined;
}): SealedSignedStaffMessage {
  if (!input?.keys || !(input.keys.root instanceof Uint8Array)) {
    throw new CryptoError("bad_input", "staff tip keys required");
  }
  if (!input.signer) throw new CryptoError("bad_input", "signer required");
  const secret = expectBytes(input.signer.signSecretKey, 64, "signing secret key");
  const signPublicKey = signKeyPairFromSeed(secret.subarray(0, 32)).publicKey;
  const messageId = draw(input.random, MESSAGE_ID_BYTES);
  const statement = encodeStaffMessageStatement({
    binding: staffMessageBinding(input.keys),
    messageId,
    writtenAtMs: input.writtenAtMs,
    context: input.context,
    memberId: input.signer.memberId,
    signPublicKey,
    body: input.body,
  });
  const signature = signDetached(signedBytes(statement), secret);
  const forTipster = sealToPublicKey(
    TAG.SIGNED_STAFF_MESSAGE_V1,
    input.tipsterPublicKey,
    concatBytes(statement, signature),
    MESSAGE_PADDING,
    input.random,
  );
  const teamCopy = sealSymmetric(
    TAG.STAFF_MESSAGE_COPY_V1,
    deriveSubkey(expectBytes(input.keys.root, 32, "tip root key"), LABEL.STAFF_MESSAGE_COPY),
    encodeJsonObject(input.body),
    MESSAGE_PADDING,
    input.random,
  );
  return { forTipster, teamCopy, messageId: toHex(messageId) };
}

function parseStatement(statement: Uint8Array): Omit<SignedStaffMessage, "body"> & {
  binding: Uint8Array;
  bodyBytes: Uint8Array;
} {
  const min = 1 + 32 + MESSAGE_ID_BYTES + 8 + 2 + 2 + 1 + 32 + 2; // shortest: "{}" body
  ensure(statement.length >= min, "truncated", "statement too short");
  ensure(statement[0] === TAG.STAFF_MESSAGE_STATEMENT_V1, "bad_version", "unknown statement");
  let at = 1;
  const binding = statement.subarray(at, (at += 32));
  const messageId = toHex(statement.subarray(at, (at += MESSAGE_ID_BYTES)));
  const writtenAtMs = readUintBE(statement, at, 8);
  at += 8;
  const kind = statement[at++];
  const statusLength = statement[at++]!;
  let context: StaffMessageContext;
  if (kind === CONTEXT_BYTE.reply) {
    ensure(statusLength === 0, "bad_format", "a reply names no status");
    context = { kind: "reply" };
  } else if (kind === CONTEXT_BYTE.status) {
    ensure(statusLength >= 1 && statusLength <= MAX_STATUS_BYTES, "bad_format", "status length");
    ensure(at + statusLength <= statement.length, "truncated", "statement too short");
    const status = utf8Decode(statement.subarray(at, (at += statusLength)));
    ensure(/^[a-z_]+$/.test(status), "bad_format", "status characters");
    context = { kind: "status", status };
  } else {
    throw new CryptoError("bad_format", "unknown message context");
  }
  ensure(at + 2 <= statement.length, "truncated", "statement too short");
  const memberLength = readU16be(statement, at);
  at += 2;
  ensure(memberLength >= 1 && memberLength <= MAX_MEMBER_ID_BYTES, "bad_format", "member id");
  ensure(at + memberLength + 32 <= statement.length, "truncated", "statement too short");
  const memberId = utf8Decode(statement.subarray(at, (at += memberLength)));
  const signPublicKey = statement.slice(at, (at += 32));
  return {
    binding,
    messageId,
    writtenAtMs,
    context,
    memberId,
    signPublicKey,
    bodyBytes: statement.subarray(at),
  };
}

/**
 * Opens a 0x45 message with the receipt's secret key and checks everything the tipster can check
 * alone: the box (`auth_failed`), the layout (`bad_format`, `truncated`, `bad_version`), that it
 * was written for this tip (the binding, from the tip keys: `bad_signature`) and that the key it
 * names signed it (`bad_signature`). The caller must still check that `signPublicKey` is the
 * office-approved key of `memberId` (verifyStaffKeyApproval with a v2 signature).
 */
export function openSignedStaffMessage(
  blob: Uint8Array,
  receiptBoxSecretKey: Uint8Array,
  keys: TipsterTipKeys,
): SignedStaffMessage {
  const binding = staffMessageBinding(keys);
  const inner = openFromPublicKey(
    TAG.SIGNED_STAFF_MESSAGE_V1,
    receiptBoxSecretKey,
    blob,
    MESSAGE_PADDING,
    "signed staff message",
  );
  ensure(inner.length > SIGNATURE_BYTES, "truncated", "signed staff message too short");
  const statement = inner.subarray(0, inner.length - SIGNATURE_BYTES);
  const signature = inner.subarray(inner.length - SIGNATURE_BYTES);
  const parsed = parseStatement(statement);
  ensure(
    verifyDetached(signedBytes(statement), signature, parsed.signPublicKey),
    "bad_signature",
    "message signature does not verify",
  );
  let same = parsed.binding.length === binding.length;
  for (let i = 0; i < binding.length; i++) same = same && parsed.binding[i] === binding[i];
  ensure(same, "bad_signature", "message was signed for another tip");
  return {
    body: decodeJsonObject(parsed.bodyBytes),
    messageId: parsed.messageId,
    writtenAtMs: parsed.writtenAtMs,
    context: parsed.context,
    memberId: parsed.memberId,
    signPublicKey: parsed.signPublicKey,
  };
}

/**
 * Opens whatever the team sent the tipster: a signed message (0x45, checked as in
 * `openSignedStaffMessage`; `signed` says who signed what) or an old unsigned one (0x41,
 * `signed: null`: nothing vouches for its author). Other tags: `bad_version`.
 */
export function openTeamMessageAsTipster(
  blob: Uint8Array,
  receiptBoxSecretKey: Uint8Array,
  keys: TipsterTipKeys,
): { body: JsonObject; signed: SignedStaffMessage | null } {
  if (blob instanceof Uint8Array && blob[0] === TAG.STAFF_MESSAGE_V1) {
    return { body: openStaffMessageAsTipster(blob, receiptBoxSecretKey), signed: null };
  }
  const signed = openSignedStaffMessage(blob, receiptBoxSecretKey, keys);
  return { body: signed.body, signed };
}
