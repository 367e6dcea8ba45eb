/**
 * The coarse-tipster-times migration (issue 11 item 7; db/migrations/sqlite/0007, pg/0005) on a
 * database that has rows written to the millisecond by the code before it: the database is
 * migrated up to the migration before, rows are written with precise times, and opening it with
 * every migration coarsens them the way app/shared/tipster-time.ts stores new ones. Runs on
 * SQLite and on PostgreSQL (no server: the migrations alone).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, openDb, withTx } from "../../db/client";
import {
  attachments,
  districts,
  jurisdictions,
  messages,
  tipStatusHistory,
  tips,
} from "../../db/schema";
import {
  isShanghaiDayStart,
  shanghaiDayEnd,
  shanghaiDayStart,
} from "../../app/shared/tipster-time";
import { migrationsBefore } from "../support/migrations";
import { createTestDatabase, dropTestDatabase, TEST_PG_URL } from "../support/server";

const TAG = "coarse_tipster_times";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-coarse-"));

let database = "";

afterAll(async () => {
  delete process.env.CROSSWATCH_MIGRATIONS_DIR;
  if (TEST_PG_URL && database) await dropTestDatabase(database);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("migration coarse_tipster_times", () => {
  it("coarsens the tipster's times of rows written before it, keeps staff times and the thread order", async () => {
    database = TEST_PG_URL
      ? await createTestDatabase({ empty: true })
      : path.join(tmp, "crosswatch.db");
    // 2026-11-20 15:04:05.678 Asia/Shanghai (07:04:05.678 UTC), and moments after it.
    const submitted = new Date("2026-11-20T07:04:05.678Z");
    const later = (minutes: number) => new Date(submitted.getTime() + minutes * 60_000);
    const staffReply = later(60); // 16:04 the same day
    const tipsterReply = later(61); // 16:05 the same day: stays after the staff reply
    const nextDay = later(24 * 60 + 5); // the next day

    process.env.CROSSWATCH_MIGRATIONS_DIR = migrationsBefore(TAG, tmp);
    let db = await openDb(database);
    try {
      await withTx(db, async (tx) => {
        await tx.insert(jurisdictions).values({ id: "j", nameZh: "某市", nameEn: "A city" });
        await tx
          .insert(districts)
          .values({ id: "d", jurisdictionId: "j", nameZh: "区", nameEn: "D" });
        await tx.insert(tips).values({
          id: "tip_old",
          targetDistrictId: "d",
          routedTo: "office",
          receiptAuthHash: "h",
          tipsterPublicKey: Buffer.alloc(32),
          tipsterEnvelope: Buffer.alloc(8),
          payload: Buffer.alloc(8),
          submittedVia: "js",
          acknowledgeBy: new Date(submitted.getTime() + 7 * 86_400_000),
          feedbackBy: new Date(submitted.getTime() + 91 * 86_400_000),
          lastTipsterActivityAt: nextDay,
          createdAt: submitted,
        });
        await tx.insert(tipStatusHistory).values([
          { id: "st_received", tipId: "tip_old", status: "received", createdAt: submitted },
          { id: "st_accepted", tipId: "tip_old", status: "accepted", createdAt: later(30) },
        ]);
        await tx.insert(messages).values([
          {
            id: "msg_staff",
            tipId: "tip_old",
            kind: "to_tipster",
            body: Buffer.alloc(8),
            readByTipsterAt: later(62),
            createdAt: staffReply,
          },
          {
            id: "msg_tipster",
            tipId: "tip_old",
            kind: "from_tipster",
            body: Buffer.alloc(8),
            readByStaffAt: later(90),
            createdAt: tipsterReply,
          },
          {
            id: "msg_tipster_next_day",
            tipId: "tip_old",
            kind: "from_tipster",
            body: Buffer.alloc(8),
            createdAt: nextDay,
          },
        ]);
        await tx.insert(attachments).values([
          {
            id: "att_tip",
            tipId: "tip_old",
            header: Buffer.alloc(8),
            chunkCount: 1,
            ciphertextSize: 8,
            createdAt: submitted,
          },
          {
            id: "att_reply",
            tipId: "tip_old",
            messageId: "msg_tipster",
            header: Buffer.alloc(8),
            chunkCount: 1,
            ciphertextSize: 8,
            createdAt: tipsterReply,
          },
        ]);
      });
    } finally {
      await closeDb(db);
    }

    delete process.env.CROSSWATCH_MIGRATIONS_DIR;
    db = await openDb(database);
    try {
      const tip = (await db.select().from(tips).where(eq(tips.id, "tip_old")))[0]!;
      const day = shanghaiDayStart(submitted);
      expect(day.toISOString()).toBe("2026-11-19T16:00:00.000Z");
      expect(tip.createdAt).toEqual(day);
      expect(tip.lastTipsterActivityAt).toEqual(shanghaiDayStart(nextDay));
      expect(tip.acknowledgeBy).toEqual(shanghaiDayEnd(day, 7));
      expect(tip.acknowledgeBy.toISOString()).toBe("2026-11-27T15:59:59.999Z");
      expect(tip.feedbackBy).toEqual(shanghaiDayEnd(day, 91));

      const history = await db
        .select()
        .from(tipStatusHistory)
        .where(eq(tipStatusHistory.tipId, "tip_old"));
      const at = (id: string) => history.find((h) => h.id === id)!.createdAt;
      expect(at("st_received")).toEqual(day);
      expect(at("st_accepted")).toEqual(later(30)); // staff times stay exact

      const thread = await db.select().from(messages).where(eq(messages.tipId, "tip_old"));
      const msg = (id: string) => thread.find((m) => m.id === id)!;
      expect(msg("msg_staff").createdAt).toEqual(staffReply);
      expect(msg("msg_staff").readByTipsterAt).toEqual(day);
      // The same-day reply follows the staff message by 1 ms; the next day's is its day.
      expect(msg("msg_tipster").createdAt).toEqual(new Date(staffReply.getTime() + 1));
      expect(msg("msg_tipster").readByStaffAt).toEqual(later(90));
      expect(msg("msg_tipster_next_day").createdAt).toEqual(shanghaiDayStart(nextDay));
      expect(isShanghaiDayStart(msg("msg_tipster_next_day").createdAt)).toBe(true);

      const files = await db.select().from(attachments).where(eq(attachments.tipId, "tip_old"));
      expect(files.find((f) => f.id === "att_tip")!.createdAt).toEqual(day);
      expect(files.find((f) => f.id === "att_reply")!.createdAt).toEqual(
        msg("msg_tipster").createdAt,
      );
    } finally {
      await closeDb(db);
    }
  });
});
