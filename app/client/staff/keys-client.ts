/**
 * Key management in the browser: make and wrap a new key, change the passphrase (re-wrap),
 * sign a member's key as the office, and re-wrap existing tips' keys to a new teammate.
 * Secrets never leave this module unwrapped.
 */
import { staffApi } from "./api";
import { fetchMyKey, loadCrypto, lockKey, type UnlockedKey } from "./key-store";

export async function createMyKey(csrf: string, passphrase: string) {
  const c = await loadCrypto();
  const keys = c.generateStaffKeys();
  const wrapped = await c.wrapStaffKeys(keys, passphrase);
  keys.boxSecretKey.fill(0);
  keys.signSecretKey.fill(0);
  return staffApi(`/api/staff/keys`, csrf, {
    op: "create",
    boxPublicKey: c.base64urlEncode(keys.boxPublicKey),
    signPublicKey: c.base64urlEncode(keys.signPublicKey),
    wrapped: c.base64urlEncode(wrapped),
  });
}

export class WrongPassphrase extends Error {
  readonly code = "wrong";
}

export async function changePassphrase(csrf: string, oldPass: string, newPass: string) {
  const c = await loadCrypto();
  const key = await fetchMyKey();
  if (!key?.wrapped) throw new Error("noKey");
  let wrapped: Uint8Array;
  try {
    wrapped = await c.rewrapStaffKeys(c.base64urlDecode(key.wrapped), oldPass, newPass);
  } catch {
    throw new WrongPassphrase("wrong");
  }
  return staffApi(`/api/staff/keys`, csrf, { op: "rewrap", wrapped: c.base64urlEncode(wrapped) });
}

export async function revokeMyKey(csrf: string) {
  lockKey();
  return staffApi(`/api/staff/keys`, csrf, { op: "revoke" });
}

/**
 * Office admin: unwrap my own (office) key, sign the member's approval tuple, upload. The tuple
 * names both of the member's public keys (a v2 approval), so the member's signed messages to
 * tipsters can be checked against it.
 */
export async function signMemberKey(
  csrf: string,
  passphrase: string,
  member: {
    keyId: string;
    staffId: string;
    boxPublicKey: string;
    signPublicKey: string | null;
    homeDistrictId: string | null;
  },
  validDays: number,
) {
  const c = await loadCrypto();
  const mine = await fetchMyKey();
  if (!mine?.wrapped) throw new Error("noKey");
  let office;
  try {
    office = await c.unwrapStaffKeys(c.base64urlDecode(mine.wrapped), passphrase);
  } catch {
    throw new WrongPassphrase("wrong");
  }
  const validUntilMs = Date.now() + validDays * 86_400_000;
  const signature = c.signStaffKeyApproval(
    {
      memberId: member.staffId,
      boxPublicKey: c.base64urlDecode(member.boxPublicKey),
      ...(member.signPublicKey ? { signPublicKey: c.base64urlDecode(member.signPublicKey) } : {}),
      // Same marker as approvalTuple() on the server for members without a home district.
      homeDistrictId: member.homeDistrictId ?? "-",
      validUntilMs,
    },
    office.signSecretKey,
  );
  office.boxSecretKey.fill(0);
  office.signSecretKey.fill(0);
  return staffApi(`/api/staff/keys/${member.keyId}/approve`, csrf, {
    signature: c.base64urlEncode(signature),
    validUntilMs,
  });
}

export interface PendingGrant {
  staffId: string;
  name: string;
  staffKeyId: string;
  boxPublicKey: string;
  tips: { tipId: string; envelope: string }[];
}

export async function fetchPendingGrants(): Promise<PendingGrant[]> {
  return (await staffApi<{ pending: PendingGrant[] }>("/api/staff/grants", "")).pending;
}

/** Opens my envelope of each tip and wraps its key to the newcomer, in one batch. */
export async function grantTo(csrf: string, mine: UnlockedKey, grant: PendingGrant) {
  const c = await loadCrypto();
  const recipient = c.base64urlDecode(grant.boxPublicKey);
  const envelopes = grant.tips.map((t) => {
    const keys = c.openTipKeysAsStaff(c.base64urlDecode(t.envelope), mine.keys.boxSecretKey);
    return {
      tipId: t.tipId,
      envelope: c.base64urlEncode(c.wrapTipKeyForRecipient(keys, recipient)),
    };
  });
  return staffApi<{ added: number }>("/api/staff/grants", csrf, {
    staffKeyId: grant.staffKeyId,
    envelopes,
  });
}
