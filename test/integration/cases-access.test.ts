/**
 * Cases access control against the real server: every staff API route of the cases area ×
 * role × (own team / other team / home-district member / signed out). Another team's member gets
 * 403 and not one byte of the tip's ciphertext; the identity block is unreachable through the
 * HTTP API until a team leader (another person) approves a written request.
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  base64urlDecode,
  base64urlEncode,
  generateStaffKeys,
  openIdentity,
  openTipPayload,
  wrapTipKeyForRecipient,
  signStaffKeyApproval,
  wrapStaffKeys,
} from "../../crypto/index";
import { approvalTuple } from "~/services/staff-keys.server";
import { closeDb, openDb, withTx } from "../../db/client";
import { auditLog, messages, staffKeys, staffRoles, teamMembers, tips } from "../../db/schema";
import { listAudit } from "~/services/auth.server";
import { recordTipsterReply } from "~/services/tipster.server";
import { csrfToken } from "~/services/csrf.server";
import { loginAs } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";
import {
  createTestTip,
  DEMO_KEY_PASSPHRASE,
  serverEnv,
  staffKeysForTip,
  withDb,
} from "../support/tip-fixture";
import { unwrapStaffKeysCached } from "../support/kdf-cache";

const ACTORS = {
  inspector: "staff-tj-beichen-inspector1",
  leader: "staff-tj-beichen-leader",
  liaisonNoKey: "staff-tj-beichen-liaison",
  homeLocal: "staff-tj-jinnan-local",
  otherTeam: "staff-tj-xiqing-leader",
  office: "staff-tj-office",
  commission: "staff-tj-jinnan-commission",
  auditor: "staff-tj-auditor",
} as const;
type Actor = keyof typeof ACTORS | "signedOut";
const ALL: Actor[] = ["signedOut", ...(Object.keys(ACTORS) as (keyof typeof ACTORS)[])];

let server: RunningServer;
let tipId: string;
let identityTipId: string;
let payloadB64: string;

async function createIdentityTip(): Promise<string> {
  const tip = await createTestTip(server, {
    unitId: null,
    text: "补偿款",
    identity: { name: "张三", phone: "13800000000" },
  });
  return tip.tipId;
}

beforeAll(async () => {
  server = await startServer();
  const tip = await createTestTip(server, { text: "韩城桥村干部虚报冒领拆迁补偿款" });
  tipId = tip.tipId;
  identityTipId = await createIdentityTip();
  const db = await openDb(server.database, { migrate: false });
  payloadB64 = Buffer.from(
    (await db.select().from(tips).where(eq(tips.id, tipId)).limit(1))[0]!.payload,
  )
    .toString("base64url")
    .slice(0, 60);
  await closeDb(db);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function call(
  actor: Actor,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  opts: { csrf?: boolean } = {},
) {
  const headers: Record<string, string> = {};
  if (actor !== "signedOut") {
    const s = await loginAs(server.database, ACTORS[actor]);
    headers.Cookie = s.cookie;
    if (opts.csrf !== false) headers["X-CSRF-Token"] = csrfToken(serverEnv(server), s.sessionId);
  }
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** Random bytes behind a format's tag byte: the server checks the tag, it cannot open it. */
const blob = (tag = 0x43) =>
  Buffer.concat([Buffer.from([tag]), randomBytes(295)]).toString("base64url");

interface Row {
  name: string;
  method: "GET" | "POST";
  path: () => string;
  body?: () => unknown;
  by: Partial<Record<Actor, number>> & { others: number };
}

/** Readers of the 津南 tip: the keyed 北辰 members. Everyone else: 403; signed out: 401. */
const TEAM_READERS = (ok: number) => ({ signedOut: 401, inspector: ok, leader: ok, others: 403 });

