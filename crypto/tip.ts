/**
 * Tips: one random root key K per tip, wrapped to every recipient; the payload is sealed under a
 * subkey of the tipster view key T = HMAC(K, tipster-view), and T (not K) is wrapped to the
 * tipster, so the tipster can read the tip and its tipster thread but not internal notes.
 *
 *   K ─┬─ T = HMAC(K, "crosswatch/v1/tipster-view") ─┬─ HMAC(T, ".../payload")         tip payload
 *      │                                              └─ HMAC(T, ".../tipster-message") tipster → team
 *      ├─ HMAC(K, ".../internal-note")                                                  internal notes
 *      └─ HMAC(K, ".../staff-message-copy")                                             team copies
 *   KI ── HMAC(KI, ".../identity")                                                      identity block
 */
import { expectBytes } from "./bytes";
import { CryptoError, ensure } from "./errors";
import { LABEL, TAG } from "./formats";
import { deriveSubkey } from "./kdf";
import { decodeJsonObject, encodeJsonObject, type JsonObject } from "./json";
import {
  openManyWithEnvelopes,
  openSymmetric,
  type Result,
  toResult,
  unwrapKeysWithHandle,
  sealSymmetric,
  unwrapKey,
  wrapKey,
  wrapKeysMany,
  fixedSequence,
  type KeyPurpose,
} from "./envelope";
import { MESSAGE_PADDING, PAYLOAD_PADDING } from "./padding";
import { draw, type RandomSource } from "./random";
import { importX25519SecretKey } from "./x25519-native";

/** Keys a tipster holds for one tip (from the tipster envelope). */
export interface TipsterTipKeys {
  readonly view: Uint8Array;
}

/** Keys a staff recipient holds for one tip (from a staff envelope). */
export interface StaffTipKeys extends TipsterTipKeys {
  readonly root: Uint8Array;
}

export interface TipRecipient {
  /** opaque id the server uses to store the envelope (e.g. staff key id) */
  readonly id: string;
  readonly boxPublicKey: Uint8Array;
}

export interface RecipientEnvelope {
  readonly recipientId: string;
  readonly envelope: Uint8Array;
}

export interface SealTipInput {
  readonly payload: JsonObject;
  /** optional identity block, sealed under its own key */
  readonly identity?: JsonObject | undefined;
  readonly recipients: readonly TipRecipient[];
  /** X25519 public key derived from the receipt */
  readonly tipsterPublicKey: Uint8Array;
  readonly random?: RandomSource | undefined;
}

export interface SealedTip {
  /** TIP_PAYLOAD_V1 blob */
  readonly payload: Uint8Array;
  readonly envelopes: readonly RecipientEnvelope[];
  /** KEY_ENVELOPE_V1 (purpose tipster) wrapping T to the tipster's receipt key */
  readonly tipsterEnvelope: Uint8Array;
  readonly identity: null | {
    /** IDENTITY_V1 blob */
    readonly ciphertext: Uint8Array;
    readonly envelopes: readonly RecipientEnvelope[];
  };
}

/** Most recipients one tip may have (a team plus office fallback fits easily). */
export const MAX_RECIPIENTS = 256;

export function staffTipKeysFromRoot(root: Uint8Array): StaffTipKeys {
  expectBytes(root, 32, "tip root key");
  return { root, view: deriveSubkey(root, LABEL.TIPSTER_VIEW) };
}

/** 1 to 256 recipients, unique non-empty ids, 32-byte keys (tips and findings). */
export function checkRecipients(recipients: readonly TipRecipient[]): void {
  ensure(Array.isArray(recipients), "bad_input", "recipients must be an array");
  ensure(recipients.length >= 1, "bad_input", "a tip needs at least one recipient");
  ensure(recipients.length <= MAX_RECIPIENTS, "oversize", "too many recipients");
  const seen = new Set<string>();
  for (const r of recipients) {
    ensure(typeof r.id === "string" && r.id.length > 0, "bad_input", "recipient id missing");
    ensure(!seen.has(r.id), "bad_input", "duplicate recipient id");
    seen.add(r.id);
    expectBytes(r.boxPublicKey, 32, "recipient public key");
  }
}

/**
 * The one sealing procedure behind `sealTip` and `sealTipsMany`. `wrap` makes each key envelope
 * (at once, or later in a batch); it must draw its randomness (ephemeral sk 32, nonce 24) when
 * called, so both keep the same random consumption order.
 */
