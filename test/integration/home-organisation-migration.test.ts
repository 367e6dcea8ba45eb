/**
 * The home-organisation migration (issue 10 item 2; db/migrations/sqlite/0009, pg/0007) on a
 * database an older release wrote: staff rows written before it keep everything and get no
 * organisation (null: the office records it on the staff page), and the column takes a value.
 * Runs on SQLite and on PostgreSQL (no server: the migrations alone, as `openDb` runs them on
 * start).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, openDb, withTx } from "../../db/client";
import { id, table, text } from "../../db/columns";
import { districts, jurisdictions, staffUsers } from "../../db/schema";
import { migrationsBefore } from "../support/migrations";
import { createTestDatabase, dropTestDatabase, TEST_PG_URL } from "../support/server";

const TAG = "home_organisation";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-home-org-"));

/** staff_users as the release before the migration wrote it (the columns written here). */
const oldStaffUsers = table("staff_users", {
  id: id(),
  username: text("username").notNull(),
  displayName: text("display_name").notNull(),
  jurisdictionId: text("jurisdiction_id").notNull(),
  homeDistrictId: text("home_district_id"),
});

let database = "";

afterAll(async () => {
  delete process.env.CROSSWATCH_MIGRATIONS_DIR;
  if (TEST_PG_URL && database) await dropTestDatabase(database);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("migration home_organisation", () => {
  it("keeps the staff rows written before it, with no organisation, and then stores one", async () => {
    database = TEST_PG_URL
      ? await createTestDatabase({ empty: true })
      : path.join(tmp, "crosswatch.db");
    process.env.CROSSWATCH_MIGRATIONS_DIR = migrationsBefore(TAG, tmp);
    let db = await openDb(database);
    try {
      await withTx(db, async (tx) => {
        await tx.insert(jurisdictions).values({ id: "sc", nameZh: "四川省", nameEn: "Sichuan" });
        await tx
          .insert(districts)
          .values({ id: "nj", jurisdictionId: "sc", nameZh: "内江市", nameEn: "Neijiang" });
        await tx.insert(oldStaffUsers).values({
          id: "staff-old",
          username: "nj.old",
          displayName: "老干部",
          jurisdictionId: "sc",
          homeDistrictId: "nj",
        });
      });
    } finally {
      await closeDb(db);
    }

    delete process.env.CROSSWATCH_MIGRATIONS_DIR;
    db = await openDb(database);
    try {
      const [before] = await db.select().from(staffUsers).where(eq(staffUsers.id, "staff-old"));
      expect(before).toMatchObject({
        username: "nj.old",
        displayName: "老干部",
        homeDistrictId: "nj",
        homeOrganisation: null,
        failedLogins: 0,
      });
      await withTx(db, (tx) =>
        tx
          .update(staffUsers)
          .set({ homeOrganisation: "威远县委巡察办" })
          .where(eq(staffUsers.id, "staff-old")),
      );
      const [after] = await db.select().from(staffUsers).where(eq(staffUsers.id, "staff-old"));
      expect(after?.homeOrganisation).toBe("威远县委巡察办");
    } finally {
      await closeDb(db);
    }
  });
});
