/**
 * Staff sign-in (ADR 007): password (argon2id) → TOTP or a recovery code → a fresh,
 * database-backed session. Every step appends to the audit chain in the same transaction.
 *
 * Enumeration: an unknown name, a name without a password yet and a disabled account all run
 * the same argon2id work, fail with the same result and lock with the same backoff as a real
 * name (unknown names lock in memory, real ones in staff_users), so neither the answer nor its
 * timing tells whether an account exists.
 *
 * Guessing and lockout (lockout.server.ts): failures count per name × client, per client and
 * per name over every client; the last does not bind a browser holding the account's device
 * token (set after a completed sign-in), so nobody elsewhere can lock the owner out.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, lte, or, sql } from "drizzle-orm";
import { withTx, type Db, type Tx } from "../../db/client";
import type { Env } from "../env.server";
import { csrfToken } from "./csrf.server";
import { permissionsOf } from "./permissions.server";
import {
  auditLog,
  districts,
  recoveryCodes,
  sessions,
  staffUsers,
  stationings,
  teamMembers,
  teams,
  type StaffUser,
} from "../../db/schema";
import { appendAudit } from "./audit.server";
import {
  afterFailure,
  globalLockoutPolicy,
  isLocked,
  lockoutPolicy,
  LoginGuard,
  pairKey,
  type LockoutPolicy,
  type LockState,
} from "./lockout.server";
import {
  HasherBusyError,
  needsRehash,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  verifyPassword,
} from "./passwords.server";
import {
  createSession,
  getStaffSession,
  revokeAllSessions,
  revokeSession,
  SESSION_COOKIE,
  type StaffSession,
} from "./sessions.server";
import {
  DEMO_TOTP_SECRET,
  matchTotp,
  hashRecoveryCode,
  newRecoveryCode,
  newTotpSecret,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
} from "./totp.server";

/** A half-signed-in session (password done, second factor not yet) lives this long. */
export const PENDING_SESSION_MS = 10 * 60 * 1000;
export const USERNAME_MAX_LENGTH = 64;

/**
 * The staff cookie is scoped to the staff pages and the staff API: public pages never receive it.
 * A cookie has one path, so the same token is set once per path (and cleared once per path).
 */
export const STAFF_COOKIE_PATHS = ["/staff", "/api/staff"] as const;

