/**
 * Read-then-write races, on the engine this run uses (run it on both:
 * `CROSSWATCH_TEST_ENGINES=both node scripts/test.mjs <this file>`). Each test fires many
 * parallel calls of one service with no slow step between them, as two staff members, two tabs
 * or two app nodes would, and checks that a single-use thing was used once, a state changed
 * once, a first time stayed the first, and a lost race got its 4xx answer (never a 500).
 *
 * On PostgreSQL (READ COMMITTED) a plain SELECT inside a transaction does not hold what it read:
 * parallel transactions all read the same "still unused / still pending / not there yet" and all
 * act on it. SQLite runs write transactions one at a time, so there only a check made before the
 * transaction (outside `withTx`) races. The rule these tests hold the services to
 * (docs/architecture.md, "Read-modify-write"): a counter or a single-use check is one statement
 * (a conditional UPDATE whose row count is checked, an insert that is its own check), or the
 * check and the write hold a lock (`serializeOn`). test/integration/login-failure-count.test.ts
 * is the first of them (staff_users.failed_logins).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  concatBytes,
  encodeRoster,
  fixedRandom,
  fromHex,
  generateStaffKeys,
  signRoster,
  signStaffKeyApproval,
  wrapStaffKeys,
} from "../../crypto/index";
import { closeDb, openDb, withTx, type Db } from "../../db/client";
import {
  auditLog,
  districts,
  findings,
  findingTips,
  identityReveals,
  invitations,
  jurisdictions,
  lookBackChecks,
  messages,
  recoveryCodes,
  recusals,
  resultPublications,
  rosters,
  rounds,
  sessions,
  staffKeys,
  staffRoles,
  staffUsers,
  stationings,
  teamMembers,
  teams,
  tipEnvelopes,
  tips,
  zones,
  type StaffRole,
} from "../../db/schema";
import type { Env } from "~/env.server";
import { beginTotpEnrolment, completeSecondFactor, enrolAndSignIn } from "~/services/auth.server";
import { markThreadRead, setStatus } from "~/services/cases.server";
import {
  acceptInvitation,
  disableMember,
  inviteMember,
  setHomeOrganisation,
} from "~/services/invitations.server";
import { revokeMemberKey } from "~/services/key-revocation.server";
import { approveKey, createKey, revokeOwnKey } from "~/services/keys.server";
import { DEFAULT_LOCKOUT, LoginGuard } from "~/services/lockout.server";
import { importRegistryFile } from "~/services/registry.server";
import { sweepRetention } from "~/services/retention.server";
import { publishRoster } from "~/services/rosters.server";
import { decideReveal, openIdentityBlock } from "~/services/reveal.server";
import { linkTip } from "~/services/findings.server";
import { approvePublication, openLookBack, recordChecks } from "~/services/round-outcomes.server";
import { createSession, type StaffSession } from "~/services/sessions.server";
import { approvalTuple } from "~/services/staff-keys.server";
import { changeTeams } from "~/services/teams.server";
import { recordTipsterReply } from "~/services/tipster.server";
import {
  hashRecoveryCode,
  newRecoveryCode,
  newTotpSecret,
  totpForStep,
  totpStep,
} from "~/services/totp.server";
import { BUILD_DIR, createTestDatabase, TEST_ENGINE } from "../support/server";

const J = "j-race";
const HOME = "d-race-home";
const TARGET = "d-race-target";
const N = 8;

let db: Db;
let target: string;

beforeAll(async () => {
  target =
    TEST_ENGINE === "pg"
      ? await createTestDatabase()
      : path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-races-")), "t.db");
  db = await openDb(target);
  await withTx(db, async (tx) => {
    await tx.insert(jurisdictions).values({ id: J, nameZh: "竞态", nameEn: "Race" });
    await tx.insert(districts).values([
      { id: HOME, jurisdictionId: J, nameZh: "家", nameEn: "Home" },
      { id: TARGET, jurisdictionId: J, nameZh: "目标", nameEn: "Target" },
    ]);
  });
  await addStaff("admin", { roles: ["office_admin"] });
}, 120_000);

afterAll(async () => {
  if (db) await closeDb(db);
});

// ---------------------------------------------------------------- fixtures
async function addStaff(
  id: string,
  opts: { roles?: StaffRole[]; home?: string | null; totpSecret?: string } = {},
): Promise<void> {
  await withTx(db, async (tx) => {
    await tx.insert(staffUsers).values({
      id,
      username: id.toLowerCase(),
      displayName: id,
      jurisdictionId: J,
      homeDistrictId: opts.home ?? null,
      totpSecret: opts.totpSecret ?? null,
      totpEnabledAt: opts.totpSecret ? new Date() : null,
    });
    for (const role of opts.roles ?? ["inspector"]) {
      await tx.insert(staffRoles).values({ staffId: id, role });
    }
  });
}
async function sessionOf(
  staffId: string,
  roles: StaffRole[] = ["inspector"],
): Promise<StaffSession> {
  const [staff] = await db.select().from(staffUsers).where(eq(staffUsers.id, staffId));
  return { sessionId: `session-${staffId}`, staff: staff!, roles, secondFactor: true };
}

async function addKey(
  staffId: string,
  status: "pending" | "active" = "active",
  keys = generateStaffKeys(),
): Promise<string> {
  const id = `key-${staffId}`;
  await withTx(db, (tx) =>
    tx.insert(staffKeys).values({
      id,
      staffId,
      boxPublicKey: Buffer.from(keys.boxPublicKey),
      signPublicKey: Buffer.from(keys.signPublicKey),
      wrappedSecretKey: Buffer.from(randomBytes(64)),
      fingerprint: `fp-${staffId}`,
      status,
    }),
  );
  return id;
}

/**
 * Runs `work` while a connection of its own holds the rows of `table` whose `column` is `value`
 * (PostgreSQL), until
 * `waiters` other sessions wait for a lock (or 30 s pass), then lets go: calls whose slow steps end
 * at different times thus reach that row's write together. On SQLite (one writer at a time)
 * `work` just runs.
 */
