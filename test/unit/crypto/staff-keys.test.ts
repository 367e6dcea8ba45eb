import { describe, expect, it } from "vitest";
import * as c from "../../../crypto/index";
import { expectCode, expectTypedRejection, flipByte } from "./helpers";

const test = { unsafeTestKdf: c.UNSAFE_TEST_KDF };

describe("staff keys", () => {
  const keys = c.generateStaffKeys();

  it("wraps, unwraps and re-wraps (test-only KDF)", async () => {
    const blob = await c.wrapStaffKeys(keys, "old passphrase", test);
    expect(blob.length).toBe(c.WRAPPED_STAFF_KEYS_BYTES);
    expect(c.wrappedStaffKeysParams(blob)).toEqual(c.UNSAFE_TEST_KDF);
    const back = await c.unwrapStaffKeys(blob, "old passphrase");
    expect(c.toHex(back.boxSecretKey)).toBe(c.toHex(keys.boxSecretKey));
    expect(c.toHex(back.boxPublicKey)).toBe(c.toHex(keys.boxPublicKey));
    expect(c.toHex(back.signSecretKey)).toBe(c.toHex(keys.signSecretKey));
    expect(c.toHex(back.signPublicKey)).toBe(c.toHex(keys.signPublicKey));
    const rewrapped = await c.rewrapStaffKeys(blob, "old passphrase", "new passphrase", test);
    expect(c.toHex(rewrapped.subarray(10, 26))).not.toBe(c.toHex(blob.subarray(10, 26))); // fresh salt
    await expectCode(() => c.unwrapStaffKeys(rewrapped, "old passphrase"), "auth_failed");
    const again = await c.unwrapStaffKeys(rewrapped, "new passphrase");
    expect(c.toHex(again.signSecretKey)).toBe(c.toHex(keys.signSecretKey));
    await expectCode(() => c.rewrapStaffKeys(blob, "wrong", "x", test), "auth_failed");
  });

  it("wraps many key sets under one derivation: one salt, a nonce each, each blob opens alone", async () => {
    // A counter stream: the same draws give the same bytes, so the first blob can be compared.
    const stream = () => {
      let n = 0;
      return (len: number) => Uint8Array.from({ length: len }, () => n++ & 0xff);
    };
    const others = [c.generateStaffKeys(), c.generateStaffKeys()];
    const many = await c.wrapStaffKeysMany([keys, ...others], "demo pw", {
      ...test,
      random: stream(),
    });
    const one = await c.wrapStaffKeys(keys, "demo pw", { ...test, random: stream() });
    expect(c.toHex(many[0]!)).toBe(c.toHex(one));
    expect(many).toHaveLength(3);
    const salts = new Set(many.map((b) => c.toHex(b.subarray(10, 26))));
    const nonces = new Set(many.map((b) => c.toHex(b.subarray(26, 50))));
    expect(salts.size).toBe(1);
    expect(nonces.size).toBe(3);
    for (const [i, k] of [keys, ...others].entries()) {
      const back = await c.unwrapStaffKeys(many[i]!, "demo pw");
      expect(c.toHex(back.signSecretKey)).toBe(c.toHex(k.signSecretKey));
      await expectCode(() => c.unwrapStaffKeys(many[i]!, "other pw"), "auth_failed");
    }
  });

  it("normalises the passphrase to NFC", async () => {
    const blob = await c.wrapStaffKeys(keys, "caf\u00e9", test);
    await expect(c.unwrapStaffKeys(blob, "cafe\u0301")).resolves.toBeDefined();
  });

  it("defaults to production parameters", async () => {
    const blob = await c.wrapStaffKeys(keys, "pw");
    expect(c.wrappedStaffKeysParams(blob)).toEqual(c.STAFF_PASSPHRASE_KDF);
  });

  it("rejects every flipped byte with a typed error", async () => {
    const blob = await c.wrapStaffKeys(keys, "pw", test);
    for (let i = 0; i < blob.length; i++) {
      // Flipping the high memory bytes asks for > 1 GiB: refused as bad_format before any work.
      await expectTypedRejection(
        () => c.unwrapStaffKeys(flipByte(blob, i, i === 3 ? 0x01 : 0xff), "pw"),
        `byte ${i}`,
      );
    }
    await expectCode(() => c.unwrapStaffKeys(blob.subarray(0, 100), "pw"), "truncated");
    await expectCode(
      () => c.unwrapStaffKeys(c.concatBytes(blob, new Uint8Array(1)), "pw"),
      "bad_length",
    );
    await expectCode(() => c.unwrapStaffKeys(new Uint8Array(0), "pw"), "truncated");
    const v2 = blob.slice();
    v2[0] = 0x32;
    await expectCode(() => c.unwrapStaffKeys(v2, "pw"), "bad_version");
  });

  it("refuses empty and oversize passphrases", async () => {
    await expectCode(() => c.wrapStaffKeys(keys, "", test), "bad_input");
    await expectCode(() => c.wrapStaffKeys(keys, "x".repeat(1025), test), "oversize");
  });
});

