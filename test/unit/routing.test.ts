import { beforeEach, describe, expect, it } from "vitest";
import { KNOWN_LOW_ORDER_KEYS } from "../../crypto/index";
import { openDb, type Db, withTx } from "../../db/client";
import {
  districts,
  jurisdictions,
  recusals,
  rounds,
  staffKeys,
  staffRoles,
  staffUsers,
  stationings,
  teamMembers,
  teams,
  units,
  type StaffRole,
} from "../../db/schema";
import { seed } from "../../db/seed";
import { JINNAN_LOCAL_STAFF_ID, RECUSED_STAFF_ID } from "../../db/seed-data";
import {
  countLocalMembersExcluded,
  recipientsFor,
  type RoutingDeps,
  type VerifiableStaffKey,
} from "~/services/routing.server";

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date("2024-06-01T00:00:00Z");
const T_END = new Date(T0.getTime() + 40 * DAY);
const MID = new Date(T0.getTime() + 10 * DAY);
const at = (ms: number) => new Date(ms);

/**
 * A fake office signature: the bytes of "sig:<staff>:<box key hex>:<home>:<valid-until>".
 * The fake verifier recomputes it, so any change to a signed field breaks it, like Ed25519 would.
 */
function fakeSignature(staffId: string, box: Buffer, home: string | null, validUntil: Date) {
  return Buffer.from(`sig:${staffId}:${box.toString("hex")}:${home}:${validUntil.getTime()}`);
}
const deps: RoutingDeps = {
  verifyKeySignature: (k: VerifiableStaffKey) =>
    k.officeSignature.equals(
      fakeSignature(k.staffId, k.boxPublicKey, k.signedHomeDistrictId, k.validUntil),
    ),
};

let db: Db;
let keySeq = 0;

async function addStaff(
  id: string,
  home: string | null,
  opts: { roles?: StaffRole[]; jurisdiction?: string; disabledAt?: Date } = {},
) {
  await withTx(db, (tx) =>
    tx.insert(staffUsers).values({
      id,
      username: id,
      displayName: `name of ${id}`,
      jurisdictionId: opts.jurisdiction ?? "j",
      homeDistrictId: home,
      disabledAt: opts.disabledAt ?? null,
    }),
  );
  for (const role of opts.roles ?? ["inspector"])
    await withTx(db, (tx) => tx.insert(staffRoles).values({ staffId: id, role }));
}

/** A valid, office-signed active key unless overridden. */
async function addKey(
  staffId: string,
  home: string | null,
  o: Partial<typeof staffKeys.$inferInsert> & { badSignature?: boolean } = {},
): Promise<string> {
  keySeq += 1;
  const id = o.id ?? `key-${keySeq}`;
  const box = Buffer.alloc(32, keySeq);
  const validUntil = o.validUntil === undefined ? new Date(T0.getTime() + 365 * DAY) : o.validUntil;
  const signedHome = o.signedHomeDistrictId === undefined ? home : o.signedHomeDistrictId;
  const sig =
    validUntil === null
      ? null
      : o.badSignature
        ? Buffer.from("forged")
        : fakeSignature(staffId, box, signedHome, validUntil);
  const { badSignature: _bad, ...rest } = o;
  await withTx(db, (tx) =>
    tx.insert(staffKeys).values({
      id,
      staffId,
      boxPublicKey: box,
      wrappedSecretKey: Buffer.from("wrapped"),
      fingerprint: `fp-${id}`,
      status: "active",
      signedHomeDistrictId: signedHome,
      validUntil,
      officeSignature: sig,
      signedAt: new Date(T0.getTime() - DAY + keySeq),
      ...rest,
    }),
  );
  return id;
}

async function addMember(
  teamId: string,
  staffId: string,
  o: Partial<typeof teamMembers.$inferInsert> = {},
) {
  await withTx(db, (tx) =>
    tx.insert(teamMembers).values({ teamId, staffId, role: "member", joinedAt: T0, ...o }),
  );
}

/** Staff with a valid key, member of `teamId`. */
async function addReader(
  id: string,
  home: string | null,
  teamId?: string,
  role: StaffRole = "inspector",
) {
  await addStaff(id, home, { roles: [role] });
  await addKey(id, home);
  if (teamId) await addMember(teamId, id);
}

