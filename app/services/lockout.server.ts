/**
 * Login backoff and lockout (ADR 007). Pure state arithmetic with an injectable clock, and the
 * in-memory tables that hold everything keyed by a client (never stored) or by a name that has
 * no account (so an unknown name locks, answers and recovers exactly like a real one).
 *
 * Policy: the first `freeAttempts` failures cost nothing but the password hash; every further
 * failure locks for `baseMs · 2^(n − freeAttempts)`, capped at `maxMs`. A lock always expires;
 * a completed sign-in resets the count.
 *
 * Three counters (issue 11 item 2), so that guessing stops without locking the owner out:
 * - name × client (`LoginGuard.pairs`, the policy above): a guesser locks only their own client
 *   out of that name;
 * - client (`LoginGuard.clients`): failed attempts from one client over every name, so spraying
 *   many names from one place stops too;
 * - name, over every client (`globalLockoutPolicy`: starts after five clients' worth of free
 *   attempts): bounds guessing from many addresses. It does not apply to a browser that has
 *   completed a sign-in to that account before (a device token), so the owner still signs in.
 */
import { RateLimiter } from "./rate-limit.server";

export interface LockoutPolicy {
  freeAttempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  freeAttempts: 5,
  baseMs: 60_000,
  maxMs: 60 * 60_000,
};

export function lockoutPolicy(baseMs: number | undefined): LockoutPolicy {
  if (!baseMs) return DEFAULT_LOCKOUT;
  return { ...DEFAULT_LOCKOUT, baseMs, maxMs: Math.max(baseMs, DEFAULT_LOCKOUT.maxMs) };
}

/** The slower per-name lock over every client: 25 free failures, then the same doubling. */
export function globalLockoutPolicy(policy: LockoutPolicy): LockoutPolicy {
  return { ...policy, freeAttempts: policy.freeAttempts * 5 };
}

export interface LockState {
  failures: number;
  /** Epoch ms, or null when not locked. */
  lockedUntil: number | null;
}

export const UNLOCKED: LockState = { failures: 0, lockedUntil: null };

/** How long the n-th failure locks the name (0 while within the free attempts). */
export function lockDurationMs(policy: LockoutPolicy, failures: number): number {
  if (failures < policy.freeAttempts) return 0;
  const exponent = Math.min(failures - policy.freeAttempts, 30);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

export function isLocked(state: LockState, now: number): boolean {
  return state.lockedUntil !== null && state.lockedUntil > now;
}

/** The state after one more failure at `now`. */
export function afterFailure(state: LockState, now: number, policy: LockoutPolicy): LockState {
  const failures = state.failures + 1;
  const ms = lockDurationMs(policy, failures);
  return { failures, lockedUntil: ms > 0 ? now + ms : null };
}

/**
 * Lock states in memory: names that have no account, and name × client pairs. Bounded (oldest
 * entries go first); nothing in it is ever stored or logged.
 */
export class LockTable {
  private readonly states = new Map<string, LockState>();
  constructor(private readonly maxEntries = 10_000) {}

  get(key: string): LockState {
    return this.states.get(key) ?? UNLOCKED;
  }

  fail(key: string, now: number, policy: LockoutPolicy): LockState {
    return this.set(key, afterFailure(this.get(key), now, policy));
  }

  /**
   * Takes back one failure counted (by `fail`, which left `before`) ahead of a check that then
   * succeeded or never ran. If other failures were counted meanwhile, only the count goes down
   * and their lock stays.
   */
  undo(key: string, before: LockState): void {
    const state = this.states.get(key);
    if (!state) return;
    if (state.failures === before.failures + 1) {
      if (before.failures === 0 && before.lockedUntil === null) this.states.delete(key);
      else this.set(key, before);
    } else {
      this.set(key, { ...state, failures: Math.max(0, state.failures - 1) });
    }
  }

  clear(key: string): void {
    this.states.delete(key);
  }

  private set(key: string, next: LockState): LockState {
    this.states.delete(key);
    this.states.set(key, next);
    if (this.states.size > this.maxEntries) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
    return next;
  }
}

/** Failed sign-ins (password or second factor) one client may make over every name. */
export const CLIENT_FAILURES = { max: 30, windowMs: 15 * 60_000 } as const;

/** Everything sign-in keeps in memory. One per server process; tests make their own. */
export class LoginGuard {
  /** name × client lock (keyed by `pairKey`). */
  readonly pairs = new LockTable(50_000);
  /** The per-name lock over every client, for names without an account. */
  readonly phantoms = new LockTable();
  /** Failed attempts per client, over every name. */
  readonly clients = new RateLimiter(CLIENT_FAILURES.max, CLIENT_FAILURES.windowMs);
}

/** The key of one name as tried from one client (`context.clientKey`, a keyed hash). */
export function pairKey(clientKey: string, name: string): string {
  return `${clientKey}\u0000${name}`;
}