async function whileRowHeld<T>(
  table: string,
  column: string,
  value: string,
  waiters: number,
  work: () => Promise<T>,
): Promise<T> {
  if (TEST_ENGINE !== "pg") return work();
  const holder = new pg.Client({ connectionString: target });
  await holder.connect();
  try {
    await holder.query("begin");
    await holder.query(`select 1 from ${table} where ${column} = $1 for update`, [value]);
    let settled = false;
    const running = work().finally(() => (settled = true));
    for (const until = Date.now() + 30_000; !settled && Date.now() < until;) {
      // pg_locks, not pg_stat_activity: that one is read once per transaction, and this
      // connection is inside one.
      const { rows } = await holder.query<{ n: number }>(
        "select count(distinct pid)::int as n from pg_locks where not granted",
      );
      if (rows[0]!.n >= waiters) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await holder.query("commit");
    return await running;
  } finally {
    await holder.end();
  }
}

/** A tip routed to the office, each of `readers` holding a tip envelope (and an identity one). */
async function addTip(
  id: string,
  readers: string[],
  opts: { status?: "received" | "resolved"; createdAt?: Date } = {},
): Promise<void> {
  const createdAt = opts.createdAt ?? new Date();
  await withTx(db, async (tx) => {
    await tx.insert(tips).values({
      id,
      targetDistrictId: TARGET,
      routedTo: "office",
      receiptAuthHash: randomBytes(32).toString("hex"),
      tipsterPublicKey: Buffer.from(randomBytes(32)),
      tipsterEnvelope: Buffer.from(randomBytes(80)),
      payload: Buffer.from(randomBytes(128)),
      identityPayload: Buffer.from(randomBytes(64)),
      submittedVia: "js",
      status: opts.status ?? "received",
      acknowledgeBy: new Date(createdAt.getTime() + 86_400_000),
      feedbackBy: new Date(createdAt.getTime() + 30 * 86_400_000),
      createdAt,
    });
    for (const staffId of readers) {
      for (const kind of ["tip", "identity"] as const) {
        await tx.insert(tipEnvelopes).values({
          id: `env-${id}-${staffId}-${kind}`,
          tipId: id,
          staffKeyId: `key-${staffId}`,
          staffId,
          kind,
          envelope: Buffer.from(randomBytes(80)),
        });
      }
    }
  });
}

/** Audit rows of `action` about `objectId`, oldest first. */
async function audited(action: string, objectId: string) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.objectId, objectId)));
  return rows.sort((a, b) => a.seq - b.seq);
}

