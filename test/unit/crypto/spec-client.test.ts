/**
 * The independent client (test/support/spec-client.ts, written from docs/crypto.md with no import
 * from crypto/) against the committed vectors: it must decode everything crypto/ writes and, for
 * formats with recorded randomness, produce the same bytes. A gap in the spec fails here.
 */
import { describe, expect, it } from "vitest";
import attachmentV from "../../../crypto/vectors/attachment.json";
import findingV from "../../../crypto/vectors/finding.json";
import messagesV from "../../../crypto/vectors/messages.json";
import powV from "../../../crypto/vectors/pow.json";
import primitivesV from "../../../crypto/vectors/primitives.json";
import publicKeysV from "../../../crypto/vectors/public-keys.json";
import receiptV from "../../../crypto/vectors/receipt.json";
import rosterV from "../../../crypto/vectors/roster.json";
import signatureV from "../../../crypto/vectors/signature.json";
import staffKeysV from "../../../crypto/vectors/staff-keys.json";
import staffMessageV from "../../../crypto/vectors/staff-message.json";
import tipV from "../../../crypto/vectors/tip.json";
import * as s from "../../support/spec-client";

const { hex, unhex } = s;

/** §5.5: a key set's randomness is the X25519 secret (32) then the Ed25519 seed (32). */
function keysFrom(randomHex: string) {
  const r = unhex(randomHex);
  const boxSecretKey = r.slice(0, 32);
  const seed = r.slice(32, 64);
  return {
    boxSecretKey,
    boxPublicKey: s.x25519Public(boxSecretKey),
    seed,
    signPublicKey: s.ed25519Public(seed),
  };
}

const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) % 256);

