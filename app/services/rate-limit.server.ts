/**
 * In-memory, per-client rate limits for the report flow. Keyed by `context.clientKey` (a keyed
 * hash of the address with a random per-process key): never the address, never persisted, never
 * logged. A restart forgets every counter, which is fine for slowing floods.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Counts one request; false when the client is over its limit for the current window. */
  hit(clientKey: string, now = Date.now()): boolean {
    if (this.windows.size > 50_000) this.prune(now);
    const w = this.windows.get(clientKey);
    if (!w || w.resetAt <= now) {
      this.windows.set(clientKey, { count: 1, resetAt: now + this.windowMs });
      return true;
    }
    w.count++;
    return w.count <= this.max;
  }

  /** Whole minutes until the client may try again (at least 1). */
  retryAfterMinutes(clientKey: string, now = Date.now()): number {
    const w = this.windows.get(clientKey);
    return w ? Math.max(1, Math.ceil((w.resetAt - now) / 60_000)) : 1;
  }

  reset(): void {
    this.windows.clear();
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}

/** Submitted reports (both paths): a resident sends one, maybe two; 20 an hour (each with proof of work) stops floods. */
export const reportSubmissions = new RateLimiter(20, 60 * 60 * 1000);
/** Proof-of-work challenges handed out: generous, they cost the server almost nothing. */
export const powChallenges = new RateLimiter(60, 10 * 60 * 1000);
/** Page loads of the report form (which compute routing): generous. */
export const reportPageViews = new RateLimiter(300, 10 * 60 * 1000);
