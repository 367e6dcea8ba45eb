/**
 * Signing the office's rosters in the office admin's browser (DESIGN §4, ADR 017). The server
 * drafts the canonical roster bytes; this module
 *
 * 1. unwraps the admin's key with their passphrase (the secret never leaves this module),
 * 2. refuses unless that key is the office key compiled into this build for their jurisdiction
 *    (a key the server hands over cannot stand in for it),
 * 3. decodes each draft's bytes and refuses unless they say exactly what the page showed (kind,
 *    roster id, districts, window, every reader's member id and role) — the admin signs what
 *    they read, not what the server might have put in the bytes,
 * 4. signs and uploads; the server verifies again under the same build key.
 */
import { officeOf } from "~/shared/trusted-offices";
import { staffApi } from "./api";
import { fetchMyKey, loadCrypto } from "./key-store";
import { WrongPassphrase } from "./keys-client";

/** What the page showed for one draft (and the bytes to sign). */
export interface ShownRoster {
  kind: string;
  rosterId: string;
  bytes: string;
  districtIds: string[];
  validFromMs: number;
  validUntilMs: number;
  readers: { memberId: string; role: string }[];
}

export class RosterSignError extends Error {
  constructor(readonly code: "not_office_key" | "mismatch" | "noKey") {
    super(code);
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/** Signs and publishes `drafts` (in order); resolves with how many were published. */
export async function signRosters(
  csrf: string,
  passphrase: string,
  jurisdictionId: string,
  drafts: readonly ShownRoster[],
): Promise<number> {
  const c = await loadCrypto();
  const office = officeOf(jurisdictionId);
  const mine = await fetchMyKey();
  if (!mine?.wrapped || !office) throw new RosterSignError("noKey");
  let keys;
  try {
    keys = await c.unwrapStaffKeys(c.base64urlDecode(mine.wrapped), passphrase);
  } catch {
    throw new WrongPassphrase("wrong");
  }
  try {
    if (c.base64urlEncode(keys.signPublicKey) !== office.signPublicKey) {
      throw new RosterSignError("not_office_key");
    }
    const signed = drafts.map((d) => {
      const bytes = c.base64urlDecode(d.bytes);
      const r = c.decodeRoster(bytes);
      const matches =
        r.kind === d.kind &&
        r.rosterId === d.rosterId &&
        r.jurisdictionId === jurisdictionId &&
        r.validFromMs === d.validFromMs &&
        r.validUntilMs === d.validUntilMs &&
        sameSet(r.districtIds, d.districtIds) &&
        sameSet(
          r.readers.map((x) => `${x.memberId} ${x.role}`),
          d.readers.map((x) => `${x.memberId} ${x.role}`),
        );
      if (!matches) throw new RosterSignError("mismatch");
      return {
        roster: d.bytes,
        signature: c.base64urlEncode(c.signRoster(bytes, keys.signSecretKey)),
      };
    });
    let published = 0;
    for (const s of signed) {
      await staffApi("/api/staff/rosters", csrf, s);
      published++;
    }
    return published;
  } finally {
    keys.boxSecretKey.fill(0);
    keys.signSecretKey.fill(0);
  }
}