function sealTipWith<W>(
  input: Omit<SealTipInput, "random">,
  random: RandomSource | undefined,
  wrap: (key: Uint8Array, recipientPublicKey: Uint8Array, purpose: KeyPurpose) => W,
) {
  if (!input || typeof input !== "object")
    throw new CryptoError("bad_input", "seal input required");
  checkRecipients(input.recipients);
  expectBytes(input.tipsterPublicKey, 32, "tipster public key");
  const payloadBytes = encodeJsonObject(input.payload);
  const identityBytes = input.identity === undefined ? null : encodeJsonObject(input.identity);

  const keys = staffTipKeysFromRoot(draw(random, 32));
  const payload = sealSymmetric(
    TAG.TIP_PAYLOAD_V1,
    deriveSubkey(keys.view, LABEL.PAYLOAD),
    payloadBytes,
    PAYLOAD_PADDING,
    random,
  );
  const envelopes = input.recipients.map((r: TipRecipient) => ({
    recipientId: r.id,
    envelope: wrap(keys.root, r.boxPublicKey, "tip"),
  }));
  const tipsterEnvelope = wrap(keys.view, input.tipsterPublicKey, "tipster");

  let identity: {
    ciphertext: Uint8Array;
    envelopes: { recipientId: string; envelope: W }[];
  } | null = null;
  if (identityBytes) {
    const identityKey = draw(random, 32);
    const ciphertext = sealSymmetric(
      TAG.IDENTITY_V1,
      deriveSubkey(identityKey, LABEL.IDENTITY),
      identityBytes,
      MESSAGE_PADDING,
      random,
    );
    identity = {
      ciphertext,
      envelopes: input.recipients.map((r: TipRecipient) => ({
        recipientId: r.id,
        envelope: wrap(identityKey, r.boxPublicKey, "identity"),
      })),
    };
  }
  return { payload, envelopes, tipsterEnvelope, identity };
}

/**
 * Random consumption order: K (32); payload nonce (24); per recipient in order: ephemeral sk (32),
 * nonce (24); tipster envelope: ephemeral sk (32), nonce (24); then, with an identity block:
 * KI (32), identity nonce (24), per recipient ephemeral sk (32), nonce (24).
 */
export function sealTip(input: SealTipInput): SealedTip {
  const random = input && typeof input === "object" ? input.random : undefined;
  return sealTipWith(input, random, (key, pk, purpose) => wrapKey(key, pk, purpose, random));
}

/**
 * Seals many tips at once, byte-identical to calling `sealTip` on each in order with the same
 * random source: randomness is drawn in sealTip's order, and the key envelopes (two X25519
 * scalar multiplications each, the bulk of the cost) are then computed in one batch on native
 * WebCrypto X25519 where the runtime has it (tweetnacl otherwise). For tools that seal
 * thousands of tips (load generation, demo data), and for the one tip of the report page's worker
 * (app/client/worker/entry.ts), where native X25519 is quicker even for a handful of envelopes.
 */
export async function sealTipsMany(
  inputs: readonly Omit<SealTipInput, "random">[],
  random?: RandomSource,
): Promise<SealedTip[]> {
  if (!Array.isArray(inputs)) throw new CryptoError("bad_input", "inputs must be an array");
  const envelopeRandom: Uint8Array[] = [];
  const wraps: Parameters<typeof wrapKeysMany>[0][number][] = [];
  const wrapLater = (key: Uint8Array, recipientPublicKey: Uint8Array, purpose: KeyPurpose) => {
    if (random) envelopeRandom.push(draw(random, 32), draw(random, 24));
    wraps.push({ key, recipientPublicKey, purpose });
    return wraps.length - 1;
  };
  const partial = inputs.map((input) => sealTipWith(input, random, wrapLater));
  // Without an injected source wrapKeysMany draws (or has the runtime generate) its own.
  const wrapped = await wrapKeysMany(wraps, random ? fixedSequence(...envelopeRandom) : undefined);
  const at = (e: { recipientId: string; envelope: number }[]) =>
    e.map((x) => ({ recipientId: x.recipientId, envelope: wrapped[x.envelope]! }));
  return partial.map((p) => ({
    payload: p.payload,
    envelopes: at(p.envelopes),
    tipsterEnvelope: wrapped[p.tipsterEnvelope]!,
    identity: p.identity
      ? { ciphertext: p.identity.ciphertext, envelopes: at(p.identity.envelopes) }
      : null,
  }));
}

/** Staff side: unwrap K from this member's envelope. */
export function openTipKeysAsStaff(envelope: Uint8Array, boxSecretKey: Uint8Array): StaffTipKeys {
  return staffTipKeysFromRoot(unwrapKey(envelope, boxSecretKey, "tip"));
}

/** Tipster side: unwrap T from the tipster envelope with the receipt-derived secret key. */
export function openTipKeysAsTipster(
  tipsterEnvelope: Uint8Array,
  receiptBoxSecretKey: Uint8Array,
): TipsterTipKeys {
  return { view: unwrapKey(tipsterEnvelope, receiptBoxSecretKey, "tipster") };
}

/** Decrypts a TIP_PAYLOAD_V1 blob with either party's keys. */
export function openTipPayload(payload: Uint8Array, keys: TipsterTipKeys): JsonObject {
  expectBytes(keys?.view, 32, "tip view key");
  const key = deriveSubkey(keys.view, LABEL.PAYLOAD);
  return decodeJsonObject(
    openSymmetric(TAG.TIP_PAYLOAD_V1, key, payload, PAYLOAD_PADDING, "tip payload"),
  );
}

