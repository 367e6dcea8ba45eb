/**
 * The two seed cases of DESIGN §2 driven over HTTP from tips to outcome against the real server,
 * with real crypto on the test side (as the staff browsers do it), the tipsters following each step
 * with their receipts; access rules for findings and clues; the narrative canary; and the public
 * board showing nothing unapproved.
 */
import fs from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTx } from "../../db/client";
import {
  clueTransfers,
  receivingBodyMembers,
  rosters,
  staffKeys,
  staffRoles,
  teamMembers,
} from "../../db/schema";
import {
  base64urlDecode,
  base64urlEncode,
  openFindingBody,
  openFindingKeys,
  signRoster,
} from "../../crypto/index";
import { startServer, TEST_ENGINE, type RunningServer } from "../support/server";
import { createTestTip, type TestTip } from "../support/tip-fixture";
import {
  createFindingAs,
  demoStaffKeys,
  findingReaders,
  staffApi,
  tipsterMessages,
  tipsterView,
  transferAs,
  withDb,
} from "../support/outcomes-fixture";

const BC_LEADER = "staff-tj-beichen-leader";
const BC_LOCAL = "staff-tj-jinnan-local";
const OTHER_TEAM_LEADER = "staff-tj-dongli-leader"; // 东丽 team, stationed in 西青区
const JN_COMMISSION = "staff-tj-jinnan-commission";
const TJ_OFFICE = "staff-tj-office";
const SC_OFFICE = "staff-sc-office";
const LEIBO_LEADER = "staff-sc-nj-t3-leader";
const CANARY = "CANARY-叙述-7f3a9c1e-韩城桥村补偿款";
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, "base64url"));

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ env: { CROSSWATCH_DEMO_OUTCOMES: "cases" }, timeoutMs: 170_000 });
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe("韩城桥村: three tips → one finding → 津南区纪委监委 → case opened → disciplinary action", () => {
  const tips: TestTip[] = [];
  let finding: Awaited<ReturnType<typeof createFindingAs>>;
  let transferId = "";

  it("the 北辰 team files a finding sealed to its readers and the office, and links three tips", async () => {
    for (const text of ["冒领拆迁补偿款", "补偿发放不公开", "一百多万去向不明"]) {
      tips.push(await createTestTip(server, { text }));
    }
    finding = await createFindingAs(server, BC_LEADER, {
      stationingId: "tj-r4-st-beichen",
      unitId: "tj-jinnan-hanchengqiao",
      category: "corruption",
      corruptionType: "false_claims",
      keyMinority: true,
      amountInvolvedFen: 150_000_000,
      body: { v: 1, title: "两名村干部冒领拆迁补偿款", narrative: CANARY, people: [] },
    });
    expect(finding.status).toBe(200);
    // Readers: the team's key holders who are not from 津南, and the office — never bc.local.
    const readers = await findingReaders(server, finding.id);
    expect(readers).toContain(BC_LEADER);
    expect(readers).toContain(TJ_OFFICE);
    expect(readers).not.toContain(BC_LOCAL);
    const api = await staffApi(server, BC_LEADER);
    for (const t of tips) {
      const r = await api.post(`/api/staff/findings/${finding.id}/tips`, {
        op: "link",
        tipId: t.tipId,
      });
      expect(r.status).toBe(200);
    }
    // Both directions are visible: the finding lists the tips, the case lists the finding.
    const loaded = await api.get(`/api/staff/findings/${finding.id}`);
    expect(loaded.json.finding.tips.map((x: { tipId: string }) => x.tipId).sort()).toEqual(
      tips.map((t) => t.tipId).sort(),
    );
    const ofTip = await api.get(`/api/staff/tips/${tips[0]!.tipId}/findings`);
    expect(ofTip.json.findings.map((f: { id: string }) => f.id)).toEqual([finding.id]);
  });

  it("the narrative never reaches the database file in clear", () => {
    // SQLite: the database file and its write-ahead log, byte for byte.
    if (TEST_ENGINE !== "sqlite") return;
    const files = [server.database, `${server.database}-wal`].filter((f) => fs.existsSync(f));
    for (const f of files) {
      expect(fs.readFileSync(f).includes(Buffer.from(CANARY, "utf8")), f).toBe(false);
    }
  });

  it("a member of another team, and the seconded 津南 cadre, cannot read or link it", async () => {
    for (const who of [OTHER_TEAM_LEADER, BC_LOCAL]) {
      const api = await staffApi(server, who);
      const read = await api.get(`/api/staff/findings/${finding.id}`);
      expect(read.status).toBe(403);
      expect(JSON.stringify(read.json)).not.toContain("body");
      const link = await api.post(`/api/staff/findings/${finding.id}/tips`, {
        op: "link",
        tipId: tips[0]!.tipId,
      });
      expect(link.status).toBe(403);
    }
  });

  it("the clue goes to 津南区纪委监委; the tipsters read that it was transferred", async () => {
    const r = await transferAs(
      server,
      BC_LEADER,
      finding,
      "tj-jinnan-jw",
      tips.map((t) => t.tipId),
      "您反映的问题线索已移交津南区纪委监委。",
    );
    expect(r.status).toBe(200);
    transferId = r.json.id;
    expect(await findingReaders(server, finding.id)).toContain(JN_COMMISSION);
    const seen = await tipsterView(server, tips[0]!);
    expect(seen.status).toBe("transferred");
    expect(seen.texts).toContain("您反映的问题线索已移交津南区纪委监委。");
  });

  it("the receiver reads the clue in its own browser and records case opened, then disciplinary action", async () => {
    const api = await staffApi(server, JN_COMMISSION);
    const list = await api.get("/api/staff/clues");
    const clue = list.json.clues.find((c: { id: string }) => c.id === transferId);
    expect(clue).toBeDefined();
    const keys = await demoStaffKeys(server, JN_COMMISSION);
    const f = openFindingKeys(finding.id, unb64(clue.envelope), keys.boxSecretKey);
    expect(openFindingBody(unb64(clue.body), f).narrative).toBe(CANARY);
    const leader = await staffApi(server, BC_LEADER);
    for (const [outcome, text] of [
      ["case_opened", "津南区纪委监委已立案审查。"],
      ["disciplinary_action", "涉事村干部已受到党纪政务处分。"],
    ] as const) {
      expect(
        (await api.post(`/api/staff/clues/${transferId}`, { outcome, note: null })).status,
      ).toBe(200);
      const notify = await leader.post(`/api/staff/findings/${finding.id}/notify`, {
        tipMessages: await tipsterMessages(
          server,
          BC_LEADER,
          tips.map((t) => t.tipId),
          text,
        ),
      });
      expect(notify.status).toBe(200);
    }
    // A case moves forward only: after disciplinary action, "case opened" or "closed without
    // action" is refused with a localized 409 and the outcome stays.
    for (const back of ["case_opened", "closed"]) {
      const refused = await api.post(`/api/staff/clues/${transferId}`, {
        outcome: back,
        note: null,
      });
      expect(refused.status).toBe(409);
      expect(refused.json.error).toEqual({
        code: "outcome_order",
        message: "这条线索目前的办理结果之后不能再记录这一结果，请刷新页面查看最新进展。",
      });
    }
    const seen = await tipsterView(server, tips[2]!);
    expect(seen.texts).toEqual(
      expect.arrayContaining(["津南区纪委监委已立案审查。", "涉事村干部已受到党纪政务处分。"]),
    );
    const loaded = await leader.get(`/api/staff/findings/${finding.id}`);
    expect(loaded.json.finding.transfers[0].outcome).toBe("disciplinary_action");
  });

  it("a receiver of 津南区纪委监委 gets 403 on a clue addressed to another body", async () => {
    const other = await createFindingAs(server, BC_LEADER, {
      stationingId: "tj-r4-st-beichen",
      category: "corruption",
      body: { v: 1, title: "另一线索", narrative: "审计线索", people: [] },
    });
    // The audit bureau has no rostered receiver, so the team could not hand it over (409): the
    // clue row is put in directly, as an earlier transfer to it would have left it.
    const refused = await transferAs(server, BC_LEADER, other, "tj-audit", [], "unused");
    expect(refused.status).toBe(409);
    const clueId = "ct_other_body_test";
    await withDb(server, (db) =>
      withTx(db, (tx) =>
        tx.insert(clueTransfers).values({
          id: clueId,
          findingId: other.id,
          receivingBodyId: "tj-audit",
          reference: null,
          note: null,
          transferredAt: new Date(),
          transferredBy: BC_LEADER,
          outcome: "pending",
        }),
      ),
    );
    const api = await staffApi(server, JN_COMMISSION);
    expect((await api.get(`/api/staff/clues/${clueId}`)).status).toBe(403);
    expect(
      (await api.post(`/api/staff/clues/${clueId}`, { outcome: "closed", note: null })).status,
    ).toBe(403);
    expect((await api.get(`/api/staff/findings/${other.id}`)).status).toBe(403);
  });
});

