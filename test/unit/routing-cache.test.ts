/**
 * The routing cache's rules (ADR 038), on a SQLite file (an in-memory database remembers
 * nothing): an answer is reused only with the same routing generation, the same configuration
 * and a time strictly inside its window; any committed change to a table routing reads — by a
 * service or by plain SQL — raises the generation through the database's triggers; sign-in
 * columns of staff_users do not.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeDb, openDb, sqliteConnections, withTx, type Db } from "../../db/client";
import { routingGeneration } from "../../db/routing-generation";
import {
  districts,
  jurisdictions,
  recusals,
  rounds,
  staffUsers,
  stationings,
  teams,
} from "../../db/schema";
import type { Env } from "~/env.server";
import { routingCacheStats, viaRoutingCache } from "~/services/routing-cache.server";

const DAY = 86_400_000;
const T0 = new Date("2024-06-01T00:00:00Z").getTime();
const T_END = T0 + 40 * DAY;
const MID = T0 + 10 * DAY;

let dir: string;
let db: Db;
const env = {} as Env;
let computed = 0;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "routing-cache-"));
  db = await openDb(path.join(dir, "db.sqlite"));
  await withTx(db, async (tx) => {
    await tx.insert(jurisdictions).values({ id: "j", nameZh: "j", nameEn: "j" });
    await tx.insert(districts).values({ id: "a", jurisdictionId: "j", nameZh: "a", nameEn: "a" });
    await tx.insert(rounds).values({
      id: "r",
      jurisdictionId: "j",
      nameZh: "r",
      nameEn: "r",
      mode: "zone",
      startsAt: new Date(T0),
      endsAt: new Date(T_END),
    });
    await tx.insert(teams).values({ id: "t", roundId: "r", nameZh: "t", nameEn: "t" });
    await tx.insert(stationings).values({
      id: "s",
      teamId: "t",
      targetDistrictId: "a",
      startsAt: new Date(T0),
      endsAt: new Date(T_END),
    });
    await tx
      .insert(staffUsers)
      .values({ id: "m", username: "m", displayName: "m", jurisdictionId: "j" });
  });
  computed = 0;
});

afterEach(async () => {
  await closeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One cached call at `ms`: returns how many times the answer was computed so far. */
async function route(
  ms: number,
  opts: {
    key?: string;
    env?: Env;
    signed?: number[];
    keep?: boolean;
    during?: () => Promise<void>;
  } = {},
): Promise<number> {
  await viaRoutingCache(
    db,
    opts.env ?? env,
    opts.key ?? "a",
    new Date(ms),
    async (signedTimes) => {
      computed++;
      signedTimes.push(...(opts.signed ?? []));
      await opts.during?.();
      return computed;
    },
    () => opts.keep ?? true,
  );
  return computed;
}

