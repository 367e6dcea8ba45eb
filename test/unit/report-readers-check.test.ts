/**
 * The report worker's reader checks (app/client/worker/entry.ts `checkReaders`), run once while
 * the resident writes (`readers.check`) and again at the seal: the office signatures it verified
 * are remembered by their exact inputs, so the second run must still refuse anything the first
 * would have refused — a changed byte of an approval or roster, another reader key under a
 * remembered approval, an approval past its valid-until, a roster outside its window.
 */
import { describe, expect, it } from "vitest";
import * as c from "../../crypto/index";
import { checkReaders, WorkError, type ReaderWire } from "~/client/worker/entry";
import type { SignedRosterWire } from "~/shared/roster-trust";
import type { TrustConfig } from "~/shared/trusted-offices";

const seeded = (n: number) => c.generateStaffKeys(c.fixedRandom(new Uint8Array(64).fill(n)));
const office = seeded(41);
const trust: TrustConfig = {
  demo: true,
  offices: [
    {
      jurisdictionId: "tianjin",
      nameZh: "天津",
      nameEn: "Tianjin",
      signPublicKey: c.base64urlEncode(office.signPublicKey),
      fingerprint: "",
      districts: ["tj-jinnan", "tj-beichen"],
    },
  ],
};
const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const member = seeded(42);
const other = seeded(43);

function reader(keys: c.StaffKeys, validUntilMs = T0 + 30 * DAY): ReaderWire {
  const approval = {
    memberId: "bc-leader",
    boxPublicKey: keys.boxPublicKey,
    signPublicKey: keys.signPublicKey,
    homeDistrictId: "tj-beichen",
    validUntilMs,
  };
  return {
    staffKeyId: "k1",
    boxPublicKey: c.base64urlEncode(keys.boxPublicKey),
    approval: {
      memberId: approval.memberId,
      signPublicKey: c.base64urlEncode(keys.signPublicKey),
      homeDistrictId: approval.homeDistrictId,
      validUntilMs,
      signature: c.base64urlEncode(c.signStaffKeyApproval(approval, office.signSecretKey)),
      officeKey: c.base64urlEncode(office.signPublicKey),
    },
  };
}

function roster(keys: c.StaffKeys, validUntilMs = T0 + 40 * DAY): SignedRosterWire {
  const bytes = c.encodeRoster({
    kind: "team",
    jurisdictionId: "tianjin",
    rosterId: "st-beichen-jinnan",
    roundId: "tj-r4",
    serial: 1,
    issuedAtMs: T0,
    validFromMs: T0,
    validUntilMs,
    districtIds: ["tj-jinnan"],
    readers: [
      {
        memberId: "bc-leader",
        boxPublicKey: keys.boxPublicKey,
        homeDistrictId: "tj-beichen",
        role: "leader",
      },
    ],
  });
  return {
    roster: c.base64urlEncode(bytes),
    signature: c.base64urlEncode(c.signRoster(bytes, office.signSecretKey)),
  };
}

const check = (readers: ReaderWire[], rosters: SignedRosterWire[], nowMs = T0 + DAY) =>
  checkReaders(c, "tj-jinnan", readers, rosters, nowMs, trust);
const refused = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return e instanceof WorkError && e.code === "unverified";
  }
  return false;
};
const flip = (b64: string, at: number) => {
  const bytes = c.base64urlDecode(b64);
  bytes[at] = bytes[at]! ^ 1;
  return c.base64urlEncode(bytes);
};

describe("checkReaders with remembered signatures", () => {
  it("passes twice, and refuses every change after a pass", () => {
    const r = reader(member);
    const ros = roster(member);
    check([r], [ros]);
    check([r], [ros]); // from the memo

    // A changed byte of the approval's signature, or of the roster or its signature.
    expect(
      refused(() =>
        check(
          [{ ...r, approval: { ...r.approval!, signature: flip(r.approval!.signature, 10) } }],
          [ros],
        ),
      ),
    ).toBe(true);
    expect(refused(() => check([r], [{ ...ros, signature: flip(ros.signature, 10) }]))).toBe(true);
    expect(refused(() => check([r], [{ ...ros, roster: flip(ros.roster, 40) }]))).toBe(true);
    // Another reader key under the remembered approval (and listed in a signed roster).
    const swapped = { ...r, boxPublicKey: c.base64urlEncode(other.boxPublicKey) };
    expect(refused(() => check([swapped], [ros, roster(other)]))).toBe(true);
    // A different valid-until under the same signature.
    expect(
      refused(() =>
        check([{ ...r, approval: { ...r.approval!, validUntilMs: T0 + 90 * DAY } }], [ros]),
      ),
    ).toBe(true);
    // Time: the approval past its valid-until, the roster past its window — both remembered.
    expect(refused(() => check([r], [ros], T0 + 31 * DAY))).toBe(true);
    const shortRoster = roster(member, T0 + 2 * DAY);
    check([r], [shortRoster]);
    expect(refused(() => check([r], [shortRoster], T0 + 3 * DAY))).toBe(true);
    // And the honest pair still passes after all the refusals.
    check([r], [ros]);
  });
});