/** Settled results as "ok" or the error's code (a Response's status), for one expectation. */
async function outcomes(calls: Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(calls);
  return settled
    .map((s) => {
      if (s.status === "fulfilled") return "ok";
      const err = s.reason as { code?: unknown; status?: unknown; message?: unknown };
      if (err instanceof Response) return `http ${err.status}`;
      return typeof err.code === "string" ? err.code : `error: ${String(err.message ?? err)}`;
    })
    .sort();
}
const oneOkRest = (code: string, n = N) => [...Array(n - 1).fill(code), "ok"].sort();

const later = (base: Date, i: number) => new Date(base.getTime() + (i + 1) * 1000);

// ---------------------------------------------------------------- sign-in
describe(`single-use sign-in secrets on ${TEST_ENGINE}`, () => {
  const policy = { policy: DEFAULT_LOCKOUT };

  async function pendingSession(staffId: string): Promise<StaffSession> {
    const made = await withTx(db, (tx) => createSession(tx, staffId, { secondFactor: false }));
    return { ...(await sessionOf(staffId)), sessionId: made.id, secondFactor: false };
  }

  it("one recovery code tried by parallel sign-ins signs in once", async () => {
    await addStaff("rc-one", { totpSecret: newTotpSecret() });
    const code = newRecoveryCode();
    await withTx(db, (tx) =>
      tx.insert(recoveryCodes).values({ codeHash: hashRecoveryCode(code), staffId: "rc-one" }),
    );
    const pendings = await Promise.all(Array.from({ length: N }, () => pendingSession("rc-one")));
    const guard = new LoginGuard();
    const results = await Promise.all(
      pendings.map((p, i) =>
        completeSecondFactor(db, p, code, { ...policy, guard, clientKey: `rc-${i}` }),
      ),
    );
    expect(results.map((r) => r.kind).sort()).toEqual(oneOkRest("invalid"));
    const live = await db
      .select()
      .from(sessions)
      .where(and(eq(sessions.staffId, "rc-one")));
    expect(live.filter((s) => s.secondFactorAt !== null)).toHaveLength(1);
  });

  it("one pending session completed by parallel requests becomes one session", async () => {
    await addStaff("rc-many", { totpSecret: newTotpSecret() });
    const codes = Array.from({ length: N }, newRecoveryCode);
    await withTx(db, (tx) =>
      tx
        .insert(recoveryCodes)
        .values(codes.map((c) => ({ codeHash: hashRecoveryCode(c), staffId: "rc-many" }))),
    );
    const pending = await pendingSession("rc-many");
    const guard = new LoginGuard();
    const results = await Promise.all(
      codes.map((c, i) =>
        completeSecondFactor(db, pending, c, { ...policy, guard, clientKey: `many-${i}` }),
      ),
    );
    expect(results.map((r) => r.kind).sort()).toEqual(oneOkRest("invalid"));
    const full = (await db.select().from(sessions).where(eq(sessions.staffId, "rc-many"))).filter(
      (s) => s.secondFactorAt !== null,
    );
    expect(full).toHaveLength(1);
    // The codes of the requests that lost stay unused.
    const used = (
      await db.select().from(recoveryCodes).where(eq(recoveryCodes.staffId, "rc-many"))
    ).filter((r) => r.usedAt !== null);
    expect(used).toHaveLength(1);
  });

  it("parallel enrolment confirmations (three valid codes) enrol once, with one set of recovery codes", async () => {
    const secret = newTotpSecret();
    await addStaff("enrol-confirm");
    await withTx(db, (tx) =>
      tx.update(staffUsers).set({ totpSecret: secret }).where(eq(staffUsers.id, "enrol-confirm")),
    );
    const pending = await pendingSession("enrol-confirm");
    const guard = new LoginGuard();
    // The codes of the previous, current and next time step: each is accepted once.
    const step = totpStep();
    const results = await Promise.all(
      [step - 1, step, step + 1].map((s, i) =>
        enrolAndSignIn(db, pending, totpForStep(secret, s), {
          ...policy,
          guard,
          clientKey: `enrol-${i}`,
        }),
      ),
    );
    const ok = results.filter((r) => r.kind === "ok");
    expect(ok).toHaveLength(1);
    const stored = await db
      .select()
      .from(recoveryCodes)
      .where(eq(recoveryCodes.staffId, "enrol-confirm"));
    expect(stored.map((r) => r.codeHash).sort()).toEqual(
      (ok[0] as { codes: string[] }).codes.map(hashRecoveryCode).sort(),
    );
    expect(await audited("account.totp.enrol", "enrol-confirm")).toHaveLength(1);
  });

  it("parallel first visits to TOTP enrolment all show the one stored secret", async () => {
    await addStaff("enrol");
    const secrets = await Promise.all(
      Array.from({ length: N }, () => beginTotpEnrolment(db, "enrol")),
    );
    const [stored] = await db.select().from(staffUsers).where(eq(staffUsers.id, "enrol"));
    expect(new Set(secrets)).toEqual(new Set([stored!.totpSecret]));
  });
});