export function openTipAsStaff(input: {
  readonly payload: Uint8Array;
  readonly envelope: Uint8Array;
  readonly boxSecretKey: Uint8Array;
}): { payload: JsonObject; keys: StaffTipKeys } {
  const keys = openTipKeysAsStaff(input.envelope, input.boxSecretKey);
  return { payload: openTipPayload(input.payload, keys), keys };
}

export function openTipAsTipster(input: {
  readonly payload: Uint8Array;
  readonly tipsterEnvelope: Uint8Array;
  readonly receiptBoxSecretKey: Uint8Array;
}): { payload: JsonObject; keys: TipsterTipKeys } {
  const keys = openTipKeysAsTipster(input.tipsterEnvelope, input.receiptBoxSecretKey);
  return { payload: openTipPayload(input.payload, keys), keys };
}

/**
 * Bulk staff-side opening (e.g. a case list): unwraps every envelope (native X25519 when
 * available) and decrypts every payload. One result per item, in order; failures are typed.
 */
export async function openTipsAsStaff(
  items: readonly { readonly payload: Uint8Array; readonly envelope: Uint8Array }[],
  boxSecretKey: Uint8Array,
): Promise<Result<{ payload: JsonObject; keys: StaffTipKeys }>[]> {
  return openManyWithEnvelopes(items, boxSecretKey, "tip", (item, root) => {
    const keys = staffTipKeysFromRoot(root);
    return { payload: openTipPayload(item.payload, keys), keys };
  });
}

/**
 * A non-extractable WebCrypto handle of a staff member's X25519 secret key, for bulk opening where
 * the raw key must not go (a Web Worker: a CryptoKey can be posted to it, and script there can
 * only derive shared secrets with it, never read the key). Null when the runtime has no native
 * X25519; callers then open on the page with `openTipsAsStaff`.
 */
export async function staffOpeningKey(boxSecretKey: Uint8Array): Promise<CryptoKey | null> {
  expectBytes(boxSecretKey, 32, "secret key");
  return await importX25519SecretKey(boxSecretKey);
}

/**
 * `openTipsAsStaff` with only a `staffOpeningKey` handle: the payloads, one result per item, in
 * order. `null` marks an item whose envelope WebCrypto refused (a low-order ephemeral key): the
 * holder of the secret key opens that one with `openTipAsStaff` for the reference answer.
 */
export async function openTipPayloadsWithHandle(
  items: readonly { readonly payload: Uint8Array; readonly envelope: Uint8Array }[],
  handle: CryptoKey,
): Promise<(Result<JsonObject> | null)[]> {
  if (!Array.isArray(items)) throw new CryptoError("bad_input", "items must be an array");
  const keys = await unwrapKeysWithHandle(
    items.map((i) => (i as { envelope?: Uint8Array } | null)?.envelope as Uint8Array),
    handle,
    "tip",
  );
  return keys.map((key, n) =>
    key === null || !key.ok
      ? key
      : toResult(() => openTipPayload(items[n]!.payload, staffTipKeysFromRoot(key.value))),
  );
}

/** Unwraps the identity key KI and decrypts the identity block. */
export function openIdentity(input: {
  readonly ciphertext: Uint8Array;
  readonly envelope: Uint8Array;
  readonly boxSecretKey: Uint8Array;
}): JsonObject {
  const identityKey = unwrapKey(input.envelope, input.boxSecretKey, "identity");
  const key = deriveSubkey(identityKey, LABEL.IDENTITY);
  return decodeJsonObject(
    openSymmetric(TAG.IDENTITY_V1, key, input.ciphertext, MESSAGE_PADDING, "identity block"),
  );
}

/**
 * Shares an already-open tip with one more reader (e.g. a named local member, §5 of DESIGN):
 * a new envelope for K. Random: ephemeral sk (32), nonce (24).
 */
export function wrapTipKeyForRecipient(
  keys: StaffTipKeys,
  recipientPublicKey: Uint8Array,
  random?: RandomSource,
): Uint8Array {
  if (!keys || !(keys.root instanceof Uint8Array)) {
    throw new CryptoError("bad_input", "staff tip keys required");
  }
  return wrapKey(keys.root, recipientPublicKey, "tip", random);
}

/** Same as `wrapTipKeyForRecipient` for the identity key, after an approved reveal. */
export function rewrapIdentityKey(
  envelope: Uint8Array,
  boxSecretKey: Uint8Array,
  recipientPublicKey: Uint8Array,
  random?: RandomSource,
): Uint8Array {
  const identityKey = unwrapKey(envelope, boxSecretKey, "identity");
  return wrapKey(identityKey, recipientPublicKey, "identity", random);
}