async function station(id: string, teamId: string, target: string, startsAt = T0, endsAt = T_END) {
  await withTx(db, (tx) =>
    tx.insert(stationings).values({ id, teamId, targetDistrictId: target, startsAt, endsAt }),
  );
}

function ids(r: Awaited<ReturnType<typeof recipientsFor>>): string[] {
  return r.ok ? r.recipients.map((x) => x.staffId).sort() : [];
}

beforeEach(async () => {
  db = await openDb(":memory:");
  keySeq = 0;
  await withTx(db, (tx) =>
    tx.insert(jurisdictions).values([
      { id: "j", nameZh: "甲市", nameEn: "J" },
      { id: "k", nameZh: "乙市", nameEn: "K" },
    ]),
  );
  await withTx(db, (tx) =>
    tx.insert(districts).values([
      { id: "a", jurisdictionId: "j", nameZh: "甲区", nameEn: "A" },
      { id: "b", jurisdictionId: "j", nameZh: "乙区", nameEn: "B" },
      { id: "c", jurisdictionId: "j", nameZh: "丙区", nameEn: "C" },
      { id: "x", jurisdictionId: "k", nameZh: "戊区", nameEn: "X" },
    ]),
  );
  await withTx(db, (tx) =>
    tx.insert(rounds).values({
      id: "r",
      jurisdictionId: "j",
      nameZh: "第一轮",
      nameEn: "R1",
      mode: "zone",
      startsAt: T0,
      endsAt: T_END,
    }),
  );
  await withTx(db, (tx) =>
    tx.insert(teams).values([
      { id: "tb", roundId: "r", nameZh: "乙区组", nameEn: "Team B", homeDistrictId: "b" },
      { id: "tc", roundId: "r", nameZh: "丙区组", nameEn: "Team C", homeDistrictId: "c" },
    ]),
  );
});