// ---------------------------------------------------------------- accounts
describe(`accounts on ${TEST_ENGINE}`, () => {
  it("an invitation accepted by parallel requests is used once", async () => {
    const admin = await sessionOf("admin", ["office_admin"]);
    const invited = await inviteMember(db, admin, {
      username: "invited.once",
      displayName: "Invited Once",
      role: "inspector",
      homeDistrictId: null,
      homeOrganisation: null,
    });
    if (invited.kind !== "ok") throw new Error(invited.kind);
    // Each accept hashes the new password first (argon2id, one worker here), so they would reach
    // their transactions one hash apart; the invitation's row is held until all of them wait
    // for it, and they then write together, as requests whose hashes ended together do.
    const accepted = await whileRowHeld("invitations", "staff_id", invited.staffId, N, () =>
      Promise.all(
        Array.from({ length: N }, () =>
          acceptInvitation(db, invited.token, "a long enough passphrase"),
        ),
      ),
    );
    expect(accepted.filter((a) => a !== null)).toHaveLength(1);
    expect(await audited("account.invite.accept", invited.staffId)).toHaveLength(1);
    const live = (
      await db.select().from(sessions).where(eq(sessions.staffId, invited.staffId))
    ).filter((s) => s.revokedAt === null);
    expect(live).toHaveLength(1);
    const [row] = await db
      .select()
      .from(invitations)
      .where(eq(invitations.staffId, invited.staffId));
    expect(row!.usedAt).not.toBeNull();
  });

  it("one name invited by parallel requests: one account, the others are told it is taken", async () => {
    const admin = await sessionOf("admin", ["office_admin"]);
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        inviteMember(db, admin, {
          username: "same.name",
          displayName: `Same ${i}`,
          role: "inspector",
          homeDistrictId: null,
          homeOrganisation: null,
        }).catch((err: { code?: string }) => ({ kind: `error ${err.code ?? String(err)}` })),
      ),
    );
    expect(results.map((r) => r.kind).sort()).toEqual(oneOkRest("taken"));
  });

  it("an account disabled by parallel requests is disabled once, at the first one's time", async () => {
    await addStaff("disable-me");
    const admin = await sessionOf("admin", ["office_admin"]);
    const base = new Date();
    await Promise.all(
      Array.from({ length: N }, (_, i) => disableMember(db, admin, "disable-me", later(base, i))),
    );
    const rows = await audited("account.disable", "disable-me");
    expect(rows).toHaveLength(1);
    const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, "disable-me"));
    expect(user!.disabledAt!.getTime()).toBe(rows[0]!.at.getTime());
    // Asked again later: nothing changes, nothing more is audited.
    await disableMember(db, admin, "disable-me", later(base, N + 1));
    expect(await audited("account.disable", "disable-me")).toHaveLength(1);
  });

  it("parallel changes of a member's organisation audit an unbroken trail of old and new names", async () => {
    await addStaff("org-member");
    const admin = await sessionOf("admin", ["office_admin"]);
    const names = Array.from({ length: N }, (_, i) => `第${i + 1}巡察组派出单位`);
    const results = await Promise.all(
      names.map((name) => setHomeOrganisation(db, admin, "org-member", name)),
    );
    expect(results.map((r) => r.kind)).toEqual(Array(N).fill("ok"));
    const trail = (await audited("account.organisation", "org-member")).map(
      (a) => JSON.parse(String(a.detail)) as { from: string | null; to: string },
    );
    expect(trail).toHaveLength(N);
    // Each change starts from the name the one before it left.
    expect(trail.map((t) => t.from)).toEqual([null, ...trail.slice(0, -1).map((t) => t.to)]);
    const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, "org-member"));
    expect(user!.homeOrganisation).toBe(trail.at(-1)!.to);
  });
});

