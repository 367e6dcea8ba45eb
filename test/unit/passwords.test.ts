import { describe, expect, it } from "vitest";
import {
  hashPassword,
  needsRehash,
  PASSWORD_MAX_LENGTH,
  verifyPassword,
} from "~/services/passwords.server";

describe("passwords (argon2id)", () => {
  it("hashes to a PHC argon2id string with the OWASP parameters and a random salt", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b); // fresh salt each time
    expect(needsRehash(a)).toBe(false);
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("巡察-demo-密码");
    expect(await verifyPassword(hash, "巡察-demo-密码")).toBe(true);
    expect(await verifyPassword(hash, "巡察-demo-密碼")).toBe(false);
    expect(await verifyPassword(hash, "")).toBe(false);
  });

  it("normalises Unicode (NFC) so composed and decomposed input match", async () => {
    const hash = await hashPassword("caf\u00e9");
    expect(await verifyPassword(hash, "cafe\u0301")).toBe(true);
  });

  it("never throws on malformed, foreign or hostile hashes", async () => {
    const good = await hashPassword("pw");
    const tampered = good.slice(0, -2) + (good.endsWith("AA") ? "BB" : "AA");
    expect(await verifyPassword(tampered, "pw")).toBe(false);
    expect(await verifyPassword("not a hash", "pw")).toBe(false);
    // argon2i is not accepted even if well formed.
    expect(await verifyPassword(good.replace("$argon2id$", "$argon2i$"), "pw")).toBe(false);
    // Absurd memory cost would be a denial of service: refused without computing.
    expect(await verifyPassword(good.replace("m=19456", "m=4194304"), "pw")).toBe(false);
    expect(needsRehash("not a hash")).toBe(true);
    expect(needsRehash(good.replace("t=2", "t=1"))).toBe(true);
  });

  it("treats a null hash (unknown user / invitation pending) as a failed check", async () => {
    expect(await verifyPassword(null, "anything")).toBe(false);
  });

  it("refuses empty and overlong passwords", async () => {
    await expect(hashPassword("")).rejects.toThrow();
    await expect(hashPassword("x".repeat(PASSWORD_MAX_LENGTH + 1))).rejects.toThrow();
    const hash = await hashPassword("x".repeat(PASSWORD_MAX_LENGTH));
    expect(await verifyPassword(hash, "x".repeat(PASSWORD_MAX_LENGTH))).toBe(true);
    expect(await verifyPassword(hash, "x".repeat(PASSWORD_MAX_LENGTH + 1))).toBe(false);
  });
});