describe("雷波民族中学: a parent's tip → finding → refund of ¥277,000 to 2,300 students → look-back", () => {
  it("the tipster reads 已退还 27.7 万元，惠及 2300 余名学生, and the look-back counts it verified", async () => {
    const tip = await createTestTip(server, {
      districtId: "sc-leibo",
      unitId: "sc-leibo-minzu-school",
      text: "学校突然更换饭卡，余额没有退。",
    });
    expect(tip.readerIds).toContain(LEIBO_LEADER);
    const finding = await createFindingAs(server, LEIBO_LEADER, {
      stationingId: "sc-r1-st-3",
      unitId: "sc-leibo-minzu-school",
      category: "livelihood",
      amountInvolvedFen: 27_700_000,
      body: { v: 1, title: "更换饭卡未退余额", narrative: "涉及 2300 余名学生", people: [] },
    });
    expect(finding.status).toBe(200);
    const api = await staffApi(server, LEIBO_LEADER);
    expect(
      (await api.post(`/api/staff/findings/${finding.id}/tips`, { op: "link", tipId: tip.tipId }))
        .status,
    ).toBe(200);
    const { sealFindingNote, base64urlEncode } = await import("../../crypto/index");
    const resolved = await api.post(`/api/staff/findings/${finding.id}/resolutions`, {
      kind: "refund",
      amountFen: 27_700_000,
      beneficiaries: 2300,
      resolvedAt: new Date().toISOString(),
      details: base64urlEncode(
        sealFindingNote({ body: { kind: "resolution", text: "已全部退还" }, keys: finding.keys }),
      ),
      tipMessages: await tipsterMessages(
        server,
        LEIBO_LEADER,
        [tip.tipId],
        "已退还 27.7 万元，惠及 2300 余名学生。",
        { kind: "status", status: "resolved" },
      ),
    });
    expect(resolved.status).toBe(200);
    const seen = await tipsterView(server, tip);
    expect(seen.status).toBe("resolved");
    expect(seen.texts).toContain("已退还 27.7 万元，惠及 2300 余名学生。");

    // The office's look-back: the seed already opened it for this round and verified its own
    // 雷波 case; this refund is checked too.
    const office = await staffApi(server, SC_OFFICE);
    const check = await office.post("/api/staff/rounds/sc-r1/look-back", {
      op: "check",
      findingId: finding.id,
      problemConfirmed: true,
      rectification: "verified",
      note: null,
    });
    expect(check.status).toBe(200);
    const page = await office.page("/staff/outcomes?round=sc-r1");
    expect(page.status).toBe(200);
    // 2 checked, both confirmed and verified: 100.0 % (2 / 2) precision and rectification.
    expect(page.text).toContain("100.0%（2 / 2）");
    expect(page.text).toContain("回头看确认属实的问题 ÷ 回头看抽查的问题");
  });
});

