/**
 * The staff password hasher's worker threads (app/services/password-hasher.server.ts): started
 * on demand, and ended after they sat idle (issue 13 item 7: an idle server does not keep a
 * thread, its heap and argon2id's memory after a burst of sign-ins).
 */
import { afterEach, describe, expect, it } from "vitest";
import { PasswordHasher } from "~/services/password-hasher.server";

const params = { memorySize: 1024, iterations: 1, parallelism: 1, hashLength: 32 };
const salt = new Uint8Array(16).fill(7);
const hashers: PasswordHasher[] = [];
afterEach(async () => {
  await Promise.all(hashers.splice(0).map((h) => h.close()));
});

const until = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

describe("PasswordHasher workers", () => {
  it("starts no thread before the first job, and ends an idle one after idleMs", async () => {
    const hasher = new PasswordHasher(1, 4, 300);
    hashers.push(hasher);
    expect(hasher.running).toBe(0);
    const hash = (await hasher.run(
      { op: "hash", password: "correct horse", salt, params },
      { refuseWhenBusy: false },
    )) as string;
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hasher.running).toBe(1);
    expect(await until(() => hasher.running === 0, 10_000)).toBe(true);
    // The next job starts a new worker and still gets the right answer.
    const ok = await hasher.run(
      { op: "verify", hash, password: "correct horse" },
      { refuseWhenBusy: true },
    );
    expect(ok).toBe(true);
    expect(hasher.running).toBe(1);
  });

  it("keeps a worker that gets a job before its idle time is over", async () => {
    const hasher = new PasswordHasher(1, 4, 1500);
    hashers.push(hasher);
    const job = { op: "hash" as const, password: "x", salt, params };
    await hasher.run(job, { refuseWhenBusy: false });
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 700));
      await hasher.run(job, { refuseWhenBusy: false });
      expect(hasher.running).toBe(1);
    }
    expect(await until(() => hasher.running === 0, 10_000)).toBe(true);
  });
});