function staffCookieFor(path: string, value: string, lifetime: string, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    `Path=${path}`,
    "HttpOnly",
    "SameSite=Lax",
    lifetime,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/** Response headers that set the session cookie on every staff path. */
export function signInHeaders(
  base: Record<string, string>,
  token: string,
  expiresAt: Date,
  secure: boolean,
): Headers {
  const headers = new Headers(base);
  for (const path of STAFF_COOKIE_PATHS) {
    headers.append(
      "Set-Cookie",
      staffCookieFor(path, token, `Expires=${expiresAt.toUTCString()}`, secure),
    );
  }
  return headers;
}

/** Response headers that remove the session cookie from every staff path. */
export function signOutHeaders(base: Record<string, string>, secure: boolean): Headers {
  const headers = new Headers(base);
  for (const path of STAFF_COOKIE_PATHS) {
    headers.append("Set-Cookie", staffCookieFor(path, "", "Max-Age=0", secure));
  }
  return headers;
}

export function normaliseUsername(input: string): string {
  return input.normalize("NFC").trim().toLowerCase();
}

/**
 * A TOTP code signs in once (RFC 6238 §5.2): the step must be newer than the last one used. Kept
 * in the database and claimed atomically, so a restart or a second process changes nothing.
 */
async function claimTotpStep(db: Db, staffId: string, step: number): Promise<boolean> {
  const claimed = await withTx(db, (tx) =>
    tx
      .update(staffUsers)
      .set({ totpLastStep: step })
      .where(
        and(
          eq(staffUsers.id, staffId),
          or(isNull(staffUsers.totpLastStep), lt(staffUsers.totpLastStep, step)),
        ),
      )
      .returning({ id: staffUsers.id }),
  );
  return claimed.length === 1;
}

/** What sign-in keeps in memory (client × name locks, unknown names): one per server process. */
const processGuard = new LoginGuard();

export interface AuthOptions {
  now?: Date;
  /** The name × client policy; the per-name policy over every client is derived from it. */
  policy: LockoutPolicy;
  /** Who is asking (`context.clientKey`); "" when there is no client (tests, scripts). */
  clientKey?: string;
  /** True when this request carries the account's current device token (id, device epoch). */
  knownDevice?: (staffId: string, deviceEpoch: number) => boolean;
  /** Injectable for tests; defaults to the process-wide tables. */
  guard?: LoginGuard;
}

export type LoginResult =
  | { kind: "ok"; token: string; sessionId: string; expiresAt: Date; enrolled: boolean }
  | { kind: "invalid" }
  | { kind: "locked"; until: Date }
  | { kind: "busy" };

function stateOf(user: StaffUser): LockState {
  return { failures: user.failedLogins, lockedUntil: user.lockedUntil?.getTime() ?? null };
}

/** One sign-in attempt's view of the counters: which client, which name, which clock. */
interface Attempt {
  guard: LoginGuard;
  client: string;
  pair: string;
  at: number;
  policy: LockoutPolicy;
}

function attemptOf(opts: AuthOptions, name: string, now: Date): Attempt {
  const client = opts.clientKey ?? "";
  return {
    guard: opts.guard ?? processGuard,
    client,
    pair: pairKey(client, name),
    at: now.getTime(),
    policy: opts.policy,
  };
}

/** The lock this client is under for this name (per client, then name × client), if any. */
function clientLock(a: Attempt): { kind: "locked"; until: Date } | null {
  if (a.guard.clients.blocked(a.client, a.at)) {
    const minutes = a.guard.clients.retryAfterMinutes(a.client, a.at);
    return { kind: "locked", until: new Date(a.at + minutes * 60_000) };
  }
  const pair = a.guard.pairs.get(a.pair);
  return isLocked(pair, a.at) ? { kind: "locked", until: new Date(pair.lockedUntil!) } : null;
}

/**
 * A failed second factor (or recovery-code regeneration): counts for this client and name, for
 * this client and for the name over every client; answers "locked" once this client is.
 */
async function secondFactorFailure(
  db: Db,
  a: Attempt,
  user: StaffUser,
  now: Date,
  step: "password" | "totp",
): Promise<{ kind: "locked"; until: Date } | { kind: "invalid" }> {
  a.guard.clients.hit(a.client, a.at);
  const pair = a.guard.pairs.fail(a.pair, a.at, a.policy);
  await recordFailure(db, user, now, a.policy, step);
  return (
    clientLock(a) ??
    (isLocked(pair, a.at)
      ? { kind: "locked", until: new Date(pair.lockedUntil!) }
      : { kind: "invalid" })
  );
}

/** Counts a failure against the account over every client (staff_users, the slower policy). */
async function recordFailure(
  db: Db,
  user: StaffUser,
  now: Date,
  policy: LockoutPolicy,
  step: "password" | "totp",
): Promise<LockState> {
  return withTx(db, async (tx) => {
    // The count goes up in the statement itself: a read of it then a write of count + 1 loses
    // parallel failures on PostgreSQL (READ COMMITTED: each reads the same count). The update also
    // holds the row until commit, so the lock below follows from this transaction's own count.
    const counted = await tx
      .update(staffUsers)
      .set({ failedLogins: sql`${staffUsers.failedLogins} + 1` })
      .where(eq(staffUsers.id, user.id))
      .returning({ failures: staffUsers.failedLogins });
    const failures = counted[0]?.failures ?? user.failedLogins + 1;
    const next = afterFailure(
      { failures: failures - 1, lockedUntil: null },
      now.getTime(),
      globalLockoutPolicy(policy),
    );
    await tx
      .update(staffUsers)
      .set({ lockedUntil: next.lockedUntil === null ? null : new Date(next.lockedUntil) })
      .where(eq(staffUsers.id, user.id));
    await appendAudit(tx, {
      actorId: null,
      action: "auth.login.failed",
      objectType: "account",
      objectId: user.id,
      detail: { step, failures: next.failures, locked: next.lockedUntil !== null },
      at: now,
    });
    return next;
  });
}

/** Step 1: username and password. On success a pending session (no second factor yet). */
export async function passwordLogin(
  db: Db,
  input: { username: string; password: string },
  opts: AuthOptions,
): Promise<LoginResult> {
  const now = opts.now ?? new Date();
  const name = normaliseUsername(input.username).slice(0, USERNAME_MAX_LENGTH);
  const a = attemptOf(opts, name, now);
  const refused = clientLock(a);
  if (refused) return refused;
  const user = name
    ? (await db.select().from(staffUsers).where(eq(staffUsers.username, name)).limit(1))[0]
    : undefined;

  // The per-name lock over every client binds every browser but the owner's own.
  const global = globalLockoutPolicy(opts.policy);
  const device = user !== undefined && (opts.knownDevice?.(user.id, user.deviceEpoch) ?? false);
  const state = user ? stateOf(user) : a.guard.phantoms.get(name);
  if (!device && isLocked(state, a.at)) {
    return { kind: "locked", until: new Date(state.lockedUntil!) };
  }

  // Counted before the hash, so a burst of parallel guesses is counted as it arrives; given back
  // if the password is right or the hash never ran.
  a.guard.clients.hit(a.client, a.at);
  const before = a.guard.pairs.get(a.pair);
  const pair = a.guard.pairs.fail(a.pair, a.at, opts.policy);
  const giveBack = () => {
    a.guard.clients.refund(a.client, a.at);
    a.guard.pairs.undo(a.pair, before);
  };

  const password = input.password.slice(0, PASSWORD_MAX_LENGTH + 1);
  let ok: boolean;
  try {
    ok = await verifyPassword(user?.passwordHash ?? null, password);
  } catch (err) {
    if (!(err instanceof HasherBusyError)) throw err;
    giveBack();
    return { kind: "busy" };
  }
  if (!user || !ok || user.disabledAt || !user.passwordHash) {
    const next = user
      ? await recordFailure(db, user, now, opts.policy, "password")
      : a.guard.phantoms.fail(name, a.at, global);
    const until = Math.max(pair.lockedUntil ?? 0, device ? 0 : (next.lockedUntil ?? 0));
    return until > 0 ? { kind: "locked", until: new Date(until) } : { kind: "invalid" };
  }
  giveBack();

  const rehash = needsRehash(user.passwordHash) ? await hashPassword(password) : null;
  return withTx(db, async (tx) => {
    const session = await createSession(tx, user.id, { now, secondFactor: false });
    if (rehash) {
      await tx.update(staffUsers).set({ passwordHash: rehash }).where(eq(staffUsers.id, user.id));
    }
    await appendAudit(tx, {
      actorId: user.id,
      action: "auth.login.password",
      objectType: "account",
      objectId: user.id,
      at: now,
    });
    return {
      kind: "ok",
      token: session.token,
      sessionId: session.id,
      expiresAt: session.expiresAt,
      enrolled: user.totpEnabledAt !== null,
    };
  });
}

/** The session behind a request that has passed the password but not yet the second factor. */
export async function getPendingSession(
  db: Db,
  request: Request,
  now = new Date(),
): Promise<StaffSession | null> {
  const session = await getStaffSession(db, request, now);
  if (!session || session.secondFactor) return null;
  const row = (
    await db.select().from(sessions).where(eq(sessions.id, session.sessionId)).limit(1)
  )[0];
  if (!row || row.createdAt.getTime() + PENDING_SESSION_MS <= now.getTime()) return null;
  return session;
}

export type SecondFactorResult =
  | { kind: "ok"; token: string; sessionId: string; expiresAt: Date }
  | { kind: "invalid" }
  | { kind: "locked"; until: Date };

/**
 * Step 2: a TOTP code or an unused recovery code. Success replaces the pending session with a
 * fresh one (new token: no session fixation) that carries the second factor.
 */
export async function completeSecondFactor(
  db: Db,
  pending: StaffSession,
  code: string,
  opts: AuthOptions,
): Promise<SecondFactorResult> {
  const now = opts.now ?? new Date();
  const user = (
    await db.select().from(staffUsers).where(eq(staffUsers.id, pending.staff.id)).limit(1)
  )[0];
  if (!user || user.disabledAt) return { kind: "invalid" };
  // The password step has just passed every lock; here only this client's locks apply.
  const a = attemptOf(opts, user.username, now);
  const refused = clientLock(a);
  if (refused) return refused;

  let method: "totp" | "recovery" | null = null;
  let recoveryHash: string | null = null;
  const step =
    user.totpSecret && user.totpEnabledAt ? await matchTotp(user.totpSecret, code) : null;
  if (step !== null && (await claimTotpStep(db, user.id, step))) {
    method = "totp";
  } else if (step === null) {
    const recovery = normaliseRecoveryCode(code);
    if (recovery) {
      recoveryHash = hashRecoveryCode(recovery);
      const row = (
        await db
          .select()
          .from(recoveryCodes)
          .where(
            and(
              eq(recoveryCodes.codeHash, recoveryHash),
              eq(recoveryCodes.staffId, user.id),
              isNull(recoveryCodes.usedAt),
            ),
          )
          .limit(1)
      )[0];
      if (row) method = "recovery";
    }
  }
  if (!method) return secondFactorFailure(db, a, user, now, "totp");

  // Null: a parallel request used the recovery code or completed this pending session first.
  const done = await finishSignIn(db, pending, method, now, recoveryHash);
  if (!done) return secondFactorFailure(db, a, user, now, "totp");
  a.guard.pairs.clear(a.pair);
  return done;
}

/** Thrown inside a transaction to roll it back when its claim was lost to a parallel one. */
const CLAIM_LOST = Symbol("claim lost");

/** `fn`'s result, or null when it threw CLAIM_LOST (everything it wrote is rolled back). */
async function claimOrNull<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (err === CLAIM_LOST) return null;
    throw err;
  }
}

