import { eq, isNotNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { openDb, withTx, type Db } from "../../db/client";
import {
  districts,
  jurisdictions,
  recusals,
  rounds,
  staffKeys,
  staffRoles,
  staffUsers,
  stationingUnits,
  stationings,
  teamMembers,
  teams,
  units,
  zones,
} from "../../db/schema";
import { demoRoundStart, isSeeded, seed, SeedRefused } from "../../db/seed";
import { JINNAN_LOCAL_STAFF_ID, RECUSED_STAFF_ID } from "../../db/seed-data";
import { verifyPassword } from "~/services/passwords.server";

const NOW = new Date("2025-03-15T04:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const TABLES = {
  jurisdictions,
  zones,
  districts,
  units,
  rounds,
  teams,
  staffUsers,
  staffRoles,
  teamMembers,
  stationings,
  stationingUnits,
  recusals,
  staffKeys,
};

let db: Db;
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(TABLES)) counts[name] = await db.$count(table);
  return counts;
}

beforeEach(async () => {
  db = await openDb(":memory:");
});

describe("seed: mechanics", () => {
  it("creates everything once, then changes nothing", async () => {
    expect(await isSeeded(db)).toBe(false);
    const first = await seed(db, { now: NOW, demoPassword: "demo-pass" });
    expect(first.created).toBe(true);
    if (!first.created) throw new Error("unreachable");
    expect(first.counts).toEqual({
      jurisdictions: 3,
      zones: 5,
      districts: 23,
      units: 63,
      rounds: 3,
      teams: 24,
      staff: 159,
      teamMembers: 154,
      stationings: 29,
      stationingUnits: 69,
      recusals: 1,
      passwords: 9,
      staffKeys: 0,
    });
    const before = await rowCounts();
    const leaderHash = (
      await db
        .select({ h: staffUsers.passwordHash })
        .from(staffUsers)
        .where(eq(staffUsers.username, "bc.leader"))
        .limit(1)
    )[0]?.h;

    const second = await seed(db, { now: new Date(NOW.getTime() + 5 * DAY), demoPassword: "x" });
    expect(second).toEqual({ created: false });
    expect(await rowCounts()).toEqual(before);
    expect(
      (
        await db
          .select({ h: staffUsers.passwordHash })
          .from(staffUsers)
          .where(eq(staffUsers.username, "bc.leader"))
          .limit(1)
      )[0]?.h,
    ).toBe(leaderHash);
    expect(await isSeeded(db)).toBe(true);
  });

  it("gives the demo password to the 9 demo logins only", async () => {
    const result = await seed(db, { now: NOW, demoPassword: "demo-pass" });
    if (!result.created) throw new Error("unreachable");
    const withPassword = await db
      .select({ username: staffUsers.username, hash: staffUsers.passwordHash })
      .from(staffUsers)
      .where(isNotNull(staffUsers.passwordHash));
    const expected = [
      "bc.inspector1",
      "bc.leader",
      "bc.local",
      "jn.commission",
      "js.office",
      "nj.t3.leader",
      "sc.office",
      "tj.auditor",
      "tj.office",
    ];
    expect(withPassword.map((r) => r.username).sort()).toEqual(expected);
    expect(result.logins.map((l) => l.username).sort()).toEqual(expected);
    const hash = withPassword.find((r) => r.username === "bc.local")?.hash ?? null;
    expect(await verifyPassword(hash, "demo-pass")).toBe(true);
    expect(await verifyPassword(hash, "wrong")).toBe(false);
    // Salts differ per account.
    expect(new Set(withPassword.map((r) => r.hash)).size).toBe(9);

    const local = result.logins.find((l) => l.staffId === JINNAN_LOCAL_STAFF_ID);
    expect(local).toMatchObject({
      username: "bc.local",
      teamId: "tj-r4-team-beichen",
      homeDistrictId: "tj-jinnan",
      homeDistrictNameZh: "津南区",
      roles: ["inspector"],
    });
    expect(result.logins.find((l) => l.username === "tj.office")).toMatchObject({
      roles: ["office_admin"],
      teamId: null,
      homeDistrictId: null,
    });
    for (const l of result.logins) expect(l.description.length).toBeGreaterThan(0);
  });

  it("sets no password at all without demoPassword", async () => {
    await seed(db, { now: NOW });
    expect(await db.select().from(staffUsers).where(isNotNull(staffUsers.passwordHash))).toEqual(
      [],
    );
  });

  it("hands the key holders to the makeStaffKeys hook and stores its rows", async () => {
    const result = await seed(db, {
      now: NOW,
      makeStaffKeys: (holders, ctx) => {
        expect(ctx.validUntil.getTime()).toBeGreaterThan(NOW.getTime());
        return holders.map((h) => ({
          staffId: h.staffId,
          id: `k-${h.staffId}`,
          boxPublicKey: Buffer.alloc(32),
          wrappedSecretKey: Buffer.alloc(8),
          fingerprint: "fp",
          signedHomeDistrictId: h.homeDistrictId,
        }));
      },
    });
    if (!result.created) throw new Error("unreachable");
    expect(result.keyHolders.map((h) => h.username).sort()).toEqual([
      "bc.inspector1",
      "bc.leader",
      "bc.local",
      "jn.commission",
      "js.office",
      "nj.t3.leader",
      "sc.office",
      "tj.office",
    ]);
    expect(result.counts.staffKeys).toBe(8);
    expect(await db.select().from(staffKeys)).toHaveLength(8);
  });

  it("is all or nothing: a failing row rolls the whole seed back", async () => {
    await expect(
      seed(db, {
        now: NOW,
        makeStaffKeys: () => [
          {
            staffId: "no-such-staff", // foreign key violation inside the transaction
            id: "k",
            boxPublicKey: Buffer.alloc(32),
            wrappedSecretKey: Buffer.alloc(8),
            fingerprint: "fp",
          },
        ],
      }),
    ).rejects.toThrow();
    expect(await isSeeded(db)).toBe(false);
    expect(Object.values(await rowCounts()).every((n) => n === 0)).toBe(true);
  });
});

