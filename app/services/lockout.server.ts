/**
 * Login backoff and lockout (ADR 007). Pure state arithmetic with an injectable clock, plus an
 * in-memory twin for usernames that do not exist, so that an unknown name locks, answers and
 * recovers exactly like a real one and a caller cannot tell the two apart.
 *
 * Policy: the first `freeAttempts` failures cost nothing but the password hash; every further
 * failure locks the name for `baseMs · 2^(n − freeAttempts)`, capped at `maxMs`. A lock always
 * expires, so an attacker can slow the real user down but never lock them out for good; a
 * successful login resets the count.
 */

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
 * Lock state for names that have no account. Bounded (oldest entries go first) and keyed by the
 * normalised name; lives in memory only, so nothing about a mistyped name is ever stored.
 */
export class PhantomLockouts {
  private readonly states = new Map<string, LockState>();
  constructor(private readonly maxEntries = 10_000) {}

  get(name: string): LockState {
    return this.states.get(name) ?? UNLOCKED;
  }

  fail(name: string, now: number, policy: LockoutPolicy): LockState {
    const next = afterFailure(this.get(name), now, policy);
    this.states.delete(name);
    this.states.set(name, next);
    if (this.states.size > this.maxEntries) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
    return next;
  }
}
