/**
 * For every stored format: flipping any byte (header, key, nonce, ciphertext, MAC) is rejected
 * with a typed CryptoError; unknown version bytes give `bad_version`; truncation is typed too.
 */
import { describe, expect, it } from "vitest";
import * as c from "../../../crypto/index";
import { patternBytes } from "../../support/crypto-vector-random";
import { expectCode, expectTypedRejection, flipByte, positions } from "./helpers";

const seeded = (seed: number) => c.fixedRandom(patternBytes(4096).map((b) => (b + seed) & 0xff));
const staff = c.generateStaffKeys(seeded(1));
const other = c.generateStaffKeys(seeded(2));
const tipster = c.generateStaffKeys(seeded(3));
const sealed = c.sealTip({
  payload: { text: "meal cards switched; balances stranded" },
  identity: { name: "parent" },
  recipients: [{ id: "s", boxPublicKey: staff.boxPublicKey }],
  tipsterPublicKey: tipster.boxPublicKey,
});
const keys = c.openTipKeysAsStaff(sealed.envelopes[0]!.envelope, staff.boxSecretKey);
const staffMsg = c.sealStaffMessage({
  body: { t: "q" },
  tipsterPublicKey: tipster.boxPublicKey,
  keys,
});
const signedMsg = c.sealSignedStaffMessage({
  body: { t: "q" },
  tipsterPublicKey: tipster.boxPublicKey,
  keys,
  signer: { memberId: "staff-1", signSecretKey: staff.signSecretKey },
  context: { kind: "status", status: "accepted" },
  writtenAtMs: 1_700_000_000_000,
});
const tipsterMsg = c.sealTipsterMessage({ body: { t: "a" }, keys });
const note = c.sealInternalNote({ body: { t: "n" }, keys });
const att = c.encryptAttachment(patternBytes(70000), { name: "a.jpg", type: "image/jpeg" });
const finding = c.sealFinding({
  findingId: "f-1",
  body: { title: "饭卡余额", narrative: "switched without notice", people: [] },
  recipients: [{ id: "s", boxPublicKey: staff.boxPublicKey }],
});
const findingNote = c.sealFindingNote({ body: { kind: "refund" }, keys: finding.keys });

interface Format {
  name: string;
  blob: Uint8Array;
  open: (blob: Uint8Array) => unknown;
  /** blob length the format declares as the minimum (for truncation checks) */
}

const formats: Format[] = [
  {
    name: "key envelope (tip)",
    blob: sealed.envelopes[0]!.envelope,
    open: (b) => c.openTipKeysAsStaff(b, staff.boxSecretKey),
  },
  {
    name: "key envelope (tipster)",
    blob: sealed.tipsterEnvelope,
    open: (b) => c.openTipKeysAsTipster(b, tipster.boxSecretKey),
  },
  {
    name: "tip payload",
    blob: sealed.payload,
    open: (b) => c.openTipPayload(b, keys),
  },
  {
    name: "identity block",
    blob: sealed.identity!.ciphertext,
    open: (b) =>
      c.openIdentity({
        ciphertext: b,
        envelope: sealed.identity!.envelopes[0]!.envelope,
        boxSecretKey: staff.boxSecretKey,
      }),
  },
  {
    name: "identity envelope",
    blob: sealed.identity!.envelopes[0]!.envelope,
    open: (b) =>
      c.openIdentity({
        ciphertext: sealed.identity!.ciphertext,
        envelope: b,
        boxSecretKey: staff.boxSecretKey,
      }),
  },
  {
    name: "staff message",
    blob: staffMsg.forTipster,
    open: (b) => c.openStaffMessageAsTipster(b, tipster.boxSecretKey),
  },
  {
    name: "signed staff message",
    blob: signedMsg.forTipster,
    open: (b) => c.openSignedStaffMessage(b, tipster.boxSecretKey, keys),
  },
  {
    name: "staff message copy",
    blob: staffMsg.teamCopy,
    open: (b) => c.openStaffMessageCopy(b, keys),
  },
  { name: "tipster message", blob: tipsterMsg, open: (b) => c.openTipsterMessage(b, keys) },
  { name: "internal note", blob: note, open: (b) => c.openInternalNote(b, keys) },
  { name: "attachment header", blob: att.header, open: (b) => c.openAttachmentHeader(att.key, b) },
  {
    name: "attachment chunk 0",
    blob: att.chunks[0]!,
    open: (b) => c.decryptAttachment(att.key, att.header, [b, att.chunks[1]!]),
  },
  {
    name: "attachment final chunk",
    blob: att.chunks[1]!,
    open: (b) => c.decryptAttachment(att.key, att.header, [att.chunks[0]!, b]),
  },
];

describe.each(formats)("$name", ({ name, blob, open }) => {
  it("opens untouched", () => {
    expect(() => open(blob)).not.toThrow();
  });

  it("rejects a flipped byte at every position (sampled for large blobs)", async () => {
    for (const i of positions(blob.length)) {
      await expectTypedRejection(() => open(flipByte(blob, i)), `${name} byte ${i}`);
      await expectTypedRejection(() => open(flipByte(blob, i, 0x01)), `${name} bit 0 of byte ${i}`);
    }
  });

  it("rejects an unknown version byte with bad_version", async () => {
    for (const v of [0x00, 0x10, 0x1f, 0x2f, 0xff]) {
      const b = blob.slice();
      b[0] = v;
      await expectCode(() => open(b), "bad_version");
    }
  });

  it("rejects every truncation with a typed error", async () => {
    for (const n of [0, 1, 2, 24, 40, 57, blob.length - 17, blob.length - 16, blob.length - 1]) {
      if (n < 0 || n >= blob.length) continue;
      await expectTypedRejection(() => open(blob.subarray(0, n)), `${name} truncated to ${n}`);
    }
  });

  it("rejects appended bytes", async () => {
    await expectTypedRejection(
      () => open(c.concatBytes(blob, new Uint8Array([0]))),
      `${name} + 1 byte`,
    );
  });
});