const ROWS: Row[] = [
  { name: "case", method: "GET", path: () => `/api/staff/tips/${tipId}`, by: TEAM_READERS(200) },
  {
    name: "status",
    method: "POST",
    path: () => `/api/staff/tips/${tipId}/status`,
    body: () => ({ status: "under_review", message: null }),
    by: TEAM_READERS(200),
  },
  {
    name: "message",
    method: "POST",
    path: () => `/api/staff/tips/${tipId}/messages`,
    body: () => ({ kind: "internal_note", body: blob() }),
    by: TEAM_READERS(200),
  },
  {
    name: "mark the thread read",
    method: "POST",
    path: () => `/api/staff/tips/${tipId}/read`,
    body: () => ({}),
    by: TEAM_READERS(200),
  },
  {
    name: "triage",
    method: "POST",
    path: () => `/api/staff/tips/${tipId}/triage`,
    body: () => ({ priority: "high", labels: ["拆迁"] }),
    by: TEAM_READERS(200),
  },
  {
    name: "assign (leader only)",
    method: "POST",
    path: () => `/api/staff/tips/${tipId}/triage`,
    body: () => ({ assigneeId: "staff-tj-beichen-inspector1" }),
    by: { signedOut: 401, leader: 200, others: 403 },
  },
  {
    name: "identity before approval",
    method: "GET",
    path: () => `/api/staff/tips/${identityTipId}/identity`,
    by: { signedOut: 401, others: 403 },
  },
  {
    name: "unknown tip",
    method: "GET",
    path: () => `/api/staff/tips/tip_doesnotexist/`,
    by: { signedOut: 401, auditor: 403, commission: 403, others: 404 },
  },
  {
    name: "inbox",
    method: "GET",
    path: () => `/api/staff/inbox`,
    by: { signedOut: 401, auditor: 403, commission: 403, others: 200 },
  },
  {
    name: "my key",
    method: "GET",
    path: () => `/api/staff/keys`,
    by: { signedOut: 401, auditor: 403, others: 200 },
  },
  {
    name: "grants",
    method: "GET",
    path: () => `/api/staff/grants`,
    by: {
      signedOut: 401,
      inspector: 200,
      leader: 200,
      liaisonNoKey: 200,
      homeLocal: 200,
      otherTeam: 200,
      others: 403,
    },
  },
  {
    name: "approve a key with a forged signature",
    method: "POST",
    path: () => `/api/staff/keys/key_nope/approve`,
    body: () => ({
      signature: randomBytes(65).toString("base64url"),
      validUntilMs: Date.now() + 1e9,
    }),
    by: { signedOut: 401, office: 404, others: 403 },
  },
];

