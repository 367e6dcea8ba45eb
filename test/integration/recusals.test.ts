/**
 * A unit-level recusal, against the real built server (DESIGN §5, issue 10 item 2): bc.inspector1
 * is recused (one SQL row) from 韩城桥村 in 津南区, where the 北辰 team is stationed.
 *
 * - Routing: the readers of a report about 韩城桥村 leave bc.inspector1 out (the report page's
 *   reader API and the server's acceptance check agree); reports about another 津南 unit, or
 *   about no unit, still reach them.
 * - Inbox: a 韩城桥村 tip that reached bc.inspector1 before the recusal is no longer listed;
 *   their other 津南 tips are.
 * - Case page and case API: 403 with the reason "recused".
 * - Grants and assignment: no envelope is re-wrapped to them for a 韩城桥村 tip, and the leader
 *   cannot assign one to them.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfToken } from "~/services/csrf.server";
import { withTx } from "../../db/client";
import { recusals, staffKeys, tipEnvelopes, tips } from "../../db/schema";
import { fetchFresh, sendSealedReport, type OfferedReader } from "../support/report-fixture";
import { startServer, type RunningServer } from "../support/server";
import { loginAs } from "../support/staff-login";
import { createTestTip, serverEnv, withDb } from "../support/tip-fixture";

const INSPECTOR = "staff-tj-beichen-inspector1";
const LEADER = "staff-tj-beichen-leader";
const UNIT = "tj-jinnan-hanchengqiao";
const OTHER_UNIT = "tj-jinnan-nanwa";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function unitReaders(unit: string): Promise<{ status: number; readers: OfferedReader[] }> {
  const res = await fetchFresh(
    `${server.url}/api/report/readers?district=tj-jinnan&unit=${encodeURIComponent(unit)}`,
  );
  const json = (await res.json()) as { panel?: { readers: OfferedReader[] } };
  return {
    status: res.status,
    readers: (json.panel?.readers ?? []).map((r) => ({
      staffKeyId: r.staffKeyId,
      boxPublicKey: r.boxPublicKey,
    })),
  };
}

async function keyOf(staffId: string): Promise<string> {
  return (
    await withDb(server, (db) =>
      db
        .select({ id: staffKeys.id })
        .from(staffKeys)
        .where(and(eq(staffKeys.staffId, staffId), eq(staffKeys.status, "active")))
        .limit(1),
    )
  )[0]!.id;
}

async function as(staffId: string, method: "GET" | "POST", path: string, body?: unknown) {
  const s = await loginAs(server.database, staffId);
  return fetchFresh(`${server.url}${path}`, {
    method,
    headers: {
      Cookie: s.cookie,
      "X-CSRF-Token": csrfToken(serverEnv(server), s.sessionId),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("a unit-level recusal", () => {
  it("removes the member from routing, inbox, case page, grants and assignment for that unit's tips only", async () => {
    const inspectorKey = await keyOf(INSPECTOR);
    const leaderKey = await keyOf(LEADER);
    // Before the recusal: tips about both units reach bc.inspector1.
    const before = await unitReaders(UNIT);
    expect(before.status).toBe(200);
    expect(before.readers.map((r) => r.staffKeyId).sort()).toEqual(
      [inspectorKey, leaderKey].sort(),
    );
    const unitTip = await createTestTip(server, { unitId: UNIT, text: "韩城桥村账目不清" });
    const otherTip = await createTestTip(server, { unitId: OTHER_UNIT, text: "南洼村低保" });

    await withDb(server, (db) =>
      withTx(db, (tx) =>
        tx.insert(recusals).values({
          id: "recusal-test-unit",
          staffId: INSPECTOR,
          districtId: "tj-jinnan",
          unitId: UNIT,
          reason: "亲属在韩城桥村任职",
        }),
      ),
    );

    // Routing: a report about 韩城桥村 goes to the leader only; other units still to both.
    const after = await unitReaders(UNIT);
    expect(after.readers.map((r) => r.staffKeyId)).toEqual([leaderKey]);
    expect((await unitReaders(OTHER_UNIT)).readers.map((r) => r.staffKeyId).sort()).toEqual(
      [inspectorKey, leaderKey].sort(),
    );
    const stale = await sendSealedReport(server, before.readers, { unit: UNIT });
    expect(stale.status).toBe(409);
    expect(stale.json.error?.code).toBe("recipients_changed");
    expect((await sendSealedReport(server, after.readers, { unit: UNIT })).status).toBe(201);
    const newTip = await withDb(server, async (db) => {
      const tip = (await db.select().from(tips).orderBy(tips.createdAt)).at(-1)!;
      const envs = await db.select().from(tipEnvelopes).where(eq(tipEnvelopes.tipId, tip.id));
      return { id: tip.id, unitId: tip.unitId, readers: envs.map((e) => e.staffId) };
    });
    expect(newTip.unitId).toBe(UNIT);
    expect(newTip.readers).toEqual([LEADER]);
    expect((await sendSealedReport(server, before.readers, { unit: OTHER_UNIT })).status).toBe(201);
    expect((await sendSealedReport(server, before.readers, { unit: null })).status).toBe(201);
    // Bad queries are 4xx, never 500.
    expect((await unitReaders("tj-beichen-chenguang")).status).toBe(404);
    expect((await fetchFresh(`${server.url}/api/report/readers?district=tj-jinnan`)).status).toBe(
      400,
    );

    // Inbox: the 韩城桥村 tip that reached them before the recusal is gone; the other stays.
    const inbox = (await (await as(INSPECTOR, "GET", "/api/staff/inbox")).json()) as {
      tips: { id: string }[];
    };
    const listed = inbox.tips.map((t) => t.id);
    expect(listed).toContain(otherTip.tipId);
    expect(listed).not.toContain(unitTip.tipId);
    expect(listed).not.toContain(newTip.id);
    // The leader still sees all of them.
    const leaderInbox = (await (await as(LEADER, "GET", "/api/staff/inbox")).json()) as {
      tips: { id: string }[];
    };
    expect(leaderInbox.tips.map((t) => t.id)).toEqual(
      expect.arrayContaining([unitTip.tipId, otherTip.tipId, newTip.id]),
    );

    // Case page and case API: 403 "recused", with nothing of the tip.
    const page = await as(INSPECTOR, "GET", `/staff/tips/${unitTip.tipId}`);
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain("您已回避这件举报所涉及的区县或单位");
    const payload = await withDb(server, async (db) => {
      const row = (await db.select().from(tips).where(eq(tips.id, unitTip.tipId)))[0]!;
      return Buffer.from(row.payload).toString("base64url").slice(0, 40);
    });
    expect(html).not.toContain(payload);
    const api = await as(INSPECTOR, "GET", `/api/staff/tips/${unitTip.tipId}`);
    expect(api.status).toBe(403);
    expect(await api.text()).not.toContain(payload);
    expect((await as(INSPECTOR, "GET", `/staff/tips/${otherTip.tipId}`)).status).toBe(200);

    // Grants: the leader is not offered to re-wrap the new 韩城桥村 tip to them, and a batch
    // that tries is refused.
    const pending = (await (await as(LEADER, "GET", "/api/staff/grants")).json()) as {
      pending: { staffId: string; tips: { tipId: string }[] }[];
    };
    const forInspector = pending.pending.find((p) => p.staffId === INSPECTOR);
    expect(forInspector?.tips.map((t) => t.tipId) ?? []).not.toContain(newTip.id);
    const grant = await as(LEADER, "POST", "/api/staff/grants", {
      staffKeyId: inspectorKey,
      envelopes: [{ tipId: newTip.id, envelope: Buffer.alloc(92, 1).toString("base64url") }],
    });
    expect(grant.status).toBe(403);
    expect(
      await withDb(server, (db) =>
        db
          .select()
          .from(tipEnvelopes)
          .where(and(eq(tipEnvelopes.tipId, newTip.id), eq(tipEnvelopes.staffId, INSPECTOR))),
      ),
    ).toEqual([]);

    // Assignment: not offered on the leader's case page, and refused.
    const leaderCase = (await (
      await as(LEADER, "GET", `/api/staff/tips/${unitTip.tipId}`)
    ).json()) as { members: { id: string }[] };
    expect(leaderCase.members.map((m) => m.id)).not.toContain(INSPECTOR);
    const assign = await as(LEADER, "POST", `/api/staff/tips/${unitTip.tipId}/triage`, {
      assigneeId: INSPECTOR,
    });
    expect(assign.status).toBe(400);
  }, 180_000);
});
