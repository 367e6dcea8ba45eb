import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDb, withTx } from "../../db/client";
import { auditLog } from "../../db/schema";
import {
  appendAudit,
  formatAuditAnchor,
  parseAuditAnchor,
  verifyAuditChain,
  type AuditAnchor,
} from "~/services/audit.server";
import type { Db } from "../../db/client";
import { rewriteAuditRow } from "../support/audit-tamper";

async function anchorOf(db: Db): Promise<AuditAnchor> {
  const v = await verifyAuditChain(db);
  if (!v.ok) throw new Error("chain broken");
  return { rows: v.rows, hash: v.head };
}

async function chainOf(n: number) {
  const db = await openDb(":memory:");
  for (let i = 0; i < n; i++) {
    await withTx(db, (tx) =>
      appendAudit(tx, {
        actorId: null,
        action: "tip.read",
        objectType: "tip",
        objectId: `tip-${i}`,
        detail: { i, b: "x", a: true },
      }),
    );
  }
  return db;
}

describe("audit chain", () => {
  it("verifies an intact chain", async () => {
    const v = await verifyAuditChain(await chainOf(5));
    expect(v).toMatchObject({ ok: true, rows: 5 });
  });

  it("names the first broken row after any one field of any one row is edited", async () => {
    for (const column of ["action", "objectId", "detail", "actorId", "at"] as const) {
      for (const seq of [1, 3, 5]) {
        const db = await chainOf(5);
        const value = column === "at" ? new Date(12345) : "tampered";
        await withTx(db, (tx) =>
          tx
            .update(auditLog)
            .set({ [column]: value })
            .where(eq(auditLog.seq, seq)),
        );
        expect(await verifyAuditChain(db), `${column}@${seq}`).toMatchObject({
          ok: false,
          brokenSeq: seq,
        });
      }
    }
  });

  it("detects a deleted row in the middle", async () => {
    const db = await chainOf(5);
    await withTx(db, (tx) => tx.delete(auditLog).where(eq(auditLog.seq, 3)));
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      brokenSeq: 4,
      reason: "sequence",
    });
  });

  it("rolls back with the action it records", async () => {
    const db = await chainOf(1);
    await expect(
      withTx(db, async (tx) => {
        await appendAudit(tx, {
          actorId: null,
          action: "tip.status.set",
          objectType: "tip",
          objectId: "t",
        });
        throw new Error("action failed");
      }),
    ).rejects.toThrow("action failed");
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, rows: 1 });
  });

  it("a rewritten older row is caught by an anchor even when the writer recomputes the chain", async () => {
    const db = await chainOf(5);
    const anchor = await anchorOf(db);
    // Three more rows after the anchor was recorded off the server.
    for (let i = 5; i < 8; i++) {
      await withTx(db, (tx) =>
        appendAudit(tx, {
          actorId: null,
          action: "tip.read",
          objectType: "tip",
          objectId: `t${i}`,
        }),
      );
    }
    expect(await verifyAuditChain(db, { anchors: [anchor] })).toMatchObject({ ok: true, rows: 8 });

    // Row 2 (before the anchor) rewritten, every hash recomputed: the chain alone is fine.
    await rewriteAuditRow(db, 2, '{"innocent":true}');
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, rows: 8 });
    // Against the anchor: broken at the anchored row, as a rewrite.
    expect(await verifyAuditChain(db, { anchors: [anchor] })).toMatchObject({
      ok: false,
      brokenSeq: 5,
      reason: "anchor_hash",
    });

    // A rewrite after the anchor is not covered by it (the chain is not a signature)…
    const db2 = await chainOf(8);
    const early = {
      rows: 5,
      hash: (await db2.select().from(auditLog).where(eq(auditLog.seq, 5)))[0]!.hash,
    };
    await rewriteAuditRow(db2, 7, '{"innocent":true}');
    expect(await verifyAuditChain(db2, { anchors: [early] })).toMatchObject({ ok: true });
    // …but a later anchor covers it.
    const db3 = await chainOf(8);
    const late = await anchorOf(db3);
    await rewriteAuditRow(db3, 7, '{"innocent":true}');
    expect(await verifyAuditChain(db3, { anchors: [late] })).toMatchObject({
      ok: false,
      brokenSeq: 8,
      reason: "anchor_hash",
    });
  });

  it("an anchor catches a cut tail, and the chain must continue intact from it", async () => {
    const db = await chainOf(6);
    const anchor = await anchorOf(db);
    await withTx(db, (tx) => tx.delete(auditLog).where(eq(auditLog.seq, 6)));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, rows: 5 });
    expect(await verifyAuditChain(db, { anchors: [anchor] })).toMatchObject({
      ok: false,
      brokenSeq: 6,
      reason: "anchor_missing",
    });
    // Cut and re-grown to the same length: the anchored row differs.
    await withTx(db, (tx) =>
      appendAudit(tx, { actorId: null, action: "tip.read", objectType: "tip", objectId: "x" }),
    );
    expect(await verifyAuditChain(db, { anchors: [anchor] })).toMatchObject({
      ok: false,
      brokenSeq: 6,
      reason: "anchor_hash",
    });
    // A row edited after an anchor that still holds: the walk goes on past the anchor.
    const db2 = await chainOf(6);
    const a3 = {
      rows: 3,
      hash: (await db2.select().from(auditLog).where(eq(auditLog.seq, 3)))[0]!.hash,
    };
    await withTx(db2, (tx) => tx.update(auditLog).set({ detail: "{}" }).where(eq(auditLog.seq, 5)));
    expect(await verifyAuditChain(db2, { anchors: [a3] })).toMatchObject({
      ok: false,
      brokenSeq: 5,
      reason: "hash",
    });
  });

  it("parses anchors strictly and formats them back", () => {
    const hash = "ab".repeat(32);
    expect(parseAuditAnchor(` 61:${hash.toUpperCase()} `)).toEqual({ rows: 61, hash });
    expect(formatAuditAnchor({ rows: 61, hash })).toBe(`61:${hash}`);
    for (const bad of [
      "",
      "61",
      `0:${hash}`,
      `-1:${hash}`,
      `61:${hash}0`,
      `61:${hash.slice(1)}`,
      `x:${hash}`,
      `61:${"g".repeat(64)}`,
      `1e3:${hash}`,
    ])
      expect(parseAuditAnchor(bad), bad).toBeNull();
  });
});