describe("cases API access matrix", () => {
  for (const row of ROWS) {
    it(`${row.method} ${row.name}`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const actor of ALL) {
        const res = await call(actor, row.method, row.path(), row.body?.());
        got[actor] = res.status;
        want[actor] = row.by[actor] ?? row.by.others;
        if (res.status !== 200) {
          expect(res.text, `${actor} got ciphertext`).not.toContain(payloadB64);
          if (actor !== "signedOut" || res.text.startsWith("{")) {
            expect(res.json().error, `${actor}: JSON error`).toBeTruthy();
          }
        }
      }
      expect(got).toEqual(want);
    }, 60_000);
  }

  it("the inbox lists the tip for the team and never for other districts' readers", async () => {
    for (const actor of ["inspector", "leader"] as const) {
      const rows = (await call(actor, "GET", "/api/staff/inbox")).json().tips as { id: string }[];
      expect(rows.map((r) => r.id)).toContain(tipId);
    }
    for (const actor of ["homeLocal", "otherTeam", "office", "liaisonNoKey"] as const) {
      const res = await call(actor, "GET", "/api/staff/inbox");
      expect(res.json().tips).toEqual([]);
      expect(res.text).not.toContain(payloadB64);
    }
  });

  it("bulk triage changes the tip only for its team's readers; nobody else gets a byte of it", async () => {
    for (const actor of ALL) {
      const res = await call(actor, "POST", "/api/staff/tips/bulk", {
        tipIds: [tipId],
        action: { kind: "addLabel", label: `bulk-${actor}` },
      });
      expect(res.text, actor).not.toContain(payloadB64);
      if (actor === "signedOut") {
        expect(res.status).toBe(401);
      } else if (res.status === 200) {
        const { updated, failed } = res.json() as { updated: string[]; failed: unknown[] };
        const reader = actor === "inspector" || actor === "leader";
        expect(updated, actor).toEqual(reader ? [tipId] : []);
        expect(failed, actor).toEqual(reader ? [] : [{ id: tipId, code: "no_access" }]);
      } else {
        expect(res.status, actor).toBe(403);
      }
    }
  });

  it("writes without the CSRF token are refused", async () => {
    const res = await call(
      "inspector",
      "POST",
      `/api/staff/tips/${tipId}/status`,
      { status: "accepted", message: null },
      { csrf: false },
    );
    expect(res.status).toBe(403);
  });

  it("bad input gets a localized 400, never a 500", async () => {
    const bad = [
      ["status", { status: "closed_forever" }],
      ["status", { status: "not_accepted", message: null }],
      [
        "status",
        {
          status: "merged",
          message: { forTipster: blob(0x45), teamCopy: blob(0x44) },
          mergedIntoId: "tip_nope",
        },
      ],
      ["messages", { kind: "to_tipster", forTipster: "***", teamCopy: blob(0x44) }],
      // An unsigned message to the tipster (the old 0x41 format) is refused.
      ["messages", { kind: "to_tipster", forTipster: blob(0x41), teamCopy: blob(0x44) }],
      ["messages", { kind: "internal_note", body: "AA" }],
      ["triage", { priority: "sky-high" }],
      ["triage", { assigneeId: "staff-tj-beichen-local" }],
    ] as const;
    for (const [what, body] of bad) {
      const res = await call("leader", "POST", `/api/staff/tips/${tipId}/${what}`, body);
      expect(res.status, `${what} ${JSON.stringify(body)}`).toBe(400);
      expect(typeof (res.json().error as { message: string }).message).toBe("string");
    }
  });
});