/**
 * Replaces the pending session with a full one; resets the failure count; audited. Null when a
 * parallel request got there first: the recovery code was used, or the pending session was
 * replaced already. Both are claimed by a conditional UPDATE whose row count is checked (a read
 * of "unused" before the write lets parallel requests all pass, on PostgreSQL and, since the read
 * was outside the transaction, on SQLite too).
 */
async function finishSignIn(
  db: Db,
  pending: StaffSession,
  method: "totp" | "recovery",
  now: Date,
  recoveryHash: string | null = null,
): Promise<{ kind: "ok"; token: string; sessionId: string; expiresAt: Date } | null> {
  return claimOrNull(() =>
    withTx(db, async (tx) => {
      if (recoveryHash) {
        const used = await tx
          .update(recoveryCodes)
          .set({ usedAt: now })
          .where(
            and(
              eq(recoveryCodes.codeHash, recoveryHash),
              eq(recoveryCodes.staffId, pending.staff.id),
              isNull(recoveryCodes.usedAt),
            ),
          )
          .returning({ codeHash: recoveryCodes.codeHash });
        if (used.length === 0) throw CLAIM_LOST;
      }
      const replaced = await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.id, pending.sessionId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      if (replaced.length === 0) throw CLAIM_LOST;
      const session = await createSession(tx, pending.staff.id, { now, secondFactor: true });
      await tx
        .update(staffUsers)
        .set({ failedLogins: 0, lockedUntil: null })
        .where(eq(staffUsers.id, pending.staff.id));
      await appendAudit(tx, {
        actorId: pending.staff.id,
        action: "session.create",
        objectType: "session",
        objectId: session.id,
        detail: { method },
        at: now,
      });
      return {
        kind: "ok" as const,
        token: session.token,
        sessionId: session.id,
        expiresAt: session.expiresAt,
      };
    }),
  );
}

