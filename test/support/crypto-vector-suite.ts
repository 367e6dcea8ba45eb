/**
 * The known-answer vector suite and a representative set of negative checks, written once and run
 * in Node (test/unit/crypto/vectors.test.ts) and inside Chromium (test/e2e/crypto-chromium.test.ts).
 * Only crypto/index.ts is used, so both runtimes exercise the public API.
 */
import * as c from "../../crypto/index";
import attachmentVectors from "../../crypto/vectors/attachment.json";
import findingVectors from "../../crypto/vectors/finding.json";
import messagesVectors from "../../crypto/vectors/messages.json";
import powVectors from "../../crypto/vectors/pow.json";
import primitivesVectors from "../../crypto/vectors/primitives.json";
import publicKeyVectors from "../../crypto/vectors/public-keys.json";
import receiptVectors from "../../crypto/vectors/receipt.json";
import sessionCopyVectors from "../../crypto/vectors/session-copy.json";
import signatureVectors from "../../crypto/vectors/signature.json";
import staffMessageVectors from "../../crypto/vectors/staff-message.json";
import staffKeysVectors from "../../crypto/vectors/staff-keys.json";
import tipVectors from "../../crypto/vectors/tip.json";
import { patternBytes } from "./crypto-vector-random";
import { rosterNegativeChecks, rosterVectorChecks } from "./crypto-roster-suite";

export interface CheckResult {
  name: string;
  ok: boolean;
  detail?: string;
}

const hex = c.toHex;
const unhex = c.fromHex;
const replay = (h: string) => c.fixedRandom(unhex(h));

type Check = [name: string, run: () => unknown | Promise<unknown>];

