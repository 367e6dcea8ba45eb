/**
 * Office approval of a staff key: Ed25519 over
 *   "crosswatch/v1/staff-key-approval" ‖ 0x00 ‖ encodeStaffKeyApproval(approval)
 * where the encoding is
 *   0x61 ‖ u16 BE len ‖ member id (UTF-8) ‖ box public key (32) ‖ u16 BE len ‖ home district id
 *   (UTF-8) ‖ valid-until ms since the Unix epoch (u64 BE).
 * Strings are used byte for byte (no normalisation); each is 1..255 bytes.
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

export function encodeStaffKeyApproval(a: StaffKeyApproval): Uint8Array {
  if (!a) throw new CryptoError("bad_input", "approval required");
  const member = idBytes(a.memberId, "member id");
  const district = idBytes(a.homeDistrictId, "home district id");
  expectBytes(a.boxPublicKey, 32, "box public key");
  // Nobody can approve (or verify an approval of) a key every envelope to which is public.
  assertUsablePublicKey(a.boxPublicKey, "box public key");
  return concatBytes(
    new Uint8Array([TAG.STAFF_APPROVAL_V1]),
    u16be(member.length),
    member,
    a.boxPublicKey,
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

/** Returns 0x62 ‖ signature (65 bytes). Ed25519 is deterministic: no randomness. */
export function signStaffKeyApproval(
  a: StaffKeyApproval,
  officeSignSecretKey: Uint8Array,
): Uint8Array {
  const signature = signDetached(signedMessage(a), officeSignSecretKey);
  return concatBytes(new Uint8Array([TAG.STAFF_APPROVAL_SIGNATURE_V1]), signature);
}

/**
 * Throws `bad_signature` when the signature does not cover exactly this approval under the office
 * key, `expired` when `nowMs` is after `validUntilMs`; returns normally when the key may be used.
 */
export function verifyStaffKeyApproval(
  a: StaffKeyApproval,
  signature: Uint8Array,
  officeSignPublicKey: Uint8Array,
  nowMs: number,
): void {
  expectTag(signature, TAG.STAFF_APPROVAL_SIGNATURE_V1, "approval signature");
  ensure(signature.length >= 1 + SIGNATURE_BYTES, "truncated", "approval signature too short");
  ensure(signature.length === 1 + SIGNATURE_BYTES, "bad_length", "approval signature too long");
  expectBytes(officeSignPublicKey, 32, "office public key");
  const ok = verifyDetached(signedMessage(a), signature.subarray(1), officeSignPublicKey);
  ensure(ok, "bad_signature", "office signature does not verify");
  ensure(
    typeof nowMs === "number" && nowMs <= a.validUntilMs,
    "expired",
    "staff key approval expired",
  );
}