// ---------------------------------------------------------------- TOTP enrolment
/** The secret being enrolled (kept until confirmed; totpEnabledAt stays null until then). */
export async function beginTotpEnrolment(db: Db, staffId: string): Promise<string> {
  const user = (await db.select().from(staffUsers).where(eq(staffUsers.id, staffId)).limit(1))[0];
  if (!user) throw new Response("Not found", { status: 404 });
  if (user.totpEnabledAt) throw new Response("Conflict", { status: 409 });
  if (user.totpSecret) return user.totpSecret;
  const secret = newTotpSecret();
  // Stored only if there is still none (and enrolment has not completed meanwhile): parallel
  // first visits (two tabs, two nodes) would otherwise each show a secret, and only the last
  // one stored would work — or overwrite the secret of an enrolment completed in between.
  const stored = await withTx(db, (tx) =>
    tx
      .update(staffUsers)
      .set({ totpSecret: secret })
      .where(
        and(
          eq(staffUsers.id, staffId),
          isNull(staffUsers.totpSecret),
          isNull(staffUsers.totpEnabledAt),
        ),
      )
      .returning({ id: staffUsers.id }),
  );
  if (stored.length === 1) return secret;
  const [kept] = await db.select().from(staffUsers).where(eq(staffUsers.id, staffId)).limit(1);
  if (!kept) throw new Response("Not found", { status: 404 });
  if (kept.totpEnabledAt || !kept.totpSecret) throw new Response("Conflict", { status: 409 });
  return kept.totpSecret;
}