describe("the public results board", () => {
  it("shows nothing unapproved, withholds small cells, and the feed matches", async () => {
    const before = await fetch(`${server.url}/results?round=tj-r4`);
    expect(before.status).toBe(404); // nothing of Tianjin is published at the "cases" level
    // Four 东丽-team findings in 西青区 with a distinctive refund, not approved yet.
    const xqLeader = "staff-tj-dongli-leader";
    const api = await staffApi(server, xqLeader);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const f = await createFindingAs(server, xqLeader, {
        stationingId: "tj-r4-st-dongli",
        category: i === 0 ? "corruption" : "livelihood",
        body: { v: 1, title: `问题 ${i}`, narrative: "…", people: [] },
      });
      expect(f.status).toBe(200);
      ids.push(f.id);
      if (i === 0) {
        const { sealFindingNote, base64urlEncode } = await import("../../crypto/index");
        const r = await api.post(`/api/staff/findings/${f.id}/resolutions`, {
          kind: "refund",
          amountFen: 98_765_400,
          beneficiaries: 4321,
          resolvedAt: new Date().toISOString(),
          details: base64urlEncode(sealFindingNote({ body: { text: "退款" }, keys: f.keys })),
          tipMessages: [],
        });
        expect(r.status).toBe(200);
      }
    }
    const unapproved = [
      await (await fetch(`${server.url}/results`)).text(),
      await (await fetch(`${server.url}/results.atom`)).text(),
    ];
    for (const text of unapproved) {
      expect(text).not.toMatch(/4,?321/);
      expect(text).not.toMatch(/98\.77 万元|987,?654/);
    }
    // The office approves 西青区: now the numbers are public, small cells withheld.
    const office = await staffApi(server, TJ_OFFICE);
    expect(
      await office.form("/staff/outcomes", {
        op: "approve",
        roundId: "tj-r4",
        districtId: "tj-xiqing",
      }),
    ).toBe(302);
    const page = await (await fetch(`${server.url}/results?round=tj-r4`)).text();
    expect(page).toMatch(/4,321/);
    expect(page).toContain("98.77 万元");
    // 1 corruption problem is a small cell: shown as "少于 3", never as 1.
    expect(page).toContain("少于 3");
    const feed = await (await fetch(`${server.url}/results.atom`)).text();
    expect(feed).toContain("<feed");
    expect(feed).toMatch(/4,321/);
    // Withdrawing takes it off again.
    expect(
      await office.form("/staff/outcomes", {
        op: "withdraw",
        roundId: "tj-r4",
        districtId: "tj-xiqing",
      }),
    ).toBe(302);
    expect((await fetch(`${server.url}/results?round=tj-r4`)).status).toBe(404);
  });
});

