import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import * as c from "../../../crypto/index";
import { expectCode, expectTypedRejection, flipByte } from "./helpers";

const secret = c.sha256(c.utf8Encode("pow test secret"));
const now = 1_700_000_000_000;

function memoryStore() {
  const spent = new Map<string, number>();
  return {
    spent,
    isSpent: (id: string) => spent.has(id),
    markSpent: (id: string, until: number) => void spent.set(id, until),
  };
}

describe("proof of work", () => {
  const challenge = c.issuePowChallenge({ secret, nowMs: now, ttlMs: 60_000, difficulty: 10 });
  const solution = c.solvePowSync(challenge);

  it("issues a compact challenge the client can parse", () => {
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{78}$/);
    const parsed = c.parsePowChallenge(challenge);
    expect(parsed.difficulty).toBe(10);
    expect(parsed.expiresAtMs).toBe(now + 60_000);
    expect(
      c.parsePowChallenge(c.issuePowChallenge({ secret, nowMs: now, ttlMs: 1 })).difficulty,
    ).toBe(c.DEFAULT_POW_DIFFICULTY);
  });

  it("solutions really have the leading zero bits (solver agrees with plain SHA-256)", async () => {
    for (const d of [1, 4, 8, 12, 16]) {
      const ch = c.issuePowChallenge({ secret, nowMs: now, ttlMs: 1000, difficulty: d });
      const sol = c.solvePowSync(ch);
      expect(await c.solvePow(ch)).toBe(sol);
      const digest = c.sha256(c.concatBytes(c.base64urlDecode(ch), c.base64urlDecode(sol)));
      const bits = [...digest].map((b) => b.toString(2).padStart(8, "0")).join("");
      expect(bits.slice(0, d)).toBe("0".repeat(d));
    }
  });

  it("the committed SIMD module is what scripts/gen-pow-wasm.mjs assembles", () => {
    const r = spawnSync(process.execPath, ["scripts/gen-pow-wasm.mjs", "--check"], {
      encoding: "utf8",
    });
    expect(r.stderr + r.stdout).toContain("is current");
    expect(r.status).toBe(0);
  });

  it("solves without WebAssembly: the JavaScript loop gives the same answers", () => {
    for (const d of [2, 7, 13]) {
      const ch = c.issuePowChallenge({ secret, nowMs: now, ttlMs: 1000, difficulty: d });
      expect(c.solvePowSync(ch, { engine: "js" })).toBe(c.solvePowSync(ch));
    }
  });

  it("accepts once, then reports replayed; stores the expiry", async () => {
    const store = memoryStore();
    const ok = await c.verifyPow({ challenge, solution, secret, nowMs: now + 1, store });
    expect(ok.difficulty).toBe(10);
    expect(store.spent.get(ok.id)).toBe(now + 60_000);
    await expectCode(
      () => c.verifyPow({ challenge, solution, secret, nowMs: now + 2, store }),
      "replayed",
    );
  });

  it("treats markSpent returning false (concurrent use) as replayed", async () => {
    const store = { isSpent: () => false, markSpent: async () => false };
    await expectCode(
      () => c.verifyPow({ challenge, solution, secret, nowMs: now, store }),
      "replayed",
    );
  });

  it("rejects expired, wrong-secret and weak solutions without marking them spent", async () => {
    const store = memoryStore();
    await expectCode(
      () => c.verifyPow({ challenge, solution, secret, nowMs: now + 60_001, store }),
      "expired",
    );
    const wrong = c.sha256(c.utf8Encode("other"));
    await expectCode(
      () => c.verifyPow({ challenge, solution, secret: wrong, nowMs: now, store }),
      "bad_signature",
    );
    let bad = "AAAAAAAAAAA";
    for (let n = 0; ; n++) {
      bad = c.base64urlEncode(new Uint8Array([0, 0, 0, 0, 0, 0, n >> 8, n & 255]));
      const digest = c.sha256(c.concatBytes(c.base64urlDecode(challenge), c.base64urlDecode(bad)));
      if (digest[0]! >= 0x80) break;
    }
    await expectCode(
      () => c.verifyPow({ challenge, solution: bad, secret, nowMs: now, store }),
      "insufficient_work",
    );
    expect(store.spent.size).toBe(0);
  });

  it("rejects every flipped challenge byte and malformed solutions with typed errors", async () => {
    const bytes = c.base64urlDecode(challenge);
    for (let i = 0; i < bytes.length; i++) {
      const tampered = c.base64urlEncode(flipByte(bytes, i, 0x01));
      await expectTypedRejection(
        () =>
          c.verifyPow({ challenge: tampered, solution, secret, nowMs: now, store: memoryStore() }),
        `challenge byte ${i}`,
      );
    }
    for (const sol of ["", "A", "AAAA", "AAAAAAAAAAAA", "*".repeat(11), "A".repeat(100)]) {
      await expectTypedRejection(
        () => c.verifyPow({ challenge, solution: sol, secret, nowMs: now, store: memoryStore() }),
        `solution ${sol}`,
      );
    }
    await expectCode(
      () => c.parsePowChallenge(c.base64urlEncode(new Uint8Array([0x72, ...bytes.subarray(1)]))),
      "bad_version",
    );
    await expectCode(() => c.parsePowChallenge(challenge.slice(0, 40)), "truncated");
    await expectCode(() => c.parsePowChallenge(""), "truncated");
    await expectCode(() => c.parsePowChallenge("%%%"), "bad_format");
  });

  it("validates issuing parameters", async () => {
    await expectCode(
      () => c.issuePowChallenge({ secret: new Uint8Array(16), nowMs: now, ttlMs: 1 }),
      "bad_length",
    );
    await expectCode(
      () => c.issuePowChallenge({ secret, nowMs: now, ttlMs: 1, difficulty: 33 }),
      "bad_input",
    );
    await expectCode(() => c.issuePowChallenge({ secret, nowMs: now, ttlMs: 0 }), "bad_input");
  });

  it("can be aborted", async () => {
    const ch = c.issuePowChallenge({ secret, nowMs: now, ttlMs: 1000, difficulty: 32 });
    const ac = new AbortController();
    const p = c.solvePow(ch, { signal: ac.signal });
    ac.abort();
    await expectCode(() => p, "bad_input");
  });
});

describe("pooledRandom (challenge ids and CSP nonces)", () => {
  it("hands out the source's bytes in order, each once, refilling a block at a time", () => {
    const bytes = new Uint8Array(96).map((_, i) => i + 1);
    const pooled = c.pooledRandom(16, c.fixedRandom(bytes));
    const range = (from: number, to: number) => Array.from(bytes.subarray(from - 1, to));
    expect(Array.from(pooled(5))).toEqual(range(1, 5));
    expect(Array.from(pooled(5))).toEqual(range(6, 10));
    expect(Array.from(pooled(5))).toEqual(range(11, 15));
    // The one byte left does not fit the next draw: a new block (byte 16 is never handed out).
    expect(Array.from(pooled(5))).toEqual(range(17, 21));
    expect(Array.from(pooled(16))).toEqual(range(33, 48));
    // Longer than a block: straight from the source.
    expect(Array.from(pooled(17))).toEqual(range(49, 65));
  });

  it("gives distinct values from the system CSPRNG", () => {
    const pooled = c.pooledRandom();
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(c.toHex(pooled(16)));
    expect(seen.size).toBe(1000);
  });
});