/**
 * Confirms enrolment with a first code from the app, stores fresh recovery codes (returned once,
 * only their hashes are kept) and completes the sign-in.
 */
export async function enrolAndSignIn(
  db: Db,
  pending: StaffSession,
  code: string,
  opts: AuthOptions,
): Promise<
  | { kind: "ok"; sessionId: string; codes: string[] }
  | { kind: "invalid" }
  | { kind: "locked"; until: Date }
> {
  const now = opts.now ?? new Date();
  const staffId = pending.staff.id;
  const user = (await db.select().from(staffUsers).where(eq(staffUsers.id, staffId)).limit(1))[0];
  if (!user?.totpSecret || user.totpEnabledAt || user.disabledAt) return { kind: "invalid" };
  const a = attemptOf(opts, user.username, now);
  const refused = clientLock(a);
  if (refused) return refused;
  const step = await matchTotp(user.totpSecret, code);
  if (step === null || !(await claimTotpStep(db, staffId, step))) {
    return secondFactorFailure(db, a, user, now, "totp");
  }
  // Enrolment completes once: of parallel confirmations (two valid codes), one stores its
  // recovery codes; the other's would replace them after they were shown.
  const enrolled = await claimOrNull(() =>
    withTx(db, async (tx) => {
      const enabled = await tx
        .update(staffUsers)
        .set({ totpEnabledAt: now })
        .where(and(eq(staffUsers.id, staffId), isNull(staffUsers.totpEnabledAt)))
        .returning({ id: staffUsers.id });
      if (enabled.length === 0) throw CLAIM_LOST;
      const codes = await replaceRecoveryCodes(tx, staffId, "account.totp.enrol", now);
      // The session is upgraded in place (the page that shows the recovery codes is rendered for
      // the cookie the browser already holds); the token was issued after the password step.
      await tx
        .update(sessions)
        .set({ secondFactorAt: now })
        .where(eq(sessions.id, pending.sessionId));
      await tx
        .update(staffUsers)
        .set({ failedLogins: 0, lockedUntil: null })
        .where(eq(staffUsers.id, staffId));
      await appendAudit(tx, {
        actorId: staffId,
        action: "session.create",
        objectType: "session",
        objectId: pending.sessionId,
        detail: { method: "enrolment" },
        at: now,
      });
      return { kind: "ok" as const, sessionId: pending.sessionId, codes };
    }),
  );
  if (!enrolled) return secondFactorFailure(db, a, user, now, "totp");
  a.guard.pairs.clear(a.pair);
  return enrolled;
}