describe("audit coverage (issue 11 item 6)", () => {
  async function auditRows(after: number) {
    const db = await openDb(server.database, { migrate: false });
    try {
      return (await db.select().from(auditLog)).filter((r) => r.seq > after);
    } finally {
      await closeDb(db);
    }
  }
  async function headSeq() {
    const rows = await auditRows(0);
    return rows.length ? Math.max(...rows.map((r) => r.seq)) : 0;
  }

  it("loading a case (page or API) changes nothing but the audit log; a POST marks the tipster's messages read", async () => {
    const db = await openDb(server.database, { migrate: false });
    const { messageId } = await recordTipsterReply(db, tipId, randomBytes(120));
    const readAt = async () =>
      (await db.select().from(messages).where(eq(messages.id, messageId)).limit(1))[0]!
        .readByStaffAt;
    try {
      const before = await headSeq();
      const api = await call("inspector", "GET", `/api/staff/tips/${tipId}`);
      expect(api.status).toBe(200);
      const thread = api.json().thread as { id: string; unread: boolean }[];
      expect(thread.find((m) => m.id === messageId)?.unread).toBe(true);
      expect((await call("inspector", "GET", `/staff/tips/${tipId}`)).status).toBe(200);
      expect(await readAt()).toBeNull();
      expect((await auditRows(before)).map((r) => r.action)).toEqual(["tip.read", "tip.read"]);

      const marked = await call("inspector", "POST", `/api/staff/tips/${tipId}/read`, {});
      expect(marked.status).toBe(200);
      expect(marked.json().marked).toBe(1);
      expect(await readAt()).toBeInstanceOf(Date);
      const after = await auditRows(before);
      expect(after.at(-1)).toMatchObject({
        action: "tip.thread.read",
        actorId: ACTORS.inspector,
        objectId: tipId,
      });
    } finally {
      await closeDb(db);
    }
  });

  it("refused attempts on a tip are audited with who tried what", async () => {
    const before = await headSeq();
    expect((await call("otherTeam", "GET", `/api/staff/tips/${tipId}`)).status).toBe(403);
    expect(
      (
        await call("homeLocal", "POST", `/api/staff/tips/${tipId}/messages`, {
          kind: "internal_note",
          body: blob(),
        })
      ).status,
    ).toBe(403);
    const refused = (await auditRows(before)).filter((r) => r.action === "tip.access.refused");
    expect(refused.map((r) => [r.actorId, r.objectId, JSON.parse(r.detail!).attempted])).toEqual([
      [ACTORS.otherTeam, tipId, "read"],
      [ACTORS.homeLocal, tipId, "internal_note"],
    ]);
  });

  it("every tip whose ciphertext the inbox delivers is audited by id, and the auditor finds it", async () => {
    const before = await headSeq();
    const res = await call("leader", "GET", "/api/staff/inbox");
    const delivered = (res.json().tips as { id: string }[]).map((t) => t.id);
    expect(delivered).toContain(tipId);
    const rows = await auditRows(before);
    expect(rows[0]).toMatchObject({ action: "inbox.read", actorId: ACTORS.leader });
    const audited = rows
      .filter((r) => r.action === "tip.delivered")
      .flatMap((r) => (JSON.parse(r.detail!) as { tips: string }).tips.split(" "));
    expect(audited.sort()).toEqual([...delivered].sort());

    // The inbox page sends no ciphertext: one inbox.read row, no deliveries.
    const mid = await headSeq();
    expect((await call("leader", "GET", "/staff/inbox")).status).toBe(200);
    expect((await auditRows(mid)).map((r) => r.action)).toEqual(["inbox.read"]);

    // The auditor's object filter finds the batched delivery row by the tip's id.
    const db = await openDb(server.database, { migrate: false });
    try {
      const found = await listAudit(db, { object: tipId, page: 1 });
      expect(
        found.rows.some((r) => r.action === "tip.delivered" && r.actor?.id === ACTORS.leader),
      ).toBe(true);
      const other = await listAudit(db, { object: `${tipId}x`, page: 1 });
      expect(other.rows.some((r) => r.action === "tip.delivered")).toBe(false);
    } finally {
      await closeDb(db);
    }
  });
});

describe("identity reveal", () => {
  it("needs a written request approved by a team leader; every step is audited", async () => {
    const path = `/api/staff/tips/${identityTipId}/identity`;
    // No request yet: nothing for anybody.
    expect((await call("inspector", "GET", path)).status).toBe(403);
    // A reason is required.
    expect((await call("inspector", "POST", path, { reason: "看" })).status).toBe(400);
    const asked = await call("inspector", "POST", path, { reason: "需要当面核实补偿款发放情况" });
    expect(asked.status).toBe(200);
    const revealId = asked.json().id as string;
    // Pending: still nothing.
    expect((await call("inspector", "GET", path)).status).toBe(403);
    // The requester cannot approve (no permission), others' teams cannot either.
    for (const actor of ["inspector", "otherTeam", "homeLocal", "office"] as const) {
      const res = await call(actor, "POST", `/api/staff/reveals/${revealId}`, { approve: true });
      expect(res.status, actor).toBe(403);
    }
    expect((await call("inspector", "GET", path)).status).toBe(403);
    // A leader cannot approve their own request.
    const own = await call("leader", "POST", path, { reason: "组长本人申请查看身份信息" });
    const ownRes = await call("leader", "POST", `/api/staff/reveals/${own.json().id as string}`, {
      approve: true,
    });
    expect(ownRes.status).toBe(403);
    // The leader approves the inspector's request: now (and only for them) the block is served.
    expect(
      (await call("leader", "POST", `/api/staff/reveals/${revealId}`, { approve: true })).status,
    ).toBe(200);
    expect((await call("leader", "GET", path)).status).toBe(403);
    const opened = await call("inspector", "GET", path);
    expect(opened.status).toBe(200);
    const { ciphertext, envelope } = opened.json() as { ciphertext: string; envelope: string };

    const db = await openDb(server.database, { migrate: false });
    try {
      const key = (
        await db.select().from(staffKeys).where(eq(staffKeys.staffId, ACTORS.inspector)).limit(1)
      )[0]!;
      const keys = await unwrapStaffKeysCached(
        new Uint8Array(key.wrappedSecretKey),
        DEMO_KEY_PASSPHRASE,
      );
      const identity = openIdentity({
        ciphertext: new Uint8Array(Buffer.from(ciphertext, "base64url")),
        envelope: new Uint8Array(Buffer.from(envelope, "base64url")),
        boxSecretKey: keys.boxSecretKey,
      });
      expect(identity.name).toBe("张三");
      const tip = (await db.select().from(tips).where(eq(tips.id, identityTipId)).limit(1))[0]!;
      expect(tip.identityRevealedAt).toBeInstanceOf(Date);
      const actions = (
        await db.select().from(auditLog).where(eq(auditLog.objectId, identityTipId))
      ).map((r) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining(["identity.request", "identity.approve", "identity.read"]),
      );
      // The reason and the identity never reach the audit log.
      const all = JSON.stringify(await db.select().from(auditLog));
      expect(all).not.toContain("张三");
      expect(all).not.toContain("补偿款发放");
    } finally {
      await closeDb(db);
    }
  });
});

