/** Drafting rosters: who a stationing's roster lists and who is left out, before signing. */
import { describe, expect, it } from "vitest";
import * as c from "../../crypto/index";
import { bodyRoster, officeRoster, teamRoster, type RosterCandidate } from "~/shared/rosters";

const key = (n: number) => new Uint8Array(32).fill(n);
const member = (
  id: string,
  home: string | null,
  extra: Partial<RosterCandidate> = {},
): RosterCandidate => ({
  memberId: id,
  boxPublicKey: key(id.length),
  homeDistrictId: home,
  role: "member",
  recusedDistrictIds: [],
  ...extra,
});

const stationing = {
  jurisdictionId: "tianjin",
  roundId: "tj-r4",
  stationingId: "st-beichen-jinnan",
  targetDistrictId: "tj-jinnan",
  startsAtMs: 1000,
  endsAtMs: 2000,
  serial: 1,
  issuedAtMs: 900,
};

describe("teamRoster", () => {
  it("lists the team's readers and says who is left out and why", () => {
    const draft = teamRoster({
      ...stationing,
      members: [
        member("leader", "tj-beichen", { role: "leader" }),
        member("local", "tj-jinnan"),
        member("recused", "tj-beichen", { recusedDistrictIds: ["tj-jinnan"] }),
        member("nokey", "tj-beichen", { boxPublicKey: null }),
        member("unit-recused", "tj-beichen"),
      ],
    });
    expect(draft.leftOut).toEqual([
      { memberId: "local", why: "home" },
      { memberId: "recused", why: "recused" },
      { memberId: "nokey", why: "no_key" },
    ]);
    const roster = draft.roster!;
    expect(roster).toMatchObject({
      kind: "team",
      rosterId: "st-beichen-jinnan",
      districtIds: ["tj-jinnan"],
      validFromMs: 1000,
      validUntilMs: 2000,
    });
    expect(roster.readers.map((r) => [r.memberId, r.role])).toEqual([
      ["leader", "leader"],
      ["unit-recused", "member"],
    ]);
    // It is exactly what gets signed.
    expect(c.decodeRoster(c.encodeRoster(roster)).readers).toHaveLength(2);
  });

  it("drafts no roster when nobody could read", () => {
    const draft = teamRoster({ ...stationing, members: [member("local", "tj-jinnan")] });
    expect(draft.roster).toBeNull();
  });
});

describe("officeRoster", () => {
  it("covers the office's districts and keeps admins without a home district as '-'", () => {
    const draft = officeRoster({
      jurisdictionId: "tianjin",
      districtIds: ["tj-jinnan", "tj-beichen"],
      validFromMs: 0,
      validUntilMs: 10,
      serial: 3,
      issuedAtMs: 0,
      readers: [member("tj.office", null, { role: "office" })],
    });
    expect(draft.roster).toMatchObject({ kind: "office", rosterId: "office-tianjin", serial: 3 });
    expect(draft.roster!.readers[0]!.homeDistrictId).toBe("-");
  });
});

describe("bodyRoster", () => {
  const body = {
    jurisdictionId: "tianjin",
    bodyId: "tj-jinnan-jw",
    districtIds: ["tj-jinnan"],
    validFromMs: 0,
    validUntilMs: 10,
    serial: 2,
    issuedAtMs: 0,
  };

  it("lists the body's receivers, local ones too (a district's commission takes its clues)", () => {
    const draft = bodyRoster({
      ...body,
      receivers: [
        member("jn.commission", "tj-jinnan", { role: "receiver" }),
        member("jn.nokey", "tj-jinnan", { role: "receiver", boxPublicKey: null }),
      ],
    });
    expect(draft.leftOut).toEqual([{ memberId: "jn.nokey", why: "no_key" }]);
    expect(draft.roster).toMatchObject({
      kind: "receiving_body",
      rosterId: "tj-jinnan-jw",
      roundId: "",
      districtIds: ["tj-jinnan"],
      serial: 2,
    });
    expect(draft.roster!.readers.map((r) => [r.memberId, r.role, r.homeDistrictId])).toEqual([
      ["jn.commission", "receiver", "tj-jinnan"],
    ]);
    expect(c.decodeRoster(c.encodeRoster(draft.roster!)).kind).toBe("receiving_body");
  });

  it("drafts no roster for a body nobody could receive for", () => {
    expect(bodyRoster({ ...body, receivers: [] }).roster).toBeNull();
  });
});
