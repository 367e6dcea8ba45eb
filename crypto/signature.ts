/**
 * Office approval of a staff key: Ed25519 over
 *   "crosswatch/v1/staff-key-approval" ‖ 0x00 ‖ encodeStaffKeyApproval(approval)
 *
 * v2 (0x63, signature blob 0x64) — what the office signs now: the member's box key *and* signing
 * key, so a message the member signs (staff → tipster, crypto/staff-message.ts) is attributable:
 *   0x63 ‖ u16 len ‖ member id ‖ box public key (32) ‖ Ed25519 public key (32) ‖ u16 len ‖
 *   home district id ‖ valid-until ms (u64 BE)
 * v1 (0x61, signature blob 0x62) — still verified, for box keys only (readers):
 *   0x61 ‖ u16 len ‖ member id ‖ box public key (32) ‖ u16 len ‖ home district id ‖ valid-until
 *
 * Strings are used byte for byte (no normalisation); each is 1..255 bytes. The signature blob's
 * tag says which encoding was signed, so a verifier never has to guess.
 */
import { concatBytes, expectBytes, u16be, uintBE, utf8Encode } from "./bytes";
import { CryptoError, ensure } from "./errors";
import { LABEL, TAG } from "./formats";
import { SIGNATURE_BYTES, signDetached, verifyDetached } from "./nacl";
import { expectTag } from "./envelope";
import { assertUsablePublicKey } from "./public-key-check";

export interface StaffKeyApproval {
  readonly memberId: string;
  readonly boxPublicKey: Uint8Array;
  /**
   * The member's Ed25519 public key. Present: the approval is v2 and also vouches for the key
   * that signs the member's messages. Absent: v1 (box key only; kept for old signatures).
   */
  readonly signPublicKey?: Uint8Array | undefined;
  readonly homeDistrictId: string;
  /** last instant (ms since epoch, UTC) the approval is valid */
  readonly validUntilMs: number;
}

const MAX_ID_BYTES = 255;

/** UTF-8 of an id, 1-255 bytes (`bad_length` otherwise); also used for finding ids. */
export function idBytes(value: string, what: string): Uint8Array {
  if (typeof value !== "string") throw new CryptoError("bad_input", `${what} must be a string`);
  const bytes = utf8Encode(value);
  ensure(
    bytes.length >= 1 && bytes.length <= MAX_ID_BYTES,
    "bad_length",
    `${what} must be 1-255 bytes`,
  );
  return bytes;
}

/** 0x63 encoding when `signPublicKey` is given, 0x61 otherwise. */
export function encodeStaffKeyApproval(a: StaffKeyApproval): Uint8Array {
  if (!a) throw new CryptoError("bad_input", "approval required");
  const member = idBytes(a.memberId, "member id");
  const district = idBytes(a.homeDistrictId, "home district id");
  expectBytes(a.boxPublicKey, 32, "box public key");
  // Nobody can approve (or verify an approval of) a key every envelope to which is public.
  assertUsablePublicKey(a.boxPublicKey, "box public key");
  const v2 = a.signPublicKey !== undefined;
  if (v2) expectBytes(a.signPublicKey, 32, "sign public key");
  return concatBytes(
    new Uint8Array([v2 ? TAG.STAFF_APPROVAL_V2 : TAG.STAFF_APPROVAL_V1]),
    u16be(member.length),
    member,
    a.boxPublicKey,
    v2 ? a.signPublicKey! : new Uint8Array(0),
    u16be(district.length),
    district,
    uintBE(a.validUntilMs, 8),
  );
}

function signedMessage(a: StaffKeyApproval): Uint8Array {
  return concatBytes(
    utf8Encode(LABEL.STAFF_APPROVAL),
    new Uint8Array([0]),
    encodeStaffKeyApproval(a),
  );
}

/**
 * Returns the signature blob (65 bytes): 0x64 ‖ signature over the v2 encoding when the approval
 * carries `signPublicKey`, else 0x62 ‖ signature over v1. Ed25519 is deterministic: no randomness.
 */
export function signStaffKeyApproval(
  a: StaffKeyApproval,
  officeSignSecretKey: Uint8Array,
): Uint8Array {
  const signature = signDetached(signedMessage(a), officeSignSecretKey);
  const tag =
    a?.signPublicKey !== undefined
      ? TAG.STAFF_APPROVAL_SIGNATURE_V2
      : TAG.STAFF_APPROVAL_SIGNATURE_V1;
  return concatBytes(new Uint8Array([tag]), signature);
}

/** What a verified approval vouches for. */
export interface VerifiedApproval {
  /** true for a v2 approval: `a.signPublicKey` is the member's office-approved signing key */
  readonly coversSignKey: boolean;
}

/**
 * Throws `bad_signature` when the signature does not cover exactly this approval under the office
 * key, `expired` when `nowMs` is after `validUntilMs`; returns what it vouches for otherwise.
 * A v1 signature (0x62) is checked over the v1 encoding whatever `a.signPublicKey` says; a v2
 * signature (0x64) needs `a.signPublicKey` and covers it.
 */
export function verifyStaffKeyApproval(
  a: StaffKeyApproval,
  signature: Uint8Array,
  officeSignPublicKey: Uint8Array,
  nowMs: number,
): VerifiedApproval {
  const verified = verifyStaffKeyApprovalSignature(a, signature, officeSignPublicKey);
  ensure(
    typeof nowMs === "number" && nowMs <= a.validUntilMs,
    "expired",
    "staff key approval expired",
  );
  return verified;
}

/**
 * The signature half of `verifyStaffKeyApproval`, without the time check. Its outcome depends
 * only on its inputs' bytes, so a caller may remember it (the server does,
 * app/services/verified-cache.server.ts) and must then still check `validUntilMs` on every use.
 */
export function verifyStaffKeyApprovalSignature(
  a: StaffKeyApproval,
  signature: Uint8Array,
  officeSignPublicKey: Uint8Array,
): VerifiedApproval {
  if (!(signature instanceof Uint8Array)) {
    throw new CryptoError("bad_input", "approval signature must be bytes");
  }
  const v2 = signature[0] === TAG.STAFF_APPROVAL_SIGNATURE_V2;
  expectTag(
    signature,
    v2 ? TAG.STAFF_APPROVAL_SIGNATURE_V2 : TAG.STAFF_APPROVAL_SIGNATURE_V1,
    "approval signature",
  );
  ensure(signature.length >= 1 + SIGNATURE_BYTES, "truncated", "approval signature too short");
  ensure(signature.length === 1 + SIGNATURE_BYTES, "bad_length", "approval signature too long");
  expectBytes(officeSignPublicKey, 32, "office public key");
  if (!a) throw new CryptoError("bad_input", "approval required");
  if (v2) ensure(a.signPublicKey !== undefined, "bad_input", "v2 approval needs the sign key");
  const signed = v2 ? a : { ...a, signPublicKey: undefined };
  const ok = verifyDetached(signedMessage(signed), signature.subarray(1), officeSignPublicKey);
  ensure(ok, "bad_signature", "office signature does not verify");
  return { coversSignKey: v2 };
}