describe("who a new finding is sealed to", () => {
  it("cannot be widened through the database: an unrostered member or a key with a bad signature is no reader", async () => {
    const leader = await staffApi(server, BC_LEADER);
    const offered = async () =>
      (
        (await leader.get("/api/staff/findings?stationingId=tj-r4-st-beichen")).json.readers as {
          staffId: string;
        }[]
      )
        .map((r) => r.staffId)
        .sort();
    const before = await offered();
    expect(before).toContain("staff-tj-beichen-inspector1");
    expect(before).toContain(TJ_OFFICE);
    // SQL only: another office's admin (a genuinely signed key) put into the 北辰 team, and one
    // reader's office signature with a flipped byte.
    const inspectorKey = await withDb(server, async (db) => {
      const key = (
        await db
          .select()
          .from(staffKeys)
          .where(
            and(
              eq(staffKeys.staffId, "staff-tj-beichen-inspector1"),
              eq(staffKeys.status, "active"),
            ),
          )
      )[0]!;
      const forged = Buffer.from(key.officeSignature!);
      forged[10] = forged[10]! ^ 1;
      await withTx(db, async (tx) => {
        await tx.insert(teamMembers).values({
          teamId: "tj-r4-team-beichen",
          staffId: SC_OFFICE,
          role: "member",
          joinedAt: new Date(0),
        });
        await tx.update(staffKeys).set({ officeSignature: forged }).where(eq(staffKeys.id, key.id));
      });
      return key;
    });
    try {
      const after = await offered();
      expect(after).not.toContain(SC_OFFICE);
      expect(after).not.toContain("staff-tj-beichen-inspector1");
      expect(after).toEqual(before.filter((s) => s !== "staff-tj-beichen-inspector1"));
    } finally {
      await withDb(server, (db) =>
        withTx(db, async (tx) => {
          await tx
            .delete(teamMembers)
            .where(
              and(eq(teamMembers.teamId, "tj-r4-team-beichen"), eq(teamMembers.staffId, SC_OFFICE)),
            );
          await tx
            .update(staffKeys)
            .set({ officeSignature: inspectorKey.officeSignature })
            .where(eq(staffKeys.id, inspectorKey.id));
        }),
      );
    }
  });
});

