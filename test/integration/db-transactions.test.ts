/**
 * The transaction helper (db/client.ts, ADR 009) on the engine this run uses: a real SQLite file
 * (WAL, separate read and write connections) or a fresh PostgreSQL database.
 *
 * The hazard it exists for: better-sqlite3 is one synchronous connection, and an async
 * transaction callback yields at every `await`. Without the write queue, another request's write
 * issued meanwhile would run inside the open transaction and be rolled back with it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  closeDb,
  openDb,
  pgWrite,
  SQLITE_CACHE_SIZE,
  sqliteConnections,
  withTx,
  type Db,
  type Tx,
} from "../../db/client";
import { jurisdictions } from "../../db/schema";
import { createTestDatabase, TEST_ENGINE } from "../support/server";

const opened: Db[] = [];

async function freshDb(): Promise<{ db: Db; target: string }> {
  const target =
    TEST_ENGINE === "pg"
      ? await createTestDatabase()
      : path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-tx-")), "t.db");
  const db = await openDb(target);
  opened.push(db);
  return { db, target };
}

async function reopen(target: string): Promise<Db> {
  const db = await openDb(target, { migrate: false });
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) await closeDb(db);
});

const row = (id: string) => ({ id, nameZh: id, nameEn: id });
const ids = async (db: Db) =>
  (await db.select({ id: jurisdictions.id }).from(jurisdictions)).map((r) => r.id).sort();

/** A promise and the function that resolves it. */
function gate() {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { open, wait };
}

