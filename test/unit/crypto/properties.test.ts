/**
 * Round-trip properties with fast-check. numRuns stays modest (2-core CI); key derivation uses the
 * explicit test-only parameters, never in production paths.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../../../crypto/index";
import { expectCode } from "./helpers";

const jsonObject = fc.dictionary(
  fc.string({ maxLength: 12 }),
  fc.oneof(
    fc.string({ maxLength: 400 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
  ),
  { maxKeys: 8 },
);

describe("tips round-trip", () => {
  it("every recipient and the tipster read the payload; identity only via its envelopes", async () => {
    const salt = new Uint8Array(16).fill(3);
    const receipt = c.generateReceipt();
    const tipster = await c.deriveReceiptKeys(receipt, salt, { unsafeTestKdf: c.UNSAFE_TEST_KDF });
    fc.assert(
      fc.property(
        jsonObject,
        fc.option(jsonObject, { nil: undefined }),
        fc.integer({ min: 1, max: 4 }),
        (payload, identity, n) => {
          const staff = Array.from({ length: n }, () => c.generateStaffKeys());
          const sealed = c.sealTip({
            payload,
            identity,
            recipients: staff.map((s, i) => ({ id: `s${i}`, boxPublicKey: s.boxPublicKey })),
            tipsterPublicKey: tipster.boxPublicKey,
          });
          expect([1024, 2048, 4096]).toContain(sealed.payload.length - 41);
          staff.forEach((s, i) => {
            const opened = c.openTipAsStaff({
              payload: sealed.payload,
              envelope: sealed.envelopes[i]!.envelope,
              boxSecretKey: s.boxSecretKey,
            });
            expect(opened.payload).toEqual(JSON.parse(JSON.stringify(payload)));
            if (identity) {
              const id = c.openIdentity({
                ciphertext: sealed.identity!.ciphertext,
                envelope: sealed.identity!.envelopes[i]!.envelope,
                boxSecretKey: s.boxSecretKey,
              });
              expect(id).toEqual(JSON.parse(JSON.stringify(identity)));
            } else {
              expect(sealed.identity).toBeNull();
            }
          });
          const mine = c.openTipAsTipster({
            payload: sealed.payload,
            tipsterEnvelope: sealed.tipsterEnvelope,
            receiptBoxSecretKey: tipster.boxSecretKey,
          });
          expect(mine.payload).toEqual(JSON.parse(JSON.stringify(payload)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("shares with an extra reader and re-wraps the identity key", () => {
    const a = c.generateStaffKeys();
    const b = c.generateStaffKeys();
    const t = c.generateStaffKeys();
    const sealed = c.sealTip({
      payload: { x: 1 },
      identity: { n: "me" },
      recipients: [{ id: "a", boxPublicKey: a.boxPublicKey }],
      tipsterPublicKey: t.boxPublicKey,
    });
    const keys = c.openTipKeysAsStaff(sealed.envelopes[0]!.envelope, a.boxSecretKey);
    const forB = c.wrapTipKeyForRecipient(keys, b.boxPublicKey);
    expect(
      c.openTipAsStaff({ payload: sealed.payload, envelope: forB, boxSecretKey: b.boxSecretKey })
        .payload,
    ).toEqual({ x: 1 });
    const idForB = c.rewrapIdentityKey(
      sealed.identity!.envelopes[0]!.envelope,
      a.boxSecretKey,
      b.boxPublicKey,
    );
    expect(
      c.openIdentity({
        ciphertext: sealed.identity!.ciphertext,
        envelope: idForB,
        boxSecretKey: b.boxSecretKey,
      }),
    ).toEqual({ n: "me" });
  });

  it("validates recipients and sizes", async () => {
    const t = c.generateStaffKeys();
    const base = { payload: {}, tipsterPublicKey: t.boxPublicKey };
    await expectCode(() => c.sealTip({ ...base, recipients: [] }), "bad_input");
    await expectCode(
      () =>
        c.sealTip({
          ...base,
          recipients: [
            { id: "a", boxPublicKey: t.boxPublicKey },
            { id: "a", boxPublicKey: t.boxPublicKey },
          ],
        }),
      "bad_input",
    );
    await expectCode(
      () => c.sealTip({ ...base, recipients: [{ id: "a", boxPublicKey: new Uint8Array(5) }] }),
      "bad_length",
    );
    const many = Array.from({ length: c.MAX_RECIPIENTS + 1 }, (_, i) => ({
      id: `r${i}`,
      boxPublicKey: t.boxPublicKey,
    }));
    await expectCode(() => c.sealTip({ ...base, recipients: many }), "oversize");
    const recipients = [{ id: "a", boxPublicKey: t.boxPublicKey }];
    await expectCode(
      () => c.sealTip({ ...base, recipients, payload: { text: "x".repeat(1 << 20) } }),
      "oversize",
    );
    await expectCode(
      () => c.sealTip({ ...base, recipients, payload: [] as unknown as c.JsonObject }),
      "bad_input",
    );
    const cyclic: c.JsonObject = {};
    cyclic.self = cyclic;
    await expectCode(() => c.sealTip({ ...base, recipients, payload: cyclic }), "bad_input");
    await expectCode(
      () => c.sealTip({ ...base, recipients, payload: { big: 10n } as unknown as c.JsonObject }),
      "bad_input",
    );
  });
});

describe("messages round-trip", () => {
  const staff = c.generateStaffKeys();
  const tipster = c.generateStaffKeys();
  const sealed = c.sealTip({
    payload: {},
    recipients: [{ id: "s", boxPublicKey: staff.boxPublicKey }],
    tipsterPublicKey: tipster.boxPublicKey,
  });
  const staffKeys = c.openTipKeysAsStaff(sealed.envelopes[0]!.envelope, staff.boxSecretKey);
  const tipsterKeys = c.openTipKeysAsTipster(sealed.tipsterEnvelope, tipster.boxSecretKey);

  it("staff → tipster, tipster → team and notes", () => {
    fc.assert(
      fc.property(jsonObject, (body) => {
        const expected = JSON.parse(JSON.stringify(body));
        const sm = c.sealStaffMessage({
          body,
          tipsterPublicKey: tipster.boxPublicKey,
          keys: staffKeys,
        });
        expect(c.openStaffMessageAsTipster(sm.forTipster, tipster.boxSecretKey)).toEqual(expected);
        expect(c.openStaffMessageCopy(sm.teamCopy, staffKeys)).toEqual(expected);
        const tm = c.sealTipsterMessage({ body, keys: tipsterKeys });
        expect(c.openTipsterMessage(tm, staffKeys)).toEqual(expected);
        expect(c.openTipsterMessage(tm, tipsterKeys)).toEqual(expected);
        const note = c.sealInternalNote({ body, keys: staffKeys });
        expect(c.openInternalNote(note, staffKeys)).toEqual(expected);
        expect([256, 512, 1024, 2048, 4096]).toContain(note.length - 41);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses messages above 64 KiB", async () => {
    await expectCode(
      () => c.sealTipsterMessage({ body: { t: "x".repeat(65536) }, keys: tipsterKeys }),
      "oversize",
    );
  });
});

describe("attachments round-trip", () => {
  it("any size and name", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * c.ATTACHMENT_CHUNK_BYTES + 10 }),
        fc.string({ maxLength: 60 }),
        fc.constantFrom("image/jpeg", "application/pdf", ""),
        (size, name, type) => {
          const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
          const enc = c.encryptAttachment(data, { name, type });
          const back = c.decryptAttachment(enc.key, enc.header, enc.chunks);
          expect(back.meta).toEqual({ name, type, size });
          expect(c.toHex(c.sha256(back.data))).toBe(c.toHex(c.sha256(data)));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("staff keys round-trip (test-only KDF)", () => {
  it("any passphrase", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (pass) => {
        const keys = c.generateStaffKeys();
        const blob = await c.wrapStaffKeys(keys, pass, { unsafeTestKdf: c.UNSAFE_TEST_KDF });
        const back = await c.unwrapStaffKeys(blob, pass);
        expect(c.toHex(back.signSecretKey)).toBe(c.toHex(keys.signSecretKey));
      }),
      { numRuns: 20 },
    );
  });
});
