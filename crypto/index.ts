/**
 * Crosswatch crypto, protocol v1 — the whole public API. Isomorphic (Node 20 and browsers), pure,
 * and the only way app/, server/ and scripts/ touch cryptography. Formats: docs/crypto.md.
 */
export { CryptoError, isCryptoError, type CryptoErrorCode } from "./errors";
export {
  base64urlDecode,
  base64urlEncode,
  concatBytes,
  fromHex,
  toHex,
  utf8Decode,
  utf8Encode,
} from "./bytes";
export { fixedRandom, pooledRandom, systemRandom, type RandomSource } from "./random";
export { TAG, LABEL } from "./formats";
export type { JsonObject } from "./json";

export {
  CURRENT_RECEIPT_KDF_VERSION,
  RECEIPT_KDF,
  RECEIPT_KDF_TRY_ORDER,
  RECEIPT_KDF_VERSIONS,
  STAFF_PASSPHRASE_KDF,
  UNSAFE_TEST_KDF,
  useArgon2LaneHelpers,
  prepareArgon2Lanes,
  argon2idLastThreads,
  type Argon2LaneHelpers,
  type Argon2Params,
  type ReceiptKdfVersion,
} from "./kdf";
export { argon2idFillLane, type Argon2LaneJob } from "./argon2-lanes";
export { MESSAGE_PADDING, PAYLOAD_PADDING, HEADER_PADDING, type PaddingScheme } from "./padding";
export { sha256, hmacSha256 } from "./sha256";

export {
  generateStaffKeys,
  wrapStaffKeys,
  wrapStaffKeysMany,
  unwrapStaffKeys,
  rewrapStaffKeys,
  wrappedStaffKeysParams,
  WRAPPED_STAFF_KEYS_BYTES,
  type StaffKeys,
  type WrapOptions,
} from "./staff-keys";

export {
  encodeStaffKeyApproval,
  signStaffKeyApproval,
  verifyStaffKeyApproval,
  verifyStaffKeyApprovalSignature,
  type StaffKeyApproval,
  type VerifiedApproval,
} from "./signature";

export {
  encodeRoster,
  decodeRoster,
  signRoster,
  verifyRoster,
  ROSTER_KINDS,
  ROSTER_ROLES,
  MAX_ROSTER_DISTRICTS,
  MAX_ROSTER_READERS,
  ROSTER_SIGNATURE_BYTES,
  type Roster,
  type RosterKind,
  type RosterReader,
  type RosterRole,
} from "./roster";

export { KEY_ENVELOPE_BYTES, type Result } from "./envelope";
export {
  sealTip,
  sealTipsMany,
  openTipAsStaff,
  openTipsAsStaff,
  openTipPayloadsWithHandle,
  staffOpeningKey,
  openTipAsTipster,
  openTipKeysAsStaff,
  openTipKeysAsTipster,
  openTipPayload,
  staffTipKeysFromRoot,
  openIdentity,
  wrapTipKeyForRecipient,
  rewrapIdentityKey,
  MAX_RECIPIENTS,
  type SealTipInput,
  type SealedTip,
  type TipRecipient,
  type RecipientEnvelope,
  type StaffTipKeys,
  type TipsterTipKeys,
} from "./tip";

export {
  generateReceipt,
  parseReceipt,
  formatReceipt,
  dammCheckDigit,
  deriveReceiptKeys,
  authLookupHash,
  RECEIPT_DIGITS,
  type ReceiptKeys,
} from "./receipt";

export {
  sealStaffMessage,
  openStaffMessageAsTipster,
  openStaffMessageCopy,
  sealTipsterMessage,
  openTipsterMessage,
  sealInternalNote,
  openInternalNote,
  type SealedStaffMessage,
} from "./messages";

export {
  sealSignedStaffMessage,
  openSignedStaffMessage,
  openTeamMessageAsTipster,
  encodeStaffMessageStatement,
  staffMessageBinding,
  type SignedStaffMessage,
  type SealedSignedStaffMessage,
  type StaffMessageContext,
  type StaffMessageSigner,
} from "./staff-message";

export {
  createAttachmentEncryptor,
  createAttachmentDecryptor,
  openAttachmentHeader,
  encryptAttachment,
  decryptAttachment,
  ATTACHMENT_CHUNK_BYTES,
  MAX_ATTACHMENT_BYTES,
  type AttachmentMeta,
  type AttachmentEncryptor,
  type AttachmentDecryptor,
  type EncryptedAttachment,
} from "./attachment";

export {
  issuePowChallenge,
  parsePowChallenge,
  solvePow,
  solvePowSync,
  powEngine,
  type PowEngine,
  verifyPow,
  DEFAULT_POW_DIFFICULTY,
  MAX_POW_DIFFICULTY,
  type PowChallenge,
  type PowSpentStore,
} from "./pow";

export { fingerprint } from "./fingerprint";

export {
  sealFinding,
  sealFindingsMany,
  resealFindingBody,
  openFinding,
  openFindingKeys,
  openFindingBody,
  openFindingsAsStaff,
  wrapFindingKeyForRecipient,
  sealFindingNote,
  openFindingNote,
  findingKeysFromRoot,
  type FindingKeys,
  type SealedFinding,
} from "./finding";

export {
  isLowOrderPublicKey,
  assertUsablePublicKey,
  KNOWN_LOW_ORDER_KEYS,
  LOW_ORDER_CHECK_SCALAR,
} from "./public-key-check";

export {
  newSessionWrapKey,
  importSessionWrapKey,
  sealSessionCopy,
  openSessionCopy,
  SESSION_COPY_BYTES,
} from "./session-copy";
