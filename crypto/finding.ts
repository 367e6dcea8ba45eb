/**
 * Findings (DESIGN §4): the structured fields statistics need stay in clear on the server; the
 * title, narrative and named people are sealed here. Same envelope scheme as tips, own key tree:
 *
 *   F (32 random bytes per finding, wrapped with purpose 0x04 to every reader)
 *   ├─ HMAC(F, "crosswatch/v1/finding-body" ‖ 0x00 ‖ finding id)   finding body (0x81)
 *   └─ HMAC(F, "crosswatch/v1/finding-note" ‖ 0x00 ‖ finding id)   finding notes (0x82):
 *        transfer notes, outcome notes, resolution details and evidence-file keys, look-back notes
 *
 * Binding the finding id into both subkeys means a body (with its envelopes) moved under another
 * finding's id no longer opens: the server cannot show one finding's story under another's
 * numbers. Readers: the team's readers and the office at creation; a clue transfer adds the
 * receiving body's receivers later by re-wrapping F in a browser that holds it
 * (`wrapFindingKeyForRecipient`), so nothing is re-encrypted.
 */
import { concatBytes, expectBytes, utf8Encode } from "./bytes";
import { CryptoError } from "./errors";
import { LABEL, TAG } from "./formats";
import { decodeJsonObject, encodeJsonObject, type JsonObject } from "./json";
import {
  fixedSequence,
  openManyWithEnvelopes,
  openSymmetric,
  type Result,
  sealSymmetric,
  unwrapKey,
  wrapKey,
  wrapKeysMany,
} from "./envelope";
import { MESSAGE_PADDING, PAYLOAD_PADDING } from "./padding";
import { draw, type RandomSource } from "./random";
import { hmacSha256 } from "./sha256";
import { idBytes } from "./signature";
import { checkRecipients, type RecipientEnvelope, type TipRecipient } from "./tip";

/** The key a reader holds for one finding (from its envelope). */
export interface FindingKeys {
  readonly findingId: string;
  readonly root: Uint8Array;
}

export interface SealedFinding {
  /** FINDING_BODY_V1 blob */
  readonly body: Uint8Array;
  /** KEY_ENVELOPE_V1 blobs (purpose finding), one per recipient, in the given order */
  readonly envelopes: readonly RecipientEnvelope[];
  /** F, for sealing notes in the same browser session right away */
  readonly keys: FindingKeys;
}

/** HMAC(F, label ‖ 0x00 ‖ UTF-8 finding id). */
function findingSubkey(keys: FindingKeys, label: string): Uint8Array {
  if (!keys || typeof keys !== "object")
    throw new CryptoError("bad_input", "finding keys required");
  expectBytes(keys.root, 32, "finding key");
  const id = idBytes(keys.findingId, "finding id");
  return hmacSha256(keys.root, concatBytes(utf8Encode(label), new Uint8Array([0]), id));
}

export function findingKeysFromRoot(findingId: string, root: Uint8Array): FindingKeys {
  idBytes(findingId, "finding id");
  expectBytes(root, 32, "finding key");
  return { findingId, root };
}

function sealBody(bodyBytes: Uint8Array, keys: FindingKeys, random: RandomSource | undefined) {
  return sealSymmetric(
    TAG.FINDING_BODY_V1,
    findingSubkey(keys, LABEL.FINDING_BODY),
    bodyBytes,
    PAYLOAD_PADDING,
    random,
  );
}

/**
 * Seals a new finding for its first readers.
 * Random consumption order: F (32); body nonce (24); per recipient in order: ephemeral sk (32),
 * nonce (24).
 */
export function sealFinding(input: {
  readonly findingId: string;
  readonly body: JsonObject;
  readonly recipients: readonly TipRecipient[];
  readonly random?: RandomSource | undefined;
}): SealedFinding {
  if (!input || typeof input !== "object")
    throw new CryptoError("bad_input", "seal input required");
  checkRecipients(input.recipients);
  idBytes(input.findingId, "finding id");
  const bodyBytes = encodeJsonObject(input.body); // bad input fails before randomness is drawn
  const keys = findingKeysFromRoot(input.findingId, draw(input.random, 32));
  const body = sealBody(bodyBytes, keys, input.random);
  const envelopes = input.recipients.map((r) => ({
    recipientId: r.id,
    envelope: wrapKey(keys.root, r.boxPublicKey, "finding", input.random),
  }));
  return { body, envelopes, keys };
}

/**
 * Seals many findings at once (bulk import, demo seeding), byte-identical to calling
 * `sealFinding` on each in order with the same random source; the envelopes' X25519 steps run on
 * native WebCrypto where available.
 */
