/**
 * Office approval of staff keys, as the server checks it. The office public keys are compiled
 * into the build (app/shared/trusted-offices.ts, ADR 016), never taken from the database or the
 * environment: a database-only attacker cannot add a reader (DESIGN §4).
 */
import {
  base64urlEncode,
  encodeStaffKeyApproval,
  isCryptoError,
  verifyStaffKeyApprovalSignature,
  type StaffKeyApproval,
} from "../../crypto/index";
import type { StaffKey } from "../../db/schema";
import type { ApprovalWire } from "../shared/approvals";
import type { Env } from "../env.server";
import type { VerifiableStaffKey } from "./routing.server";
import { cachedVerification } from "./verified-cache.server";

export type { ApprovalWire };

/** Office staff have no home district; the signed tuple says so with this marker. */
export const NO_HOME_DISTRICT = "-";

/**
 * What the office signs for a member's key. With `signPublicKey` the approval is v2 and also
 * vouches for the member's signing key (signed staff → tipster messages); keys registered before
 * signing keys were stored have none and can only have v1 approvals.
 */
export function approvalTuple(
  staffId: string,
  boxPublicKey: Uint8Array,
  homeDistrictId: string | null,
  validUntil: Date,
  signPublicKey?: Uint8Array | null,
): StaffKeyApproval {
  return {
    memberId: staffId,
    boxPublicKey: new Uint8Array(boxPublicKey),
    ...(signPublicKey ? { signPublicKey: new Uint8Array(signPublicKey) } : {}),
    homeDistrictId: homeDistrictId ?? NO_HOME_DISTRICT,
    validUntilMs: validUntil.getTime(),
  };
}

/**
 * The verifier `recipientsFor` needs: the key's office signature must verify under the configured
 * public key of the member's jurisdiction and still be valid at `at`. The signature check is
 * remembered by its bytes (verified-cache.server.ts): routing verifies each reader's approval
 * once, not on every report page and submission; the expiry is checked on every call.
 */
export function keySignatureVerifier(
  env: Env,
  jurisdictionOf: (staffId: string) => string | undefined | Promise<string | undefined>,
  at: Date,
) {
  return async (key: VerifiableStaffKey): Promise<boolean> => {
    // Routing hands over the jurisdiction it read with the member (a read less per key, issue 13).
    const jurisdiction = key.jurisdictionId ?? (await jurisdictionOf(key.staffId));
    const officeKey = jurisdiction ? env.officeSigningKeys[jurisdiction] : undefined;
    if (!officeKey) return false;
    if (!(at.getTime() <= key.validUntil.getTime())) return false;
    const approval = approvalTuple(
      key.staffId,
      key.boxPublicKey,
      key.homeDistrictId,
      key.validUntil,
      key.signPublicKey,
    );
    const signature = new Uint8Array(key.officeSignature);
    try {
      // The key covers every input: the v1 encoding, the signing key if any, signature, office key.
      cachedVerification(
        "staff-key-approval",
        [
          officeKey,
          signature,
          encodeStaffKeyApproval({ ...approval, signPublicKey: undefined }),
          approval.signPublicKey ?? new Uint8Array(0),
        ],
        () => verifyStaffKeyApprovalSignature(approval, signature, officeKey),
      );
      return true;
    } catch (err) {
      if (isCryptoError(err)) return false;
      throw err;
    }
  };
}

/**
 * A key's office approval as a browser needs it to check the signature itself (the report page
 * before sealing, the status page for signed messages): the signed tuple, the signature and the
 * office public key of the member's jurisdiction. null when the key has no usable approval.
 */
export function approvalWire(
  env: Env,
  staffId: string,
  jurisdictionId: string,
  key: Pick<
    StaffKey,
    "boxPublicKey" | "signPublicKey" | "signedHomeDistrictId" | "validUntil" | "officeSignature"
  >,
): ApprovalWire | null {
  const officeKey = env.officeSigningKeys[jurisdictionId];
  if (!key.officeSignature || !key.validUntil || !officeKey) return null;
  const tuple = approvalTuple(
    staffId,
    key.boxPublicKey,
    key.signedHomeDistrictId,
    key.validUntil,
    key.signPublicKey,
  );
  return {
    memberId: tuple.memberId,
    boxPublicKey: base64urlEncode(tuple.boxPublicKey),
    signPublicKey: tuple.signPublicKey ? base64urlEncode(tuple.signPublicKey) : null,
    homeDistrictId: tuple.homeDistrictId,
    validUntilMs: tuple.validUntilMs,
    signature: base64urlEncode(new Uint8Array(key.officeSignature)),
    officeKey: base64urlEncode(officeKey),
  };
}