/**
 * New recovery codes from the account page: the member proves it is them again with the
 * password and a TOTP code (a signed-in session alone is not enough: it may be someone at an
 * unlocked computer). The old codes stop working in the same transaction; audited. Wrong
 * answers count towards the same lockout as sign-in.
 */
export async function regenerateRecoveryCodes(
  db: Db,
  session: StaffSession,
  input: { password: string; code: string },
  opts: AuthOptions,
): Promise<
  | { kind: "ok"; codes: string[] }
  | { kind: "invalid" }
  | { kind: "locked"; until: Date }
  | { kind: "busy" }
> {
  const now = opts.now ?? new Date();
  const staffId = session.staff.id;
  const user = (await db.select().from(staffUsers).where(eq(staffUsers.id, staffId)).limit(1))[0];
  if (!user || user.disabledAt || !user.totpSecret || !user.totpEnabledAt) {
    return { kind: "invalid" };
  }
  const a = attemptOf(opts, user.username, now);
  const refused = clientLock(a);
  if (refused) return refused;
  let passwordOk: boolean;
  try {
    passwordOk = await verifyPassword(user.passwordHash, input.password);
  } catch (err) {
    if (!(err instanceof HasherBusyError)) throw err;
    return { kind: "busy" };
  }
  const step = passwordOk ? await matchTotp(user.totpSecret, input.code) : null;
  if (!passwordOk || step === null || !(await claimTotpStep(db, staffId, step))) {
    return secondFactorFailure(db, a, user, now, passwordOk ? "totp" : "password");
  }
  a.guard.pairs.clear(a.pair);
  const codes = await withTx(db, async (tx) => {
    await tx
      .update(staffUsers)
      .set({ failedLogins: 0, lockedUntil: null })
      .where(eq(staffUsers.id, staffId));
    return await replaceRecoveryCodes(tx, staffId, "account.recovery.regenerate", now);
  });
  return { kind: "ok", codes };
}

/**
 * A fresh set of recovery codes (only their hashes are stored; the old ones stop working), with
 * its audit row, inside the caller's transaction.
 */
async function replaceRecoveryCodes(
  tx: Tx,
  staffId: string,
  action: "account.totp.enrol" | "account.recovery.regenerate",
  now: Date,
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.staffId, staffId));
  await tx
    .insert(recoveryCodes)
    .values(codes.map((c) => ({ codeHash: hashRecoveryCode(c), staffId })));
  await appendAudit(tx, {
    actorId: staffId,
    action,
    objectType: "account",
    objectId: staffId,
    detail: { recoveryCodes: codes.length },
    at: now,
  });
  return codes;
}

export async function unusedRecoveryCodes(db: Db, staffId: string): Promise<number> {
  return (
    await db
      .select()
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.staffId, staffId), isNull(recoveryCodes.usedAt)))
  ).length;
}

// ---------------------------------------------------------------- sign out
export async function signOut(db: Db, session: StaffSession, now = new Date()): Promise<void> {
  await withTx(db, async (tx) => {
    await revokeSession(tx, session.sessionId, now);
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "session.revoke",
      objectType: "session",
      objectId: session.sessionId,
      at: now,
    });
  });
}

/** Revokes every session of the member, this one included (they sign in again). */
export async function signOutEverywhere(
  db: Db,
  session: StaffSession,
  now = new Date(),
): Promise<number> {
  return withTx(db, async (tx) => {
    const live = (
      await tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.staffId, session.staff.id), isNull(sessions.revokedAt)))
    ).length;
    await revokeAllSessions(tx, session.staff.id, now);
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "session.revoke_all",
      objectType: "account",
      objectId: session.staff.id,
      detail: { sessions: live },
      at: now,
    });
    return live;
  });
}

/** Live sessions of a member, newest first (for the account page). */
export async function liveSessions(db: Db, staffId: string, now = new Date()) {
  return (
    await db
      .select()
      .from(sessions)
      .where(and(eq(sessions.staffId, staffId), isNull(sessions.revokedAt)))
  )
    .filter((s) => s.expiresAt.getTime() > now.getTime())
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((s) => ({
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      secondFactor: s.secondFactorAt !== null,
      id: s.id,
    }));
}