describe("grants", () => {
  it("the server refuses envelopes for a member whose home district is the tip's district", async () => {
    const db = await openDb(server.database, { migrate: false });
    const localKey = (
      await db.select().from(staffKeys).where(eq(staffKeys.staffId, ACTORS.homeLocal)).limit(1)
    )[0]!;
    await closeDb(db);
    const res = await call("inspector", "POST", "/api/staff/grants", {
      staffKeyId: localKey.id,
      envelopes: [{ tipId, envelope: blob(0x11).slice(0, 120) }],
    });
    expect(res.status).toBe(403);
    expect((res.json().error as { code: string }).code).toBe("home_district");
    // The home-district member's key is a real, active, office-signed key: only the rule stops it.
    expect(localKey.status).toBe("active");
  });
});

describe("assistance sharing (issue 10 item 6)", () => {
  it("a visiting member shares one tip with a named local member: only they read it, the team sees it, audited; refused when the resident asked for outsiders only", async () => {
    const text = "韩城桥村干部优亲厚友，分享给本地干部核实";
    const shareable = (await createTestTip(server, { text, onlyOutsiders: false })).tipId;
    const keysOf = async (staffId: string) =>
      withDb(
        server,
        async (db) =>
          (
            await db
              .select()
              .from(staffKeys)
              .where(and(eq(staffKeys.staffId, staffId), eq(staffKeys.status, "active")))
              .limit(1)
          )[0]!,
      );
    const localKey = await keysOf(ACTORS.homeLocal);
    const inspectorKey = await keysOf(ACTORS.inspector);

    // Before: the local member gets no envelope and cannot open it; the leader is offered them.
    expect((await call("homeLocal", "GET", `/api/staff/tips/${shareable}`)).status).toBe(403);
    const before = (await call("leader", "GET", `/api/staff/tips/${shareable}`)).json() as {
      sharing: { onlyOutsiders: boolean; shareTo: { staffId: string; staffKeyId: string }[] };
    };
    expect(before.sharing.onlyOutsiders).toBe(false);
    expect(before.sharing.shareTo.map((c) => [c.staffId, c.staffKeyId])).toEqual([
      [ACTORS.homeLocal, localKey.id],
    ]);
    // The outsiders-only tip offers nobody.
    const ticked = (await call("leader", "GET", `/api/staff/tips/${tipId}`)).json() as {
      sharing: { onlyOutsiders: boolean; shareTo: unknown[] };
    };
    expect(ticked.sharing).toMatchObject({ onlyOutsiders: true, shareTo: [] });

    // The envelope is made as the leader's browser makes it: open mine, wrap to the local key.
    const wrapFor = async (tip: string, to: Uint8Array) =>
      base64urlEncode(
        wrapTipKeyForRecipient(await staffKeysForTip(server, tip, ACTORS.leader), to),
      );
    const reason = "本地组员熟悉韩城桥村的拆迁安置情况，请协助核实。";
    const share = (actor: Actor, tip: string, body: Record<string, unknown>) =>
      call(actor, "POST", `/api/staff/tips/${tip}/shares`, body);
    const toLocal = await wrapFor(shareable, new Uint8Array(localKey.boxPublicKey));

    // Refusals: the resident ticked the box (localized 403), a short reason, a visiting member,
    // a member of another team, no CSRF token.
    const refused = await share("leader", tipId, {
      staffKeyId: localKey.id,
      envelope: await wrapFor(tipId, new Uint8Array(localKey.boxPublicKey)),
      reason,
    });
    expect(refused.status).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: "only_outsiders",
      message: "举报人选择了“只给外地干部看”，这件举报不能分享给本地干部。",
    });
    const short = await share("leader", shareable, {
      staffKeyId: localKey.id,
      envelope: toLocal,
      reason: "帮忙",
    });
    expect([short.status, (short.json().error as { code: string }).code]).toEqual([
      400,
      "bad_reason",
    ]);
    const visiting = await share("leader", shareable, {
      staffKeyId: inspectorKey.id,
      envelope: await wrapFor(shareable, new Uint8Array(inspectorKey.boxPublicKey)),
      reason,
    });
    expect([visiting.status, (visiting.json().error as { code: string }).code]).toEqual([
      400,
      "not_local",
    ]);
    const outsider = await share("otherTeam", shareable, {
      staffKeyId: localKey.id,
      envelope: toLocal,
      reason,
    });
    expect(outsider.status).toBe(403);
    expect(
      (
        await call(
          "leader",
          "POST",
          `/api/staff/tips/${shareable}/shares`,
          { staffKeyId: localKey.id, envelope: toLocal, reason },
          { csrf: false },
        )
      ).status,
    ).toBe(403);
    expect((await call("homeLocal", "GET", `/api/staff/tips/${shareable}`)).status).toBe(403);

    // The share: stored, audited, and the named local member reads exactly this tip.
    const ok = await share("leader", shareable, {
      staffKeyId: localKey.id,
      envelope: toLocal,
      reason,
    });
    expect(ok.status).toBe(200);
    const again = await share("inspector", shareable, {
      staffKeyId: localKey.id,
      envelope: toLocal,
      reason,
    });
    expect([again.status, (again.json().error as { code: string }).code]).toEqual([
      409,
      "already_shared",
    ]);
    const audit = await withDb(server, (db) =>
      db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "tip.share.local"), eq(auditLog.objectId, shareable))),
    );
    expect(
      audit.map((a) => [a.actorId, (JSON.parse(a.detail ?? "{}") as { to: string }).to]),
    ).toEqual([[ACTORS.leader, ACTORS.homeLocal]]);

    const opened = (await call("homeLocal", "GET", `/api/staff/tips/${shareable}`)).json() as {
      shared: boolean;
      ciphertext: { payload: string };
      sharing: { shareTo: unknown[] };
    };
    expect(opened.shared).toBe(true);
    expect(opened.sharing.shareTo).toEqual([]);
    const localTipKeys = await staffKeysForTip(server, shareable, ACTORS.homeLocal);
    expect(openTipPayload(base64urlDecode(opened.ciphertext.payload), localTipKeys).text).toBe(
      text,
    );
    const inbox = (await call("homeLocal", "GET", "/api/staff/inbox")).json() as {
      tips: { id: string }[];
    };
    expect(inbox.tips.map((x) => x.id)).toEqual([shareable]);
    // Nothing else opens for them: not the other 津南 tips, not the identity, not a re-share.
    expect((await call("homeLocal", "GET", `/api/staff/tips/${tipId}`)).status).toBe(403);
    expect(
      (
        await call("homeLocal", "POST", `/api/staff/tips/${shareable}/identity`, {
          reason: "想看看是谁举报的，方便联系。",
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await share("homeLocal", shareable, {
          staffKeyId: localKey.id,
          envelope: toLocal,
          reason,
        })
      ).status,
    ).toBe(403);
    // Another team's member still gets nothing.
    expect((await call("otherTeam", "GET", `/api/staff/tips/${shareable}`)).status).toBe(403);

    // The leader and the rest of the team see who shared it with whom, and why.
    for (const who of ["leader", "inspector"] as const) {
      const seen = (await call(who, "GET", `/api/staff/tips/${shareable}`)).json() as {
        sharing: { shares: { to: { id: string }; by: { id: string }; reason: string }[] };
      };
      expect(seen.sharing.shares).toMatchObject([
        { to: { id: ACTORS.homeLocal }, by: { id: ACTORS.leader }, reason },
      ]);
    }
  });
});