function eq(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e.slice(0, 200)}, got ${a.slice(0, 200)}`);
}

/** Runs `fn` and returns the CryptoError code it threw, "ok", or "untyped: …". */
export async function errorCode(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return "ok";
  } catch (e) {
    return c.isCryptoError(e) ? e.code : `untyped: ${String(e)}`;
  }
}

async function expectCode(fn: () => unknown, code: string, what: string): Promise<void> {
  eq(await errorCode(fn), code, what);
}

function staffKeysFrom(random: string): c.StaffKeys {
  return c.generateStaffKeys(replay(random));
}

function vectorChecks(): Check[] {
  const checks: Check[] = [];
  const p = primitivesVectors;
  checks.push([
    "sha256",
    () => p.sha256.forEach((v, i) => eq(hex(c.sha256(unhex(v.messageHex))), v.digestHex, `#${i}`)),
  ]);
  checks.push([
    "hmac-sha256",
    () =>
      p.hmacSha256.forEach((v, i) =>
        eq(hex(c.hmacSha256(unhex(v.keyHex), unhex(v.messageHex))), v.tagHex, `#${i}`),
      ),
  ]);
  checks.push([
    "base64url",
    () =>
      p.base64url.forEach((v) => {
        eq(c.base64urlEncode(unhex(v.hex)), v.text, "encode");
        eq(hex(c.base64urlDecode(v.text)), v.hex, "decode");
      }),
  ]);
  checks.push([
    "base64url rejects invalid",
    async () => {
      for (const t of p.base64urlInvalid)
        await expectCode(() => c.base64urlDecode(t), "bad_format", t);
    },
  ]);
  checks.push([
    "fingerprint",
    () =>
      p.fingerprint.forEach((v) => eq(c.fingerprint(unhex(v.publicKeyHex)), v.fingerprint, "fp")),
  ]);

  checks.push([
    "low-order public keys refused everywhere",
    async () => {
      const pk = publicKeyVectors;
      eq(hex(c.LOW_ORDER_CHECK_SCALAR), pk.checkScalarHex, "check scalar");
      const tipster = c.generateStaffKeys().boxPublicKey;
      const seal = (key: Uint8Array, to: "staff" | "tipster") =>
        c.sealTip({
          payload: { text: "x" },
          recipients: [{ id: "r", boxPublicKey: to === "staff" ? key : tipster }],
          tipsterPublicKey: to === "tipster" ? key : tipster,
        });
      const approval = (key: Uint8Array) =>
        c.encodeStaffKeyApproval({
          memberId: "m",
          boxPublicKey: key,
          homeDistrictId: "d",
          validUntilMs: 1,
        });
      for (const v of pk.lowOrder) {
        const key = unhex(v.publicKeyHex);
        eq(c.isLowOrderPublicKey(key), true, v.publicKeyHex);
        eq(v.sharedSecretHex, "00".repeat(32), "listed secret");
        await expectCode(() => c.assertUsablePublicKey(key), "weak_key", "assert");
        await expectCode(() => seal(key, "staff"), "weak_key", "seal to staff");
        await expectCode(() => seal(key, "tipster"), "weak_key", "seal to tipster");
        await expectCode(() => approval(key), "weak_key", "approval");
      }
      for (const v of pk.usable) {
        const key = unhex(v.publicKeyHex);
        eq(c.isLowOrderPublicKey(key), false, v.publicKeyHex);
        await expectCode(() => seal(key, "staff"), "ok", "seal");
        await expectCode(() => approval(key), "ok", "approval");
      }
    },
  ]);

  const r = receiptVectors;
  checks.push([
    "receipt generate",
    () => r.generate.forEach((v) => eq(c.generateReceipt(replay(v.random)), v.receipt, "receipt")),
  ]);
  checks.push([
    "receipt parse",
    async () => {
      for (const v of r.parse) {
        if ("digits" in v) eq(c.parseReceipt(v.input), v.digits, v.input);
        else await expectCode(() => c.parseReceipt(v.input), v.error!, v.input);
      }
    },
  ]);
  r.derive.forEach((v, i) =>
    checks.push([
      `receipt derive #${i} (production argon2id, KDF v${v.version})`,
      async () => {
        const version = v.version as c.ReceiptKdfVersion;
        eq(v.params, c.RECEIPT_KDF_VERSIONS[version], "params");
        const k = await c.deriveReceiptKeys(v.receipt, unhex(v.siteSaltHex), { version });
        eq(hex(k.authSecret), v.authSecretHex, "auth secret");
        eq(c.authLookupHash(k.authSecret), v.authLookupHash, "lookup hash");
        eq(hex(k.boxSecretKey), v.boxSecretKeyHex, "box sk");
        eq(hex(k.boxPublicKey), v.boxPublicKeyHex, "box pk");
      },
    ]),
  );

  const sc = sessionCopyVectors;
  checks.push([
    "tab-session key copy seal/open",
    async () => {
      const wrapKey = await c.importSessionWrapKey(unhex(sc.wrapKeyHex));
      for (const v of sc.copies) {
        const keys = staffKeysFrom(v.keysRandom);
        const blob = await c.sealSessionCopy(keys, wrapKey, v.binding, replay(v.random));
        eq(hex(blob), v.blobHex, "blob");
        const back = await c.openSessionCopy(unhex(v.blobHex), wrapKey, v.binding);
        eq(hex(back.boxSecretKey), hex(keys.boxSecretKey), "box sk");
        eq(hex(back.boxPublicKey), hex(keys.boxPublicKey), "box pk");
        eq(hex(back.signSecretKey), hex(keys.signSecretKey), "sign sk");
        eq(hex(back.signPublicKey), hex(keys.signPublicKey), "sign pk");
      }
    },
  ]);

  const s = staffKeysVectors;
  checks.push([
    "staff keys generate",
    () =>
      s.generate.forEach((v) => {
        const k = staffKeysFrom(v.random);
        eq(hex(k.boxPublicKey), v.boxPublicKeyHex, "box pk");
        eq(hex(k.boxSecretKey), v.boxSecretKeyHex, "box sk");
        eq(hex(k.signPublicKey), v.signPublicKeyHex, "sign pk");
        eq(hex(k.signSecretKey), v.signSecretKeyHex, "sign sk");
      }),
  ]);
  s.wrap.forEach((v, i) =>
    checks.push([
      `staff keys wrap/unwrap #${i} (production argon2id)`,
      async () => {
        eq(v.params, c.STAFF_PASSPHRASE_KDF, "params");
        const keys = staffKeysFrom(v.keysRandom);
        const blob = await c.wrapStaffKeys(keys, v.passphrase, { random: replay(v.random) });
        eq(hex(blob), v.blobHex, "blob");
        const back = await c.unwrapStaffKeys(unhex(v.blobHex), v.passphrase);
        eq(hex(back.signSecretKey), hex(keys.signSecretKey), "unwrapped sign sk");
        eq(hex(back.boxSecretKey), hex(keys.boxSecretKey), "unwrapped box sk");
        await expectCode(
          () => c.unwrapStaffKeys(unhex(v.blobHex), v.passphrase + "x"),
          "auth_failed",
          "wrong passphrase",
        );
      },
    ]),
  );

  const sig = signatureVectors;
  checks.push([
    "office signature",
    async () => {
      const office = staffKeysFrom(sig.officeRandom);
      eq(hex(office.signPublicKey), sig.officeSignPublicKeyHex, "office pk");
      for (const v of sig.approvals) {
        const a = { ...v.approval, boxPublicKey: unhex(v.approval.boxPublicKeyHex) };
        eq(hex(c.encodeStaffKeyApproval(a)), v.encodingHex, "encoding");
        eq(hex(c.signStaffKeyApproval(a, office.signSecretKey)), v.signatureHex, "signature");
        c.verifyStaffKeyApproval(a, unhex(v.signatureHex), office.signPublicKey, a.validUntilMs);
        await expectCode(
          () =>
            c.verifyStaffKeyApproval(
              a,
              unhex(v.signatureHex),
              office.signPublicKey,
              a.validUntilMs + 1,
            ),
          "expired",
          "expiry",
        );
        await expectCode(
          () =>
            c.verifyStaffKeyApproval(
              { ...a, homeDistrictId: a.homeDistrictId + "x" },
              unhex(v.signatureHex),
              office.signPublicKey,
              0,
            ),
          "bad_signature",
          "changed district",
        );
      }
    },
  ]);

  checks.push([
    "office signature v2 (covers the signing key)",
    async () => {
      const office = staffKeysFrom(sig.officeRandom);
      for (const v of sig.approvalsV2) {
        const a = {
          ...v.approval,
          boxPublicKey: unhex(v.approval.boxPublicKeyHex),
          signPublicKey: unhex(v.approval.signPublicKeyHex),
        };
        eq(hex(c.encodeStaffKeyApproval(a)), v.encodingHex, "encoding");
        eq(hex(c.signStaffKeyApproval(a, office.signSecretKey)), v.signatureHex, "signature");
        eq(
          c.verifyStaffKeyApproval(a, unhex(v.signatureHex), office.signPublicKey, a.validUntilMs),
          { coversSignKey: true },
          "verified v2",
        );
        await expectCode(
          () =>
            c.verifyStaffKeyApproval(
              { ...a, signPublicKey: office.signPublicKey },
              unhex(v.signatureHex),
              office.signPublicKey,
              0,
            ),
          "bad_signature",
          "another signing key",
        );
        // A v1 signature never vouches for a signing key.
        const v1 = sig.approvals[0]!;
        eq(
          c.verifyStaffKeyApproval(
            {
              ...v1.approval,
              boxPublicKey: unhex(v1.approval.boxPublicKeyHex),
              signPublicKey: a.signPublicKey,
            },
            unhex(v1.signatureHex),
            office.signPublicKey,
            0,
          ),
          { coversSignKey: false },
          "v1",
        );
      }
    },
  ]);

  const sm = staffMessageVectors;
  checks.push([
    "signed staff messages",
    async () => {
      const keys = c.staffTipKeysFromRoot(unhex(sm.rootKeyHex));
      const tipster = staffKeysFrom(sm.tipsterKeysRandom);
      const author = staffKeysFrom(sm.authorKeysRandom);
      eq(hex(c.staffMessageBinding(keys)), sm.bindingHex, "binding");
      eq(hex(author.signPublicKey), sm.authorSignPublicKeyHex, "author key");
      for (const v of sm.messages) {
        const context = v.context as c.StaffMessageContext;
        const random = replay(v.random);
        const sealed = c.sealSignedStaffMessage({
          body: v.body,
          tipsterPublicKey: tipster.boxPublicKey,
          keys,
          signer: { memberId: sm.authorMemberId, signSecretKey: author.signSecretKey },
          context,
          writtenAtMs: v.writtenAtMs,
          random,
        });
        eq(random.remaining(), 0, "random fully consumed");
        eq(sealed.messageId, v.messageId, "message id");
        eq(hex(sealed.forTipster), v.forTipsterHex, "for tipster");
        eq(hex(sealed.teamCopy), v.teamCopyHex, "team copy");
        eq(
          hex(
            c.encodeStaffMessageStatement({
              binding: unhex(sm.bindingHex),
              messageId: unhex(v.messageId),
              writtenAtMs: v.writtenAtMs,
              context,
              memberId: sm.authorMemberId,
              signPublicKey: author.signPublicKey,
              body: v.body,
            }),
          ),
          v.statementHex,
          "statement",
        );
        const opened = c.openSignedStaffMessage(unhex(v.forTipsterHex), tipster.boxSecretKey, {
          view: unhex(sm.viewKeyHex),
        });
        eq(opened.body, v.body, "body");
        eq(opened.context, v.context, "context");
        eq(opened.memberId, sm.authorMemberId, "member");
        eq(opened.writtenAtMs, v.writtenAtMs, "time");
        eq(opened.messageId, v.messageId, "id");
        eq(hex(opened.signPublicKey), sm.authorSignPublicKeyHex, "signer");
        eq(c.openStaffMessageCopy(unhex(v.teamCopyHex), keys), v.body, "team copy opens");
      }
    },
  ]);

  for (const v of tipVectors.seal) {
    checks.push([
      `tip seal/open ${v.name}`,
      () => {
        const recipients = v.recipients.map((rc) => ({
          id: rc.id,
          keys: staffKeysFrom(rc.keysRandom),
        }));
        const tipster = staffKeysFrom(v.tipsterKeysRandom);
        const random = replay(v.random);
        const sealed = c.sealTip({
          payload: v.payload,
          identity: v.identity ?? undefined,
          recipients: recipients.map((rc) => ({ id: rc.id, boxPublicKey: rc.keys.boxPublicKey })),
          tipsterPublicKey: tipster.boxPublicKey,
          random,
        });
        eq(random.remaining(), 0, "random fully consumed");
        eq(hex(sealed.payload), v.payloadHex, "payload");
        eq(
          sealed.envelopes.map((e) => ({
            recipientId: e.recipientId,
            envelopeHex: hex(e.envelope),
          })),
          v.envelopes,
          "envelopes",
        );
        eq(hex(sealed.tipsterEnvelope), v.tipsterEnvelopeHex, "tipster envelope");
        eq(
          sealed.identity && {
            ciphertextHex: hex(sealed.identity.ciphertext),
            envelopes: sealed.identity.envelopes.map((e) => ({
              recipientId: e.recipientId,
              envelopeHex: hex(e.envelope),
            })),
          },
          v.identityResult,
          "identity",
        );
        recipients.forEach((rc, i) => {
          const opened = c.openTipAsStaff({
            payload: unhex(v.payloadHex),
            envelope: unhex(v.envelopes[i]!.envelopeHex),
            boxSecretKey: rc.keys.boxSecretKey,
          });
          eq(opened.payload, v.payload, "staff payload");
          eq(hex(opened.keys.root), v.rootKeyHex, "root key");
          eq(hex(opened.keys.view), v.viewKeyHex, "view key");
          if (v.identityResult) {
            eq(
              c.openIdentity({
                ciphertext: unhex(v.identityResult.ciphertextHex),
                envelope: unhex(v.identityResult.envelopes[i]!.envelopeHex),
                boxSecretKey: rc.keys.boxSecretKey,
              }),
              v.identity,
              "identity",
            );
          }
        });
        const mine = c.openTipAsTipster({
          payload: unhex(v.payloadHex),
          tipsterEnvelope: unhex(v.tipsterEnvelopeHex),
          receiptBoxSecretKey: tipster.boxSecretKey,
        });
        eq(mine.payload, v.payload, "tipster payload");
        eq(hex(mine.keys.view), v.viewKeyHex, "tipster view key");
      },
    ]);
  }

  const m = messagesVectors;
  checks.push([
    "messages",
    () => {
      const keys = c.staffTipKeysFromRoot(unhex(m.rootKeyHex));
      const tipster = staffKeysFrom(m.tipsterKeysRandom);
      const sm = c.sealStaffMessage({
        body: m.staffMessage.body,
        tipsterPublicKey: tipster.boxPublicKey,
        keys,
        random: replay(m.staffMessage.random),
      });
      eq(hex(sm.forTipster), m.staffMessage.forTipsterHex, "staff message");
      eq(hex(sm.teamCopy), m.staffMessage.teamCopyHex, "team copy");
      eq(
        c.openStaffMessageAsTipster(unhex(m.staffMessage.forTipsterHex), tipster.boxSecretKey),
        m.staffMessage.body,
        "open staff msg",
      );
      eq(
        c.openStaffMessageCopy(unhex(m.staffMessage.teamCopyHex), keys),
        m.staffMessage.body,
        "open copy",
      );
      const tm = c.sealTipsterMessage({
        body: m.tipsterMessage.body,
        keys: { view: keys.view },
        random: replay(m.tipsterMessage.random),
      });
      eq(hex(tm), m.tipsterMessage.hex, "tipster message");
      eq(
        c.openTipsterMessage(unhex(m.tipsterMessage.hex), keys),
        m.tipsterMessage.body,
        "open tipster msg",
      );
      const note = c.sealInternalNote({
        body: m.internalNote.body,
        keys,
        random: replay(m.internalNote.random),
      });
      eq(hex(note), m.internalNote.hex, "note");
      eq(c.openInternalNote(unhex(m.internalNote.hex), keys), m.internalNote.body, "open note");
    },
  ]);

  const fv = findingVectors;
  checks.push([
    "finding seal/open, transfer to a receiver, note, edit",
    () => {
      const readers = fv.recipients.map((rc) => ({
        id: rc.id,
        keys: staffKeysFrom(rc.keysRandom),
      }));
      const random = replay(fv.random);
      const sealed = c.sealFinding({
        findingId: fv.findingId,
        body: fv.body,
        recipients: readers.map((rc) => ({ id: rc.id, boxPublicKey: rc.keys.boxPublicKey })),
        random,
      });
      eq(random.remaining(), 0, "random fully consumed");
      eq(hex(sealed.body), fv.bodyHex, "body");
      eq(hex(sealed.keys.root), fv.rootKeyHex, "F");
      eq(
        sealed.envelopes.map((e) => ({ recipientId: e.recipientId, envelopeHex: hex(e.envelope) })),
        fv.envelopes,
        "envelopes",
      );
      readers.forEach((rc, i) => {
        const opened = c.openFinding({
          findingId: fv.findingId,
          body: unhex(fv.bodyHex),
          envelope: unhex(fv.envelopes[i]!.envelopeHex),
          boxSecretKey: rc.keys.boxSecretKey,
        });
        eq(opened.body, fv.body, `reader ${rc.id}`);
      });
      const receiver = staffKeysFrom(fv.transfer.receiverKeysRandom);
      const env = c.wrapFindingKeyForRecipient(
        sealed.keys,
        receiver.boxPublicKey,
        replay(fv.transfer.random),
      );
      eq(hex(env), fv.transfer.envelopeHex, "receiver envelope");
      const keys = c.openFindingKeys(fv.findingId, env, receiver.boxSecretKey);
      eq(c.openFindingBody(unhex(fv.bodyHex), keys), fv.body, "receiver reads body");
      const note = c.sealFindingNote({ body: fv.note.body, keys, random: replay(fv.note.random) });
      eq(hex(note), fv.note.hex, "note");
      eq(c.openFindingNote(unhex(fv.note.hex), sealed.keys), fv.note.body, "note opens");
      const edited = c.resealFindingBody({
        body: fv.reseal.body,
        keys,
        random: replay(fv.reseal.random),
      });
      eq(hex(edited), fv.reseal.hex, "edited body");
      eq(c.openFindingBody(unhex(fv.reseal.hex), sealed.keys), fv.reseal.body, "edit opens");
    },
  ]);

  checks.push([
    "finding bulk sealing equals one-by-one sealing (native X25519 where present)",
    async () => {
      const readers = fv.recipients.map((rc) => ({
        id: rc.id,
        keys: staffKeysFrom(rc.keysRandom),
      }));
      const recipients = readers.map((rc) => ({ id: rc.id, boxPublicKey: rc.keys.boxPublicKey }));
      const [sealed] = await c.sealFindingsMany(
        [{ findingId: fv.findingId, body: fv.body, recipients }],
        replay(fv.random),
      );
      eq(hex(sealed!.body), fv.bodyHex, "body");
      eq(
        sealed!.envelopes.map((e) => ({
          recipientId: e.recipientId,
          envelopeHex: hex(e.envelope),
        })),
        fv.envelopes,
        "envelopes",
      );
    },
  ]);

  checks.push([
    "finding bulk sealing without an injected source opens for each reader, fresh ephemeral keys",
    async () => {
      const readers = fv.recipients.map((rc) => ({
        id: rc.id,
        keys: staffKeysFrom(rc.keysRandom),
      }));
      const recipients = readers.map((rc) => ({ id: rc.id, boxPublicKey: rc.keys.boxPublicKey }));
      const sealed = await c.sealFindingsMany([
        { findingId: fv.findingId, body: fv.body, recipients },
        { findingId: fv.findingId, body: fv.body, recipients },
      ]);
      const ephemerals = new Set<string>();
      for (const one of sealed) {
        one.envelopes.forEach((e, n) => {
          ephemerals.add(hex(e.envelope.subarray(1, 33)));
          const opened = c.openFinding({
            findingId: fv.findingId,
            body: one.body,
            envelope: e.envelope,
            boxSecretKey: readers[n]!.keys.boxSecretKey,
          });
          eq(JSON.stringify(opened.body), JSON.stringify(fv.body), `reader ${n} opens`);
        });
      }
      eq(ephemerals.size, 2 * recipients.length, "no ephemeral key repeats");
    },
  ]);

  checks.push([
    "tip bulk sealing equals the tip vectors (native X25519 where present)",
    async () => {
      const inputs = tipVectors.seal.map((v) => ({
        payload: v.payload,
        identity: v.identity ?? undefined,
        recipients: v.recipients.map((rc) => ({
          id: rc.id,
          boxPublicKey: staffKeysFrom(rc.keysRandom).boxPublicKey,
        })),
        tipsterPublicKey: staffKeysFrom(v.tipsterKeysRandom).boxPublicKey,
      }));
      // One stream holding every vector's randomness in order, as sealTip would draw it.
      const random = c.fixedRandom(c.concatBytes(...tipVectors.seal.map((v) => unhex(v.random))));
      const sealed = await c.sealTipsMany(inputs, random);
      eq(random.remaining(), 0, "random fully consumed");
      tipVectors.seal.forEach((v, i) => {
        const s = sealed[i]!;
        eq(hex(s.payload), v.payloadHex, `${v.name} payload`);
        eq(
          s.envelopes.map((e) => ({ recipientId: e.recipientId, envelopeHex: hex(e.envelope) })),
          v.envelopes,
          `${v.name} envelopes`,
        );
        eq(hex(s.tipsterEnvelope), v.tipsterEnvelopeHex, `${v.name} tipster envelope`);
        eq(
          s.identity && {
            ciphertextHex: hex(s.identity.ciphertext),
            envelopes: s.identity.envelopes.map((e) => ({
              recipientId: e.recipientId,
              envelopeHex: hex(e.envelope),
            })),
          },
          v.identityResult,
          `${v.name} identity`,
        );
      });
    },
  ]);

  for (const v of attachmentVectors.vectors) {
    checks.push([
      `attachment ${v.name}`,
      () => {
        const data = patternBytes(v.data.length);
        const enc = c.encryptAttachment(
          data,
          { name: v.meta.name, type: v.meta.type },
          replay(v.random),
        );
        eq(hex(enc.key), v.keyHex, "key");
        eq(hex(enc.header), v.headerHex, "header");
        eq(enc.chunks.length, v.chunks.length, "chunk count");
        enc.chunks.forEach((ch, i) => {
          const want = v.chunks[i]!;
          if ("hex" in want) eq(hex(ch), want.hex, `chunk ${i}`);
          else {
            eq(ch.length, want.length, `chunk ${i} length`);
            eq(hex(ch.subarray(0, 48)), want.firstBytesHex, `chunk ${i} start`);
            eq(hex(c.sha256(ch)), want.sha256Hex, `chunk ${i} digest`);
          }
        });
        const back = c.decryptAttachment(unhex(v.keyHex), unhex(v.headerHex), enc.chunks);
        eq(back.meta, v.meta, "meta");
        eq(hex(c.sha256(back.data)), hex(c.sha256(data)), "data");
      },
    ]);
  }

  const pw = powVectors;
  checks.push([
    "pow issue/solve/verify",
    async () => {
      for (const v of pw.issue) {
        const ch = c.issuePowChallenge({
          secret: unhex(v.secretHex),
          nowMs: v.nowMs,
          ttlMs: v.ttlMs,
          difficulty: v.difficulty,
          random: replay(v.random),
        });
        eq(ch, v.challenge, "challenge");
        eq(hex(c.base64urlDecode(ch)), v.challengeHex, "challenge bytes");
      }
      for (const v of pw.solve) {
        eq(c.solvePowSync(v.challenge), v.solution, "sync solution");
        eq(await c.solvePow(v.challenge), v.solution, "async solution");
        eq(
          hex(
            c.sha256(c.concatBytes(c.base64urlDecode(v.challenge), c.base64urlDecode(v.solution))),
          ),
          v.digestHex,
          "digest",
        );
      }
      for (const v of pw.verify) {
        const spent = new Set<string>();
        const store = {
          isSpent: (id: string) => spent.has(id),
          markSpent: (id: string) => void spent.add(id),
        };
        const run = () =>
          c.verifyPow({
            challenge: v.challenge,
            solution: v.solution,
            secret: unhex(v.secretHex),
            nowMs: v.nowMs,
            store,
          });
        await expectCode(run, v.result, v.name);
        if (v.result === "ok") await expectCode(run, "replayed", `${v.name} replay`);
      }
    },
  ]);
  return checks;
}