describe("seed: only ever into an empty database (issue 11 item 8)", () => {
  it("refuses a database holding a real staff account, and adds nothing", async () => {
    await withTx(db, async (tx) => {
      await tx
        .insert(jurisdictions)
        .values({ id: "real-office", nameZh: "某省", nameEn: "Office" });
      await tx.insert(staffUsers).values({
        id: "staff-real",
        username: "real.inspector",
        displayName: "真实巡察员",
        jurisdictionId: "real-office",
        createdAt: NOW,
      });
    });
    const before = await rowCounts();
    await expect(seed(db, { now: NOW, demoPassword: "published" })).rejects.toBeInstanceOf(
      SeedRefused,
    );
    expect(await rowCounts()).toEqual(before);
    expect(await isSeeded(db)).toBe(false);
  });

  it("a demo database (seed marker present) stays a demo database", async () => {
    expect((await seed(db, { now: NOW })).created).toBe(true);
    expect((await seed(db, { now: NOW })).created).toBe(false);
  });
});

describe("seed: demo facts (DESIGN §2)", () => {
  beforeEach(async () => {
    await seed(db, { now: NOW });
  });

  it("Tianjin: 16 districts in the three zones of round 4", async () => {
    const tjZones = await db.select().from(zones).where(eq(zones.jurisdictionId, "tianjin"));
    expect(tjZones.map((z) => z.id)).toEqual(["tj-zone-inner", "tj-zone-ring", "tj-zone-outer"]);
    const names = async (zoneId: string) =>
      (
        await db
          .select()
          .from(districts)
          .where(eq(districts.zoneId, zoneId))
          .orderBy(districts.sortOrder)
      ).map((d) => d.nameZh);
    expect(await names("tj-zone-inner")).toEqual([
      "和平区",
      "河东区",
      "河西区",
      "南开区",
      "河北区",
      "红桥区",
    ]);
    expect(await names("tj-zone-ring")).toEqual(["东丽区", "西青区", "津南区", "北辰区"]);
    expect(await names("tj-zone-outer")).toEqual([
      "滨海新区",
      "武清区",
      "宝坻区",
      "宁河区",
      "静海区",
      "蓟州区",
    ]);
    expect(
      (await db.select().from(districts).where(eq(districts.id, "tj-binhai")).limit(1))[0]?.nameEn,
    ).toBe("Binhai New Area");
    expect(
      (await db.select().from(districts).where(eq(districts.id, "tj-heping")).limit(1))[0]?.nameEn,
    ).toBe("Heping District");
  });

  it("Tianjin round 4: zone mode, 78 indicators, 16 teams × 7 = 112 cadres", async () => {
    const round = (await db.select().from(rounds).where(eq(rounds.id, "tj-r4")).limit(1))[0];
    expect(round).toMatchObject({
      mode: "zone",
      indicatorCount: 78,
      nameZh: "天津市第四轮提级交叉巡察（统配巡）",
    });
    const tjTeams = await db.select().from(teams).where(eq(teams.roundId, "tj-r4"));
    expect(tjTeams).toHaveLength(16);
    const members = await db
      .select()
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teams.roundId, "tj-r4"));
    expect(members).toHaveLength(112);
    expect(new Set(members.map((m) => m.team_members.staffId)).size).toBe(112);
    for (const t of tjTeams) {
      const roles = members
        .filter((m) => m.teams.id === t.id)
        .map((m) => m.team_members.role)
        .sort();
      expect(roles).toEqual([
        "leader",
        "liaison",
        "member",
        "member",
        "member",
        "member",
        "member",
      ]);
    }
    expect(tjTeams.find((t) => t.id === "tj-r4-team-beichen")?.nameZh).toMatch(
      /^天津市第四轮第.+巡察组（北辰区）$/,
    );
  });

  it("Tianjin: in-zone circulation, no team at home, every district visited once, 北辰 → 津南", async () => {
    const rows = await db
      .select({ st: stationings, team: teams, home: districts })
      .from(stationings)
      .innerJoin(teams, eq(teams.id, stationings.teamId))
      .innerJoin(districts, eq(districts.id, teams.homeDistrictId))
      .where(eq(teams.roundId, "tj-r4"));
    expect(rows).toHaveLength(16);
    const targets = new Set<string>();
    for (const { st, team, home } of rows) {
      expect(st.targetDistrictId).not.toBe(team.homeDistrictId);
      const target = (
        await db.select().from(districts).where(eq(districts.id, st.targetDistrictId)).limit(1)
      )[0];
      expect(target?.zoneId).toBe(home.zoneId);
      targets.add(st.targetDistrictId);
      expect(st.dutyPhone).toMatch(/^022-\d{8}$/);
      expect(st.letterBoxZh).toBeTruthy();
      expect(st.letterBoxEn).toBeTruthy();
      expect(st.authorisedByZh).toBe(`${target?.nameZh}委`);
      // The stationing covers every unit of its target district.
      const covered = (
        await db.select().from(stationingUnits).where(eq(stationingUnits.stationingId, st.id))
      )
        .map((u) => u.unitId)
        .sort();
      const inTarget = (
        await db.select().from(units).where(eq(units.districtId, st.targetDistrictId))
      )
        .map((u) => u.id)
        .sort();
      expect(covered).toEqual(inTarget);
      expect(covered.length).toBeGreaterThan(0);
    }
    expect(targets.size).toBe(16);
    const beichen = rows.find((r) => r.team.id === "tj-r4-team-beichen");
    expect(beichen?.st.targetDistrictId).toBe("tj-jinnan");
    expect(beichen?.st.authorisedByZh).toBe("津南区委");
  });

  it("Tianjin: 30 villages and 24 communities, 韩城桥村 in 津南区", async () => {
    const tjUnits = (
      await db
        .select({ u: units })
        .from(units)
        .innerJoin(districts, eq(districts.id, units.districtId))
        .where(eq(districts.jurisdictionId, "tianjin"))
    ).map((r) => r.u);
    expect(tjUnits.filter((u) => u.kind === "village")).toHaveLength(30);
    expect(tjUnits.filter((u) => u.kind === "community")).toHaveLength(24);
    expect(tjUnits).toHaveLength(54);
    expect(tjUnits.find((u) => u.id === "tj-jinnan-hanchengqiao")).toMatchObject({
      districtId: "tj-jinnan",
      kind: "village",
      nameZh: "韩城桥村",
    });
    const perDistrict = new Set(tjUnits.map((u) => u.districtId));
    expect(perDistrict.size).toBe(16);
  });

  it("Tianjin staff: homes equal the team's district except the seconded 津南 cadre", async () => {
    const rows = await db
      .select({ staff: staffUsers, team: teams })
      .from(teamMembers)
      .innerJoin(staffUsers, eq(staffUsers.id, teamMembers.staffId))
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teams.roundId, "tj-r4"));
    const outsiders = rows.filter((r) => r.staff.homeDistrictId !== r.team.homeDistrictId);
    expect(outsiders.map((r) => [r.staff.id, r.team.id, r.staff.homeDistrictId])).toEqual([
      [JINNAN_LOCAL_STAFF_ID, "tj-r4-team-beichen", "tj-jinnan"],
    ]);
    for (const r of rows) expect(r.staff.username).toMatch(/^[a-z]+\.[a-z0-9.-]+$/);
    expect(rows.find((r) => r.staff.username === "bc.inspector1")).toBeTruthy();
  });

  it("Tianjin: a member recused from the district his team is stationed in", async () => {
    const rec = await db.select().from(recusals);
    expect(rec).toHaveLength(1);
    expect(rec[0]).toMatchObject({ staffId: RECUSED_STAFF_ID, unitId: null, withdrawnAt: null });
    const team = (
      await db
        .select({ teamId: teamMembers.teamId })
        .from(teamMembers)
        .where(eq(teamMembers.staffId, RECUSED_STAFF_ID))
        .limit(1)
    )[0];
    expect(team?.teamId).not.toBe("tj-r4-team-beichen");
    const st = (
      await db
        .select()
        .from(stationings)
        .where(eq(stationings.teamId, team?.teamId ?? ""))
        .limit(1)
    )[0];
    expect(st?.targetDistrictId).toBe(rec[0]?.districtId);
  });

  it("offices: Tianjin office admin, 津南 commission receiver, auditor; one office per province", async () => {
    const roleOf = (username: string) =>
      db
        .select({
          role: staffRoles.role,
          home: staffUsers.homeDistrictId,
          j: staffUsers.jurisdictionId,
        })
        .from(staffUsers)
        .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
        .where(eq(staffUsers.username, username));
    expect(await roleOf("tj.office")).toEqual([{ role: "office_admin", home: null, j: "tianjin" }]);
    expect(await roleOf("jn.commission")).toEqual([
      { role: "commission_receiver", home: "tj-jinnan", j: "tianjin" },
    ]);
    expect(await roleOf("tj.auditor")).toEqual([{ role: "auditor", home: null, j: "tianjin" }]);
    expect(await roleOf("sc.office")).toEqual([{ role: "office_admin", home: null, j: "sichuan" }]);
    expect(await roleOf("js.office")).toEqual([{ role: "office_admin", home: null, j: "jiangsu" }]);
  });

  it("Sichuan: 11 内江 cadres in 3 mixed teams with 雷波 locals, dual leaders, one unit each", async () => {
    expect(
      (await db.select().from(rounds).where(eq(rounds.jurisdictionId, "sichuan")).limit(1))[0]
        ?.mode,
    ).toBe("assistance");
    const rows = await db
      .select({ m: teamMembers, s: staffUsers, t: teams })
      .from(teamMembers)
      .innerJoin(staffUsers, eq(staffUsers.id, teamMembers.staffId))
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teams.roundId, "sc-r1"));
    expect(new Set(rows.map((r) => r.t.id)).size).toBe(3);
    expect(rows.filter((r) => r.s.homeDistrictId === "sc-neijiang")).toHaveLength(11);
    const locals = rows.filter((r) => r.s.homeDistrictId === "sc-leibo");
    expect(locals.length).toBeGreaterThan(0);
    for (const teamId of new Set(rows.map((r) => r.t.id))) {
      const team = rows.filter((r) => r.t.id === teamId);
      expect(team[0]?.t.homeDistrictId).toBeNull();
      const leader = team.find((r) => r.m.role === "leader");
      const deputy = team.find((r) => r.m.role === "deputy_leader");
      expect(leader?.s.homeDistrictId).toBe("sc-neijiang");
      expect(deputy?.s.homeDistrictId).toBe("sc-leibo");
      const liaisons = team.filter((r) => r.m.role === "liaison").map((r) => r.s.homeDistrictId);
      expect(liaisons.sort()).toEqual(["sc-leibo", "sc-neijiang"]);
      // Every member's office is on record; the visitors of a team come from several offices.
      expect(team.filter((r) => !r.s.homeOrganisation)).toEqual([]);
      const visitingOffices = new Set(
        team.filter((r) => r.s.homeDistrictId === "sc-neijiang").map((r) => r.s.homeOrganisation),
      );
      expect(visitingOffices.size).toBeGreaterThan(1);
      expect([...visitingOffices].every((o) => o!.endsWith("巡察办"))).toBe(true);
    }
    const covered = await db
      .select({ st: stationings, unit: units })
      .from(stationingUnits)
      .innerJoin(stationings, eq(stationings.id, stationingUnits.stationingId))
      .innerJoin(units, eq(units.id, stationingUnits.unitId))
      .where(eq(stationings.targetDistrictId, "sc-leibo"));
    expect(covered.map((c) => c.unit.nameZh).sort()).toEqual(
      ["雷波县公安局", "雷波县统计局", "雷波民族中学"].sort(),
    );
    expect(new Set(covered.map((c) => c.st.id)).size).toBe(3);
    expect(covered.find((c) => c.unit.id === "sc-leibo-minzu-school")?.unit.kind).toBe("school");
    expect(
      (await db.select().from(zones).where(eq(zones.id, "sc-zone-liangshan")).limit(1))[0]?.nameZh,
    ).toBe("凉山州");
  });

  it("Jiangsu: 宿迁 rotation, whole teams roll on across counties, 沭阳县人民法院", async () => {
    expect(
      (await db.select().from(rounds).where(eq(rounds.jurisdictionId, "jiangsu")).limit(1))[0]
        ?.mode,
    ).toBe("rotation");
    const js = await db.select().from(districts).where(eq(districts.jurisdictionId, "jiangsu"));
    expect(js.map((d) => d.nameZh).sort()).toEqual(
      ["沭阳县", "泗阳县", "泗洪县", "宿豫区", "宿城区"].sort(),
    );
    expect(
      (await db.select().from(units).where(eq(units.id, "js-shuyang-court")).limit(1))[0],
    ).toMatchObject({
      districtId: "js-shuyang",
      kind: "court",
      nameZh: "沭阳县人民法院",
    });
    const jsTeams = await db.select().from(teams).where(eq(teams.roundId, "js-r1"));
    expect(jsTeams).toHaveLength(5);
    for (const t of jsTeams) {
      const st = await db.select().from(stationings).where(eq(stationings.teamId, t.id));
      expect(st).toHaveLength(2);
      const targets = st.map((s) => s.targetDistrictId);
      expect(new Set(targets).size).toBe(2); // rolls on: two different counties
      expect(targets).not.toContain(t.homeDistrictId);
      const [a, b] = st.sort((x, y) => x.startsAt.getTime() - y.startsAt.getTime());
      expect(a?.endsAt.getTime()).toBe(b?.startsAt.getTime());
    }
  });

  it("places every round around now: started 10 days ago (Shanghai midnight), stationed ≥ 40 days", async () => {
    const start = demoRoundStart(NOW);
    expect(start.toISOString()).toBe("2025-03-04T16:00:00.000Z"); // 2025-03-05 00:00 in Shanghai
    expect(NOW.getTime() - start.getTime()).toBeGreaterThanOrEqual(10 * DAY);
    expect(NOW.getTime() - start.getTime()).toBeLessThan(11 * DAY);
    for (const r of await db.select().from(rounds)) {
      expect(r.startsAt.getTime()).toBe(start.getTime());
      expect(r.endsAt.getTime()).toBeGreaterThan(NOW.getTime());
    }
    const live = await db.select().from(stationings).where(eq(stationings.startsAt, start));
    expect(live).toHaveLength(16 + 3 + 5);
    for (const s of live) expect(s.endsAt.getTime() - s.startsAt.getTime()).toBe(40 * DAY);
    for (const m of await db.select().from(teamMembers)) {
      expect(m.joinedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(m.leftAt).toBeNull();
    }
  });
});