describe("office signatures", () => {
  const office = c.generateStaffKeys();
  const member = c.generateStaffKeys();
  const approval = {
    memberId: "m-1",
    boxPublicKey: member.boxPublicKey,
    homeDistrictId: "tianjin-beichen",
    validUntilMs: 1_800_000_000_000,
  };
  const sig = c.signStaffKeyApproval(approval, office.signSecretKey);

  it("verifies until valid-until and expires after", async () => {
    expect(sig.length).toBe(65);
    c.verifyStaffKeyApproval(approval, sig, office.signPublicKey, approval.validUntilMs);
    await expectCode(
      () =>
        c.verifyStaffKeyApproval(approval, sig, office.signPublicKey, approval.validUntilMs + 1),
      "expired",
    );
  });

  it("binds every field", async () => {
    const now = 0;
    for (const changed of [
      { ...approval, memberId: "m-2" },
      { ...approval, homeDistrictId: "tianjin-jinnan" },
      { ...approval, validUntilMs: approval.validUntilMs + 1 },
      { ...approval, boxPublicKey: office.boxPublicKey },
    ]) {
      await expectCode(
        () => c.verifyStaffKeyApproval(changed, sig, office.signPublicKey, now),
        "bad_signature",
      );
    }
    await expectCode(
      () => c.verifyStaffKeyApproval(approval, sig, member.signPublicKey, now),
      "bad_signature",
    );
  });

  it("is unambiguous: moving bytes between id fields changes the encoding", () => {
    const a = c.encodeStaffKeyApproval({ ...approval, memberId: "ab", homeDistrictId: "c" });
    const b = c.encodeStaffKeyApproval({ ...approval, memberId: "a", homeDistrictId: "bc" });
    expect(c.toHex(a)).not.toBe(c.toHex(b));
  });

  it("rejects every flipped signature byte with a typed error", async () => {
    for (let i = 0; i < sig.length; i++) {
      await expectTypedRejection(
        () => c.verifyStaffKeyApproval(approval, flipByte(sig, i, 0x01), office.signPublicKey, 0),
        `byte ${i}`,
      );
    }
    await expectCode(
      () => c.verifyStaffKeyApproval(approval, sig.subarray(0, 64), office.signPublicKey, 0),
      "truncated",
    );
    await expectCode(
      () =>
        c.verifyStaffKeyApproval(
          approval,
          new Uint8Array([0x63, ...sig.subarray(1)]),
          office.signPublicKey,
          0,
        ),
      "bad_version",
    );
  });

  it("validates ids", async () => {
    await expectCode(() => c.encodeStaffKeyApproval({ ...approval, memberId: "" }), "bad_length");
    await expectCode(
      () => c.encodeStaffKeyApproval({ ...approval, homeDistrictId: "区".repeat(100) }),
      "bad_length",
    );
    await expectCode(
      () => c.encodeStaffKeyApproval({ ...approval, validUntilMs: -1 }),
      "bad_input",
    );
  });
});

describe("fingerprints", () => {
  it("are 8 groups of 5 digits and differ per key", () => {
    const a = c.fingerprint(c.generateStaffKeys().boxPublicKey);
    const b = c.fingerprint(c.generateStaffKeys().boxPublicKey);
    expect(a).toMatch(/^(\d{5} ){7}\d{5}$/);
    expect(a).not.toBe(b);
  });
  it("reject wrong lengths", async () => {
    await expectCode(() => c.fingerprint(new Uint8Array(31)), "bad_length");
  });
});