/** Representative tamper, wrong-key, truncation and version checks (cheap KDF only). */
function negativeChecks(): Check[] {
  const checks: Check[] = [];
  const tv = tipVectors.seal[0]!;
  const staffA = staffKeysFrom(tv.recipients[0]!.keysRandom);
  const staffB = staffKeysFrom(tv.recipients[1]!.keysRandom);
  const payload = unhex(tv.payloadHex);
  const envA = unhex(tv.envelopes[0]!.envelopeHex);
  const flip = (b: Uint8Array, i: number, mask = 1) => {
    const out = b.slice();
    out[i] = out[i]! ^ mask;
    return out;
  };
  checks.push([
    "tab-session key copy: tamper, wrong key, wrong session, truncation, wrong tag",
    async () => {
      const v = sessionCopyVectors.copies[0]!;
      const blob = unhex(v.blobHex);
      const key = await c.importSessionWrapKey(unhex(sessionCopyVectors.wrapKeyHex));
      const other = await c.newSessionWrapKey();
      for (let i = 1; i < blob.length; i += 7) {
        await expectCode(
          () => c.openSessionCopy(flip(blob, i), key, v.binding),
          "auth_failed",
          `byte ${i}`,
        );
      }
      await expectCode(() => c.openSessionCopy(blob, other, v.binding), "auth_failed", "wrong key");
      await expectCode(
        () => c.openSessionCopy(blob, key, v.binding + "x"),
        "auth_failed",
        "binding",
      );
      await expectCode(
        () => c.openSessionCopy(blob.subarray(0, blob.length - 1), key, v.binding),
        "truncated",
        "short",
      );
      await expectCode(
        () => c.openSessionCopy(new Uint8Array(0), key, v.binding),
        "truncated",
        "empty",
      );
      await expectCode(
        () => c.openSessionCopy(c.concatBytes(blob, new Uint8Array([0])), key, v.binding),
        "extra_data",
        "long",
      );
      await expectCode(
        () => c.openSessionCopy(flip(blob, 0, 0x10), key, v.binding),
        "bad_version",
        "tag",
      );
      await expectCode(() => c.openSessionCopy(blob, key, ""), "bad_input", "no binding");
    },
  ]);
  checks.push([
    "tip envelope: every single-bit flip rejected",
    async () => {
      for (let i = 0; i < envA.length; i++) {
        const code = await errorCode(() =>
          c.openTipKeysAsStaff(flip(envA, i), staffA.boxSecretKey),
        );
        if (code === "ok" || code.startsWith("untyped")) throw new Error(`byte ${i}: ${code}`);
      }
    },
  ]);
  checks.push([
    "tip payload: flips (sampled) rejected",
    async () => {
      for (let i = 0; i < payload.length; i += 7) {
        const code = await errorCode(() =>
          c.openTipAsStaff({
            payload: flip(payload, i),
            envelope: envA,
            boxSecretKey: staffA.boxSecretKey,
          }),
        );
        if (code === "ok" || code.startsWith("untyped")) throw new Error(`byte ${i}: ${code}`);
      }
    },
  ]);
  checks.push([
    "tip: wrong staff key → auth_failed",
    () =>
      expectCode(() => c.openTipKeysAsStaff(envA, staffB.boxSecretKey), "auth_failed", "wrong key"),
  ]);
  checks.push([
    "tip: truncated envelope and payload",
    async () => {
      await expectCode(
        () => c.openTipKeysAsStaff(envA.subarray(0, envA.length - 1), staffA.boxSecretKey),
        "truncated",
        "env",
      );
      await expectCode(
        () => c.openTipKeysAsStaff(new Uint8Array(0), staffA.boxSecretKey),
        "truncated",
        "empty",
      );
      await expectCode(
        () =>
          c.openTipAsStaff({
            payload: payload.subarray(0, 100),
            envelope: envA,
            boxSecretKey: staffA.boxSecretKey,
          }),
        "truncated",
        "payload",
      );
    },
  ]);
  checks.push([
    "unknown version byte → bad_version",
    async () => {
      const bumped = envA.slice();
      bumped[0] = 0x12;
      await expectCode(
        () => c.openTipKeysAsStaff(bumped, staffA.boxSecretKey),
        "bad_version",
        "envelope",
      );
      const p2 = payload.slice();
      p2[0] = 0x2f;
      await expectCode(
        () => c.openTipAsStaff({ payload: p2, envelope: envA, boxSecretKey: staffA.boxSecretKey }),
        "bad_version",
        "payload",
      );
    },
  ]);
  checks.push([
    "identity envelope cannot stand in for a tip envelope",
    () =>
      expectCode(
        () =>
          c.openTipKeysAsStaff(
            unhex(tv.identityResult!.envelopes[0]!.envelopeHex),
            staffA.boxSecretKey,
          ),
        "bad_format",
        "purpose",
      ),
  ]);
  checks.push([
    "bulk open matches single open; failures typed per item",
    async () => {
      const tampered = flip(envA, 60);
      const results = await c.openTipsAsStaff(
        [
          { payload, envelope: envA },
          { payload, envelope: tampered },
          { payload: flip(payload, 40), envelope: envA },
        ],
        staffA.boxSecretKey,
      );
      const first = results[0]!;
      if (!first.ok) throw new Error(`first failed: ${first.error.code}`);
      eq(first.value.payload, tv.payload, "payload");
      eq(hex(first.value.keys.root), tv.rootKeyHex, "root");
      eq(
        results.slice(1).map((r) => (r.ok ? "ok" : r.error.code)),
        ["auth_failed", "auth_failed"],
        "codes",
      );
    },
  ]);
  checks.push([
    "opening with a non-extractable key handle (inbox workers) matches the bulk open",
    async () => {
      const handle = await c.staffOpeningKey(staffA.boxSecretKey);
      if (!handle) throw new Error("no native X25519 handle in this runtime");
      eq(handle.extractable, false, "handle extractable");
      const results = await c.openTipPayloadsWithHandle(
        [
          { payload, envelope: envA },
          { payload, envelope: flip(envA, 60) }, // tampered envelope
          { payload: flip(payload, 40), envelope: envA }, // tampered payload
          { payload, envelope: envA.subarray(0, 60) }, // truncated
          { payload, envelope: unhex(tv.identityResult!.envelopes[0]!.envelopeHex) },
          // low-order ephemeral key: refused natively, left to the holder of the secret
          { payload, envelope: new Uint8Array([envA[0]!, ...new Uint8Array(envA.length - 1)]) },
        ],
        handle,
      );
      const first = results[0];
      if (!first?.ok) throw new Error("first failed");
      eq(first.value, tv.payload, "payload");
      eq(
        results.slice(1).map((r) => (r === null ? "refused" : r.ok ? "ok" : r.error.code)),
        ["auth_failed", "auth_failed", "truncated", "bad_format", "refused"],
        "codes",
      );
      // Another member's key handle opens nothing.
      const other = await c.staffOpeningKey(c.generateStaffKeys().boxSecretKey);
      const wrong = await c.openTipPayloadsWithHandle([{ payload, envelope: envA }], other!);
      eq(wrong[0]?.ok === false ? wrong[0].error.code : "ok", "auth_failed", "wrong key");
    },
  ]);
  const av = attachmentVectors.vectors[2]!;
  checks.push([
    "attachment: truncated, reordered, duplicated, extra chunks",
    async () => {
      const enc = c.encryptAttachment(
        patternBytes(av.data.length),
        { name: av.meta.name, type: av.meta.type },
        replay(av.random),
      );
      const key = enc.key;
      const [a, b, z] = enc.chunks as [Uint8Array, Uint8Array, Uint8Array];
      await expectCode(
        () => c.decryptAttachment(key, enc.header, [a, b]),
        "truncated",
        "truncated",
      );
      await expectCode(
        () => c.decryptAttachment(key, enc.header, [b, a, z]),
        "auth_failed",
        "reordered",
      );
      await expectCode(
        () => c.decryptAttachment(key, enc.header, [a, a, b, z]),
        "auth_failed",
        "duplicated",
      );
      await expectCode(
        () => c.decryptAttachment(key, enc.header, [a, b, z, z]),
        "extra_data",
        "extra",
      );
      await expectCode(
        () => c.decryptAttachment(key, enc.header, [a, b, flip(z, 50)]),
        "auth_failed",
        "flipped",
      );
      const finalAsMiddle = b.slice();
      finalAsMiddle[0] = 0x53;
      await expectCode(
        () => c.decryptAttachment(key, enc.header, [a, finalAsMiddle, z]),
        "auth_failed",
        "forged final flag",
      );
      await expectCode(
        () => c.decryptAttachment(flip(key, 0), enc.header, [a, b, z]),
        "auth_failed",
        "wrong key",
      );
    },
  ]);
  checks.push([
    "pow: the SIMD WebAssembly solver finds the first solving counter, as the JavaScript loop does",
    async () => {
      eq(c.powEngine(), "simd-wasm", "engine");
      const secret = c.sha256(c.utf8Encode("pow engines"));
      const firstSolving = (ch: string, d: number, upTo: number) => {
        const bytes = c.base64urlDecode(ch);
        for (let n = 0; n <= upTo; n++) {
          const nonce = new Uint8Array(8);
          new DataView(nonce.buffer).setUint32(4, n);
          const h = c.sha256(c.concatBytes(bytes, nonce));
          const word0 = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
          if (word0 >>> (32 - d) === 0) return n;
        }
        return -1;
      };
      // Counters in every SIMD lane (0, 2, 7, 88, 778, 707, 436, 8243, 212884, 15, 5), and past
      // the first 65,536 (a new midstate).
      for (const [i, d] of [1, 3, 6, 8, 9, 10, 11, 12, 17, 5, 7].entries()) {
        const ch = c.issuePowChallenge({
          secret,
          nowMs: i,
          ttlMs: 1,
          difficulty: d,
          random: () => new Uint8Array(16).fill(i + 1),
        });
        const sol = c.solvePowSync(ch);
        eq(sol, c.solvePowSync(ch, { engine: "js" }), `js engine, d=${d}`);
        const nonce = c.base64urlDecode(sol);
        const n = new DataView(nonce.buffer, nonce.byteOffset).getUint32(4);
        eq(firstSolving(ch, d, n), n, `first solving counter, d=${d}`);
      }
    },
  ]);
  checks.push([
    "pow: wrong secret, expired, replayed",
    async () => {
      const v = powVectors.verify[0]!;
      const spent = new Set<string>();
      const store = {
        isSpent: (id: string) => spent.has(id),
        markSpent: (id: string) => void spent.add(id),
      };
      const base = { challenge: v.challenge, solution: v.solution, store };
      await expectCode(
        () => c.verifyPow({ ...base, secret: c.sha256(c.utf8Encode("x")), nowMs: v.nowMs }),
        "bad_signature",
        "secret",
      );
      await expectCode(
        () => c.verifyPow({ ...base, secret: unhex(v.secretHex), nowMs: 9e15 }),
        "expired",
        "expired",
      );
      await expectCode(
        () => c.verifyPow({ ...base, secret: unhex(v.secretHex), nowMs: v.nowMs }),
        "ok",
        "first",
      );
      await expectCode(
        () => c.verifyPow({ ...base, secret: unhex(v.secretHex), nowMs: v.nowMs }),
        "replayed",
        "second",
      );
    },
  ]);
  checks.push([
    "messages: wrong keys and swapped formats",
    async () => {
      const m = messagesVectors;
      const keys = c.staffTipKeysFromRoot(unhex(m.rootKeyHex));
      const other = c.staffTipKeysFromRoot(new Uint8Array(32).fill(9));
      await expectCode(
        () => c.openInternalNote(unhex(m.internalNote.hex), other),
        "auth_failed",
        "note",
      );
      await expectCode(
        () => c.openTipsterMessage(unhex(m.tipsterMessage.hex), other),
        "auth_failed",
        "tipster msg",
      );
      const asNote = unhex(m.tipsterMessage.hex);
      asNote[0] = 0x43;
      await expectCode(
        () => c.openInternalNote(asNote, keys),
        "auth_failed",
        "tipster message relabelled as note",
      );
      await expectCode(
        () => c.openStaffMessageAsTipster(unhex(m.staffMessage.forTipsterHex), staffA.boxSecretKey),
        "auth_failed",
        "staff msg",
      );
    },
  ]);
  checks.push([
    "finding: tamper, wrong key, truncation, other finding id, tip envelope",
    async () => {
      const fv = findingVectors;
      const reader = staffKeysFrom(fv.recipients[0]!.keysRandom);
      const receiver = staffKeysFrom(fv.transfer.receiverKeysRandom);
      const body = unhex(fv.bodyHex);
      const env = unhex(fv.envelopes[0]!.envelopeHex);
      const open = (b: Uint8Array, e: Uint8Array, id = fv.findingId, sk = reader.boxSecretKey) =>
        c.openFinding({ findingId: id, body: b, envelope: e, boxSecretKey: sk });
      for (let i = 0; i < env.length; i++) {
        const code = await errorCode(() => open(body, flip(env, i)));
        if (code === "ok" || code.startsWith("untyped"))
          throw new Error(`envelope byte ${i}: ${code}`);
      }
      for (let i = 0; i < body.length; i += 11) {
        const code = await errorCode(() => open(flip(body, i), env));
        if (code === "ok" || code.startsWith("untyped")) throw new Error(`body byte ${i}: ${code}`);
      }
      await expectCode(
        () => open(body, env, fv.findingId, receiver.boxSecretKey),
        "auth_failed",
        "not yet a reader",
      );
      await expectCode(
        () => open(body, env, "finding-other"),
        "auth_failed",
        "moved to another id",
      );
      await expectCode(() => open(body.subarray(0, body.length - 1), env), "truncated", "body -1");
      await expectCode(() => open(body.subarray(0, 60), env), "truncated", "body cut");
      await expectCode(() => open(body, env.subarray(0, 105)), "truncated", "envelope cut");
      await expectCode(
        () => open(body, unhex(tipVectors.seal[0]!.envelopes[0]!.envelopeHex)),
        "bad_format",
        "tip envelope as finding envelope",
      );
    },
  ]);
  checks.push([
    "signed staff message: flips, wrong tip, wrong receipt key, truncation, other signer",
    async () => {
      const sm = staffMessageVectors;
      const v = sm.messages[0]!;
      const blob = unhex(v.forTipsterHex);
      const tipster = staffKeysFrom(sm.tipsterKeysRandom);
      const view = { view: unhex(sm.viewKeyHex) };
      for (let i = 0; i < blob.length; i += 3) {
        const code = await errorCode(() =>
          c.openSignedStaffMessage(flip(blob, i), tipster.boxSecretKey, view),
        );
        if (code === "ok" || code.startsWith("untyped")) throw new Error(`byte ${i}: ${code}`);
      }
      await expectCode(
        () => c.openSignedStaffMessage(blob, tipster.boxSecretKey, { view: new Uint8Array(32) }),
        "bad_signature",
        "another tip",
      );
      await expectCode(
        () => c.openSignedStaffMessage(blob, staffA.boxSecretKey, view),
        "auth_failed",
        "wrong receipt key",
      );
      await expectCode(
        () => c.openSignedStaffMessage(blob.subarray(0, 200), tipster.boxSecretKey, view),
        "truncated",
        "truncated",
      );
      await expectCode(
        () => c.openStaffMessageAsTipster(blob, tipster.boxSecretKey),
        "bad_version",
        "not an unsigned message",
      );
      // Somebody who knows the tip keys but not the author's key: signs with their own key and
      // claims the author's member id. The signature verifies under *their* key only.
      const keys = c.staffTipKeysFromRoot(unhex(sm.rootKeyHex));
      const forged = c.sealSignedStaffMessage({
        body: v.body,
        tipsterPublicKey: tipster.boxPublicKey,
        keys,
        signer: { memberId: sm.authorMemberId, signSecretKey: staffB.signSecretKey },
        context: { kind: "reply" },
        writtenAtMs: v.writtenAtMs,
      });
      const opened = c.openSignedStaffMessage(forged.forTipster, tipster.boxSecretKey, view);
      eq(hex(opened.signPublicKey), hex(staffB.signPublicKey), "names the key that signed");
      const office = staffKeysFrom(signatureVectors.officeRandom);
      const a = signatureVectors.approvalsV2[0]!;
      await expectCode(
        () =>
          c.verifyStaffKeyApproval(
            {
              ...a.approval,
              boxPublicKey: unhex(a.approval.boxPublicKeyHex),
              signPublicKey: opened.signPublicKey,
            },
            unhex(a.signatureHex),
            office.signPublicKey,
            opened.writtenAtMs,
          ),
        "bad_signature",
        "not the approved signing key",
      );
    },
  ]);
  checks.push([
    "receipt: typo and transposition rejected",
    async () => {
      await expectCode(() => c.parseReceipt("9935 2944 8584 0782"), "bad_checksum", "typo");
      await expectCode(() => c.parseReceipt("9935 2494 8584 0781"), "bad_checksum", "swap");
    },
  ]);
  checks.push([
    "staff key blob: flipped params/salt rejected (cheap KDF)",
    async () => {
      const keys = staffKeysFrom(staffKeysVectors.generate[0]!.random);
      const blob = await c.wrapStaffKeys(keys, "pw", {
        unsafeTestKdf: c.UNSAFE_TEST_KDF,
        random: replay("00".repeat(40)),
      });
      eq(
        hex((await c.unwrapStaffKeys(blob, "pw")).boxPublicKey),
        hex(keys.boxPublicKey),
        "round trip",
      );
      for (const i of [0, 4, 8, 9, 10, 25, 26, 49, 50, 129]) {
        const code = await errorCode(() => c.unwrapStaffKeys(flip(blob, i), "pw"));
        if (code === "ok" || code.startsWith("untyped")) throw new Error(`byte ${i}: ${code}`);
      }
    },
  ]);
  return checks;
}

async function runChecks(checks: Check[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [name, run] of checks) {
    try {
      await run();
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, detail: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}

const allVectorChecks = (): Check[] => [...vectorChecks(), ...rosterVectorChecks()];
const allNegativeChecks = (): Check[] => [...negativeChecks(), ...rosterNegativeChecks(errorCode)];

export function runVectorSuite(): Promise<CheckResult[]> {
  return runChecks(allVectorChecks());
}

export function runNegativeChecks(): Promise<CheckResult[]> {
  return runChecks(allNegativeChecks());
}

/** Names only, so a test file can declare one `it` per check before running them. */
export function suiteNames(): { vectors: string[]; negative: string[] } {
  return {
    vectors: allVectorChecks().map(([n]) => n),
    negative: allNegativeChecks().map(([n]) => n),
  };
}
