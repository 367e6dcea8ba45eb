/**
 * Lockout with an injectable clock: backoff grows, always expires, the real user gets back in,
 * and an unknown name behaves exactly like a real one. Also TOTP, recovery codes and sign-out.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db, withTx } from "../../db/client";
import { recoveryCodes, sessions, staffUsers } from "../../db/schema";
import { seed } from "../../db/seed";
import {
  completeSecondFactor,
  enableDemoTotp,
  enrolAndSignIn,
  beginTotpEnrolment,
  getPendingSession,
  passwordLogin,
  signOutEverywhere,
  type LoginResult,
} from "~/services/auth.server";
import { verifyAuditChain } from "~/services/audit.server";
import {
  afterFailure,
  isLocked,
  lockDurationMs,
  LockTable,
  LoginGuard,
  UNLOCKED,
  type LockoutPolicy,
} from "~/services/lockout.server";
import { getStaffSession, SESSION_COOKIE } from "~/services/sessions.server";
import {
  base32,
  currentTotp,
  DEMO_TOTP_SECRET,
  normaliseRecoveryCode,
  totpForStep,
  totpStep,
} from "~/services/totp.server";

const POLICY: LockoutPolicy = { freeAttempts: 5, baseMs: 60_000, maxMs: 3_600_000 };
const PASSWORD = "crosswatch-demo";
const T0 = new Date("2026-11-20T02:00:00Z");

let db: Db;
beforeAll(async () => {
  db = await openDb(":memory:");
  await seed(db, { now: T0, demoPassword: PASSWORD });
  await enableDemoTotp(
    db,
    ["staff-tj-beichen-inspector1", "staff-tj-beichen-leader", "staff-tj-jinnan-commission"],
    T0,
  );
}, 60_000);

const at = (ms: number) => new Date(T0.getTime() + ms);
const req = (token: string) =>
  new Request("http://x/staff", { headers: { Cookie: `${SESSION_COOKIE}=${token}` } });

describe("lockout arithmetic", () => {
  it("is free for the first attempts, then doubles, capped", () => {
    expect([1, 4].map((n) => lockDurationMs(POLICY, n))).toEqual([0, 0]);
    expect(lockDurationMs(POLICY, 5)).toBe(60_000);
    expect(lockDurationMs(POLICY, 6)).toBe(120_000);
    expect(lockDurationMs(POLICY, 8)).toBe(480_000);
    expect(lockDurationMs(POLICY, 50)).toBe(3_600_000);
  });

  it("every lock expires", () => {
    let s = UNLOCKED;
    for (let i = 0; i < 40; i++) s = afterFailure(s, 0, POLICY);
    expect(isLocked(s, 0)).toBe(true);
    expect(isLocked(s, POLICY.maxMs)).toBe(false);
  });

  it("the phantom table forgets the oldest names first", () => {
    const p = new LockTable(2);
    p.fail("a", 0, POLICY);
    p.fail("b", 0, POLICY);
    p.fail("c", 0, POLICY);
    expect(p.get("a").failures).toBe(0);
    expect(p.get("c").failures).toBe(1);
  });
});

describe("password step with an injectable clock", () => {
  /** 20 wrong passwords, each 1 s apart (or as soon as a lock ends). */
  async function hammer(username: string, guard: LoginGuard) {
    const kinds: LoginResult["kind"][] = [];
    let now = at(0);
    for (let i = 0; i < 20; i++) {
      const r = await passwordLogin(
        db,
        { username, password: `wrong-${i}` },
        { now, policy: POLICY, guard },
      );
      kinds.push(r.kind);
      now = new Date(now.getTime() + 1000);
    }
    return kinds;
  }

  it("20 wrong passwords: a real and an unknown name answer the same sequence", async () => {
    const guard = new LoginGuard();
    const real = await hammer("bc.leader", guard);
    const unknown = await hammer("no.such.person", guard);
    expect(real).toEqual(unknown);
    expect(real.slice(0, 4)).toEqual(["invalid", "invalid", "invalid", "invalid"]);
    expect(real[4]).toBe("locked");
    expect(real.slice(5).every((k) => k === "locked")).toBe(true);
  }, 60_000);

  it("while locked even the right password is refused; after expiry it works", async () => {
    const guard = new LoginGuard();
    const opts = (now: Date) => ({ now, policy: POLICY, guard });
    for (let i = 0; i < 5; i++) {
      await passwordLogin(db, { username: "bc.inspector1", password: "nope" }, opts(at(i)));
    }
    const locked = await passwordLogin(
      db,
      { username: "bc.inspector1", password: PASSWORD },
      opts(at(10_000)),
    );
    expect(locked.kind).toBe("locked");
    const later = await passwordLogin(
      db,
      { username: "BC.Inspector1 ", password: PASSWORD },
      opts(at(5 * 1000 + 60_000)),
    );
    expect(later.kind).toBe("ok");
    if (later.kind !== "ok") return;
    expect(later.enrolled).toBe(true);

    // Second factor: a wrong code counts; the right code resets the count and rotates the token.
    const pending = (await getPendingSession(db, req(later.token), at(5 * 1000 + 60_000)))!;
    expect(pending.secondFactor).toBe(false);
    const now = at(5 * 1000 + 61_000);
    const bad = await completeSecondFactor(db, pending, "000000", opts(now));
    // 6th failure of this client on this name: locked for 2 min; the name over every client is
    // far from its own (slower) lock.
    expect(bad).toEqual({ kind: "locked", until: new Date(now.getTime() + 120_000) });
    const user = (
      await db
        .select()
        .from(staffUsers)
        .where(eq(staffUsers.id, "staff-tj-beichen-inspector1"))
        .limit(1)
    )[0]!;
    expect(user.failedLogins).toBe(6);
    expect(user.lockedUntil).toBeNull();
    const after = new Date(now.getTime() + 120_001);
    const good = await completeSecondFactor(
      db,
      pending,
      await currentTotp(DEMO_TOTP_SECRET),
      opts(after),
    );
    expect(good.kind).toBe("ok");
    if (good.kind !== "ok") return;
    expect(good.token).not.toBe(later.token);
    const reset = (
      await db.select().from(staffUsers).where(eq(staffUsers.id, user.id)).limit(1)
    )[0]!;
    expect(reset.failedLogins).toBe(0);
    expect(reset.lockedUntil).toBeNull();
    // The pending session is gone; the new one carries the second factor.
    expect(await getStaffSession(db, req(later.token), after)).toBeNull();
    expect((await getStaffSession(db, req(good.token), after))?.secondFactor).toBe(true);
  }, 60_000);

  it("a disabled account fails like a wrong password", async () => {
    await withTx(db, (tx) =>
      tx.update(staffUsers).set({ disabledAt: T0 }).where(eq(staffUsers.id, "staff-tj-auditor")),
    );
    const r = await passwordLogin(
      db,
      { username: "tj.auditor", password: PASSWORD },
      { now: at(0), policy: POLICY, guard: new LoginGuard() },
    );
    expect(r.kind).toBe("invalid");
  }, 30_000);
});

