/**
 * Office-signature checks on the server are verified once per distinct bytes (issue 13 item 1):
 * a repeated routing check is a cache hit, while any change to the signed bytes, the signature or
 * the office key is verified afresh, and expiry is still checked on every call.
 */
import { describe, expect, it } from "vitest";
import * as c from "../../crypto/index";
import type { Env } from "~/env.server";
import type { VerifiableStaffKey } from "~/services/routing.server";
import { approvalTuple, keySignatureVerifier } from "~/services/staff-keys.server";
import { cachedVerification, verifiedCacheStats } from "~/services/verified-cache.server";

const office = c.generateStaffKeys();
const otherOffice = c.generateStaffKeys();
const member = c.generateStaffKeys();
const validUntil = new Date("2030-01-01T00:00:00Z");
const before = new Date("2029-06-01T00:00:00Z");

function signedKey(staffId: string, home: string | null): VerifiableStaffKey {
  const signature = c.signStaffKeyApproval(
    approvalTuple(staffId, member.boxPublicKey, home, validUntil),
    office.signSecretKey,
  );
  return {
    staffId,
    boxPublicKey: Buffer.from(member.boxPublicKey),
    officeSignature: Buffer.from(signature),
    validUntil,
    homeDistrictId: home,
  } as VerifiableStaffKey;
}

const env = (key: Uint8Array) => ({ officeSigningKeys: { j: key } }) as unknown as Env;
const delta = async (f: () => Promise<unknown>) => {
  const h = verifiedCacheStats.hits;
  const m = verifiedCacheStats.misses;
  const value = await f();
  return { value, hits: verifiedCacheStats.hits - h, misses: verifiedCacheStats.misses - m };
};

describe("office approvals of staff keys, verified once", () => {
  const verify = keySignatureVerifier(env(office.signPublicKey), () => "j", before);

  it("verifies a key the first time and answers from the cache after", async () => {
    const key = signedKey("s-cache-1", "tj-hexi");
    expect(await delta(() => verify(key))).toEqual({ value: true, hits: 0, misses: 1 });
    expect(await delta(() => verify(key))).toEqual({ value: true, hits: 1, misses: 0 });
    // A copy with equal bytes (as from a new database read) is the same entry.
    expect(
      await delta(() => verify({ ...key, officeSignature: Buffer.from(key.officeSignature) })),
    ).toEqual({ value: true, hits: 1, misses: 0 });
  });

  it("checks changed bytes afresh: another home district, a flipped signature bit", async () => {
    const key = signedKey("s-cache-2", "tj-hexi");
    expect(await verify(key)).toBe(true);
    expect(await delta(() => verify({ ...key, homeDistrictId: "tj-jinnan" }))).toEqual({
      value: false,
      hits: 0,
      misses: 1,
    });
    const flipped = Buffer.from(key.officeSignature);
    flipped[10]! ^= 1;
    expect(await delta(() => verify({ ...key, officeSignature: flipped }))).toEqual({
      value: false,
      hits: 0,
      misses: 1,
    });
    // …and a failure stays a failure when asked again.
    expect(await delta(() => verify({ ...key, officeSignature: flipped }))).toEqual({
      value: false,
      hits: 1,
      misses: 0,
    });
  });

  it("keeps v2 approvals (covering the signing key) apart by their signing key", async () => {
    const approval = approvalTuple(
      "s-cache-5",
      member.boxPublicKey,
      null,
      validUntil,
      member.signPublicKey,
    );
    const key = {
      ...signedKey("s-cache-5", null),
      signPublicKey: Buffer.from(member.signPublicKey),
      officeSignature: Buffer.from(c.signStaffKeyApproval(approval, office.signSecretKey)),
    } as VerifiableStaffKey;
    expect(await verify(key)).toBe(true);
    expect(
      await delta(() => verify({ ...key, signPublicKey: Buffer.from(otherOffice.signPublicKey) })),
    ).toEqual({ value: false, hits: 0, misses: 1 });
  });

  it("does not answer for another office key", async () => {
    const key = signedKey("s-cache-3", null);
    expect(await verify(key)).toBe(true);
    const other = keySignatureVerifier(env(otherOffice.signPublicKey), () => "j", before);
    expect(await delta(() => other(key))).toEqual({ value: false, hits: 0, misses: 1 });
  });

  it("still refuses an expired approval whose signature is cached", async () => {
    const key = signedKey("s-cache-4", "tj-hexi");
    expect(await verify(key)).toBe(true);
    const later = keySignatureVerifier(
      env(office.signPublicKey),
      () => "j",
      new Date(validUntil.getTime() + 1),
    );
    expect(await later(key)).toBe(false);
    expect(await verify(key)).toBe(true);
  });
});

describe("cachedVerification", () => {
  it("caches crypto errors but not other errors, and keeps labels apart", () => {
    const bytes = [new Uint8Array([1, 2, 3])];
    let calls = 0;
    const bad = () => {
      calls++;
      throw new c.CryptoError("bad_signature", "no");
    };
    expect(() => cachedVerification("t-a", bytes, bad)).toThrow(c.CryptoError);
    expect(() => cachedVerification("t-a", bytes, bad)).toThrow(c.CryptoError);
    expect(calls).toBe(1);
    expect(cachedVerification("t-b", bytes, () => "b")).toBe("b");
    let flaky = 0;
    const boom = () => {
      flaky++;
      throw new Error("not a verdict");
    };
    expect(() => cachedVerification("t-c", bytes, boom)).toThrow("not a verdict");
    expect(() => cachedVerification("t-c", bytes, boom)).toThrow("not a verdict");
    expect(flaky).toBe(2);
    // The inputs are length-prefixed: [1,2][3] is not [1][2,3].
    expect(cachedVerification("t-d", [new Uint8Array([1, 2]), new Uint8Array([3])], () => 1)).toBe(
      1,
    );
    expect(cachedVerification("t-d", [new Uint8Array([1]), new Uint8Array([2, 3])], () => 2)).toBe(
      2,
    );
  });
});