describe("recipientsFor: team members", () => {
  it("routes to the stationed team's keys and excludes members from the target district", async () => {
    await station("s1", "tb", "a");
    await addReader("lead", "b", "tb");
    await addReader("insp", "b", "tb");
    await addReader("local", "a", "tb"); // has a perfectly good key, still no envelope
    const r = await recipientsFor(db, "a", MID, deps);
    expect(r.ok && r.routedTo).toBe("team");
    expect(ids(r)).toEqual(["insp", "lead"]);
    if (!r.ok) throw new Error("unreachable");
    expect(r.notice).toBeNull();
    expect(r.stationings).toHaveLength(1);
    expect(r.stationings[0]).toMatchObject({
      stationingId: "s1",
      teamId: "tb",
      teamNameEn: "Team B",
      teamHomeDistrictId: "b",
      teamHomeDistrictNameZh: "乙区",
      roundId: "r",
      startsAt: T0,
      endsAt: T_END,
    });
    expect(r.recipients[0]).toMatchObject({ teamId: "tb", teamIds: ["tb"] });
    expect(r.recipients[0]?.fingerprint).toMatch(/^fp-/);
    expect(r.recipients[0]?.boxPublicKey).toBeInstanceOf(Buffer);
    expect(await countLocalMembersExcluded(db, "a", MID)).toBe(1);
  });

  it("excludes members with an active district recusal, but not withdrawn or unit-only ones", async () => {
    await station("s1", "tb", "a");
    await addReader("keep", "b", "tb");
    await addReader("recused", "b", "tb");
    await addReader("withdrawn", "b", "tb");
    await addReader("later-withdrawn", "b", "tb");
    await addReader("unit-only", "b", "tb");
    await addReader("other-district", "b", "tb");
    await withTx(db, (tx) =>
      tx
        .insert(units)
        .values({ id: "u1", districtId: "a", kind: "village", nameZh: "村", nameEn: "V" }),
    );
    await withTx(db, (tx) =>
      tx.insert(recusals).values([
        { id: "r1", staffId: "recused", districtId: "a", reason: "spouse" },
        {
          id: "r2",
          staffId: "withdrawn",
          districtId: "a",
          reason: "x",
          withdrawnAt: at(MID.getTime() - 1),
        },
        {
          id: "r3",
          staffId: "later-withdrawn",
          districtId: "a",
          reason: "x",
          withdrawnAt: at(MID.getTime() + 1),
        },
        { id: "r4", staffId: "unit-only", districtId: "a", unitId: "u1", reason: "x" },
        { id: "r5", staffId: "other-district", districtId: "c", reason: "x" },
      ]),
    );
    expect(ids(await recipientsFor(db, "a", MID, deps))).toEqual([
      "keep",
      "other-district",
      "unit-only",
      "withdrawn",
    ]);
    // A tip about the unit: the member recused from that unit is left out as well.
    expect(ids(await recipientsFor(db, "a", MID, deps, "u1"))).toEqual([
      "keep",
      "other-district",
      "withdrawn",
    ]);
  });

  it("a unit-level recusal applies to tips about that unit only, and to the office fallback", async () => {
    await withTx(db, (tx) =>
      tx.insert(units).values([
        { id: "u1", districtId: "a", kind: "village", nameZh: "一村", nameEn: "V1" },
        { id: "u2", districtId: "a", kind: "village", nameZh: "二村", nameEn: "V2" },
      ]),
    );
    await addStaff("office-u1", "b", { roles: ["office_admin"] });
    await addKey("office-u1", "b");
    await addStaff("office-other", "c", { roles: ["office_admin"] });
    await addKey("office-other", "c");
    await withTx(db, (tx) =>
      tx
        .insert(recusals)
        .values([
          { id: "r1", staffId: "office-u1", districtId: "a", unitId: "u1", reason: "brother" },
        ]),
    );
    // Nobody stationed in "a": the office reads, minus the admin recused from u1 for u1 tips.
    expect(ids(await recipientsFor(db, "a", MID, deps, "u1"))).toEqual(["office-other"]);
    expect(ids(await recipientsFor(db, "a", MID, deps, "u2"))).toEqual([
      "office-other",
      "office-u1",
    ]);
    expect(ids(await recipientsFor(db, "a", MID, deps, null))).toEqual([
      "office-other",
      "office-u1",
    ]);
  });

  it("uses a half-open stationing window: start inclusive, end exclusive", async () => {
    await station("s1", "tb", "a");
    await addReader("lead", "b", "tb");
    const before = await recipientsFor(db, "a", at(T0.getTime() - 1), deps);
    const atStart = await recipientsFor(db, "a", T0, deps);
    const lastMs = await recipientsFor(db, "a", at(T_END.getTime() - 1), deps);
    const atEnd = await recipientsFor(db, "a", T_END, deps);
    const after = await recipientsFor(db, "a", at(T_END.getTime() + DAY), deps);
    expect(before).toEqual({ ok: false, reason: "no_reader" });
    expect(ids(atStart)).toEqual(["lead"]);
    expect(ids(lastMs)).toEqual(["lead"]);
    expect(atEnd).toEqual({ ok: false, reason: "no_reader" });
    expect(after).toEqual({ ok: false, reason: "no_reader" });
  });

  it("unites two teams stationed in one district and lists a member of both once", async () => {
    await station("s1", "tb", "a");
    await station("s2", "tc", "a", at(T0.getTime() + DAY));
    await addReader("b-lead", "b", "tb");
    await addReader("c-lead", "c", "tc");
    await addReader("both", "c", "tb");
    await addMember("tc", "both", { role: "liaison" });
    const r = await recipientsFor(db, "a", MID, deps);
    expect(ids(r)).toEqual(["b-lead", "both", "c-lead"]);
    if (!r.ok) throw new Error("unreachable");
    expect(r.stationings.map((s) => s.stationingId)).toEqual(["s1", "s2"]);
    const both = r.recipients.filter((x) => x.staffId === "both");
    expect(both).toHaveLength(1);
    expect(both[0]?.teamIds).toEqual(["tb", "tc"]);
    expect(both[0]?.teamId).toBe("tb");
    expect(new Set(r.recipients.map((x) => x.staffKeyId)).size).toBe(3);
  });

  it("drops members who left (half-open membership) or joined later, and disabled accounts", async () => {
    await station("s1", "tb", "a");
    await addReader("stays", "b", "tb");
    await addStaff("left", "b");
    await addKey("left", "b");
    await addMember("tb", "left", { leftAt: MID });
    await addStaff("leaves-later", "b");
    await addKey("leaves-later", "b");
    await addMember("tb", "leaves-later", { leftAt: at(MID.getTime() + 1) });
    await addStaff("joins-later", "b");
    await addKey("joins-later", "b");
    await addMember("tb", "joins-later", { joinedAt: at(MID.getTime() + 1) });
    await addStaff("disabled", "b", { disabledAt: T0 });
    await addKey("disabled", "b");
    await addMember("tb", "disabled");
    expect(ids(await recipientsFor(db, "a", MID, deps))).toEqual(["leaves-later", "stays"]);
  });
});