// ---------------------------------------------------------------- staff keys
describe(`staff keys on ${TEST_ENGINE}`, () => {
  it("parallel key creations leave the member one current key", async () => {
    await addStaff("key-maker");
    const keys = generateStaffKeys();
    const wrapped = await wrapStaffKeys(keys, "a long member passphrase");
    const session = await sessionOf("key-maker");
    const results = await outcomes(
      Array.from({ length: N }, () =>
        createKey(db, session, {
          boxPublicKey: keys.boxPublicKey,
          signPublicKey: keys.signPublicKey,
          wrapped,
        }),
      ),
    );
    expect(results).toEqual(oneOkRest("has_key"));
    expect(
      await db.select().from(staffKeys).where(eq(staffKeys.staffId, "key-maker")),
    ).toHaveLength(1);
  }, 60_000);

  it("a key approved by parallel requests is signed once", async () => {
    await addStaff("key-approved");
    const keys = generateStaffKeys();
    const keyId = await addKey("key-approved", "pending", keys);
    const office = generateStaffKeys();
    const env = { officeSigningKeys: { [J]: office.signPublicKey } } as unknown as Env;
    const validUntil = new Date(Date.now() + 30 * 86_400_000);
    const signature = signStaffKeyApproval(
      approvalTuple("key-approved", keys.boxPublicKey, null, validUntil, keys.signPublicKey),
      office.signSecretKey,
    );
    const admin = await sessionOf("admin", ["office_admin"]);
    const results = await outcomes(
      Array.from({ length: N }, () => approveKey(db, env, admin, keyId, { signature, validUntil })),
    );
    expect(results).toEqual(oneOkRest("not_pending"));
    expect(await audited("key.sign", keyId)).toHaveLength(1);
  });

  it("a key revoked by parallel requests (office, member) is revoked once", async () => {
    await addStaff("key-office-revoked");
    const officeRevoked = await addKey("key-office-revoked");
    const admin = await sessionOf("admin", ["office_admin"]);
    expect(
      await outcomes(Array.from({ length: N }, () => revokeMemberKey(db, admin, officeRevoked))),
    ).toEqual(oneOkRest("no_key"));
    expect(await audited("key.revoke", officeRevoked)).toHaveLength(1);

    await addStaff("key-self-revoked");
    const selfRevoked = await addKey("key-self-revoked");
    const member = await sessionOf("key-self-revoked");
    expect(await outcomes(Array.from({ length: N }, () => revokeOwnKey(db, member)))).toEqual(
      oneOkRest("no_key"),
    );
    expect(await audited("key.revoke", selfRevoked)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------- signed rosters
describe(`signed rosters on ${TEST_ENGINE}`, () => {
  it("one roster published by parallel requests is stored once; the others are told it is stale", async () => {
    // The build's demo key of the Tianjin office (scripts/office-trust.ts, server/demo.ts).
    const seeds = JSON.parse(
      fs.readFileSync(path.join(BUILD_DIR, "demo-office-keys.json"), "utf8"),
    ) as Record<string, string>;
    const office = generateStaffKeys(
      fixedRandom(concatBytes(new Uint8Array(randomBytes(32)), fromHex(seeds.tianjin!))),
    );
    await withTx(db, async (tx) => {
      await tx.insert(jurisdictions).values({ id: "tianjin", nameZh: "天津", nameEn: "Tianjin" });
      await tx
        .insert(districts)
        .values({ id: "d-race-tj", jurisdictionId: "tianjin", nameZh: "区", nameEn: "District" });
      await tx.insert(staffUsers).values({
        id: "tj-admin",
        username: "tj.admin",
        displayName: "TJ Admin",
        jurisdictionId: "tianjin",
      });
    });
    const now = Date.now();
    const bytes = encodeRoster({
      kind: "office",
      jurisdictionId: "tianjin",
      rosterId: "office-tianjin",
      roundId: "",
      serial: 1,
      issuedAtMs: now,
      validFromMs: now - 86_400_000,
      validUntilMs: now + 30 * 86_400_000,
      districtIds: ["d-race-tj"],
      readers: [
        {
          memberId: "tj-admin",
          boxPublicKey: generateStaffKeys().boxPublicKey,
          homeDistrictId: "-",
          role: "office",
        },
      ],
    });
    const wire = { roster: bytes, signature: signRoster(bytes, office.signSecretKey) };
    const admin = await sessionOf("tj-admin", ["office_admin"]);
    expect(await outcomes(Array.from({ length: N }, () => publishRoster(db, admin, wire)))).toEqual(
      oneOkRest("roster_stale"),
    );
    expect(
      await db.select().from(rosters).where(eq(rosters.rosterId, "office-tianjin")),
    ).toHaveLength(1);
  });
});

// ---------------------------------------------------------------- cases
describe(`cases on ${TEST_ENGINE}`, () => {
  beforeAll(async () => {
    await addStaff("reader-a");
    await addStaff("reader-b");
    await addKey("reader-a");
    await addKey("reader-b");
  });

  it("parallel first status changes: the tip stays acknowledged at the first one's time", async () => {
    await addTip("tip-ack", ["reader-a"]);
    const session = await sessionOf("reader-a");
    const base = new Date();
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        setStatus(db, session, "tip-ack", { status: "accepted" }, later(base, i)),
      ),
    );
    const [first] = await audited("tip.status.set", "tip-ack");
    const [tip] = await db.select().from(tips).where(eq(tips.id, "tip-ack"));
    expect(tip!.acknowledgedAt!.getTime()).toBe(first!.at.getTime());
  });

  it("the tipster's messages marked read by parallel requests are counted once", async () => {
    await addTip("tip-thread", ["reader-a"]);
    await withTx(db, (tx) =>
      tx.insert(messages).values(
        [0, 1, 2].map((i) => ({
          id: `msg-thread-${i}`,
          tipId: "tip-thread",
          kind: "from_tipster" as const,
          body: Buffer.from(randomBytes(64)),
        })),
      ),
    );
    const session = await sessionOf("reader-a");
    const counts = await Promise.all(
      Array.from({ length: N }, () => markThreadRead(db, session, "tip-thread")),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(await audited("tip.thread.read", "tip-thread")).toHaveLength(1);
  });

  it("an identity reveal decided by parallel requests is decided once", async () => {
    await addTip("tip-reveal", ["reader-a", "reader-b"]);
    await withTx(db, (tx) =>
      tx.insert(identityReveals).values({
        id: "reveal-once",
        tipId: "tip-reveal",
        requestedBy: "reader-a",
        reason: "a reason long enough to ask",
      }),
    );
    const decider = await sessionOf("reader-b");
    const results = await outcomes(
      Array.from({ length: N }, (_, i) => decideReveal(db, decider, "reveal-once", i % 2 === 0)),
    );
    expect(results).toEqual(oneOkRest("not_pending"));
    const decisions = [
      ...(await audited("identity.approve", "tip-reveal")),
      ...(await audited("identity.reject", "tip-reveal")),
    ];
    expect(decisions).toHaveLength(1);
    const [reveal] = await db
      .select()
      .from(identityReveals)
      .where(eq(identityReveals.id, "reveal-once"));
    expect(reveal!.decision).toBe(
      decisions[0]!.action === "identity.approve" ? "approved" : "rejected",
    );
  });

  it("parallel first openings of an identity keep the first opening's time", async () => {
    await addTip("tip-identity", ["reader-b"]);
    await withTx(db, (tx) =>
      tx.insert(identityReveals).values({
        id: "reveal-approved",
        tipId: "tip-identity",
        requestedBy: "reader-b",
        reason: "a reason long enough to ask",
        decision: "approved",
        decidedBy: "reader-a",
        decidedAt: new Date(),
      }),
    );
    const session = await sessionOf("reader-b");
    const base = new Date();
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        openIdentityBlock(db, session, "tip-identity", later(base, i)),
      ),
    );
    const [first] = await audited("identity.read", "tip-identity");
    const [tip] = await db.select().from(tips).where(eq(tips.id, "tip-identity"));
    expect(tip!.identityRevealedAt!.getTime()).toBe(first!.at.getTime());
  });

  it("parallel tipster replies each get their own place in the thread", async () => {
    await addTip("tip-replies", []);
    await Promise.all(
      Array.from({ length: N }, () =>
        recordTipsterReply(db, "tip-replies", new Uint8Array(randomBytes(64))),
      ),
    );
    const thread = await db.select().from(messages).where(eq(messages.tipId, "tip-replies"));
    expect(thread).toHaveLength(N);
    expect(new Set(thread.map((m) => m.createdAt.getTime())).size).toBe(N);
  });

  it("parallel retention sweeps delete each closed case once", async () => {
    const old = new Date(Date.now() - 100 * 86_400_000);
    for (let i = 0; i < 5; i++)
      await addTip(`tip-old-${i}`, [], { status: "resolved", createdAt: old });
    const sweeps = await Promise.all(
      Array.from({ length: 4 }, () => sweepRetention(db, { resolved: 30 })),
    );
    expect(sweeps.reduce((n, s) => n + s.purged, 0)).toBe(5);
    for (let i = 0; i < 5; i++) {
      expect(await audited("tip.retention.purged", `tip-old-${i}`)).toHaveLength(1);
    }
  }, 60_000);

  it("a case reopened while a retention sweep purges it is either reopened or purged, never both", async () => {
    const old = new Date(Date.now() - 100 * 86_400_000);
    const ids = Array.from({ length: 6 }, (_, i) => `tip-reopen-${i}`);
    for (const id of ids) await addTip(id, ["reader-a"], { status: "resolved", createdAt: old });
    const session = await sessionOf("reader-a");
    const [reopened] = await Promise.all([
      Promise.allSettled(ids.map((id) => setStatus(db, session, id, { status: "accepted" }))),
      sweepRetention(db, { resolved: 30 }),
    ]);
    for (const [i, id] of ids.entries()) {
      const [tip] = await db.select().from(tips).where(eq(tips.id, id));
      const outcome = reopened[i]!;
      if (outcome.status === "fulfilled") {
        // Reopened: the sweep left it alone (its claim found the case no longer resolved).
        expect(tip!.status).toBe("accepted");
        expect(tip!.purgedAt).toBeNull();
      } else {
        // Purged first: the reopening is refused as for any purged case (410), and changes nothing.
        expect(outcome.reason).toBeInstanceOf(Response);
        expect((outcome.reason as Response).status).toBe(410);
        expect(tip!.status).toBe("resolved");
        expect(tip!.purgedAt).not.toBeNull();
        expect(await audited("tip.status.set", id)).toHaveLength(0);
      }
    }
  }, 60_000);
});

// ---------------------------------------------------------------- the office
describe(`the office's pages on ${TEST_ENGINE}`, () => {
  const ROUND = "round-race";
  beforeAll(async () => {
    await withTx(db, async (tx) => {
      await tx.insert(rounds).values({
        id: ROUND,
        jurisdictionId: J,
        nameZh: "轮",
        nameEn: "Round",
        mode: "zone",
        startsAt: new Date(Date.now() - 86_400_000),
        endsAt: new Date(Date.now() + 60 * 86_400_000),
      });
      await tx.insert(teams).values(
        [1, 2, 3, 4].map((i) => ({
          id: `team-${i}`,
          roundId: ROUND,
          nameZh: `组${i}`,
          nameEn: `Team ${i}`,
          homeDistrictId: HOME,
        })),
      );
      // A finding of the round (look-back checks, the results board).
      await tx.insert(stationings).values({
        id: "st-race",
        teamId: "team-1",
        targetDistrictId: TARGET,
        startsAt: new Date(Date.now() - 86_400_000),
        endsAt: new Date(Date.now() + 60 * 86_400_000),
      });
      await tx.insert(findings).values({
        id: "finding-race",
        stationingId: "st-race",
        category: "livelihood",
        body: Buffer.from(randomBytes(64)),
      });
    });
  });

  it("one person added to the round's teams by parallel requests joins one team", async () => {
    await addStaff("joiner", { home: HOME });
    const admin = await sessionOf("admin", ["office_admin"]);
    const results = await outcomes(
      Array.from({ length: N }, (_, i) =>
        changeTeams(db, admin, ROUND, {
          intent: "add-member",
          teamId: `team-${(i % 3) + 1}`,
          staffId: "joiner",
          role: "member",
        }),
      ),
    );
    expect(results).toEqual(oneOkRest("in_other_team"));
    const rows = await db.select().from(teamMembers).where(eq(teamMembers.staffId, "joiner"));
    expect(rows).toHaveLength(1);
  });

  it("parallel promotions to leader leave the team one leader", async () => {
    const admin = await sessionOf("admin", ["office_admin"]);
    const names = Array.from({ length: 4 }, (_, i) => `lead-${i}`);
    for (const id of names) {
      await addStaff(id, { home: HOME });
      await changeTeams(db, admin, ROUND, {
        intent: "add-member",
        teamId: "team-4",
        staffId: id,
        role: "member",
      });
    }
    const results = await outcomes(
      names.map((id) =>
        changeTeams(db, admin, ROUND, {
          intent: "set-role",
          teamId: "team-4",
          staffId: id,
          role: "leader",
        }),
      ),
    );
    expect(results).toEqual(oneOkRest("too_many_leaders", names.length));
    const leaders = (
      await db.select().from(teamMembers).where(eq(teamMembers.teamId, "team-4"))
    ).filter((m) => m.role === "leader");
    expect(leaders).toHaveLength(1);
  });

  it("one recusal recorded, then withdrawn, by parallel requests: once each", async () => {
    await addStaff("recused", { home: HOME });
    const admin = await sessionOf("admin", ["office_admin"]);
    const added = await outcomes(
      Array.from({ length: N }, () =>
        changeTeams(db, admin, ROUND, {
          intent: "add-recusal",
          staffId: "recused",
          districtId: TARGET,
          unitId: "",
          reason: "a relative works there",
        }),
      ),
    );
    expect(added).toEqual(oneOkRest("duplicate_recusal"));
    const [recusal, ...more] = await db
      .select()
      .from(recusals)
      .where(eq(recusals.staffId, "recused"));
    expect(more).toHaveLength(0);
    const withdrawn = await outcomes(
      Array.from({ length: N }, () =>
        changeTeams(db, admin, ROUND, { intent: "withdraw-recusal", recusalId: recusal!.id }),
      ),
    );
    expect(withdrawn).toEqual(oneOkRest("not_found"));
    expect(await audited("recusal.withdraw", "recused")).toHaveLength(1);
  });

  it("a look-back opened by parallel requests opens once; the others are told it is open", async () => {
    const admin = await sessionOf("admin", ["office_admin"]);
    expect(await outcomes(Array.from({ length: N }, () => openLookBack(db, admin, ROUND)))).toEqual(
      oneOkRest("already_open"),
    );
  });

  it("parallel look-back checks of one finding leave one check", async () => {
    // Needs the look-back the test above opened.
    const admin = await sessionOf("admin", ["office_admin"]);
    const checked = await outcomes(
      Array.from({ length: N }, (_, i) =>
        recordChecks(db, admin, ROUND, [
          {
            findingId: "finding-race",
            problemConfirmed: true,
            rectification: i % 2 === 0 ? "verified" : "partial",
            note: null,
          },
        ]),
      ),
    );
    expect(checked).toEqual(Array(N).fill("ok"));
    expect(
      await db.select().from(lookBackChecks).where(eq(lookBackChecks.findingId, "finding-race")),
    ).toHaveLength(1);
  });

  it("parallel approvals of one district's figures leave one live publication", async () => {
    const admin = await sessionOf("admin", ["office_admin"]);
    const approved = await outcomes(
      Array.from({ length: N }, () => approvePublication(db, admin, ROUND, TARGET)),
    );
    expect(approved).toEqual(Array(N).fill("ok"));
    const live = (
      await db.select().from(resultPublications).where(eq(resultPublications.roundId, ROUND))
    ).filter((p) => p.withdrawnAt === null);
    expect(live).toHaveLength(1);
  });

  it("one tip linked to a finding by parallel requests is linked once", async () => {
    await addStaff("linker", { home: HOME });
    await addKey("linker");
    await withTx(db, (tx) =>
      tx.insert(teamMembers).values({ teamId: "team-1", staffId: "linker", joinedAt: new Date() }),
    );
    await addTip("tip-linked", ["linker"]);
    const session = await sessionOf("linker");
    expect(
      await outcomes(
        Array.from({ length: N }, () => linkTip(db, session, "finding-race", "tip-linked")),
      ),
    ).toEqual(Array(N).fill("ok"));
    expect(
      await db.select().from(findingTips).where(eq(findingTips.tipId, "tip-linked")),
    ).toHaveLength(1);
    expect(await audited("finding.tip.link", "finding-race")).toHaveLength(1);
  });

  it("one registry file imported by parallel requests: every import succeeds, each row once", async () => {
    const admin = await sessionOf("admin", ["office_admin"]);
    const csv = "id,name_zh,name_en,sort_order\nz-race-1,一区,Zone 1,1\nz-race-2,二区,Zone 2,2\n";
    const results = await Promise.all(
      Array.from({ length: N }, () =>
        importRegistryFile(db, admin, "zones", csv).catch((err: { code?: string }) => ({
          ok: `error ${err.code ?? String(err)}`,
        })),
      ),
    );
    expect(results.map((r) => r.ok)).toEqual(Array(N).fill(true));
    expect(
      results.reduce((n, r) => n + ("summary" in r && r.summary ? r.summary.added : 0), 0),
    ).toBe(2);
    expect(await db.select().from(zones).where(eq(zones.jurisdictionId, J))).toHaveLength(2);
  });
});