describe("staff key lifecycle", () => {
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");

  it("create (pending) → forged signature refused → office signature verifies (active) → rewrap → revoke", async () => {
    const member = "liaisonNoKey" as const;
    const keys = generateStaffKeys();
    const wrapped = await wrapStaffKeys(keys, "a long member passphrase");
    const created = await call(member, "POST", "/api/staff/keys", {
      op: "create",
      boxPublicKey: b64(keys.boxPublicKey),
      signPublicKey: b64(keys.signPublicKey),
      wrapped: b64(wrapped),
    });
    expect(created.status).toBe(200);
    const keyId = created.json().id as string;
    const mine = (await call(member, "GET", "/api/staff/keys")).json().key as {
      status: string;
      wrapped: string;
    };
    expect(mine.status).toBe("pending");
    expect(mine.wrapped).toBe(b64(wrapped));
    // A second key while one is in use: refused.
    const again = await call(member, "POST", "/api/staff/keys", {
      op: "create",
      boxPublicKey: b64(keys.boxPublicKey),
      signPublicKey: b64(keys.signPublicKey),
      wrapped: b64(wrapped),
    });
    expect(again.status).toBe(409);

    const validUntilMs = Date.now() + 30 * 86_400_000;
    const tuple = approvalTuple(
      ACTORS.liaisonNoKey,
      keys.boxPublicKey,
      "tj-beichen",
      new Date(validUntilMs),
      keys.signPublicKey,
    );
    // Signed by the wrong key (the member's own): the server's check against the office key fails.
    const forged = signStaffKeyApproval(tuple, keys.signSecretKey);
    const refused = await call("office", "POST", `/api/staff/keys/${keyId}/approve`, {
      signature: b64(forged),
      validUntilMs,
    });
    expect(refused.status).toBe(400);
    expect((refused.json().error as { code: string }).code).toBe("bad_signature");
    // Only the office may sign.
    expect(
      (
        await call("leader", "POST", `/api/staff/keys/${keyId}/approve`, {
          signature: b64(forged),
          validUntilMs,
        })
      ).status,
    ).toBe(403);

    const db = await openDb(server.database, { migrate: false });
    const officeRow = (
      await db.select().from(staffKeys).where(eq(staffKeys.staffId, ACTORS.office)).limit(1)
    )[0]!;
    await closeDb(db);
    const office = await unwrapStaffKeysCached(
      new Uint8Array(officeRow.wrappedSecretKey),
      DEMO_KEY_PASSPHRASE,
    );
    const genuine = signStaffKeyApproval(tuple, office.signSecretKey);
    // Issue 10 item 5: an approval lasts at most 400 days, checked by the server too …
    const tooLongMs = Date.now() + 401 * 86_400_000;
    const tooLong = await call("office", "POST", `/api/staff/keys/${keyId}/approve`, {
      signature: b64(
        signStaffKeyApproval(
          approvalTuple(
            ACTORS.liaisonNoKey,
            keys.boxPublicKey,
            "tj-beichen",
            new Date(tooLongMs),
            keys.signPublicKey,
          ),
          office.signSecretKey,
        ),
      ),
      validUntilMs: tooLongMs,
    });
    expect(tooLong.status).toBe(400);
    expect((tooLong.json().error as { code: string }).code).toBe("bad_validity");
    // … and nobody approves their own key, even holding the office role and the office key.
    const asOffice = (on: boolean) =>
      withDb(server, (d) =>
        withTx(d, (tx) =>
          on
            ? tx.insert(staffRoles).values({ staffId: ACTORS.liaisonNoKey, role: "office_admin" })
            : tx
                .delete(staffRoles)
                .where(
                  and(
                    eq(staffRoles.staffId, ACTORS.liaisonNoKey),
                    eq(staffRoles.role, "office_admin"),
                  ),
                ),
        ),
      );
    await asOffice(true);
    const own = await call(member, "POST", `/api/staff/keys/${keyId}/approve`, {
      signature: b64(genuine),
      validUntilMs,
    });
    await asOffice(false);
    expect(own.status).toBe(403);
    expect((own.json().error as { code: string }).code).toBe("own_key");
    const ok = await call("office", "POST", `/api/staff/keys/${keyId}/approve`, {
      signature: b64(genuine),
      validUntilMs,
    });
    expect(ok.status).toBe(200);
    expect(
      ((await call(member, "GET", "/api/staff/keys")).json().key as { status: string }).status,
    ).toBe("active");

    const rewrapped = await wrapStaffKeys(keys, "another long passphrase");
    expect(
      (await call(member, "POST", "/api/staff/keys", { op: "rewrap", wrapped: b64(rewrapped) }))
        .status,
    ).toBe(200);
    expect(
      ((await call(member, "GET", "/api/staff/keys")).json().key as { wrapped: string }).wrapped,
    ).toBe(b64(rewrapped));
    // A weak wrapping (cheap KDF) is refused.
    const weak = await wrapStaffKeys(keys, "x", {
      unsafeTestKdf: { memoryKiB: 64, iterations: 1, parallelism: 1 },
    });
    expect(
      (await call(member, "POST", "/api/staff/keys", { op: "rewrap", wrapped: b64(weak) })).status,
    ).toBe(400);

    expect((await call(member, "POST", "/api/staff/keys", { op: "revoke" })).status).toBe(200);
    expect((await call(member, "GET", "/api/staff/keys")).json().key).toBeNull();
  }, 60_000);
});