export async function sealFindingsMany(
  inputs: readonly {
    readonly findingId: string;
    readonly body: JsonObject;
    readonly recipients: readonly TipRecipient[];
  }[],
  random?: RandomSource,
): Promise<SealedFinding[]> {
  if (!Array.isArray(inputs)) throw new CryptoError("bad_input", "inputs must be an array");
  const bodies = inputs.map((input) => {
    checkRecipients(input.recipients);
    idBytes(input.findingId, "finding id");
    return encodeJsonObject(input.body);
  });
  // Draw in sealFinding's order (F, body nonce, then per recipient ephemeral key and nonce);
  // the envelopes are computed afterwards in one batch from the recorded envelope randomness.
  const envelopeRandom: Uint8Array[] = [];
  const wraps: { key: Uint8Array; recipientPublicKey: Uint8Array; purpose: "finding" }[] = [];
  const partial = inputs.map((input, i) => {
    const keys = findingKeysFromRoot(input.findingId, draw(random, 32));
    const body = sealBody(bodies[i]!, keys, random);
    for (const r of input.recipients) {
      if (random) envelopeRandom.push(draw(random, 32), draw(random, 24));
      wraps.push({ key: keys.root, recipientPublicKey: r.boxPublicKey, purpose: "finding" });
    }
    return { keys, body };
  });
  // Without an injected source wrapKeysMany draws (or has the runtime generate) its own.
  const envelopes = await wrapKeysMany(
    wraps,
    random ? fixedSequence(...envelopeRandom) : undefined,
  );
  let at = 0;
  return partial.map(({ keys, body }, i) => ({
    keys,
    body,
    envelopes: inputs[i]!.recipients.map((r: TipRecipient) => ({
      recipientId: r.id,
      envelope: envelopes[at++]!,
    })),
  }));
}

/** A new body blob under the same F (an edit): every reader keeps access. Random: nonce (24). */
export function resealFindingBody(input: {
  readonly body: JsonObject;
  readonly keys: FindingKeys;
  readonly random?: RandomSource | undefined;
}): Uint8Array {
  return sealBody(encodeJsonObject(input.body), input.keys, input.random);
}

/** Unwraps F from one reader's envelope. */
export function openFindingKeys(
  findingId: string,
  envelope: Uint8Array,
  boxSecretKey: Uint8Array,
): FindingKeys {
  return findingKeysFromRoot(findingId, unwrapKey(envelope, boxSecretKey, "finding"));
}

export function openFindingBody(body: Uint8Array, keys: FindingKeys): JsonObject {
  const key = findingSubkey(keys, LABEL.FINDING_BODY);
  return decodeJsonObject(
    openSymmetric(TAG.FINDING_BODY_V1, key, body, PAYLOAD_PADDING, "finding body"),
  );
}

export function openFinding(input: {
  readonly findingId: string;
  readonly body: Uint8Array;
  readonly envelope: Uint8Array;
  readonly boxSecretKey: Uint8Array;
}): { body: JsonObject; keys: FindingKeys } {
  const keys = openFindingKeys(input.findingId, input.envelope, input.boxSecretKey);
  return { body: openFindingBody(input.body, keys), keys };
}

/** Bulk opening (a team's or a receiver's list): one typed result per item, in order. */
export async function openFindingsAsStaff(
  items: readonly {
    readonly findingId: string;
    readonly body: Uint8Array;
    readonly envelope: Uint8Array;
  }[],
  boxSecretKey: Uint8Array,
): Promise<Result<{ body: JsonObject; keys: FindingKeys }>[]> {
  return openManyWithEnvelopes(items, boxSecretKey, "finding", (item, root) => {
    const keys = findingKeysFromRoot(item.findingId, root);
    return { body: openFindingBody(item.body, keys), keys };
  });
}

/**
 * One more reader for an open finding (a receiving body's receiver after a clue transfer, a new
 * team member): a new envelope of F. Random: ephemeral sk (32), nonce (24).
 */
export function wrapFindingKeyForRecipient(
  keys: FindingKeys,
  recipientPublicKey: Uint8Array,
  random?: RandomSource,
): Uint8Array {
  if (!keys || !(keys.root instanceof Uint8Array)) {
    throw new CryptoError("bad_input", "finding keys required");
  }
  expectBytes(keys.root, 32, "finding key");
  return wrapKey(keys.root, recipientPublicKey, "finding", random);
}

/** A note on a finding (outcome note, resolution details, evidence keys). Random: nonce (24). */
export function sealFindingNote(input: {
  readonly body: JsonObject;
  readonly keys: FindingKeys;
  readonly random?: RandomSource | undefined;
}): Uint8Array {
  return sealSymmetric(
    TAG.FINDING_NOTE_V1,
    findingSubkey(input.keys, LABEL.FINDING_NOTE),
    encodeJsonObject(input.body),
    MESSAGE_PADDING,
    input.random,
  );
}

export function openFindingNote(blob: Uint8Array, keys: FindingKeys): JsonObject {
  const key = findingSubkey(keys, LABEL.FINDING_NOTE);
  return decodeJsonObject(
    openSymmetric(TAG.FINDING_NOTE_V1, key, blob, MESSAGE_PADDING, "finding note"),
  );
}
