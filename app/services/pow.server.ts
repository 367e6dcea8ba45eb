/**
 * Proof of work for report submissions: stateless HMAC-signed challenges (crypto/pow.ts), single
 * use through `spent_pow_tokens`, difficulty raised automatically while submissions flood in.
 * The browser fetches a challenge from /api/pow when the resident presses "send" and solves it
 * while the report is being encrypted.
 */
import { lt, eq, sql } from "drizzle-orm";
import {
  DEFAULT_POW_DIFFICULTY,
  issuePowChallenge,
  isCryptoError,
  pooledRandom,
  verifyPow,
  type CryptoErrorCode,
  type PowSpentStore,
} from "../../crypto/index";
import { preparedQuery, withTx, type Db, type Tx } from "../../db/client";
import { spentPowTokens } from "../../db/schema";
import type { Env } from "../env.server";

export const POW_TTL_MS = 10 * 60 * 1000;
/** Above this many accepted submissions per minute (whole site), each extra step adds one bit. */
const FLOOD_PER_MINUTE = 30;
const MAX_EXTRA_BITS = 4;

const recent: number[] = [];

/** Records one accepted submission (for flood detection; nothing about who sent it). */
export function noteSubmission(now = Date.now()): void {
  recent.push(now);
  while (recent.length > 0 && recent[0]! < now - 60_000) recent.shift();
}

/** DEFAULT_POW_DIFFICULTY normally; up to 4 bits (16× the work) more under a flood. */
export function currentDifficulty(now = Date.now(), base = DEFAULT_POW_DIFFICULTY): number {
  while (recent.length > 0 && recent[0]! < now - 60_000) recent.shift();
  const over = recent.length - FLOOD_PER_MINUTE;
  if (over <= 0) return base;
  return base + Math.min(MAX_EXTRA_BITS, 1 + Math.floor(over / FLOOD_PER_MINUTE));
}

/** Challenge ids from the CSPRNG a block at a time (one is issued with every status look-up). */
const challengeRandom = pooledRandom();

export function issueChallenge(env: Env, now = Date.now()): string {
  return issuePowChallenge({
    secret: env.powSecret,
    nowMs: now,
    ttlMs: POW_TTL_MS,
    difficulty: currentDifficulty(now, env.powDifficulty ?? DEFAULT_POW_DIFFICULTY),
    random: challengeRandom,
  });
}

/** A verified solution's single-use id, to be spent (`spendPowToken`). */
export interface PowToken {
  id: string;
  expiresAtMs: number;
}

/** Expired spent tokens are deleted by the first spend after this long (per process). */
export const POW_PRUNE_EVERY_MS = 60 * 1000;
let prunedAt = -Infinity;

/**
 * Spends a token inside the caller's transaction: false when it was spent already. The insert is
 * the real check: of two racing submissions (one node or several) with the same token, exactly
 * one inserts the row; the other gets no row back and is "replayed". Expired rows leave on the
 * way, at most once a minute per process (a statement less per report, issue 13): a row stays at
 * most that long past its expiry, and an expired token is refused by its signed expiry anyway.
 */
export async function spendPowToken(tx: Tx, token: PowToken, now: number): Promise<boolean> {
  if (takePowPruneTurn(now)) await prunePowTokens(tx, now);
  // Prepared once (`preparedQuery`: kept for every SQLite write transaction; issue 13).
  const inserted = await preparedQuery(tx, "cw_pow_spend", (t) =>
    (t as Tx)
      .insert(spentPowTokens)
      .values({ id: sql.placeholder("id"), expiresAt: sql.placeholder("expiresAt") })
      .onConflictDoNothing()
      .returning({ id: spentPowTokens.id })
      .prepare("cw_pow_spend"),
  ).execute({ id: token.id, expiresAt: new Date(token.expiresAtMs) });
  return inserted.length === 1;
}

/**
 * True when the spend at `now` should also delete the expired spent tokens (at most once a
 * minute per process); the turn is taken. For writers that spend a token in a statement of their
 * own (db/tip-insert-pg.ts) as `spendPowToken` does.
 */
export function takePowPruneTurn(now: number): boolean {
  if (now - prunedAt < POW_PRUNE_EVERY_MS && now >= prunedAt) return false;
  prunedAt = now;
  return true;
}

/** Deletes the spent tokens that expired before `now`. */
async function prunePowTokens(tx: Tx, now: number): Promise<void> {
  await preparedQuery(tx, "cw_pow_prune", (t) =>
    (t as Tx)
      .delete(spentPowTokens)
      .where(
        lt(spentPowTokens.expiresAt, sql.param(sql.placeholder("now"), spentPowTokens.expiresAt)),
      )
      .prepare("cw_pow_prune"),
  ).execute({ now: new Date(now) });
}

function spentStore(db: Db, now: number, spend: (token: PowToken) => Promise<boolean>) {
  return {
    isSpent: async (id) =>
      (
        await preparedQuery(db, "cw_pow_is_spent", (d) =>
          d
            .select({ id: spentPowTokens.id })
            .from(spentPowTokens)
            .where(eq(spentPowTokens.id, sql.placeholder("id")))
            .limit(1)
            .prepare("cw_pow_is_spent"),
        ).execute({ id })
      ).length > 0,
    markSpent: (id, expiresAtMs) => spend({ id, expiresAtMs }),
  } satisfies PowSpentStore;
}

export type PowCheck = { ok: true } | { ok: false; code: "expired" | "replayed" | "invalid" };

/** Verifies and spends a solution. `expired` and `replayed` get their own messages. */
export function checkPow(
  db: Db,
  env: Env,
  challenge: string,
  solution: string,
  now = Date.now(),
): Promise<PowCheck> {
  return verified(db, env, challenge, solution, now, (token) => spendPowAlone(db, token, now));
}

/** Spends a token in a transaction of its own: false when it was spent already. */
export function spendPowAlone(db: Db, token: PowToken, now = Date.now()): Promise<boolean> {
  return withTx(db, (tx) => spendPowToken(tx, token, now));
}

/**
 * Verifies a solution — signature, expiry, work, not spent yet — without spending it: the caller
 * spends the token in its own write transaction (`spendPowToken`; a report spends it in the
 * transaction that stores the tip, one durable commit instead of two) or, when it stores
 * nothing, on its own (`checkPow`'s way).
 */
export async function checkPowUnspent(
  db: Db,
  env: Env,
  challenge: string,
  solution: string,
  now = Date.now(),
): Promise<{ ok: true; token: PowToken } | Extract<PowCheck, { ok: false }>> {
  let token: PowToken | null = null;
  const check = await verified(db, env, challenge, solution, now, async (t) => {
    token = t;
    return true;
  });
  return check.ok ? { ok: true, token: token! } : check;
}

async function verified(
  db: Db,
  env: Env,
  challenge: string,
  solution: string,
  now: number,
  spend: (token: PowToken) => Promise<boolean>,
): Promise<PowCheck> {
  try {
    await verifyPow({
      challenge,
      solution,
      secret: env.powSecret,
      nowMs: now,
      store: spentStore(db, now, spend),
    });
    return { ok: true };
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    const code: CryptoErrorCode = err.code;
    if (code === "expired") return { ok: false, code: "expired" };
    if (code === "replayed") return { ok: false, code: "replayed" };
    return { ok: false, code: "invalid" };
  }
}