// ---------------------------------------------------------------- route helpers
/** What StaffLayout needs: name, permissions (for the navigation) and the CSRF token. */
export function staffLayoutData(env: Env, session: StaffSession) {
  return {
    displayName: session.staff.displayName,
    permissions: [...permissionsOf(session.roles)] as string[],
    csrf: csrfToken(env, session.sessionId),
  };
}

// ---------------------------------------------------------------- device tokens
/**
 * A browser that has completed a sign-in keeps a device token for that account:
 * HMAC-SHA256(SESSION_SECRET, "device:" ‖ staff id [‖ ":" ‖ device epoch when above 0]), in an
 * HttpOnly cookie scoped to the sign-in pages. It proves nothing by itself (password and second
 * factor are still needed); it only lets the owner past the per-name lock that guessers elsewhere
 * may have set off. Revoking every session of the account ("sign out everywhere", a reset) raises
 * `staff_users.device_epoch`, so every token issued before stops counting. Up to four accounts
 * per browser (a shared office computer).
 */
export const DEVICE_COOKIE = "cw_device";
const DEVICE_COOKIE_MAX = 4;
const DEVICE_COOKIE_DAYS = 180;

export function deviceToken(env: Env, staffId: string, deviceEpoch: number): string {
  // Epoch 0 keeps the form tokens had before epochs existed.
  const subject = deviceEpoch === 0 ? `device:${staffId}` : `device:${staffId}:${deviceEpoch}`;
  return createHmac("sha256", env.sessionSecret).update(subject).digest("base64url");
}

function deviceTokensOf(request: Request): string[] {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [k, v] = part.trim().split("=");
    if (k === DEVICE_COOKIE && v) return v.split(".").filter((t) => /^[\w-]{43}$/.test(t));
  }
  return [];
}

/** `knownDevice` for AuthOptions: does this request carry the account's device token? */
export function knownDeviceOf(
  env: Env,
  request: Request,
): (staffId: string, deviceEpoch: number) => boolean {
  const tokens = deviceTokensOf(request).map((t) => Buffer.from(t));
  return (staffId, deviceEpoch) => {
    const expected = Buffer.from(deviceToken(env, staffId, deviceEpoch));
    return tokens.some((t) => t.length === expected.length && timingSafeEqual(t, expected));
  };
}

/** Adds this account's device token to the browser's (newest first, at most four). */
export function withDeviceCookie(
  headers: HeadersInit,
  env: Env,
  request: Request,
  staff: { id: string; deviceEpoch: number },
): Headers {
  const token = deviceToken(env, staff.id, staff.deviceEpoch);
  const kept = [token, ...deviceTokensOf(request).filter((t) => t !== token)];
  const out = new Headers(headers);
  out.append(
    "Set-Cookie",
    [
      `${DEVICE_COOKIE}=${kept.slice(0, DEVICE_COOKIE_MAX).join(".")}`,
      "Path=/staff/login",
      "HttpOnly",
      "SameSite=Strict",
      `Max-Age=${DEVICE_COOKIE_DAYS * 24 * 3600}`,
      ...(secureCookies(env) ? ["Secure"] : []),
    ].join("; "),
  );
  return out;
}

/** Sign-in options for a request: the env's policy, the client and its device tokens. */
export function authOptions(
  env: Env,
  request: Request,
  clientKey: string,
): AuthOptions & { knownDevice: (staffId: string, deviceEpoch: number) => boolean } {
  return { policy: authPolicy(env), clientKey, knownDevice: knownDeviceOf(env, request) };
}

export function authPolicy(env: Env): LockoutPolicy {
  return lockoutPolicy(env.loginLockoutBaseMs);
}

export function secureCookies(env: Env): boolean {
  return env.publicOrigin.startsWith("https://");
}

/** Rejects a cross-site POST on the sign-in form (no session yet, so no CSRF token). */
export function assertSameOrigin(env: Env, request: Request): void {
  const origin = request.headers.get("Origin");
  if (origin && origin !== new URL(request.url).origin && origin !== env.publicOrigin) {
    throw new Response("Forbidden: cross-site request", { status: 403 });
  }
}

