/**
 * Bulk triage over HTTP against the real server (POST /api/staff/tips/bulk): every tip goes
 * through the single-tip services — same access rule, one audit row per tip — a tip the member
 * may not open is reported and left alone while the others change, assigning needs the
 * leader's permission, and bad input is a localized 4xx.
 */
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { auditLog, tipLabels, tips } from "../../db/schema";
import { verifyAuditChain } from "~/services/audit.server";
import { csrfToken } from "~/services/csrf.server";
import { insertBulkTips } from "../support/bulk-tips";
import { startServer, type RunningServer } from "../support/server";
import { loginAs } from "../support/staff-login";
import { serverEnv, withDb } from "../support/tip-fixture";

const LEADER = "staff-tj-beichen-leader";
const INSPECTOR = "staff-tj-beichen-inspector1";

let server: RunningServer;
let jinnan: string[];
let elsewhere: string;

beforeAll(async () => {
  server = await startServer();
  jinnan = await insertBulkTips(
    server,
    ["路灯坏了", "低保名额", "饭卡余额", "拆迁补偿"].map((text) => ({ text })),
  );
  // A tip about 北辰区: read by the team stationed there, not by the 北辰 team.
  elsewhere = (
    await insertBulkTips(server, [{ text: "别的区县", unitId: null }], {
      districtId: "tj-beichen",
    })
  )[0]!;
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const db = <T>(fn: (d: Db) => Promise<T>): Promise<T> => withDb(server, fn);

async function bulk(staffId: string, body: unknown, opts: { csrf?: boolean; lang?: string } = {}) {
  const s = await loginAs(server.database, staffId);
  const res = await fetch(`${server.url}/api/staff/tips/bulk`, {
    method: "POST",
    headers: {
      Cookie: `${s.cookie}${opts.lang ? `; lang=${opts.lang}` : ""}`,
      "Content-Type": "application/json",
      ...(opts.csrf === false ? {} : { "X-CSRF-Token": csrfToken(serverEnv(server), s.sessionId) }),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const auditFor = (ids: string[], action: string) =>
  db(async (d) =>
    d
      .select()
      .from(auditLog)
      .where(and(inArray(auditLog.objectId, ids), eq(auditLog.action, action))),
  );

describe("bulk triage", () => {
  it("a label goes on every selected tip, one audit row each; a tip of another team is refused", async () => {
    const ids = [jinnan[0]!, jinnan[1]!, elsewhere];
    const res = await bulk(INSPECTOR, {
      tipIds: ids,
      action: { kind: "addLabel", label: "核实中" },
    });
    expect(res.status).toBe(200);
    expect(res.json.updated).toEqual([jinnan[0], jinnan[1]]);
    expect(res.json.failed).toEqual([{ id: elsewhere, code: "no_access" }]);
    const labels = await db(async (d) =>
      d.select().from(tipLabels).where(inArray(tipLabels.tipId, ids)),
    );
    expect(labels.map((l) => l.tipId).sort()).toEqual([jinnan[0], jinnan[1]].sort());
    expect((await auditFor(ids, "tip.triage")).map((a) => a.objectId).sort()).toEqual(
      [jinnan[0], jinnan[1]].sort(),
    );

    // Removing takes it off again, and keeps other labels.
    await bulk(INSPECTOR, { tipIds: [jinnan[0]], action: { kind: "addLabel", label: "拆迁" } });
    await bulk(INSPECTOR, {
      tipIds: [jinnan[0], jinnan[1]],
      action: { kind: "removeLabel", label: "核实中" },
    });
    const left = await db(async (d) =>
      d
        .select()
        .from(tipLabels)
        .where(inArray(tipLabels.tipId, [jinnan[0]!, jinnan[1]!])),
    );
    expect(left.map((l) => [l.tipId, l.label])).toEqual([[jinnan[0], "拆迁"]]);
  });

  it("a status without a note is set per tip and acknowledges it; not accepted is not offered", async () => {
    const ids = [jinnan[2]!, jinnan[3]!];
    const res = await bulk(INSPECTOR, {
      tipIds: ids,
      action: { kind: "status", status: "accepted" },
    });
    expect(res.status).toBe(200);
    expect(res.json.updated).toEqual(ids);
    const rows = await db(async (d) => d.select().from(tips).where(inArray(tips.id, ids)));
    expect(rows.map((r) => r.status)).toEqual(["accepted", "accepted"]);
    expect(rows.every((r) => r.acknowledgedAt !== null)).toBe(true);
    expect(await auditFor(ids, "tip.status.set")).toHaveLength(2);

    const refused = await bulk(INSPECTOR, {
      tipIds: ids,
      action: { kind: "status", status: "not_accepted" },
    });
    expect(refused.status).toBe(400);
  });

  it("assigning needs the leader's permission and a member who may read the tip", async () => {
    const action = { kind: "assign", assigneeId: INSPECTOR };
    expect((await bulk(INSPECTOR, { tipIds: [jinnan[0]], action })).status).toBe(403);
    const ok = await bulk(LEADER, { tipIds: [jinnan[0], jinnan[1]], action });
    expect(ok.status).toBe(200);
    expect(ok.json.updated).toHaveLength(2);
    expect(
      (
        await db(async (d) =>
          d
            .select()
            .from(tips)
            .where(inArray(tips.id, [jinnan[0]!, jinnan[1]!])),
        )
      ).map((t) => t.assigneeId),
    ).toEqual([INSPECTOR, INSPECTOR]);
    // The seconded 津南 cadre may never be assigned a 津南 tip.
    const local = await bulk(LEADER, {
      tipIds: [jinnan[0]],
      action: { kind: "assign", assigneeId: "staff-tj-jinnan-local" },
    });
    expect(local.json.failed).toEqual([{ id: jinnan[0], code: "not_member" }]);
  });

  it("bad input and a missing CSRF token are localized 4xx, nothing changes; the chain holds", async () => {
    const before = await db(async (d) => d.$count(auditLog));
    const cases: [unknown, number][] = [
      [{ tipIds: [], action: { kind: "addLabel", label: "x" } }, 400],
      [
        {
          tipIds: Array.from({ length: 501 }, (_, i) => `tip_${i}`),
          action: { kind: "addLabel", label: "x" },
        },
        400,
      ],
      [{ tipIds: [jinnan[0]], action: { kind: "addLabel", label: "" } }, 400],
      [{ tipIds: [jinnan[0]], action: { kind: "delete" } }, 400],
      [{ tipIds: "all", action: { kind: "addLabel", label: "x" } }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await bulk(INSPECTOR, body, { lang: "en" });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect((res.json.error as { message: string }).message).toMatch(/[A-Za-z]/);
    }
    const noCsrf = await bulk(
      INSPECTOR,
      { tipIds: [jinnan[0]], action: { kind: "addLabel", label: "x" } },
      { csrf: false },
    );
    expect(noCsrf.status).toBe(403);
    expect(await db(async (d) => d.$count(auditLog))).toBe(before);
    expect((await db(async (d) => verifyAuditChain(d))).ok).toBe(true);
  });
});
