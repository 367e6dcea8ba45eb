/**
 * First byte of every stored blob: high nibble = kind, low nibble = format version. A decoder
 * that meets an unknown first byte throws `bad_version`. Documented in docs/crypto.md §2.
 */
export const TAG = Object.freeze({
  /** recipient key envelope: tag ‖ ephemeral X25519 pk ‖ nonce ‖ box(purpose ‖ key) */
  KEY_ENVELOPE_V1: 0x11,
  /** tip payload: tag ‖ nonce ‖ secretbox(padded JSON) */
  TIP_PAYLOAD_V1: 0x21,
  /** identity block: tag ‖ nonce ‖ secretbox(padded JSON) */
  IDENTITY_V1: 0x22,
  /** wrapped staff secret keys: tag ‖ argon2 params ‖ salt ‖ nonce ‖ secretbox(secrets) */
  STAFF_KEYS_V1: 0x31,
  /** staff → tipster message: tag ‖ ephemeral pk ‖ nonce ‖ box(padded JSON) */
  STAFF_MESSAGE_V1: 0x41,
  /** tipster → team message: tag ‖ nonce ‖ secretbox(padded JSON) */
  TIPSTER_MESSAGE_V1: 0x42,
  /** internal note: tag ‖ nonce ‖ secretbox(padded JSON) */
  INTERNAL_NOTE_V1: 0x43,
  /** team-readable copy of a staff → tipster message: tag ‖ nonce ‖ secretbox(padded JSON) */
  STAFF_MESSAGE_COPY_V1: 0x44,
  /** signed staff → tipster message: tag ‖ ephemeral pk ‖ nonce ‖ box(padded statement ‖ sig) */
  SIGNED_STAFF_MESSAGE_V1: 0x45,
  /** the statement a staff member signs inside SIGNED_STAFF_MESSAGE_V1 (never stored alone) */
  STAFF_MESSAGE_STATEMENT_V1: 0x46,
  /** attachment header: tag ‖ nonce prefix ‖ secretbox(padded JSON) */
  ATTACHMENT_HEADER_V1: 0x51,
  /** attachment chunk that is not the last: tag ‖ secretbox(chunk) */
  ATTACHMENT_CHUNK_V1: 0x52,
  /** last attachment chunk: tag ‖ secretbox(chunk) */
  ATTACHMENT_FINAL_CHUNK_V1: 0x53,
  /** canonical staff-key approval (the bytes the office signs) */
  STAFF_APPROVAL_V1: 0x61,
  /** office signature over a staff-key approval: tag ‖ Ed25519 signature */
  STAFF_APPROVAL_SIGNATURE_V1: 0x62,
  /** canonical staff-key approval v2: v1 plus the member's Ed25519 public key */
  STAFF_APPROVAL_V2: 0x63,
  /** office signature over a v2 staff-key approval: tag ‖ Ed25519 signature */
  STAFF_APPROVAL_SIGNATURE_V2: 0x64,
  /** proof-of-work challenge: tag ‖ id ‖ difficulty ‖ expiry ‖ HMAC tag */
  POW_CHALLENGE_V1: 0x71,
  /** finding body (title, narrative, people named): tag ‖ nonce ‖ secretbox(padded JSON) */
  FINDING_BODY_V1: 0x81,
  /** note on a finding (outcomes, resolution details, evidence keys): tag ‖ nonce ‖ secretbox */
  FINDING_NOTE_V1: 0x82,
  /** canonical roster (who may read which districts, when; the bytes the office signs) */
  ROSTER_V1: 0x91,
  /** office signature over a roster: tag ‖ Ed25519 signature */
  ROSTER_SIGNATURE_V1: 0x92,
  /** staff keys kept for a browser tab session: tag ‖ iv ‖ AES-256-GCM(secrets) */
  SESSION_KEY_COPY_V1: 0xa1,
});

/** Domain-separation labels for HMAC-SHA256 subkeys and signatures. Never change a v1 label. */
export const LABEL = Object.freeze({
  TIPSTER_VIEW: "crosswatch/v1/tipster-view",
  PAYLOAD: "crosswatch/v1/payload",
  TIPSTER_MESSAGE: "crosswatch/v1/tipster-message",
  INTERNAL_NOTE: "crosswatch/v1/internal-note",
  STAFF_MESSAGE_COPY: "crosswatch/v1/staff-message-copy",
  IDENTITY: "crosswatch/v1/identity",
  STAFF_APPROVAL: "crosswatch/v1/staff-key-approval",
  FINGERPRINT: "crosswatch/v1/fingerprint",
  /** followed by 0x00 ‖ finding id (docs/crypto.md §5.11) */
  FINDING_BODY: "crosswatch/v1/finding-body",
  /** followed by 0x00 ‖ finding id */
  FINDING_NOTE: "crosswatch/v1/finding-note",
  ROSTER: "crosswatch/v1/roster",
  SESSION_KEY_COPY: "crosswatch/v1/session-key-copy",
  STAFF_MESSAGE_SIGNATURE: "crosswatch/v1/staff-message",
  STAFF_MESSAGE_BINDING: "crosswatch/v1/staff-message-binding",
});