describe("independent client from docs/crypto.md", () => {
  it("§2 base64url and §5.10 fingerprints", () => {
    for (const v of primitivesV.base64url) {
      expect(hex(s.b64urlDecode(v.text))).toBe(v.hex);
      expect(s.b64urlEncode(unhex(v.hex))).toBe(v.text);
    }
    for (const bad of primitivesV.base64urlInvalid) expect(() => s.b64urlDecode(bad)).toThrow();
    for (const v of primitivesV.fingerprint) {
      expect(s.fingerprint(unhex(v.publicKeyHex))).toBe(v.fingerprint);
    }
  });

  it("§5.4 receipts: parsing rules and argon2id key derivation (KDF versions 1, 2 and 3)", async () => {
    for (const v of receiptV.parse) {
      expect(s.parseReceipt(v.input), JSON.stringify(v.input)).toEqual(
        "digits" in v ? { digits: v.digits } : { error: (v as { error: string }).error },
      );
    }
    // White space the spec lists, anywhere; other invisible characters are not ignored.
    const digits = receiptV.parse[1]!.digits!;
    const spaced = `\u00a0${digits.slice(0, 4)}\t${digits.slice(4, 8)}\u2028${digits.slice(8, 12)}\ufeff${digits.slice(12)}\n`;
    expect(s.parseReceipt(spaced)).toEqual({ digits });
    expect(s.parseReceipt(digits.slice(0, 8) + "\u200b" + digits.slice(8))).toEqual({
      error: "bad_format",
    });
    // Every KDF version, with the parameters of the spec's table (not the vector's own copy).
    expect(new Set(receiptV.derive.map((d) => d.version))).toEqual(new Set([1, 2, 3]));
    for (const d of receiptV.derive) {
      const params = s.RECEIPT_KDF[d.version as 1 | 2 | 3];
      const keys = await s.receiptKeys(d.receipt.replace(/ /g, ""), unhex(d.siteSaltHex), params);
      expect(hex(keys.authSecret)).toBe(d.authSecretHex);
      expect(keys.authLookupHash).toBe(d.authLookupHash);
      expect(hex(keys.boxSecretKey)).toBe(d.boxSecretKeyHex);
      expect(hex(keys.boxPublicKey)).toBe(d.boxPublicKeyHex);
    }
  });

  it("§5.5 wrapped staff keys open with the passphrase", async () => {
    const w = staffKeysV.wrap[0]!;
    const expected = keysFrom(w.keysRandom);
    const opened = await s.unwrapStaffKeys(unhex(w.blobHex), w.passphrase);
    expect(hex(opened.boxSecretKey)).toBe(hex(expected.boxSecretKey));
    expect(hex(s.ed25519Public(opened.signSeed))).toBe(hex(expected.signPublicKey));
  });

  it("§5.1-5.3 tips: every recipient (both staff members and the tipster) and the identity block", () => {
    for (const v of tipV.seal) {
      const payload = unhex(v.payloadHex);
      v.recipients.forEach((r, i) => {
        const keys = keysFrom(r.keysRandom);
        const root = s.openEnvelope(unhex(v.envelopes[i]!.envelopeHex), keys.boxSecretKey, 1);
        expect(hex(root)).toBe(v.rootKeyHex);
        const view = s.tipsterView(root);
        const opened = s.openSymmetricBlob(
          0x21,
          payload,
          s.subkey(view, "crosswatch/v1/payload"),
          s.PAYLOAD,
        );
        expect(opened).toEqual(v.payload);
        if (v.identityResult) {
          const ki = s.openEnvelope(
            unhex(v.identityResult.envelopes[i]!.envelopeHex),
            keys.boxSecretKey,
            2,
          );
          expect(
            s.openSymmetricBlob(
              0x22,
              unhex(v.identityResult.ciphertextHex),
              s.subkey(ki, "crosswatch/v1/identity"),
              s.MESSAGE,
            ),
          ).toEqual(v.identity);
        }
      });
      const tipster = keysFrom(v.tipsterKeysRandom);
      const view = s.openEnvelope(unhex(v.tipsterEnvelopeHex), tipster.boxSecretKey, 3);
      expect(hex(view)).toBe(v.viewKeyHex);
    }
  });

  it("§5.3 sealing: the documented draw order reproduces every envelope byte for byte", () => {
    const v = tipV.seal[1]!; // without identity: K, payload nonce, then per envelope sk ‖ nonce
    const r = unhex(v.random);
    const root = r.slice(0, 32);
    expect(hex(root)).toBe(v.rootKeyHex);
    let at = 56;
    const next = () => {
      const out = [r.slice(at, at + 32), r.slice(at + 32, at + 56)] as const;
      at += 56;
      return out;
    };
    v.recipients.forEach((rc, i) => {
      const [eph, nonce] = next();
      const env = s.sealEnvelope(root, keysFrom(rc.keysRandom).boxPublicKey, 1, eph, nonce);
      expect(hex(env)).toBe(v.envelopes[i]!.envelopeHex);
    });
    const [eph, nonce] = next();
    const tipster = keysFrom(v.tipsterKeysRandom);
    expect(hex(s.sealEnvelope(s.tipsterView(root), tipster.boxPublicKey, 3, eph, nonce))).toBe(
      v.tipsterEnvelopeHex,
    );
    expect(at).toBe(r.length);
  });

  it("§5.6 approvals v1 and v2: encoding and office signature", () => {
    const office = keysFrom(signatureV.officeRandom);
    for (const v of [...signatureV.approvals, ...signatureV.approvalsV2]) {
      const a = v.approval as typeof v.approval & { signPublicKeyHex?: string };
      const encoding = s.approvalEncoding({
        memberId: a.memberId,
        boxPublicKey: unhex(a.boxPublicKeyHex),
        ...(a.signPublicKeyHex ? { signPublicKey: unhex(a.signPublicKeyHex) } : {}),
        homeDistrictId: a.homeDistrictId,
        validUntilMs: a.validUntilMs,
      });
      expect(hex(encoding)).toBe(v.encodingHex);
      const sig = unhex(v.signatureHex);
      expect(sig[0]).toBe(a.signPublicKeyHex ? 0x64 : 0x62);
      expect(
        s.ed25519Verify(office.signPublicKey, s.approvalSignedBytes(encoding), sig.subarray(1)),
      ).toBe(true);
      expect(hex(s.ed25519Sign(office.seed, s.approvalSignedBytes(encoding)))).toBe(
        hex(sig.subarray(1)),
      );
    }
  });

  it("§5.7 messages: unsigned staff message, team copy, tipster message, internal note", () => {
    const root = unhex(messagesV.rootKeyHex);
    const tipster = keysFrom(messagesV.tipsterKeysRandom);
    const sm = unhex(messagesV.staffMessage.forTipsterHex);
    expect(sm[0]).toBe(0x41);
    const plain = s.unpad(
      s.secretboxOpen(
        sm.subarray(57),
        sm.subarray(33, 57),
        s.boxKey(tipster.boxSecretKey, sm.subarray(1, 33)),
      ),
      s.MESSAGE.min,
      s.MESSAGE.max,
    );
    expect(JSON.parse(Buffer.from(plain).toString("utf8"))).toEqual(messagesV.staffMessage.body);
    const k = (label: string) => s.subkey(root, label);
    expect(
      s.openSymmetricBlob(
        0x44,
        unhex(messagesV.staffMessage.teamCopyHex),
        k("crosswatch/v1/staff-message-copy"),
        s.MESSAGE,
      ),
    ).toEqual(messagesV.staffMessage.body);
    expect(
      s.openSymmetricBlob(
        0x42,
        unhex(messagesV.tipsterMessage.hex),
        s.subkey(s.tipsterView(root), "crosswatch/v1/tipster-message"),
        s.MESSAGE,
      ),
    ).toEqual(messagesV.tipsterMessage.body);
    expect(
      s.openSymmetricBlob(
        0x43,
        unhex(messagesV.internalNote.hex),
        k("crosswatch/v1/internal-note"),
        s.MESSAGE,
      ),
    ).toEqual(messagesV.internalNote.body);
  });

  it("§5.7.1 signed staff messages: open, verify, bind to the tip, check the approval", () => {
    const v = staffMessageV;
    const tipster = keysFrom(v.tipsterKeysRandom);
    const author = keysFrom(v.authorKeysRandom);
    const view = unhex(v.viewKeyHex);
    expect(hex(s.subkey(view, "crosswatch/v1/staff-message-binding"))).toBe(v.bindingHex);
    const office = keysFrom(signatureV.officeRandom);
    const approval = signatureV.approvalsV2[0]!;
    for (const m of v.messages) {
      const opened = s.openSignedMessage(unhex(m.forTipsterHex), tipster.boxSecretKey, view);
      expect(opened.signatureOk && opened.bindingOk).toBe(true);
      expect(hex(opened.statement)).toBe(m.statementHex);
      expect(hex(opened.signature)).toBe(m.signatureHex);
      expect(opened.body).toEqual(m.body);
      expect(opened.context).toEqual(m.context);
      expect(opened.messageId).toBe(m.messageId);
      expect(opened.writtenAtMs).toBe(m.writtenAtMs);
      expect(opened.memberId).toBe(v.authorMemberId);
      expect(hex(opened.signPublicKey)).toBe(hex(author.signPublicKey));
      // Ed25519 is deterministic: the author's signature is reproducible from the spec.
      expect(hex(s.ed25519Sign(author.seed, s.statementSignedBytes(opened.statement)))).toBe(
        m.signatureHex,
      );
      // The office's v2 approval names this member and this signing key, valid when written.
      expect(approval.approval.memberId).toBe(v.authorMemberId);
      expect(approval.approval.signPublicKeyHex).toBe(hex(opened.signPublicKey));
      expect(opened.writtenAtMs).toBeLessThanOrEqual(approval.approval.validUntilMs);
      expect(
        s.ed25519Verify(
          office.signPublicKey,
          s.approvalSignedBytes(unhex(approval.encodingHex)),
          unhex(approval.signatureHex).subarray(1),
        ),
      ).toBe(true);
      // Another tip's T gives another binding.
      const elsewhere = s.openSignedMessage(
        unhex(m.forTipsterHex),
        tipster.boxSecretKey,
        new Uint8Array(32),
      );
      expect(elsewhere.bindingOk).toBe(false);
    }
  });

  it("§5.8 attachments: open the full vectors, re-encrypt the 3-chunk one byte for byte", () => {
    for (const v of attachmentV.vectors) {
      const data = pattern(v.data.length);
      const again = s.sealAttachment(data, v.meta, unhex(v.random));
      expect(hex(again.key)).toBe(v.keyHex);
      expect(hex(again.header)).toBe(v.headerHex);
      expect(again.chunks).toHaveLength(v.chunks.length);
      again.chunks.forEach((ch, i) => {
        const want = v.chunks[i]!;
        if ("hex" in want) expect(hex(ch)).toBe(want.hex);
        else {
          expect(ch.length).toBe(want.length);
          expect(hex(ch.subarray(0, 48))).toBe(want.firstBytesHex);
          expect(hex(s.sha256(ch))).toBe(want.sha256Hex);
        }
      });
      const opened = s.openAttachment(again.key, again.header, again.chunks);
      expect(opened.meta).toEqual(v.meta);
      expect(hex(s.sha256(opened.data))).toBe(hex(s.sha256(data)));
    }
  });

  it("§5.9 proof of work, including expiry at equality", () => {
    for (const v of powV.verify) {
      const got = s.checkPow(v.challenge, v.solution, unhex(v.secretHex), v.nowMs);
      expect(got, v.name).toBe(v.result === "replayed" ? "ok" : v.result);
    }
    const v = powV.verify[0]!;
    const expiresAt = powV.issue[0]!.nowMs + powV.issue[0]!.ttlMs;
    expect(s.checkPow(v.challenge, v.solution, unhex(v.secretHex), expiresAt)).toBe("ok");
    expect(s.checkPow(v.challenge, v.solution, unhex(v.secretHex), expiresAt + 1)).toBe("expired");
  });

  it("§5.11 findings: the documented draw order reproduces body, envelopes, transfer, note and edit", () => {
    const r = unhex(findingV.random);
    const root = r.subarray(0, 32);
    expect(hex(root)).toBe(findingV.rootKeyHex);
    const bodyKey = s.findingKey(root, "body", findingV.findingId);
    const noteKey = s.findingKey(root, "note", findingV.findingId);
    expect(hex(bodyKey)).toBe(findingV.bodyKeyHex);
    expect(hex(noteKey)).toBe(findingV.noteKeyHex);
    const body = s.sealSymmetricBlob(
      0x81,
      findingV.body,
      bodyKey,
      r.subarray(32, 56),
      s.PAYLOAD.min,
    );
    expect(hex(body)).toBe(findingV.bodyHex);
    expect(s.openSymmetricBlob(0x81, body, bodyKey, s.PAYLOAD)).toEqual(findingV.body);
    expect(r.length).toBe(56 + 56 * findingV.recipients.length);
    findingV.recipients.forEach((rec, i) => {
      const keys = keysFrom(rec.keysRandom);
      const at = 56 + 56 * i;
      const env = s.sealEnvelope(
        root,
        keys.boxPublicKey,
        s.FINDING_PURPOSE,
        r.subarray(at, at + 32),
        r.subarray(at + 32, at + 56),
      );
      const stored = findingV.envelopes.find((e) => e.recipientId === rec.id)!;
      expect(hex(env)).toBe(stored.envelopeHex);
      expect(hex(s.openEnvelope(env, keys.boxSecretKey, s.FINDING_PURPOSE))).toBe(hex(root));
      // a finding envelope is never a tip envelope
      expect(() => s.openEnvelope(env, keys.boxSecretKey, s.PURPOSE.tip)).toThrow();
    });
    const receiver = keysFrom(findingV.transfer.receiverKeysRandom);
    const t = unhex(findingV.transfer.random);
    const transfer = s.sealEnvelope(
      root,
      receiver.boxPublicKey,
      s.FINDING_PURPOSE,
      t.subarray(0, 32),
      t.subarray(32, 56),
    );
    expect(hex(transfer)).toBe(findingV.transfer.envelopeHex);
    const note = s.sealSymmetricBlob(
      0x82,
      findingV.note.body,
      noteKey,
      unhex(findingV.note.random),
      s.MESSAGE.min,
    );
    expect(hex(note)).toBe(findingV.note.hex);
    const edit = s.sealSymmetricBlob(
      0x81,
      findingV.reseal.body,
      bodyKey,
      unhex(findingV.reseal.random),
      s.PAYLOAD.min,
    );
    expect(hex(edit)).toBe(findingV.reseal.hex);
    // the id is inside the subkeys: the same body under another finding's id does not open
    const other = s.findingKey(root, "body", `${findingV.findingId}x`);
    expect(() => s.openSymmetricBlob(0x81, body, other, s.PAYLOAD)).toThrow();
  });

  it("§5.13 rosters: the one canonical encoding and the office's signature", () => {
    const office = keysFrom(rosterV.officeRandom);
    expect(hex(office.signPublicKey)).toBe(rosterV.officeSignPublicKeyHex);
    for (const v of rosterV.rosters) {
      const roster = {
        ...v.roster,
        kind: v.roster.kind as "team" | "office",
        readers: v.roster.readers.map((x) => ({ ...x, boxPublicKey: unhex(x.boxPublicKeyHex) })),
      };
      const encoding = s.rosterEncoding(roster);
      expect(hex(encoding)).toBe(v.encodingHex);
      // the order given does not matter: the encoding sorts ids by their bytes
      const shuffled = s.rosterEncoding({
        ...roster,
        districtIds: [...roster.districtIds].reverse(),
        readers: [...roster.readers].reverse(),
      });
      expect(hex(shuffled)).toBe(v.encodingHex);
      const sig = unhex(v.signatureHex);
      expect(sig.length).toBe(65);
      expect(sig[0]).toBe(0x92);
      const signed = s.rosterSignedBytes(encoding);
      expect(s.ed25519Verify(office.signPublicKey, signed, sig.subarray(1))).toBe(true);
      expect(hex(s.ed25519Sign(office.seed, signed))).toBe(hex(sig.subarray(1)));
      const changed = encoding.slice();
      changed[changed.length - 1] = changed[changed.length - 1]! ^ 1;
      expect(
        s.ed25519Verify(office.signPublicKey, s.rosterSignedBytes(changed), sig.subarray(1)),
      ).toBe(false);
    }
  });

  it("§5.12 low-order keys give the all-zero shared secret (refused by OpenSSL too)", () => {
    const scalar = unhex(publicKeysV.checkScalarHex);
    for (const v of publicKeysV.lowOrder)
      expect(s.x25519(scalar, unhex(v.publicKeyHex))).toBeNull();
    for (const v of publicKeysV.usable) {
      expect(hex(s.x25519(scalar, unhex(v.publicKeyHex))!)).toBe(v.sharedSecretHex);
    }
  });
});
