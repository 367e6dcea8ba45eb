/**
 * In-memory, per-client rate limits for the report flow. Keyed by `context.clientKey` (a keyed
 * hash of the address with a random per-process key): never the address, never persisted, never
 * logged. A restart forgets every counter, which is fine for slowing floods.
 *
 * Callers spend the quota (`hit`) only for a request that passed the cheap checks (shape, proof of
 * work): junk must never use up what a real resident behind the same address needs. `blocked`
 * peeks without spending, so a client already over its limit is refused before its body is read.
 *
 * The table is capped (`maxClients`): a flood from many addresses first drops expired windows,
 * then the oldest ones, so memory stays bounded (about 100 bytes per client).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  constructor(
    readonly max: number,
    readonly windowMs: number,
    readonly maxClients = 100_000,
  ) {}

  /** Counts one request; false when the client is over its limit for the current window. */
  hit(clientKey: string, now = Date.now()): boolean {
    const w = this.windows.get(clientKey);
    if (!w || w.resetAt <= now) {
      if (w) this.windows.delete(clientKey);
      this.windows.set(clientKey, { count: 1, resetAt: now + this.windowMs });
      if (this.windows.size > this.maxClients) this.shrink(now);
      return true;
    }
    w.count++;
    return w.count <= this.max;
  }

  /** True when the client has already used its whole quota for the current window (spends nothing). */
  blocked(clientKey: string, now = Date.now()): boolean {
    const w = this.windows.get(clientKey);
    return w !== undefined && w.resetAt > now && w.count >= this.max;
  }

  /** Gives back one request counted by `hit` (it turned out not to need the quota). */
  refund(clientKey: string, now = Date.now()): void {
    const w = this.windows.get(clientKey);
    if (w && w.resetAt > now && w.count > 0) w.count--;
  }

  /** Clients with a live counter (for the bounded-memory tests). */
  get size(): number {
    return this.windows.size;
  }

  /** Whole minutes until the client may try again (at least 1). */
  retryAfterMinutes(clientKey: string, now = Date.now()): number {
    const w = this.windows.get(clientKey);
    return w ? Math.max(1, Math.ceil((w.resetAt - now) / 60_000)) : 1;
  }

  reset(): void {
    this.windows.clear();
  }

  /** Drops expired windows, then (a flood from many addresses) the oldest, to 90 % of the cap. */
  private shrink(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    const target = Math.floor(this.maxClients * 0.9);
    for (const k of this.windows.keys()) {
      if (this.windows.size <= target) break;
      this.windows.delete(k);
    }
  }
}

/** Submitted reports (both paths): a resident sends one, maybe two; 20 an hour (each with proof of work) stops floods. */
export const reportSubmissions = new RateLimiter(20, 60 * 60 * 1000);
/** Proof-of-work challenges handed out: generous, they cost the server almost nothing. */
export const powChallenges = new RateLimiter(60, 10 * 60 * 1000);
/** Page loads of the report form (which compute routing): generous. */
export const reportPageViews = new RateLimiter(300, 10 * 60 * 1000);