describe("enrolment, recovery codes, sign out everywhere", () => {
  it("enrols TOTP, issues 10 one-time recovery codes, and a recovery code signs in once", async () => {
    const policy = POLICY;
    const guard = new LoginGuard();
    const first = await passwordLogin(
      db,
      { username: "tj.office", password: PASSWORD },
      { now: new Date(), policy, guard },
    );
    expect(first).toMatchObject({ kind: "ok", enrolled: false });
    if (first.kind !== "ok") return;
    const pending = (await getPendingSession(db, req(first.token)))!;
    const secret = await beginTotpEnrolment(db, "staff-tj-office");
    expect(await beginTotpEnrolment(db, "staff-tj-office")).toBe(secret);
    expect(await enrolAndSignIn(db, pending, "123", { policy })).toMatchObject({
      kind: "invalid",
    });
    const enrolled = await enrolAndSignIn(db, pending, await currentTotp(secret), { policy });
    expect(enrolled.kind).toBe("ok");
    if (enrolled.kind !== "ok") return;
    expect(enrolled.codes).toHaveLength(10);
    const stored = await db
      .select()
      .from(recoveryCodes)
      .where(eq(recoveryCodes.staffId, "staff-tj-office"));
    expect(stored.map((r) => r.codeHash)).not.toContain(enrolled.codes[0]);

    // Sign in again with a recovery code (typed in capitals with spaces): works once only.
    const code = enrolled.codes[0]!.toUpperCase().replace(/-/g, " ");
    expect(normaliseRecoveryCode(code)).toBe(enrolled.codes[0]);
    for (const expected of ["ok", "invalid"] as const) {
      const again = await passwordLogin(
        db,
        { username: "tj.office", password: PASSWORD },
        { policy, guard },
      );
      if (again.kind !== "ok") throw new Error("password step failed");
      const p = (await getPendingSession(db, req(again.token)))!;
      expect((await completeSecondFactor(db, p, code, { policy })).kind).toBe(expected);
    }

    // Sign out everywhere revokes every live session of the member.
    const live = (await getStaffSession(db, req(first.token)))!;
    expect(await signOutEverywhere(db, live)).toBeGreaterThanOrEqual(2);
    expect(await getStaffSession(db, req(first.token))).toBeNull();
    const open = (
      await db.select().from(sessions).where(eq(sessions.staffId, "staff-tj-office"))
    ).filter((s) => s.revokedAt === null);
    expect(open).toHaveLength(0);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  }, 60_000);

  it("a TOTP code signs in once: the same code again is refused (RFC 6238 §5.2)", async () => {
    const policy = POLICY;
    const code = await currentTotp(DEMO_TOTP_SECRET);
    const kinds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await passwordLogin(
        db,
        { username: "jn.commission", password: PASSWORD },
        { policy, guard: new LoginGuard() },
      );
      if (r.kind !== "ok") throw new Error("password step failed");
      const p = (await getPendingSession(db, req(r.token)))!;
      kinds.push((await completeSecondFactor(db, p, code, { policy })).kind);
    }
    expect(kinds).toEqual(["ok", "invalid"]);
    // The next step's code still works.
    const r = await passwordLogin(
      db,
      { username: "jn.commission", password: PASSWORD },
      { policy, guard: new LoginGuard() },
    );
    if (r.kind !== "ok") throw new Error("password step failed");
    const p = (await getPendingSession(db, req(r.token)))!;
    const next = await currentTotp(DEMO_TOTP_SECRET, 1);
    expect((await completeSecondFactor(db, p, next, { policy })).kind).toBe("ok");

    // The used step is kept in the database, not in this process: after a restart the first
    // code (an older step) is still refused.
    const [row] = await db
      .select({ s: staffUsers.totpLastStep })
      .from(staffUsers)
      .where(eq(staffUsers.username, "jn.commission"));
    expect(row!.s).toBeGreaterThan(0);
    const again = await passwordLogin(
      db,
      { username: "jn.commission", password: PASSWORD },
      { policy, guard: new LoginGuard() },
    );
    if (again.kind !== "ok") throw new Error("password step failed");
    const pending = (await getPendingSession(db, req(again.token)))!;
    expect((await completeSecondFactor(db, pending, code, { policy })).kind).toBe("invalid");
  }, 30_000);

  it("our HOTP per step agrees with @epic-web/totp", async () => {
    const now = totpStep();
    const lib = await currentTotp(DEMO_TOTP_SECRET);
    expect([totpForStep(DEMO_TOTP_SECRET, now), totpForStep(DEMO_TOTP_SECRET, now + 1)]).toContain(
      lib,
    );
    // RFC 6238 appendix B, SHA-1, T = 59 s → 94287082 (8 digits); the last 6 digits: 287082.
    expect(totpForStep(base32(Buffer.from("12345678901234567890")), 1)).toBe("287082");
  });

  it("base32 matches RFC 4648", () => {
    expect(base32(new TextEncoder().encode("foobar"))).toBe("MZXW6YTBOI");
  });
});