describe("who a transferred clue is sealed to (the body's signed roster)", () => {
  const BODY = "tj-jinnan-jw";
  const newFinding = async (title: string) => {
    const f = await createFindingAs(server, BC_LEADER, {
      stationingId: "tj-r4-st-beichen",
      category: "livelihood",
      body: { v: 1, title, narrative: "名单测试", people: [] },
    });
    expect(f.status).toBe(200);
    return f;
  };
  const transferredTo = async (title: string) => {
    const f = await newFinding(title);
    expect((await transferAs(server, BC_LEADER, f, BODY, [], "")).status).toBe(200);
    return findingReaders(server, f.id);
  };
  const offered = async (findingId: string) =>
    (
      (
        (
          await (
            await staffApi(server, BC_LEADER)
          ).get(`/api/staff/findings/${findingId}/transfers`)
        ).json.bodies as { id: string; receivers: { staffId: string }[] }[]
      ).find((b) => b.id === BODY)?.receivers ?? []
    ).map((r) => r.staffId);

  it("a receiver put in with SQL only, or a roster with a flipped signature byte, gets no envelope; the office's signed roster admits one", async () => {
    // The demo office signed 津南区纪委监委's roster: its one receiver gets the clue.
    expect(await transferredTo("名单测试一")).toContain(JN_COMMISSION);

    // SQL only: the seconded 津南 cadre (a genuinely office-signed key; no reader of the 北辰
    // team's findings, being from 津南) made a receiver of the body.
    await withDb(server, (db) =>
      withTx(db, async (tx) => {
        await tx.insert(staffRoles).values({ staffId: BC_LOCAL, role: "commission_receiver" });
        await tx
          .insert(receivingBodyMembers)
          .values({ bodyId: BODY, staffId: BC_LOCAL, joinedAt: new Date(0) });
      }),
    );
    const forgedRoster = async (flip: boolean) =>
      withDb(server, async (db) => {
        const row = (
          await db
            .select()
            .from(rosters)
            .where(and(eq(rosters.kind, "receiving_body"), eq(rosters.rosterId, BODY)))
        )[0]!;
        const sig = Buffer.from(row.signature);
        sig[20] = sig[20]! ^ 1;
        await withTx(db, (tx) =>
          tx
            .update(rosters)
            .set({ signature: flip ? sig : row.signature })
            .where(eq(rosters.id, row.id)),
        );
        return row;
      });
    try {
      const second = await newFinding("名单测试二");
      expect(await offered(second.id)).toEqual([JN_COMMISSION]);
      expect((await transferAs(server, BC_LEADER, second, BODY, [], "")).status).toBe(200);
      const readers = await findingReaders(server, second.id);
      expect(readers).toContain(JN_COMMISSION);
      expect(readers).not.toContain(BC_LOCAL);

      // The body's only roster, its signature one bit off: nobody is a receiver any more.
      const original = await forgedRoster(true);
      try {
        const third = await newFinding("名单测试三");
        expect(await offered(third.id)).toEqual([]);
        // A clue nobody at the body could open is refused (localized 409), not stored.
        const refused = await transferAs(server, BC_LEADER, third, BODY, [], "");
        expect(refused.status).toBe(409);
        expect(refused.json.error).toMatchObject({ code: "no_receivers" });
        expect(await findingReaders(server, third.id)).not.toContain(JN_COMMISSION);
        const transfersOfThird = await withDb(server, (db) =>
          db.select().from(clueTransfers).where(eq(clueTransfers.findingId, third.id)),
        );
        expect(transfersOfThird).toEqual([]);
      } finally {
        await withDb(server, (db) =>
          withTx(db, (tx) =>
            tx
              .update(rosters)
              .set({ signature: original.signature })
              .where(eq(rosters.id, original.id)),
          ),
        );
      }

      // The office signs the body's new roster (as /staff/admin/rosters does in its browser):
      // from the next transfer on, the new receiver gets the clue.
      const office = await staffApi(server, TJ_OFFICE);
      const draft = (
        (await office.get("/api/staff/rosters")).json.drafts as {
          kind: string;
          rosterId: string;
          bytes: string;
          upToDate: boolean;
          readers: { memberId: string; role: string }[];
        }[]
      ).find((d) => d.kind === "receiving_body" && d.rosterId === BODY)!;
      expect(draft.upToDate).toBe(false);
      expect(draft.readers.map((r) => [r.memberId, r.role]).sort()).toEqual([
        [JN_COMMISSION, "receiver"],
        [BC_LOCAL, "receiver"],
      ]);
      const { signSecretKey } = await demoStaffKeys(server, TJ_OFFICE);
      const signed = await office.post("/api/staff/rosters", {
        roster: draft.bytes,
        signature: base64urlEncode(signRoster(base64urlDecode(draft.bytes), signSecretKey)),
      });
      expect(signed.status).toBe(200);
      expect(
        (await transferredTo("名单测试四")).filter(
          (s) => s.includes("commission") || s === BC_LOCAL,
        ),
      ).toEqual([BC_LOCAL, JN_COMMISSION].sort());
    } finally {
      await withDb(server, (db) =>
        withTx(db, async (tx) => {
          await tx
            .delete(receivingBodyMembers)
            .where(
              and(
                eq(receivingBodyMembers.bodyId, BODY),
                eq(receivingBodyMembers.staffId, BC_LOCAL),
              ),
            );
          await tx
            .delete(staffRoles)
            .where(
              and(eq(staffRoles.staffId, BC_LOCAL), eq(staffRoles.role, "commission_receiver")),
            );
        }),
      );
    }
  });
});