describe("wrong keys", () => {
  it("give auth_failed, never untyped", async () => {
    await expectCode(
      () => c.openTipKeysAsStaff(sealed.envelopes[0]!.envelope, other.boxSecretKey),
      "auth_failed",
    );
    await expectCode(
      () => c.openTipKeysAsTipster(sealed.tipsterEnvelope, staff.boxSecretKey),
      "auth_failed",
    );
    const wrong = c.staffTipKeysFromRoot(new Uint8Array(32).fill(1));
    await expectCode(() => c.openTipPayload(sealed.payload, wrong), "auth_failed");
    await expectCode(() => c.openInternalNote(note, wrong), "auth_failed");
    await expectCode(() => c.openTipsterMessage(tipsterMsg, wrong), "auth_failed");
    await expectCode(() => c.openStaffMessageCopy(staffMsg.teamCopy, wrong), "auth_failed");
    await expectCode(
      () => c.openStaffMessageAsTipster(staffMsg.forTipster, other.boxSecretKey),
      "auth_failed",
    );
    await expectCode(() => c.openAttachmentHeader(new Uint8Array(32), att.header), "auth_failed");
  });

  it("bad key lengths are bad_length", async () => {
    await expectCode(
      () => c.openTipKeysAsStaff(sealed.envelopes[0]!.envelope, new Uint8Array(31)),
      "bad_length",
    );
    await expectCode(() => c.openAttachmentHeader(new Uint8Array(16), att.header), "bad_length");
    await expectCode(
      () => c.openTipPayload(sealed.payload, { view: new Uint8Array(0) }),
      "bad_length",
    );
  });

  it("the tipster's view key cannot open internal notes or team copies", async () => {
    const tipsterKeys = c.openTipKeysAsTipster(sealed.tipsterEnvelope, tipster.boxSecretKey);
    // A tipster has no root key; pretending its view key is one still fails authentication.
    await expectCode(() => c.openInternalNote(note, tipsterKeys as c.StaffTipKeys), "bad_input");
    const fake = { root: tipsterKeys.view, view: tipsterKeys.view };
    await expectCode(() => c.openInternalNote(note, fake), "auth_failed");
    await expectCode(() => c.openStaffMessageCopy(staffMsg.teamCopy, fake), "auth_failed");
    expect(c.openTipsterMessage(tipsterMsg, tipsterKeys)).toEqual({ t: "a" });
  });
});

describe("swapped blobs", () => {
  it("a blob of one kind relabelled as another fails authentication", async () => {
    const relabel = (b: Uint8Array, tag: number) => {
      const out = b.slice();
      out[0] = tag;
      return out;
    };
    await expectCode(
      () => c.openInternalNote(relabel(tipsterMsg, c.TAG.INTERNAL_NOTE_V1), keys),
      "auth_failed",
    );
    await expectCode(
      () => c.openTipsterMessage(relabel(note, c.TAG.TIPSTER_MESSAGE_V1), keys),
      "auth_failed",
    );
    await expectCode(
      () => c.openStaffMessageCopy(relabel(note, c.TAG.STAFF_MESSAGE_COPY_V1), keys),
      "auth_failed",
    );
    await expectCode(
      () => c.openFindingNote(relabel(finding.body, c.TAG.FINDING_NOTE_V1), finding.keys),
      "auth_failed",
    );
    await expectCode(
      () => c.openFindingBody(relabel(findingNote, c.TAG.FINDING_BODY_V1), finding.keys),
      "truncated",
    );
  });

  it("a key envelope for one purpose is refused for another", async () => {
    await expectCode(
      () => c.openTipKeysAsStaff(sealed.identity!.envelopes[0]!.envelope, staff.boxSecretKey),
      "bad_format",
    );
    await expectCode(
      () =>
        c.openIdentity({
          ciphertext: sealed.identity!.ciphertext,
          envelope: sealed.envelopes[0]!.envelope,
          boxSecretKey: staff.boxSecretKey,
        }),
      "bad_format",
    );
    await expectCode(
      () => c.openFindingKeys("f-1", sealed.envelopes[0]!.envelope, staff.boxSecretKey),
      "bad_format",
    );
    await expectCode(
      () => c.openTipKeysAsStaff(finding.envelopes[0]!.envelope, staff.boxSecretKey),
      "bad_format",
    );
  });
});

describe("non-byte and garbage input", () => {
  it("every opener throws typed errors for random garbage", async () => {
    for (const { name, open } of formats) {
      for (let len = 0; len < 400; len += 37) {
        const junk = patternBytes(len).map((b, i) => (b * 13 + i) & 0xff);
        await expectTypedRejection(() => open(junk), `${name} junk ${len}`);
        if (len > 0) {
          junk[0] = formats.find((f) => f.name === name)!.blob[0]!;
          await expectTypedRejection(() => open(junk), `${name} junk with tag ${len}`);
        }
      }
      await expectTypedRejection(
        () => open("not bytes" as unknown as Uint8Array),
        `${name} string`,
      );
    }
  });
});
