import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDb, withTx } from "../../db/client";
import { auditLog } from "../../db/schema";
import { appendAudit, verifyAuditChain } from "~/services/audit.server";

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
});
