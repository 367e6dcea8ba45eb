/**
 * Office approvals of staff keys as browsers receive them, and the check the status page runs on
 * the author of every signed message (docs/crypto.md §5.6, §5.7.1). Isomorphic: crypto/ is passed
 * in, so this module never pulls it into a bundle by itself. The office key to check against is
 * the caller's choice (see `teamMessageOpener`): browsers use the key compiled into the build
 * (`trusted-offices`); `officeKey` in the wire form is only what the server says.
 */
import type * as CryptoModule from "../../crypto/index";
import type { StaffKeyApproval } from "../../crypto/index";

type Crypto = Pick<
  typeof CryptoModule,
  "base64urlDecode" | "verifyStaffKeyApproval" | "isLowOrderPublicKey"
>;

export interface ApprovalWire {
  memberId: string;
  boxPublicKey: string;
  /** set for v2 approvals, which also vouch for the member's signing key */
  signPublicKey: string | null;
  homeDistrictId: string;
  validUntilMs: number;
  signature: string;
  officeKey: string;
}

/**
 * What an approval's office signature covers, from its wire form, for the box key a reader is
 * listed with (base64url): the content `verifyStaffKeyApproval` and
 * `verifyStaffKeyApprovalSignature` check. Throws on bad base64url.
 */
export function approvalContent(
  c: Pick<Crypto, "base64urlDecode">,
  a: Pick<ApprovalWire, "memberId" | "homeDistrictId" | "validUntilMs"> & {
    signPublicKey?: string | null;
  },
  boxPublicKey: string,
): StaffKeyApproval {
  return {
    memberId: a.memberId,
    boxPublicKey: c.base64urlDecode(boxPublicKey),
    ...(a.signPublicKey ? { signPublicKey: c.base64urlDecode(a.signPublicKey) } : {}),
    homeDistrictId: a.homeDistrictId,
    validUntilMs: a.validUntilMs,
  };
}

/**
 * True when the signature over this approval verifies under `officeKey` (base64url) at `atMs`
 * and the box key is not a low-order point; with `signPublicKey`, the approval must also be v2
 * and name exactly that signing key. Never throws.
 */
export function approvalHolds(
  c: Crypto,
  a: ApprovalWire,
  officeKey: string,
  atMs: number,
  signPublicKey?: Uint8Array,
): boolean {
  try {
    const box = c.base64urlDecode(a.boxPublicKey);
    if (c.isLowOrderPublicKey(box)) return false;
    const approved = a.signPublicKey ? c.base64urlDecode(a.signPublicKey) : undefined;
    if (signPublicKey) {
      if (!approved || approved.length !== signPublicKey.length) return false;
      if (approved.some((b, i) => b !== signPublicKey[i])) return false;
    }
    const verified = c.verifyStaffKeyApproval(
      {
        memberId: a.memberId,
        boxPublicKey: box,
        ...(approved ? { signPublicKey: approved } : {}),
        homeDistrictId: a.homeDistrictId,
        validUntilMs: a.validUntilMs,
      },
      c.base64urlDecode(a.signature),
      c.base64urlDecode(officeKey),
      atMs,
    );
    return signPublicKey ? verified.coversSignKey : true;
  } catch {
    return false;
  }
}
