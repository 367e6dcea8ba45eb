/** Proof of work for report submissions: single use, expiry, and difficulty under a flood. */
import { describe, expect, it } from "vitest";
import { DEFAULT_POW_DIFFICULTY, parsePowChallenge, solvePowSync } from "../../crypto/index";
import { closeDb, openDb } from "../../db/client";
import type { Env } from "../../app/env.server";
import {
  POW_TTL_MS,
  checkPow,
  currentDifficulty,
  issueChallenge,
  noteSubmission,
} from "../../app/services/pow.server";

const env = { powSecret: new Uint8Array(32).fill(9) } as unknown as Env;

describe("report proof of work", () => {
  it("accepts a solution once, then calls it replayed; a wrong one is invalid", async () => {
    const db = await openDb(":memory:");
    const now = Date.now();
    const challenge = issueChallenge(env, now);
    const solution = solvePowSync(challenge);
    expect(await checkPow(db, env, challenge, solution, now)).toEqual({ ok: true });
    expect(await checkPow(db, env, challenge, solution, now)).toEqual({
      ok: false,
      code: "replayed",
    });
    const other = issueChallenge(env, now);
    expect(await checkPow(db, env, other, "AAAAAAAAAAA", now)).toMatchObject({ ok: false });
    expect(await checkPow(db, env, "junk", "junk", now)).toEqual({ ok: false, code: "invalid" });
    await closeDb(db);
  });

  it("expires after its lifetime", async () => {
    const db = await openDb(":memory:");
    const now = Date.now();
    const challenge = issueChallenge(env, now);
    const solution = solvePowSync(challenge);
    expect(await checkPow(db, env, challenge, solution, now + POW_TTL_MS + 1)).toEqual({
      ok: false,
      code: "expired",
    });
    await closeDb(db);
  });

  it("raises the difficulty while submissions flood in, and lowers it again", () => {
    const t0 = 1_000_000_000_000;
    expect(currentDifficulty(t0)).toBe(DEFAULT_POW_DIFFICULTY);
    for (let i = 0; i < 100; i++) noteSubmission(t0 + i);
    const raised = currentDifficulty(t0 + 200);
    expect(raised).toBeGreaterThan(DEFAULT_POW_DIFFICULTY);
    expect(raised).toBeLessThanOrEqual(DEFAULT_POW_DIFFICULTY + 4);
    expect(parsePowChallenge(issueChallenge(env, t0 + 200)).difficulty).toBe(raised);
    expect(currentDifficulty(t0 + 120_000)).toBe(DEFAULT_POW_DIFFICULTY);
  });
});