/** Minutes (rounded up, at least 1) until a lock ends: what the sign-in page shows. */
export function minutesUntil(until: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}

/** The landing page: my teams and where they are stationed now. */
export async function myTeams(db: Db, staffId: string, now = new Date()) {
  const rows = await db
    .select({ team: teams, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.staffId, staffId), isNull(teamMembers.leftAt)));
  return Promise.all(
    rows.map(async ({ team, role }) => {
      const stationed = await db
        .select({ s: stationings, d: districts })
        .from(stationings)
        .innerJoin(districts, eq(districts.id, stationings.targetDistrictId))
        .where(
          and(
            eq(stationings.teamId, team.id),
            lte(stationings.startsAt, now),
            gt(stationings.endsAt, now),
          ),
        );
      return {
        id: team.id,
        nameZh: team.nameZh,
        nameEn: team.nameEn,
        role,
        stationings: stationed.map(({ s, d }) => ({
          districtZh: d.nameZh,
          districtEn: d.nameEn,
          endsAt: s.endsAt.toISOString(),
        })),
      };
    }),
  );
}

/**
 * Demo mode only (server/demo.ts): demo logins that have no authenticator yet get the printed
 * demo TOTP secret, so people and tests can compute codes.
 */
export async function enableDemoTotp(db: Db, staffIds: string[], now = new Date()): Promise<void> {
  await withTx(db, async (tx) => {
    for (const id of staffIds) {
      await tx
        .update(staffUsers)
        .set({ totpSecret: DEMO_TOTP_SECRET, totpEnabledAt: now })
        .where(and(eq(staffUsers.id, id), isNull(staffUsers.totpEnabledAt)));
    }
  });
}

// ---------------------------------------------------------------- auditor view
export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilter {
  actor?: string;
  action?: string;
  object?: string;
  page: number;
}

/** One page of the audit log, newest first, with the actor's name. */
export async function listAudit(db: Db, filter: AuditFilter) {
  const conditions = [];
  if (filter.actor) {
    conditions.push(or(eq(auditLog.actorId, filter.actor), eq(staffUsers.username, filter.actor)));
  }
  if (filter.action) {
    // Prefix match ("session." finds every session action), without LIKE wildcards.
    conditions.push(sql`substr(${auditLog.action}, 1, ${filter.action.length}) = ${filter.action}`);
  }
  if (filter.object) {
    // A tip id also finds the batched `tip.delivered` rows that list it (space-separated ids).
    const escaped = filter.object.replace(/[\\%_]/g, (c) => `\\${c}`);
    conditions.push(
      or(
        eq(auditLog.objectType, filter.object),
        eq(auditLog.objectId, filter.object),
        and(
          eq(auditLog.action, "tip.delivered"),
          or(
            sql`${auditLog.detail} like ${`%"tips":"${escaped} %`} escape '\\'`,
            sql`${auditLog.detail} like ${`%"tips":"${escaped}"%`} escape '\\'`,
            sql`${auditLog.detail} like ${`% ${escaped} %`} escape '\\'`,
            sql`${auditLog.detail} like ${`% ${escaped}"%`} escape '\\'`,
          ),
        ),
      ),
    );
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const rows = await db
    .select({ row: auditLog, username: staffUsers.username, name: staffUsers.displayName })
    .from(auditLog)
    .leftJoin(staffUsers, eq(staffUsers.id, auditLog.actorId))
    .where(where)
    .orderBy(desc(auditLog.seq))
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((filter.page - 1) * AUDIT_PAGE_SIZE);
  return {
    rows: rows.slice(0, AUDIT_PAGE_SIZE).map(({ row, username, name }) => ({
      seq: row.seq,
      at: row.at.toISOString(),
      actor: row.actorId ? { id: row.actorId, username, name } : null,
      action: row.action,
      objectType: row.objectType,
      objectId: row.objectId,
      detail: row.detail,
      hash: row.hash,
    })),
    hasMore: rows.length > AUDIT_PAGE_SIZE,
  };
}
