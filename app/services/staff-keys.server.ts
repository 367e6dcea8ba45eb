/**
 * Office approval of staff keys, as the server checks it. The office public keys come from
 * configuration (OFFICE_SIGNING_KEYS), never from the database: a database-only attacker cannot
 * add a reader (DESIGN §4).
 */
import { isCryptoError, verifyStaffKeyApproval, type StaffKeyApproval } from "../../crypto/index";
import type { Env } from "../env.server";
import type { VerifiableStaffKey } from "./routing.server";

/** Office staff have no home district; the signed tuple says so with this marker. */
export const NO_HOME_DISTRICT = "-";

export function approvalTuple(
  staffId: string,
  boxPublicKey: Uint8Array,
  homeDistrictId: string | null,
  validUntil: Date,
): StaffKeyApproval {
  return {
    memberId: staffId,
    boxPublicKey: new Uint8Array(boxPublicKey),
    homeDistrictId: homeDistrictId ?? NO_HOME_DISTRICT,
    validUntilMs: validUntil.getTime(),
  };
}

/**
 * The verifier `recipientsFor` needs: the key's office signature must verify under the configured
 * public key of the member's jurisdiction and still be valid at `at`.
 */
export function keySignatureVerifier(
  env: Env,
  jurisdictionOf: (staffId: string) => string | undefined | Promise<string | undefined>,
  at: Date,
) {
  return async (key: VerifiableStaffKey): Promise<boolean> => {
    const jurisdiction = await jurisdictionOf(key.staffId);
    const officeKey = jurisdiction ? env.officeSigningKeys[jurisdiction] : undefined;
    if (!officeKey) return false;
    try {
      verifyStaffKeyApproval(
        approvalTuple(key.staffId, key.boxPublicKey, key.homeDistrictId, key.validUntil),
        new Uint8Array(key.officeSignature),
        officeKey,
        at.getTime(),
      );
      return true;
    } catch (err) {
      if (isCryptoError(err)) return false;
      throw err;
    }
  };
}