describe("overdue clues (the office chases them)", () => {
  it("a clue with no final outcome after CLUE_OVERDUE_DAYS is listed for its office only", async () => {
    // A clue transferred 61 days ago (the default limit is 60), still only "case opened".
    const [clue] = await withDb(server, (db) =>
      db
        .select()
        .from(clueTransfers)
        .where(eq(clueTransfers.receivingBodyId, "tj-jinnan-jw"))
        .orderBy(clueTransfers.transferredAt)
        .limit(1),
    );
    expect(clue).toBeDefined();
    const reference = "津南纪移〔2026〕超期1号";
    const back = new Date(Date.now() - 61 * 86_400_000);
    await withDb(server, (db) =>
      withTx(db, (tx) =>
        tx
          .update(clueTransfers)
          .set({ transferredAt: back, outcome: "case_opened", reference })
          .where(eq(clueTransfers.id, clue!.id)),
      ),
    );
    const office = await (await staffApi(server, TJ_OFFICE)).page("/staff/outcomes");
    expect(office.status).toBe(200);
    const list = /<ul data-testid="overdue-clues">(.*?)<\/ul>/s.exec(office.text)?.[1] ?? "";
    expect(list).toContain("津南区纪委监委");
    expect(list).toMatch(/已立案/);
    expect(list).toContain("61");
    // Another office does not see it.
    const other = await (await staffApi(server, "staff-sc-office")).page("/staff/outcomes");
    expect(other.status).toBe(200);
    expect(other.text).not.toContain("津南区纪委监委");
    // A final outcome takes it off the list; so does a recent transfer.
    await withDb(server, (db) =>
      withTx(db, (tx) =>
        tx
          .update(clueTransfers)
          .set({ outcome: "disciplinary_action" })
          .where(eq(clueTransfers.id, clue!.id)),
      ),
    );
    const after = await (await staffApi(server, TJ_OFFICE)).page("/staff/outcomes");
    expect(after.text).not.toContain('data-testid="overdue-clues"');
    await withDb(server, (db) =>
      withTx(db, (tx) =>
        tx
          .update(clueTransfers)
          .set({ outcome: "pending", transferredAt: new Date(Date.now() - 59 * 86_400_000) })
          .where(eq(clueTransfers.id, clue!.id)),
      ),
    );
    const recent = await (await staffApi(server, TJ_OFFICE)).page("/staff/outcomes");
    expect(recent.text).not.toContain('data-testid="overdue-clues"');
  });
});
