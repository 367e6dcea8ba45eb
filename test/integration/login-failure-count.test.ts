/**
 * The per-account failure count (staff_users.failed_logins, the per-name lock over every client)
 * on the engine this run uses. Parallel wrong passwords from many clients must each count: on
 * PostgreSQL a read of the count followed by a write of count + 1 loses failures under READ
 * COMMITTED, and a guesser spread over many addresses then gets more than the 25 free guesses.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, openDb, withTx, type Db } from "../../db/client";
import { auditLog, jurisdictions, staffUsers } from "../../db/schema";
import { completeSecondFactor, getPendingSession, passwordLogin } from "~/services/auth.server";
import { DEFAULT_LOCKOUT, globalLockoutPolicy, LoginGuard } from "~/services/lockout.server";
import { hashPassword } from "~/services/passwords.server";
import { SESSION_COOKIE } from "~/services/sessions.server";
import { createTestDatabase, TEST_ENGINE } from "../support/server";

let db: Db;
const staffId = "staff-count-me";
beforeAll(async () => {
  const target =
    TEST_ENGINE === "pg"
      ? await createTestDatabase()
      : path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-failcount-")), "t.db");
  db = await openDb(target);
  const passwordHash = await hashPassword("the-right-passphrase");
  await withTx(db, async (tx) => {
    await tx.insert(jurisdictions).values({ id: "j-test", nameZh: "测试", nameEn: "Test" });
    await tx.insert(staffUsers).values({
      id: staffId,
      username: "count.me",
      displayName: "Count Me",
      jurisdictionId: "j-test",
      passwordHash,
    });
  });
}, 60_000);

afterAll(async () => {
  if (db) await closeDb(db);
});

/** failed_logins and the numbers its audit entries carry, in order. */
async function counted(): Promise<{ failures: number; numbers: number[] }> {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, staffId));
  const audited = await db
    .select({ detail: auditLog.detail })
    .from(auditLog)
    .where(eq(auditLog.action, "auth.login.failed"));
  const numbers = audited
    .map((a) => (JSON.parse(String(a.detail)) as { failures: number }).failures)
    .sort((a, b) => a - b);
  return { failures: user!.failedLogins, numbers };
}
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe(`failed sign-ins on ${TEST_ENGINE}`, () => {
  it("15 parallel wrong passwords from 15 clients count 15 failures, each with its own number", async () => {
    const guard = new LoginGuard();
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        passwordLogin(
          db,
          { username: "count.me", password: `guess-${i}` },
          { policy: DEFAULT_LOCKOUT, guard, clientKey: `client-${i}` },
        ),
      ),
    );
    // 15 at a time fit the hashing queue (16 waiting), so each one is a counted guess; within
    // the 25 free failures over every client and one guess per client, none is locked.
    expect(results.map((r) => r.kind)).toEqual(Array(15).fill("invalid"));
    expect(globalLockoutPolicy(DEFAULT_LOCKOUT).freeAttempts).toBeGreaterThan(15);
    expect(await counted()).toEqual({ failures: 15, numbers: oneTo(15) });
  }, 60_000);

  it("20 parallel wrong second factors (no hash between them, so their writes overlap) count 20 more", async () => {
    const guard = new LoginGuard();
    const signedIn = await passwordLogin(
      db,
      { username: "count.me", password: "the-right-passphrase" },
      { policy: DEFAULT_LOCKOUT, guard, clientKey: "owner" },
    );
    if (signedIn.kind !== "ok") throw new Error(`password step: ${signedIn.kind}`);
    const pending = await getPendingSession(
      db,
      new Request("http://x/staff/login/totp", {
        headers: { Cookie: `${SESSION_COOKIE}=${signedIn.token}` },
      }),
    );
    expect(pending).not.toBeNull();
    // The right password does not reset the count over every client; only a completed sign-in does.
    expect((await counted()).failures).toBe(15);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        completeSecondFactor(db, pending!, "123456", {
          policy: DEFAULT_LOCKOUT,
          guard,
          clientKey: `second-${i}`,
        }),
      ),
    );
    expect(results.map((r) => r.kind)).toEqual(Array(20).fill("invalid"));
    const after = await counted();
    expect(after).toEqual({ failures: 35, numbers: oneTo(35) });
    // Past 25 over every client the account is locked (for every browser but the owner's).
    const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, staffId));
    expect(user!.lockedUntil).not.toBeNull();
  }, 60_000);
});
