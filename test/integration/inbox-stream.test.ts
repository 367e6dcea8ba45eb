/**
 * The streamed inbox answers (`GET /api/staff/inbox?format=records` — binary records, what the
 * page reads — and `?format=ndjson`, ADR 028) against the real server: every tip the JSON answer lists arrives exactly once, in the same order, across many
 * of the server's ciphertext chunks (no tip skipped or repeated at a chunk edge, ties in the
 * received time included), with the same ciphertext, an end line with the count, the same
 * permission and the same audit (one `inbox.read`, every delivered id named once).
 */
import { randomBytes } from "node:crypto";
import { eq, gt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64urlDecode, openTipPayload } from "../../crypto/index";
import { withTx } from "../../db/client";
import { auditLog, tipEnvelopes, tips, tipStatusHistory } from "../../db/schema";
import { CIPHERTEXT_CHUNK } from "~/services/inbox.server";
import { parseRecords, RECORDS_CONTENT_TYPE, RecordRuns } from "~/shared/inbox-records";
import { loginAs } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";
import { createTestTip, staffKeysForTip, withDb } from "../support/tip-fixture";

const INSPECTOR = "staff-tj-beichen-inspector1";
const HOME_LOCAL = "staff-tj-jinnan-local";
const AUDITOR = "staff-tj-auditor";
/** More than two chunks, and not a multiple of the chunk size. */
const COPIES = CIPHERTEXT_CHUNK * 2 + 37;

let server: RunningServer;
let firstTip: string;

