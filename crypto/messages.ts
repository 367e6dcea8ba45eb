/**
 * Case messages, all padded to MESSAGE_PADDING buckets (256 B … 64 KiB):
 * - staff → tipster: boxed to the tipster's receipt public key from a fresh ephemeral key (the
 *   tipster needs only the receipt), plus a team-readable copy under HMAC(K, staff-message-copy);
 * - tipster → team: secretbox under HMAC(T, tipster-message), readable by every holder of K or T;
 * - internal notes: secretbox under HMAC(K, internal-note), which the tipster cannot derive.
 */
import { expectBytes } from "./bytes";
import { CryptoError } from "./errors";
import { LABEL, TAG } from "./formats";
import { deriveSubkey } from "./kdf";
import { decodeJsonObject, encodeJsonObject, type JsonObject } from "./json";
import { openFromPublicKey, openSymmetric, sealSymmetric, sealToPublicKey } from "./envelope";
import { MESSAGE_PADDING } from "./padding";
import type { RandomSource } from "./random";
import type { StaffTipKeys, TipsterTipKeys } from "./tip";

function rootOf(keys: StaffTipKeys): Uint8Array {
  if (!keys || !(keys.root instanceof Uint8Array)) {
    throw new CryptoError("bad_input", "staff tip keys required");
  }
  return expectBytes(keys.root, 32, "tip root key");
}

function viewOf(keys: TipsterTipKeys): Uint8Array {
  if (!keys) throw new CryptoError("bad_input", "tip keys required");
  return expectBytes(keys.view, 32, "tip view key");
}

export interface SealedStaffMessage {
  /** STAFF_MESSAGE_V1: what the tipster fetches */
  readonly forTipster: Uint8Array;
  /** STAFF_MESSAGE_COPY_V1: what colleagues read in the case thread */
  readonly teamCopy: Uint8Array;
}

/** Random: ephemeral sk (32), nonce (24) for the tipster blob; then nonce (24) for the copy. */
export function sealStaffMessage(input: {
  readonly body: JsonObject;
  readonly tipsterPublicKey: Uint8Array;
  readonly keys: StaffTipKeys;
  readonly random?: RandomSource | undefined;
}): SealedStaffMessage {
  const bytes = encodeJsonObject(input.body);
  const copyKey = deriveSubkey(rootOf(input.keys), LABEL.STAFF_MESSAGE_COPY);
  const forTipster = sealToPublicKey(
    TAG.STAFF_MESSAGE_V1,
    input.tipsterPublicKey,
    bytes,
    MESSAGE_PADDING,
    input.random,
  );
  const teamCopy = sealSymmetric(
    TAG.STAFF_MESSAGE_COPY_V1,
    copyKey,
    bytes,
    MESSAGE_PADDING,
    input.random,
  );
  return { forTipster, teamCopy };
}

export function openStaffMessageAsTipster(
  blob: Uint8Array,
  receiptBoxSecretKey: Uint8Array,
): JsonObject {
  return decodeJsonObject(
    openFromPublicKey(
      TAG.STAFF_MESSAGE_V1,
      receiptBoxSecretKey,
      blob,
      MESSAGE_PADDING,
      "staff message",
    ),
  );
}

export function openStaffMessageCopy(blob: Uint8Array, keys: StaffTipKeys): JsonObject {
  const key = deriveSubkey(rootOf(keys), LABEL.STAFF_MESSAGE_COPY);
  return decodeJsonObject(
    openSymmetric(TAG.STAFF_MESSAGE_COPY_V1, key, blob, MESSAGE_PADDING, "staff message copy"),
  );
}

/** Random: nonce (24). */
export function sealTipsterMessage(input: {
  readonly body: JsonObject;
  readonly keys: TipsterTipKeys;
  readonly random?: RandomSource | undefined;
}): Uint8Array {
  const key = deriveSubkey(viewOf(input.keys), LABEL.TIPSTER_MESSAGE);
  return sealSymmetric(
    TAG.TIPSTER_MESSAGE_V1,
    key,
    encodeJsonObject(input.body),
    MESSAGE_PADDING,
    input.random,
  );
}

export function openTipsterMessage(blob: Uint8Array, keys: TipsterTipKeys): JsonObject {
  const key = deriveSubkey(viewOf(keys), LABEL.TIPSTER_MESSAGE);
  return decodeJsonObject(
    openSymmetric(TAG.TIPSTER_MESSAGE_V1, key, blob, MESSAGE_PADDING, "tipster message"),
  );
}

/** Random: nonce (24). */
export function sealInternalNote(input: {
  readonly body: JsonObject;
  readonly keys: StaffTipKeys;
  readonly random?: RandomSource | undefined;
}): Uint8Array {
  const key = deriveSubkey(rootOf(input.keys), LABEL.INTERNAL_NOTE);
  return sealSymmetric(
    TAG.INTERNAL_NOTE_V1,
    key,
    encodeJsonObject(input.body),
    MESSAGE_PADDING,
    input.random,
  );
}

export function openInternalNote(blob: Uint8Array, keys: StaffTipKeys): JsonObject {
  const key = deriveSubkey(rootOf(keys), LABEL.INTERNAL_NOTE);
  return decodeJsonObject(
    openSymmetric(TAG.INTERNAL_NOTE_V1, key, blob, MESSAGE_PADDING, "internal note"),
  );
}