describe("recipientsFor: key rules", () => {
  beforeEach(async () => {
    await station("s1", "tb", "a");
    await addReader("good", "b", "tb");
  });

  async function memberWithKey(id: string, key: Parameters<typeof addKey>[2]) {
    await addStaff(id, "b");
    await addMember("tb", id);
    await addKey(id, "b", key);
  }

  it("excludes revoked, pending, expired, unsigned, forged and home-mismatched keys", async () => {
    await memberWithKey("revoked-status", { status: "revoked", revokedAt: T0 });
    await memberWithKey("revoked-at", { revokedAt: T0 }); // status still says active
    await memberWithKey("pending", { status: "pending" });
    await memberWithKey("expired", { validUntil: at(MID.getTime() - 1) });
    await memberWithKey("expires-now", { validUntil: MID }); // valid-until is exclusive
    await memberWithKey("no-expiry", { validUntil: null });
    await memberWithKey("unsigned", { officeSignature: null });
    await memberWithKey("forged", { badSignature: true });
    await memberWithKey("home-mismatch", { signedHomeDistrictId: "c" }); // signed for another home
    await memberWithKey("home-unsigned", { signedHomeDistrictId: null });
    await addStaff("no-key", "b");
    await addMember("tb", "no-key");
    expect(ids(await recipientsFor(db, "a", MID, deps))).toEqual(["good"]);
  });

  it("re-checks the signed home district against the member's current home", async () => {
    // Moved from B to A after the key was signed: the key now says B, the member is local.
    await addStaff("moved", "a");
    await addMember("tb", "moved");
    await addKey("moved", "b");
    // Moved from C to B: signature says C, member now B → mismatch, no envelope.
    await addStaff("moved2", "b");
    await addMember("tb", "moved2");
    await addKey("moved2", "c");
    expect(ids(await recipientsFor(db, "a", MID, deps))).toEqual(["good"]);
  });

  it("treats a throwing verifier as a failed signature", async () => {
    const throwing: RoutingDeps = {
      verifyKeySignature: () => {
        throw new Error("bad point");
      },
    };
    expect(await recipientsFor(db, "a", MID, throwing)).toEqual({ ok: false, reason: "no_reader" });
  });

  it("passes the verifier the key with the member's home district", async () => {
    const seen: VerifiableStaffKey[] = [];
    await recipientsFor(db, "a", MID, {
      verifyKeySignature: (k) => {
        seen.push(k);
        return true;
      },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      staffId: "good",
      homeDistrictId: "b",
      signedHomeDistrictId: "b",
    });
  });

  it("never routes to a low-order X25519 key, whatever the signature check says", async () => {
    // Envelopes to such a key open with a public constant (docs/crypto.md §5.12).
    const trusting: RoutingDeps = { verifyKeySignature: () => true };
    for (const [i, hex] of KNOWN_LOW_ORDER_KEYS.entries()) {
      await memberWithKey(`low-${i}`, { boxPublicKey: Buffer.from(hex, "hex") });
    }
    expect(ids(await recipientsFor(db, "a", MID, trusting))).toEqual(["good"]);
  });

  it("uses the newest usable key of a member with several", async () => {
    const newer = await addKey("good", "b", { signedAt: at(T0.getTime() + DAY) });
    await addKey("good", "b", { signedAt: at(T0.getTime() + 2 * DAY), badSignature: true });
    const r = await recipientsFor(db, "a", MID, deps);
    expect(r.ok && r.recipients.map((x) => x.staffKeyId)).toEqual([newer]);
  });
});

