import { describe, expect, it } from "vitest";
import { openDb } from "../../db/client";
import { appendAudit, verifyAuditChain } from "~/services/audit.server";

function chainOf(n: number) {
  const db = openDb(":memory:");
  for (let i = 0; i < n; i++) {
    appendAudit(db, {
      actorId: null,
      action: "tip.read",
      objectType: "tip",
      objectId: `tip-${i}`,
      detail: { i, b: "x", a: true },
    });
  }
  return db;
}

describe("audit chain", () => {
  it("verifies an intact chain", () => {
    const v = verifyAuditChain(chainOf(5));
    expect(v).toMatchObject({ ok: true, rows: 5 });
  });

  it("names the first broken row after any one field of any one row is edited", () => {
    for (const column of ["action", "object_id", "detail", "actor_id", "at"]) {
      for (const seq of [1, 3, 5]) {
        const db = chainOf(5);
        const value = column === "at" ? 12345 : "tampered";
        db.$client.prepare(`update audit_log set ${column} = ? where seq = ?`).run(value, seq);
        expect(verifyAuditChain(db), `${column}@${seq}`).toMatchObject({
          ok: false,
          brokenSeq: seq,
        });
      }
    }
  });

  it("detects a deleted row in the middle", () => {
    const db = chainOf(5);
    db.$client.prepare("delete from audit_log where seq = 3").run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenSeq: 4, reason: "sequence" });
  });

  it("rolls back with the action it records", () => {
    const db = chainOf(1);
    expect(() =>
      db.transaction(() => {
        appendAudit(db, {
          actorId: null,
          action: "tip.status.set",
          objectType: "tip",
          objectId: "t",
        });
        throw new Error("action failed");
      }),
    ).toThrow("action failed");
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 1 });
  });
});
