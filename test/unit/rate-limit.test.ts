/**
 * The in-memory per-client limiter: `blocked` peeks without spending (so junk refused after the
 * peek never uses up a resident's quota), windows reset, and the table stays bounded under a
 * flood from many addresses.
 */
import { describe, expect, it } from "vitest";
import { RateLimiter } from "~/services/rate-limit.server";

describe("RateLimiter", () => {
  it("allows max hits per window, then refuses until the window resets", () => {
    const l = new RateLimiter(3, 1000);
    expect([1, 2, 3, 4].map(() => l.hit("a", 0))).toEqual([true, true, true, false]);
    expect(l.hit("b", 0)).toBe(true);
    expect(l.hit("a", 1000)).toBe(true);
  });

  it("blocked() peeks without spending anything", () => {
    const l = new RateLimiter(2, 1000);
    for (let i = 0; i < 50; i++) expect(l.blocked("a", 0)).toBe(false);
    expect(l.hit("a", 0)).toBe(true);
    expect(l.blocked("a", 0)).toBe(false);
    expect(l.hit("a", 0)).toBe(true);
    expect(l.blocked("a", 0)).toBe(true);
    expect(l.blocked("a", 1000)).toBe(false);
  });

  it("keeps at most maxClients counters, dropping expired ones first, then the oldest", () => {
    const l = new RateLimiter(1, 1000, 100);
    for (let i = 0; i < 100; i++) l.hit(`old-${i}`, 0);
    expect(l.size).toBe(100);
    // Expired windows go first: the new client finds room without touching live counters.
    for (let i = 0; i < 50; i++) l.hit(`live-${i}`, 1500);
    expect(l.size).toBeLessThanOrEqual(100);
    expect(l.blocked("live-0", 1500)).toBe(true);
    // A flood of fresh addresses never grows the table past the cap.
    for (let i = 0; i < 10_000; i++) l.hit(`flood-${i}`, 1600);
    expect(l.size).toBeLessThanOrEqual(100);
    expect(l.blocked("flood-9999", 1600)).toBe(true);
  });
});
