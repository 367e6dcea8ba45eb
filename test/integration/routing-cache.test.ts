/**
 * The server remembers routing answers (ADR 038), and a change counts from the very next report
 * all the same — written here by another process, as an office action or a second server node
 * would write it: a stationing that ends (time alone), a revoked reader key, a recusal, on both
 * engines. Each step first has the server answer a report with the current readers (so its
 * answer is remembered), then changes the database, then sends a report sealed to the readers
 * of before: refused as `recipients_changed`, and accepted when sealed to the readers of now.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64urlEncode } from "../../crypto/index";
import { withTx } from "../../db/client";
import { routingGeneration } from "../../db/routing-generation";
import { recusals, staffKeys, staffUsers, stationings } from "../../db/schema";
import { reportReaders, sendSealedReport, type OfferedReader } from "../support/report-fixture";
import { startServer, type RunningServer } from "../support/server";
import { withDb } from "../support/tip-fixture";

const DISTRICT = "tj-jinnan";
const STATIONING = "tj-r4-st-beichen";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function readersNow(): Promise<OfferedReader[]> {
  return (await reportReaders(server, DISTRICT, null)).map((r) => ({
    staffKeyId: r.id,
    boxPublicKey: base64urlEncode(r.boxPublicKey),
  }));
}

const send = (readers: OfferedReader[]) =>
  sendSealedReport(server, readers, { district: DISTRICT });

/** The server accepts `readers` twice (the second from its remembered answer). */
async function acceptedTwice(readers: OfferedReader[]) {
  expect((await send(readers)).status).toBe(201);
  expect((await send(readers)).status).toBe(201);
}

async function refusedThenFresh(stale: OfferedReader[]): Promise<OfferedReader[]> {
  const refused = await send(stale);
  expect(refused.status).toBe(409);
  expect(refused.json.error?.code).toBe("recipients_changed");
  const fresh = await readersNow();
  expect(fresh.map((r) => r.staffKeyId)).not.toEqual(stale.map((r) => r.staffKeyId));
  expect((await send(fresh)).status).toBe(201);
  return fresh;
}

describe("remembered routing answers follow every change", () => {
  it("the end of a stationing, a revoked key and a recusal count from the next report", async () => {
    // The stationing ends a few seconds from now: nothing is written when it does.
    const endsAt = new Date(Date.now() + 4000);
    const setEnd = (at: Date) =>
      withDb(server, (db) =>
        withTx(db, (tx) =>
          tx.update(stationings).set({ endsAt: at }).where(eq(stationings.id, STATIONING)),
        ),
      );
    await setEnd(endsAt);
    const team = await readersNow();
    await acceptedTwice(team);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, endsAt.getTime() - Date.now()) + 50),
    );
    const office = await refusedThenFresh(team);
    expect(office.length).toBeGreaterThan(0);

    // Stationed again (a change: counts at once).
    await setEnd(new Date(Date.now() + 30 * 86_400_000));
    const first = await refusedThenFresh(office);
    expect(first.map((r) => r.staffKeyId).sort()).toEqual(team.map((r) => r.staffKeyId).sort());

    // A revoked reader key.
    await acceptedTwice(first);
    const revoked = first[0]!.staffKeyId;
    await withDb(server, (db) =>
      withTx(db, (tx) =>
        tx
          .update(staffKeys)
          .set({ status: "revoked", revokedAt: new Date() })
          .where(eq(staffKeys.id, revoked)),
      ),
    );
    const second = await refusedThenFresh(first);
    expect(second.map((r) => r.staffKeyId)).not.toContain(revoked);

    // A recusal of one of the remaining readers.
    await acceptedTwice(second);
    const recusedKey = second[0]!.staffKeyId;
    await withDb(server, async (db) => {
      const [key] = await db.select().from(staffKeys).where(eq(staffKeys.id, recusedKey));
      await withTx(db, (tx) =>
        tx.insert(recusals).values({
          id: "rc-routing-cache",
          staffId: key!.staffId,
          districtId: DISTRICT,
          reason: "test",
        }),
      );
    });
    const third = await refusedThenFresh(second);
    expect(third.map((r) => r.staffKeyId)).not.toContain(recusedKey);
  }, 180_000);

  it("sign-ins do not raise the routing generation; a change to what routing reads does", async () => {
    await withDb(server, async (db) => {
      const before = await routingGeneration(db);
      expect(before).not.toBeNull();
      await withTx(db, (tx) =>
        tx
          .update(staffUsers)
          .set({ failedLogins: sql`${staffUsers.failedLogins} + 1` })
          .where(eq(staffUsers.id, "staff-tj-office")),
      );
      expect(await routingGeneration(db)).toBe(before);
      await withTx(db, (tx) =>
        tx
          .update(staffUsers)
          .set({ displayName: "津南 office" })
          .where(and(eq(staffUsers.id, "staff-tj-office"))),
      );
      const after = await routingGeneration(db);
      expect(after).not.toBe(before);
      // Several rows in one transaction: raised, and (PostgreSQL) once at the commit.
      await withTx(db, async (tx) => {
        await tx
          .update(staffUsers)
          .set({ displayName: "a" })
          .where(eq(staffUsers.id, "staff-tj-office"));
        await tx.update(stationings).set({ dutyPhone: "1" });
      });
      expect(Number(await routingGeneration(db))).toBeGreaterThan(Number(after));
    });
  }, 60_000);
});