describe("recipientsFor: office fallback and refusal", () => {
  it("falls back to the jurisdiction's office admins, with a notice, when nobody is stationed", async () => {
    await addStaff("office", null, { roles: ["office_admin"] });
    await addKey("office", null);
    await addStaff("office-local", "a", { roles: ["office_admin"] });
    await addKey("office-local", "a");
    await addStaff("office-recused", "b", { roles: ["office_admin"] });
    await addKey("office-recused", "b");
    await withTx(db, (tx) =>
      tx
        .insert(recusals)
        .values({ id: "r1", staffId: "office-recused", districtId: "a", reason: "x" }),
    );
    await addStaff("office-elsewhere", null, { roles: ["office_admin"], jurisdiction: "k" });
    await addKey("office-elsewhere", null);
    await addStaff("auditor", null, { roles: ["auditor"] });
    await addKey("auditor", null);
    const r = await recipientsFor(db, "a", MID, deps);
    expect(r).toMatchObject({
      ok: true,
      routedTo: "office",
      notice: "office_fallback",
      stationings: [],
    });
    expect(ids(r)).toEqual(["office"]);
    expect(r.ok && r.recipients[0]).toMatchObject({ teamId: null, teamIds: [], teamRole: null });
  });

  it("falls back to the office when the stationed team has no usable key, listing the team", async () => {
    await station("s1", "tb", "a");
    await addStaff("lead-no-key", "b");
    await addMember("tb", "lead-no-key");
    await addReader("local", "a", "tb");
    await addStaff("office", null, { roles: ["office_admin"] });
    await addKey("office", null);
    const r = await recipientsFor(db, "a", MID, deps);
    expect(r).toMatchObject({ ok: true, routedTo: "office", notice: "office_fallback" });
    expect(r.ok && r.stationings.map((s) => s.teamId)).toEqual(["tb"]);
    expect(ids(r)).toEqual(["office"]);
  });

  it("refuses with a typed reason when there is no reader at all", async () => {
    await addStaff("office-no-key", null, { roles: ["office_admin"] });
    expect(await recipientsFor(db, "a", MID, deps)).toEqual({ ok: false, reason: "no_reader" });
    expect(await recipientsFor(db, "nowhere", MID, deps)).toEqual({
      ok: false,
      reason: "unknown_district",
    });
  });
});