describe("the routing cache", () => {
  it("reuses an answer for the same key, generation and configuration", async () => {
    const hits = routingCacheStats.hits;
    expect(await route(MID)).toBe(1);
    expect(await route(MID + 1000)).toBe(1);
    expect(routingCacheStats.hits).toBe(hits + 1);
    expect(await route(MID, { key: "b" })).toBe(2);
    expect(await route(MID, { env: {} as Env })).toBe(3);
    expect(await route(MID, { key: "c", keep: false })).toBe(4);
    expect(await route(MID, { key: "c", keep: false })).toBe(5);
  });

  it("recomputes after any committed change to what routing reads, by plain SQL too", async () => {
    const writer = sqliteConnections(db)!.writer;
    const changes = [
      "UPDATE districts SET name_en = 'a2' WHERE id = 'a'",
      "INSERT INTO units (id, district_id, kind, name_zh, name_en) VALUES ('u', 'a', 'village', 'u', 'u')",
      "UPDATE rounds SET name_en = 'r2'",
      "UPDATE teams SET name_en = 't2'",
      `INSERT INTO team_members (team_id, staff_id, role, joined_at) VALUES ('t', 'm', 'member', ${T0})`,
      `UPDATE stationings SET ends_at = ${T_END + DAY}`,
      "INSERT INTO stationing_units (stationing_id, unit_id) VALUES ('s', 'u')",
      "INSERT INTO staff_roles (staff_id, role) VALUES ('m', 'inspector')",
      `INSERT INTO staff_keys (id, staff_id, box_public_key, wrapped_secret_key, fingerprint, status, created_at) VALUES ('k', 'm', x'01', x'02', 'fp', 'active', ${T0})`,
      `UPDATE staff_keys SET revoked_at = ${MID}, status = 'revoked'`,
      `INSERT INTO recusals (id, staff_id, district_id, reason, created_by, created_at) VALUES ('rc', 'm', 'a', 'x', 'm', ${T0})`,
      `INSERT INTO rosters (id, jurisdiction_id, kind, roster_id, serial, valid_from, valid_until, roster, signature, signed_at) VALUES ('ro', 'j', 'team', 's', 1, ${T0}, ${T_END}, x'01', x'02', ${T0})`,
      "DELETE FROM rosters",
      `UPDATE staff_users SET disabled_at = ${T_END}`,
      "UPDATE staff_users SET home_district_id = 'a'",
      "UPDATE staff_users SET display_name = 'm2'",
      "INSERT INTO staff_users (id, username, display_name, jurisdiction_id) VALUES ('n', 'n', 'n', 'j')",
    ];
    let n = await route(MID);
    for (const change of changes) {
      writer.prepare(change).run();
      expect(await route(MID), change).toBe(n + 1);
      expect(await route(MID), change).toBe(n + 1);
      n++;
    }
  });

  it("does not count sign-ins: staff_users columns routing does not read", async () => {
    const before = await routingGeneration(db);
    await withTx(db, (tx) =>
      tx
        .update(staffUsers)
        .set({ failedLogins: 3, lockedUntil: new Date(MID), totpLastStep: 7, deviceEpoch: 2 })
        .where(eq(staffUsers.id, "m")),
    );
    expect(await routingGeneration(db)).toBe(before);
    await withTx(db, (tx) =>
      tx
        .update(staffUsers)
        .set({ disabledAt: new Date(MID) })
        .where(eq(staffUsers.id, "m")),
    );
    expect(await routingGeneration(db)).not.toBe(before);
  });

  it("a rolled-back change leaves the generation as it was", async () => {
    const before = await routingGeneration(db);
    await expect(
      withTx(db, async (tx) => {
        await tx.update(teams).set({ nameEn: "x" }).where(eq(teams.id, "t"));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await routingGeneration(db)).toBe(before);
  });

  it("keeps an answer only strictly between the stored times nearest to it", async () => {
    // Stored times: T0 (start), T_END (end). Computed inside: reused from T0 + 1 to T_END - 2.
    expect(await route(T_END - 10)).toBe(1);
    expect(await route(T_END - 2)).toBe(1);
    expect(await route(T0 + 1)).toBe(1);
    expect(await route(T_END - 1)).toBe(2);
    expect(await route(T_END)).toBe(3);
    expect(await route(T_END + DAY)).toBe(3); // after the last stored time: open-ended
    expect(await route(T0)).toBe(4);
    // Every other time column counts, e.g. a recusal withdrawn at W.
    const W = MID + 5000;
    await withTx(db, (tx) =>
      tx.insert(recusals).values({
        id: "rc",
        staffId: "m",
        districtId: "a",
        reason: "x",
        createdBy: "m",
        withdrawnAt: new Date(W),
      }),
    );
    expect(await route(MID)).toBe(5);
    expect(await route(W - 2)).toBe(5);
    expect(await route(W - 1)).toBe(6);
    // And the signed times the computation reports (a roster's signed window).
    expect(await route(MID, { key: "s", signed: [MID + 100] })).toBe(7);
    expect(await route(MID + 98, { key: "s" })).toBe(7);
    expect(await route(MID + 99, { key: "s" })).toBe(8);
  });

  it("does not keep an answer when something was committed while it was computed", async () => {
    const during = () =>
      withTx(db, (tx) =>
        tx
          .update(teams)
          .set({ nameEn: `t${computed}` })
          .where(eq(teams.id, "t")),
      ).then(() => undefined);
    expect(await route(MID, { during })).toBe(1);
    expect(await route(MID)).toBe(2);
    expect(await route(MID)).toBe(2);
  });

  it("remembers nothing on an in-memory database", async () => {
    const memory = await openDb(":memory:");
    try {
      expect(await routingGeneration(memory)).toBeNull();
      let n = 0;
      const call = () =>
        viaRoutingCache(
          memory,
          env,
          "a",
          new Date(MID),
          async () => ++n,
          () => true,
        );
      await call();
      await call();
      expect(n).toBe(2);
    } finally {
      await closeDb(memory);
    }
  });
});