describe("office fallback", () => {
  it("a tip routed to the office (no keyed team stationed there) is the office's, nobody else's", async () => {
    const officeTip = await createTestTip(server, { districtId: "tj-beichen", unitId: null });
    const db = await openDb(server.database, { migrate: false });
    const row = (await db.select().from(tips).where(eq(tips.id, officeTip.tipId)).limit(1))[0]!;
    await closeDb(db);
    expect(row.routedTo).toBe("office");
    expect(officeTip.readerIds).toEqual([ACTORS.office]);
    expect((await call("office", "GET", `/api/staff/tips/${officeTip.tipId}`)).status).toBe(200);
    const inbox = (await call("office", "GET", "/api/staff/inbox")).json().tips as { id: string }[];
    expect(inbox.map((r) => r.id)).toEqual([officeTip.tipId]);
    for (const actor of ["inspector", "leader", "otherTeam", "homeLocal"] as const) {
      expect((await call(actor, "GET", `/api/staff/tips/${officeTip.tipId}`)).status, actor).toBe(
        403,
      );
    }
  });
});

describe("leaving the team", () => {
  it("closes the inbox and the case although the old envelope remains", async () => {
    expect((await call("inspector", "GET", `/api/staff/tips/${tipId}`)).status).toBe(200);
    const db = await openDb(server.database, { migrate: false });
    await withTx(db, (tx) =>
      tx
        .update(teamMembers)
        .set({ leftAt: new Date() })
        .where(eq(teamMembers.staffId, ACTORS.inspector)),
    );
    await closeDb(db);
    const res = await call("inspector", "GET", `/api/staff/tips/${tipId}`);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain(payloadB64);
    expect((await call("inspector", "GET", "/api/staff/inbox")).json().tips).toEqual([]);
  });
});
