/**
 * Which reader keys may receive a tip about a district right now (DESIGN §4, §5; docs/crypto.md
 * §5.13) — the one policy the resident's browser runs before sealing and the server runs when
 * routing. A key is trusted for district D at time t only if it is listed in a roster that
 *
 * 1. verifies under the office key compiled into this build for the office covering D
 *    (`trusted-offices.ts`) — not a key from the response, not another office's key;
 * 2. names that office's jurisdiction and lists D;
 * 3. is valid at t (valid-from ≤ t < valid-until);
 * 4. has the highest serial among the given rosters with its kind and id (a re-signed roster
 *    without a revoked key supersedes the old one);
 * 5. and the reader's signed home district is not D.
 *
 * The crypto module is passed in so the browser can keep loading it lazily.
 */
import type * as CryptoModule from "../../crypto/index";
import { officeCovering, TRUST, type TrustConfig } from "./trusted-offices";

type Crypto = Pick<
  typeof CryptoModule,
  "base64urlDecode" | "verifyRoster" | "toHex" | "isCryptoError"
>;
type Roster = CryptoModule.Roster;

/** A signed roster as it travels: canonical bytes and the office signature, base64url. */
export interface SignedRosterWire {
  roster: string;
  signature: string;
}

export interface TrustedReader {
  memberId: string;
  boxPublicKey: Uint8Array;
  homeDistrictId: string;
  role: CryptoModule.RosterRole;
  kind: CryptoModule.RosterKind;
  rosterId: string;
  serial: number;
}

export type RosterRejection =
  | "no_office"
  | "malformed"
  | "bad_signature"
  | "other_office"
  | "not_covering"
  | "not_current"
  | "superseded"
  | "kind";

export interface TrustResult {
  /** hex of the box public key → the reader as the office signed it */
  readers: Map<string, TrustedReader>;
  /** why each roster that contributed nothing was set aside (same order as the input) */
  rejected: { index: number; reason: RosterRejection }[];
  /** rosters accepted, for display (kind, id, serial, window) */
  accepted: Roster[];
}

export function trustedReaders(
  c: Crypto,
  input: {
    rosters: readonly SignedRosterWire[];
    districtId: string;
    nowMs: number;
    kinds: readonly CryptoModule.RosterKind[];
  },
  trust: TrustConfig = TRUST,
): TrustResult {
  const rejected: TrustResult["rejected"] = [];
  const office = officeCovering(input.districtId, trust);
  if (!office) {
    return {
      readers: new Map(),
      rejected: input.rosters.map((_, index) => ({ index, reason: "no_office" as const })),
      accepted: [],
    };
  }
  const officeKey = c.base64urlDecode(office.signPublicKey);
  const valid: { index: number; roster: Roster }[] = [];
  input.rosters.forEach((wire, index) => {
    let roster: Roster;
    try {
      roster = c.verifyRoster(
        c.base64urlDecode(wire.roster),
        c.base64urlDecode(wire.signature),
        officeKey,
      );
    } catch (e) {
      const reason = c.isCryptoError(e, "bad_signature") ? "bad_signature" : "malformed";
      rejected.push({ index, reason });
      return;
    }
    if (roster.jurisdictionId !== office.jurisdictionId)
      rejected.push({ index, reason: "other_office" });
    else if (!input.kinds.includes(roster.kind)) rejected.push({ index, reason: "kind" });
    else if (!roster.districtIds.includes(input.districtId))
      rejected.push({ index, reason: "not_covering" });
    else if (!(roster.validFromMs <= input.nowMs && input.nowMs < roster.validUntilMs))
      rejected.push({ index, reason: "not_current" });
    else valid.push({ index, roster });
  });
  const newest = new Map<string, number>();
  for (const { roster } of valid) {
    const key = `${roster.kind}\u0000${roster.rosterId}`;
    newest.set(key, Math.max(newest.get(key) ?? -1, roster.serial));
  }
  const readers = new Map<string, TrustedReader>();
  const accepted: Roster[] = [];
  for (const { index, roster } of valid) {
    if (roster.serial < newest.get(`${roster.kind}\u0000${roster.rosterId}`)!) {
      rejected.push({ index, reason: "superseded" });
      continue;
    }
    accepted.push(roster);
    for (const r of roster.readers) {
      if (r.homeDistrictId === input.districtId) continue;
      const hex = c.toHex(r.boxPublicKey);
      if (!readers.has(hex)) {
        readers.set(hex, {
          ...r,
          kind: roster.kind,
          rosterId: roster.rosterId,
          serial: roster.serial,
        });
      }
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  return { readers, rejected, accepted };
}