describe(`withTx on ${TEST_ENGINE}`, () => {
  it("a write issued while a transaction awaits survives that transaction's rollback", async () => {
    const { db, target } = await freshDb();
    const inside = gate();
    const finish = gate();
    const doomed = withTx(db, async (tx) => {
      await tx.insert(jurisdictions).values(row("rolled-back"));
      inside.open();
      await finish.wait; // the transaction is open and waiting, like a request awaiting I/O
      await tx.insert(jurisdictions).values(row("rolled-back-too"));
      throw new Error("abort");
    });
    await inside.wait;
    try {
      // Reads outside the transaction see committed data only.
      expect(await ids(db)).toEqual([]);
      // Another request writes now (SQLite: it waits for the open transaction; PostgreSQL: it
      // commits on a connection of its own).
      const concurrent = withTx(db, (tx) => tx.insert(jurisdictions).values(row("concurrent")));
      finish.open();
      await expect(doomed).rejects.toThrow("abort");
      await concurrent;
    } finally {
      finish.open();
    }

    expect(await ids(db)).toEqual(["concurrent"]);
    // And so does a second handle (another connection): nothing of the rolled-back one.
    expect(await ids(await reopen(target))).toEqual(["concurrent"]);
  });

  it("commits before it resolves: a second connection sees the row at once", async () => {
    const { db, target } = await freshDb();
    const other = await reopen(target);
    await withTx(db, (tx) => tx.insert(jurisdictions).values(row("committed")));
    expect(await ids(other)).toEqual(["committed"]);
  });

  it("reads through tx see the transaction's own writes; reads through db do not", async () => {
    const { db } = await freshDb();
    await withTx(db, async (tx) => {
      await tx.insert(jurisdictions).values(row("mine"));
      expect(await ids(tx)).toEqual(["mine"]);
      expect(await ids(db)).toEqual([]);
    });
    expect(await ids(db)).toEqual(["mine"]);
  });

  it("a write outside withTx fails instead of committing on its own or joining a transaction", async () => {
    const { db } = await freshDb();
    const stray = db as unknown as Tx; // what a type cast would smuggle past the compiler
    await expect(
      Promise.resolve().then(() => stray.insert(jurisdictions).values(row("stray"))),
    ).rejects.toThrow();
    expect(await ids(db)).toEqual([]);
  });

  it("nested withTx(tx) is a savepoint: its rollback keeps the outer writes", async () => {
    const { db } = await freshDb();
    await withTx(db, async (tx) => {
      await tx.insert(jurisdictions).values(row("outer"));
      await expect(
        withTx(tx, async (inner) => {
          await inner.insert(jurisdictions).values(row("inner"));
          throw new Error("inner fails");
        }),
      ).rejects.toThrow("inner fails");
      await tx
        .update(jurisdictions)
        .set({ nameEn: "still usable" })
        .where(eq(jurisdictions.id, "outer"));
    });
    expect(await ids(db)).toEqual(["outer"]);
  });

  it("refuses withTx(db) inside a transaction (it would wait for itself) and a tx used after its end", async () => {
    const { db } = await freshDb();
    let leaked: Tx | undefined;
    await expect(
      withTx(db, async (tx) => {
        leaked = tx;
        await withTx(db, (again) => again.insert(jurisdictions).values(row("deadlock")));
      }),
    ).rejects.toThrow(/inside a transaction/);
    expect(() => leaked!.insert(jurisdictions)).toThrow(/after its transaction ended/);
    expect(await ids(db)).toEqual([]);
  });

  it("pgWrite: one statement commits on its own before it resolves, all or nothing; refused inside a transaction; null on SQLite", async () => {
    const { db, target } = await freshDb();
    const text =
      "with a as (insert into jurisdictions (id, name_zh, name_en) values ($1, $1, $1) returning id) " +
      "insert into jurisdictions (id, name_zh, name_en) select $2, $2, $2 from a returning id";
    const rows = await pgWrite(db, "cw_test_pg_write", text, ["w1", "w2"]);
    if (TEST_ENGINE !== "pg") {
      expect(rows).toBeNull();
      expect(await ids(db)).toEqual([]);
      return;
    }
    expect(rows).toEqual([["w2"]]);
    // Committed: another handle's connection sees both rows at once.
    expect(await ids(await reopen(target))).toEqual(["w1", "w2"]);
    // The second insert fails (w1 taken): the first one's row (w3) is not stored either.
    await expect(pgWrite(db, "cw_test_pg_write", text, ["w3", "w1"])).rejects.toMatchObject({
      code: "23505",
    });
    expect(await ids(db)).toEqual(["w1", "w2"]);
    await expect(
      withTx(db, () => pgWrite(db, "cw_test_pg_write", text, ["w4", "w5"])),
    ).rejects.toThrow(/inside a transaction/);
    expect(await ids(db)).toEqual(["w1", "w2"]);
  });

  it("runs many concurrent transactions to completion, each one whole", async () => {
    const { db } = await freshDb();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        withTx(db, async (tx) => {
          await tx.insert(jurisdictions).values(row(`a${String(i).padStart(2, "0")}`));
          await new Promise((r) => setTimeout(r, i % 3));
          await tx.insert(jurisdictions).values(row(`b${String(i).padStart(2, "0")}`));
        }),
      ),
    );
    expect(await ids(db)).toHaveLength(80);
  });

  it.runIf(TEST_ENGINE === "sqlite")(
    "group commit: queued transactions share one COMMIT, each resolves only after it, a failing one rolls back alone",
    async () => {
      const { db, target } = await freshDb();
      const inside = gate();
      const finish = gate();
      const resolved: string[] = [];
      let seenByReaderInSecond: string[] | null = null;
      const first = withTx(db, async (tx) => {
        await tx.insert(jurisdictions).values(row("first"));
        inside.open();
        await finish.wait;
      }).then(() => resolved.push("first"));
      await inside.wait;
      // Queued while the first one is open: these join its commit.
      const second = withTx(db, async (tx) => {
        await tx.insert(jurisdictions).values(row("second"));
        // The first one has finished its work but is not committed yet: outside readers see
        // nothing of it, and its caller is still waiting.
        seenByReaderInSecond = await ids(db);
        expect(resolved).toEqual([]);
      }).then(() => resolved.push("second"));
      const failing = withTx(db, async (tx) => {
        await tx.insert(jurisdictions).values(row("failing"));
        throw new Error("abort");
      });
      const third = withTx(db, (tx) => tx.insert(jurisdictions).values(row("third"))).then(() =>
        resolved.push("third"),
      );
      finish.open();
      await expect(failing).rejects.toThrow("abort");
      await Promise.all([first, second, third]);
      expect(seenByReaderInSecond).toEqual([]);
      expect(resolved.sort()).toEqual(["first", "second", "third"]);
      expect(await ids(await reopen(target))).toEqual(["first", "second", "third"]);
    },
  );

  // Issue 13 item 7: better-sqlite3 compiles in a 16 MB page cache per connection; the server
  // keeps SQLite's own 2 MB default on both (≈ 30 MB less resident memory, docs/benchmarks.md).
  it.runIf(TEST_ENGINE === "sqlite")("both connections keep a 2 MB page cache", async () => {
    const { db } = await freshDb();
    const conns = sqliteConnections(db)!;
    expect(SQLITE_CACHE_SIZE).toBe(-2000);
    for (const conn of [conns.writer, conns.reader]) {
      expect(conn.pragma("cache_size", { simple: true })).toBe(SQLITE_CACHE_SIZE);
    }
  });

  it.runIf(TEST_ENGINE === "sqlite")(
    "resolves only after the WAL file is synced (off the event loop); a group opened meanwhile commits when that sync returns, in the next sync",
    async () => {
      const { db, target } = await freshDb();
      // Node's own FileHandle.datasync, held until the test lets it go: the WAL sync's return.
      const probe = await fs.promises.open(target, "r");
      const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
      await probe.close();
      const original = proto.datasync;
      const synced: string[] = [];
      const release = gate();
      proto.datasync = async function (this: fs.promises.FileHandle) {
        await release.wait;
        await original.call(this);
        synced.push("sync");
      };
      try {
        const resolved: string[] = [];
        const first = withTx(db, (tx) => tx.insert(jurisdictions).values(row("first"))).then(() =>
          resolved.push("first"),
        );
        // Committed (a second connection reads it) but not answered: its sync has not returned.
        const other = await reopen(target);
        for (let i = 0; i < 100 && (await ids(other)).length === 0; i++) {
          await new Promise((r) => setImmediate(r));
        }
        expect(await ids(other)).toEqual(["first"]);
        // The event loop is free meanwhile: another transaction runs while the sync waits, in a
        // group that stays open for company until that sync returns (its COMMIT could not be
        // synced earlier anyway), so nobody reads it yet.
        let secondRan = false;
        const second = withTx(db, async (tx) => {
          await tx.insert(jurisdictions).values(row("second"));
          secondRan = true;
        }).then(() => resolved.push("second"));
        for (let i = 0; i < 100 && !secondRan; i++) await new Promise((r) => setImmediate(r));
        expect(secondRan).toBe(true);
        for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
        expect(await ids(other)).toEqual(["first"]);
        expect(resolved).toEqual([]);
        expect(synced).toEqual([]);
        release.open();
        await Promise.all([first, second]);
        expect(await ids(other)).toEqual(["first", "second"]);
        expect(resolved).toEqual(["first", "second"]);
        // One sync for the first commit, one for the group committed when it returned.
        expect(synced).toEqual(["sync", "sync"]);
      } finally {
        release.open();
        proto.datasync = original;
      }
    },
  );
});