beforeAll(async () => {
  server = await startServer();
  firstTip = (await createTestTip(server, { text: "韩城桥村干部虚报冒领拆迁补偿款" })).tipId;
  // Copies of that tip's rows under new ids: many tips share one received time, so the order
  // between them is decided by id, the tie-break both answers use.
  await withDb(server, async (db) => {
    const [tip] = await db.select().from(tips).where(eq(tips.id, firstTip));
    const envs = await db.select().from(tipEnvelopes).where(eq(tipEnvelopes.tipId, firstTip));
    await withTx(db, async (tx) => {
      for (let i = 0; i < COPIES; i++) {
        const id = `tip_${randomBytes(12).toString("base64url")}`;
        const createdAt = new Date(tip!.createdAt.getTime() - Math.floor(i / 7) * 60_000);
        await tx
          .insert(tips)
          .values({ ...tip!, id, createdAt, receiptAuthHash: randomBytes(32).toString("hex") });
        for (const e of envs) {
          await tx.insert(tipEnvelopes).values({
            ...e,
            id: `env_${randomBytes(12).toString("base64url")}`,
            tipId: id,
            createdAt,
          });
        }
        await tx.insert(tipStatusHistory).values({
          id: `st_${randomBytes(12).toString("base64url")}`,
          tipId: id,
          status: "received",
          createdAt,
        });
      }
    });
  });
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

async function get(staffId: string | null, path: string) {
  const headers: Record<string, string> = {};
  if (staffId) headers.Cookie = (await loginAs(server.database, staffId)).cookie;
  const res = await fetch(`${server.url}${path}`, { headers, redirect: "manual" });
  return { res, text: await res.text() };
}

type Line = { id: string; payload: string; envelope: string } | { end: true; count: number };

function parse(text: string): Line[] {
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((l) => JSON.parse(l) as Line);
}

const headSeq = () =>
  withDb(server, async (db) => {
    const rows = await db.select({ seq: auditLog.seq }).from(auditLog);
    return Math.max(0, ...rows.map((r) => r.seq));
  });

/** What a ciphertext answer leaves in the audit log after `before`: one inbox.read, every tip once. */
async function expectAuditedOnce(before: number, ids: string[]) {
  const rows = await withDb(server, (db) =>
    db.select().from(auditLog).where(gt(auditLog.seq, before)).orderBy(auditLog.seq),
  );
  expect(rows.filter((r) => r.action === "inbox.read")).toHaveLength(1);
  expect(rows[0]).toMatchObject({ action: "inbox.read", actorId: INSPECTOR });
  expect(JSON.parse(rows[0]!.detail!)).toEqual({ count: ids.length, ciphertext: true });
  const delivered = rows
    .filter((r) => r.action === "tip.delivered")
    .flatMap((r) => (JSON.parse(r.detail!) as { tips: string }).tips.split(" "));
  expect(delivered.sort()).toEqual([...ids].sort());
}

describe("GET /api/staff/inbox?format=ndjson", () => {
  it("streams every listed tip exactly once, in the JSON answer's order, then the count", async () => {
    const { res, text } = await get(INSPECTOR, "/api/staff/inbox?format=ndjson");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(res.headers.get("content-encoding")).toBeNull();
    const lines = parse(text);
    const last = lines.at(-1)!;
    const tipsLines = lines.slice(0, -1) as Extract<Line, { id: string }>[];
    expect(last).toEqual({ end: true, count: tipsLines.length });
    expect(tipsLines.every((l) => "id" in l && !("end" in l))).toBe(true);

    const json = JSON.parse((await get(INSPECTOR, "/api/staff/inbox")).text) as {
      tips: { id: string; payload: string; envelope: string }[];
    };
    expect(json.tips.length).toBe(COPIES + 1);
    const ids = tipsLines.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(json.tips.map((t) => t.id));
    expect(tipsLines).toEqual(
      json.tips.map((t) => ({ id: t.id, payload: t.payload, envelope: t.envelope })),
    );

    // What arrives opens with the inspector's key.
    const mine = tipsLines.find((l) => l.id === firstTip)!;
    const keys = await staffKeysForTip(server, firstTip, INSPECTOR);
    expect(openTipPayload(base64urlDecode(mine.payload), keys).text).toBe(
      "韩城桥村干部虚报冒领拆迁补偿款",
    );
  });

  it("is audited like the JSON answer: one inbox.read, every delivered tip named once", async () => {
    const before = await headSeq();
    const { text } = await get(INSPECTOR, "/api/staff/inbox?format=ndjson");
    const ids = parse(text)
      .slice(0, -1)
      .map((l) => (l as { id: string }).id);
    await expectAuditedOnce(before, ids);
  });

  it("needs the same permission, lists nothing to a home-district member, refuses a bad format", async () => {
    expect((await get(null, "/api/staff/inbox?format=ndjson")).res.status).toBe(401);
    const auditor = await get(AUDITOR, "/api/staff/inbox?format=ndjson");
    expect(auditor.res.status).toBe(403);
    expect(auditor.text).not.toContain(firstTip);

    const local = await get(HOME_LOCAL, "/api/staff/inbox?format=ndjson");
    expect(local.res.status).toBe(200);
    expect(parse(local.text)).toEqual([{ end: true, count: 0 }]);

    const bad = await get(INSPECTOR, "/api/staff/inbox?format=xml");
    expect(bad.res.status).toBe(400);
    expect((JSON.parse(bad.text) as { error: { code: string } }).error.code).toBe("bad_request");
  });
});

async function getRecords(staffId: string | null) {
  const headers: Record<string, string> = {};
  if (staffId) headers.Cookie = (await loginAs(server.database, staffId)).cookie;
  const res = await fetch(`${server.url}/api/staff/inbox?format=records`, {
    headers,
    redirect: "manual",
  });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

function readRecords(bytes: Uint8Array) {
  const runs = new RecordRuns();
  const run = runs.push(bytes);
  expect(runs.rest).toBe(0);
  return parseRecords(run!);
}

describe("GET /api/staff/inbox?format=records", () => {
  it("sends every listed tip exactly once, in the JSON answer's order, byte for byte, then the count", async () => {
    const { res, bytes } = await getRecords(INSPECTOR);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(RECORDS_CONTENT_TYPE);
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(res.headers.get("content-encoding")).toBeNull();
    const { tips: got, end } = readRecords(bytes);
    expect(end).toBe(got.length);

    const json = JSON.parse((await get(INSPECTOR, "/api/staff/inbox")).text) as {
      tips: { id: string; payload: string; envelope: string }[];
    };
    expect(got.length).toBe(COPIES + 1);
    const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
    expect(
      got.map((t) => ({ id: t.id, payload: b64(t.payload), envelope: b64(t.envelope) })),
    ).toEqual(json.tips.map((t) => ({ id: t.id, payload: t.payload, envelope: t.envelope })));
    // A quarter fewer bytes than the same tips as base64 lines.
    const lines = await get(INSPECTOR, "/api/staff/inbox?format=ndjson");
    expect(bytes.length).toBeLessThan(0.8 * Buffer.byteLength(lines.text));

    const mine = got.find((t) => t.id === firstTip)!;
    const keys = await staffKeysForTip(server, firstTip, INSPECTOR);
    expect(openTipPayload(mine.payload, keys).text).toBe("韩城桥村干部虚报冒领拆迁补偿款");
  });

  it("is audited like the JSON answer: one inbox.read, every delivered tip named once", async () => {
    const before = await headSeq();
    const ids = readRecords((await getRecords(INSPECTOR)).bytes).tips.map((t) => t.id);
    await expectAuditedOnce(before, ids);
  });

  it("needs the same permission and lists nothing to a home-district member", async () => {
    expect((await getRecords(null)).res.status).toBe(401);
    const auditor = await getRecords(AUDITOR);
    expect(auditor.res.status).toBe(403);
    expect(Buffer.from(auditor.bytes).toString("latin1")).not.toContain(firstTip);
    const local = await getRecords(HOME_LOCAL);
    expect(local.res.status).toBe(200);
    expect(readRecords(local.bytes)).toEqual({ tips: [], end: 0 });
  });
});