describe("recipientsFor on the demo data", () => {
  const NOW = new Date("2025-03-15T04:00:00Z");

  async function seeded(allKeys: boolean) {
    const result = await seed(db, {
      now: NOW,
      makeStaffKeys: (holders, { validUntil }) =>
        holders.map((h, i) => {
          const box = Buffer.alloc(32, 200 + i);
          return {
            id: `demo-key-${h.staffId}`,
            staffId: h.staffId,
            boxPublicKey: box,
            wrappedSecretKey: Buffer.from("w"),
            fingerprint: `fp-${h.staffId}`,
            status: "active" as const,
            signedHomeDistrictId: h.homeDistrictId,
            validUntil,
            officeSignature: fakeSignature(h.staffId, box, h.homeDistrictId, validUntil),
          };
        }),
    });
    if (!result.created) throw new Error("seed did not run");
    if (allKeys) {
      const holders = new Set(result.keyHolders.map((h) => h.staffId));
      for (const s of await db.select().from(staffUsers)) {
        if (!holders.has(s.id))
          await addKey(s.id, s.homeDistrictId, { validUntil: at(NOW.getTime() + 90 * DAY) });
      }
    }
    return result;
  }

  it("北辰 team reads 津南 tips; the seconded 津南 cadre never does", async () => {
    await seeded(true);
    const r = await recipientsFor(db, "tj-jinnan", NOW, deps);
    expect(r).toMatchObject({ ok: true, routedTo: "team" });
    if (!r.ok) throw new Error("unreachable");
    expect(r.stationings.map((s) => s.teamId)).toEqual(["tj-r4-team-beichen"]);
    expect(r.stationings[0]?.teamHomeDistrictNameZh).toBe("北辰区");
    expect(r.recipients).toHaveLength(6);
    expect(ids(r)).not.toContain(JINNAN_LOCAL_STAFF_ID);
    expect(await countLocalMembersExcluded(db, "tj-jinnan", NOW)).toBe(1);
    // His team is stationed only in 津南, so no other district routes to him either.
    expect(ids(await recipientsFor(db, "tj-beichen", NOW, deps))).not.toContain(
      JINNAN_LOCAL_STAFF_ID,
    );
  });

  it("with only the demo key holders keyed, 津南 tips go to bc.leader and bc.inspector1", async () => {
    await seeded(false);
    expect(ids(await recipientsFor(db, "tj-jinnan", NOW, deps))).toEqual([
      "staff-tj-beichen-inspector1",
      "staff-tj-beichen-leader",
    ]);
    // 和平区's team holds no keys yet → the Tianjin office reads, with the notice.
    const heping = await recipientsFor(db, "tj-heping", NOW, deps);
    expect(heping).toMatchObject({ ok: true, routedTo: "office", notice: "office_fallback" });
    expect(ids(heping)).toEqual(["staff-tj-office"]);
  });

  it("the recused 西青 member gets no 北辰 envelope", async () => {
    await seeded(true);
    const r = await recipientsFor(db, "tj-beichen", NOW, deps);
    expect(r.ok && r.stationings.map((s) => s.teamId)).toEqual(["tj-r4-team-xiqing"]);
    expect(ids(r)).toHaveLength(6);
    expect(ids(r)).not.toContain(RECUSED_STAFF_ID);
  });

  it("every Tianjin district is read by exactly one visiting team, never its own", async () => {
    await seeded(true);
    for (const d of (await db.select().from(districts)).filter(
      (x) => x.jurisdictionId === "tianjin",
    )) {
      const r = await recipientsFor(db, d.id, NOW, deps);
      if (!r.ok || r.routedTo !== "team") throw new Error(`${d.id} not routed to a team`);
      expect(r.stationings).toHaveLength(1);
      expect(r.stationings[0]?.teamHomeDistrictId).not.toBe(d.id);
      const homes = (
        await db.select({ id: staffUsers.id, home: staffUsers.homeDistrictId }).from(staffUsers)
      ).filter((s) => ids(r).includes(s.id));
      expect(homes.every((h) => h.home !== d.id)).toBe(true);
    }
  });

  it("雷波县: the 11 内江 cadres of the 3 mixed teams read, the 6 local cadres do not", async () => {
    await seeded(true);
    const r = await recipientsFor(db, "sc-leibo", NOW, deps);
    if (!r.ok) throw new Error("no reader");
    expect(r.stationings).toHaveLength(3);
    expect(r.recipients).toHaveLength(11);
    expect(r.recipients.every((x) => x.staffId.startsWith("staff-sc-nj-"))).toBe(true);
    expect(await countLocalMembersExcluded(db, "sc-leibo", NOW)).toBe(6);
  });

  it("宿迁 rotation: 沭阳 is read by the 宿城 team, then by the 宿豫 team after rolling on", async () => {
    const result = await seeded(true);
    const r1 = await recipientsFor(db, "js-shuyang", NOW, deps);
    expect(r1.ok && r1.stationings.map((s) => s.teamId)).toEqual(["js-r1-team-sucheng"]);
    expect(r1.ok && r1.recipients).toHaveLength(5);
    const stage2 = at(result.roundStartsAt.getTime() + 45 * DAY);
    const r2 = await recipientsFor(db, "js-shuyang", stage2, deps);
    expect(r2.ok && r2.stationings.map((s) => s.teamId)).toEqual(["js-r1-team-suyu"]);
  });

  it("after every stationing ended, tips fall back to the office", async () => {
    const result = await seeded(true);
    const late = at(result.roundStartsAt.getTime() + 81 * DAY);
    expect(await recipientsFor(db, "tj-jinnan", late, deps)).toMatchObject({
      ok: true,
      routedTo: "office",
      notice: "office_fallback",
    });
  });
});
