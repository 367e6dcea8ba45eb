/**
 * The reader-trust policy the resident's browser and the server share (app/shared/roster-trust):
 * only rosters signed by the build's key for the office covering the district, current, newest
 * serial, and never a reader from the district itself.
 */
import { describe, expect, it } from "vitest";
import * as c from "../../crypto/index";
import { trustedReaders, type SignedRosterWire } from "~/shared/roster-trust";
import type { TrustConfig } from "~/shared/trusted-offices";

const seeded = (n: number) => c.generateStaffKeys(c.fixedRandom(new Uint8Array(64).fill(n)));
const tianjin = seeded(1);
const sichuan = seeded(2);
const trust: TrustConfig = {
  demo: true,
  offices: [
    {
      jurisdictionId: "tianjin",
      nameZh: "天津",
      nameEn: "Tianjin",
      signPublicKey: c.base64urlEncode(tianjin.signPublicKey),
      fingerprint: "",
      districts: ["tj-jinnan", "tj-beichen"],
    },
    {
      jurisdictionId: "sichuan",
      nameZh: "四川",
      nameEn: "Sichuan",
      signPublicKey: c.base64urlEncode(sichuan.signPublicKey),
      fingerprint: "",
      districts: ["sc-leibo"],
    },
  ],
};
const key = (n: number) => seeded(10 + n).boxPublicKey;
const leader = {
  memberId: "bc-leader",
  boxPublicKey: key(1),
  homeDistrictId: "tj-beichen",
  role: "leader",
} as const;
const local = {
  memberId: "bc-local",
  boxPublicKey: key(2),
  homeDistrictId: "tj-jinnan",
  role: "member",
} as const;
const T0 = 1_700_000_000_000;
const base: c.Roster = {
  kind: "team",
  jurisdictionId: "tianjin",
  rosterId: "st-beichen-jinnan",
  roundId: "tj-r4",
  serial: 1,
  issuedAtMs: T0,
  validFromMs: T0,
  validUntilMs: T0 + 40 * 86_400_000,
  districtIds: ["tj-jinnan"],
  readers: [leader, local],
};

function signed(r: c.Roster, by: c.StaffKeys = tianjin): SignedRosterWire {
  const bytes = c.encodeRoster(r);
  return {
    roster: c.base64urlEncode(bytes),
    signature: c.base64urlEncode(c.signRoster(bytes, by.signSecretKey)),
  };
}

const run = (rosters: SignedRosterWire[], districtId = "tj-jinnan", nowMs = T0 + 1000) =>
  trustedReaders(c, { rosters, districtId, nowMs, kinds: ["team", "office"] }, trust);
const readerIds = (r: ReturnType<typeof run>) => [...r.readers.values()].map((x) => x.memberId);

describe("trustedReaders", () => {
  it("takes the readers of a current roster signed by the covering office, minus locals", () => {
    const r = run([signed(base)]);
    expect(readerIds(r)).toEqual(["bc-leader"]);
    expect(r.readers.get(c.toHex(leader.boxPublicKey))).toMatchObject({
      role: "leader",
      kind: "team",
    });
    expect(r.rejected).toEqual([]);
  });

  it("refuses another office's signature even over the same bytes, and any tampering", () => {
    const forged = signed(base, sichuan);
    const tampered = { ...signed(base), roster: signed({ ...base, serial: 2 }).roster };
    const r = run([forged, tampered]);
    expect(readerIds(r)).toEqual([]);
    expect(r.rejected).toEqual([
      { index: 0, reason: "bad_signature" },
      { index: 1, reason: "bad_signature" },
    ]);
  });

  it("refuses a genuine Sichuan roster for a Tianjin district (the office does not cover it)", () => {
    const sc = signed({ ...base, jurisdictionId: "sichuan", districtIds: ["tj-jinnan"] }, sichuan);
    expect(readerIds(run([sc]))).toEqual([]);
    const own = signed({ ...base, jurisdictionId: "sichuan", districtIds: ["sc-leibo"] }, sichuan);
    expect(readerIds(run([own], "sc-leibo"))).toEqual(["bc-leader", "bc-local"]);
  });

  it("refuses rosters naming another jurisdiction, another district, or another time", () => {
    const r = run([
      signed({ ...base, jurisdictionId: "tianjin-2" }),
      signed({ ...base, districtIds: ["tj-beichen"] }),
      signed({ ...base, validFromMs: T0 + 5000 }),
      signed({ ...base, validUntilMs: T0 + 1000 }),
    ]);
    expect(readerIds(r)).toEqual([]);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      "other_office",
      "not_covering",
      "not_current",
      "not_current",
    ]);
  });

  it("uses only the newest serial of a roster: revocation by re-signing without the key", () => {
    const other = { ...leader, memberId: "bc-inspector", boxPublicKey: key(3) };
    const old = signed({ ...base, readers: [leader, other] });
    const renewed = signed({ ...base, serial: 2, readers: [other] });
    const r = run([old, renewed]);
    expect(readerIds(r)).toEqual(["bc-inspector"]);
    expect(r.rejected).toEqual([{ index: 0, reason: "superseded" }]);
  });

  it("filters by kind, refuses garbage, and trusts nothing for a district no office covers", () => {
    const body = signed({ ...base, kind: "receiving_body", roundId: "" });
    const garbage = { roster: "AAAA", signature: signed(base).signature };
    const r = run([body, garbage]);
    expect(readerIds(r)).toEqual([]);
    expect(r.rejected.map((x) => x.reason)).toEqual(["kind", "malformed"]);
    expect(run([{ roster: "%%", signature: "" }]).rejected[0]!.reason).toBe("malformed");
    expect(run([signed(base)], "tj-nowhere").rejected[0]!.reason).toBe("no_office");
  });
});
