/**
 * Deciding, in the tipster's browser, whether a message "from the team" is genuine
 * (docs/crypto.md §5.7.1). A message is shown as genuine only when all of these hold:
 * 1. it is the signed format and its Ed25519 signature verifies under the key it names;
 * 2. it was signed for this tip (the binding only holders of this tip's keys can compute);
 * 3. the office approved exactly that signing key for the member it names (a v2 approval whose
 *    office signature verifies and which was valid when the message was written);
 * 4. it appears where it was written for: a reply in the thread, or the note of that status;
 * 5. it has not been shown already (the same message id twice).
 * Anything else is shown as not genuine, without its text (an old unsigned message's text can
 * still be revealed on request). The server supplies the approvals and the signer's role; it
 * cannot make a forged message pass, only withhold messages.
 */
import type * as CryptoModule from "../../../crypto/index";
import type { TipsterTipKeys } from "../../../crypto/index";
import { approvalHolds, type ApprovalWire } from "../../shared/approvals";
import type { CaseOpeners, CaseWire, SignatureView, TeamMessagePlace } from "./model";

type Crypto = typeof CryptoModule;

/**
 * `officeKeys(approval)`: the office public keys (base64url) an approval may be signed by. The
 * trust root: it must come from the build, not from the response (DESIGN §4).
 */
export function teamMessageOpener(
  c: Crypto,
  receiptBoxSecretKey: Uint8Array,
  tipKeys: TipsterTipKeys,
  signers: CaseWire["signers"],
  officeKeys: (approval: ApprovalWire) => readonly string[],
): CaseOpeners["fromTeam"] {
  const seen = new Set<string>();
  return (blobText: string, place: TeamMessagePlace) => {
    const unverified = (reason: Extract<SignatureView, { state: "unverified" }>["reason"]) => ({
      state: "unverified" as const,
      reason,
    });
    let opened: ReturnType<Crypto["openTeamMessageAsTipster"]>;
    try {
      opened = c.openTeamMessageAsTipster(
        c.base64urlDecode(blobText),
        receiptBoxSecretKey,
        tipKeys,
      );
    } catch {
      return { body: null, signature: unverified("invalid") };
    }
    const signed = opened.signed;
    if (!signed) return { body: opened.body, signature: unverified("unsigned") };

    const signer = Object.prototype.hasOwnProperty.call(signers, signed.memberId)
      ? signers[signed.memberId]
      : undefined;
    const approval = signer?.approvals.find(
      (a) =>
        a.memberId === signed.memberId &&
        officeKeys(a).some((key) =>
          approvalHolds(c, a, key, signed.writtenAtMs, signed.signPublicKey),
        ),
    );
    if (!signer || !approval) return { body: null, signature: unverified("unknownSigner") };

    const samePlace =
      signed.context.kind === place.kind &&
      (place.kind === "reply" ||
        (signed.context.kind === "status" && signed.context.status === place.status));
    if (!samePlace) return { body: null, signature: unverified("wrongPlace") };
    if (seen.has(signed.messageId)) return { body: null, signature: unverified("duplicate") };
    seen.add(signed.messageId);

    return {
      body: opened.body,
      signature: {
        state: "verified" as const,
        fingerprint: c.fingerprint(c.base64urlDecode(approval.boxPublicKey)),
        role: signer.role,
        team: signer.team,
        writtenAt: new Date(signed.writtenAtMs).toISOString(),
      },
    };
  };
}
