/**
 * Bulk tip sealing (`sealTipsMany`, used by the load generator): byte-identical to `sealTip` one
 * by one with the same random stream, with native X25519 and on the tweetnacl fallback, with and
 * without identity blocks; low-order keys and bad input refused like `sealTip` refuses them.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as c from "../../../crypto/index";
import { patternBytes } from "../../support/crypto-vector-random";
import { expectCode } from "./helpers";

const stream = () => c.fixedRandom(patternBytes(1 << 16).map((b, i) => (b ^ (i >> 7)) & 0xff));
const a = c.generateStaffKeys(c.fixedRandom(new Uint8Array(64).fill(1)));
const b = c.generateStaffKeys(c.fixedRandom(new Uint8Array(64).fill(2)));
const tipster = c.generateStaffKeys(c.fixedRandom(new Uint8Array(64).fill(3)));
const inputs: Omit<c.SealTipInput, "random">[] = [
  {
    payload: { district: "tj-jinnan", text: "村干部虚报拆迁补偿款。" },
    recipients: [{ id: "a", boxPublicKey: a.boxPublicKey }],
    tipsterPublicKey: tipster.boxPublicKey,
  },
  {
    payload: { district: "tj-jinnan", text: "x".repeat(5000) },
    identity: { name: "张三", phone: "13800000000" },
    recipients: [
      { id: "a", boxPublicKey: a.boxPublicKey },
      { id: "b", boxPublicKey: b.boxPublicKey },
    ],
    tipsterPublicKey: tipster.boxPublicKey,
  },
  {
    payload: { district: "tj-hedong", text: "三" },
    recipients: [{ id: "b", boxPublicKey: b.boxPublicKey }],
    tipsterPublicKey: tipster.boxPublicKey,
  },
];

const hexOf = (list: c.SealedTip[]) =>
  list.map((t) => ({
    payload: c.toHex(t.payload),
    envelopes: t.envelopes.map((e) => [e.recipientId, c.toHex(e.envelope)]),
    tipster: c.toHex(t.tipsterEnvelope),
    identity: t.identity && {
      ciphertext: c.toHex(t.identity.ciphertext),
      envelopes: t.identity.envelopes.map((e) => [e.recipientId, c.toHex(e.envelope)]),
    },
  }));

async function checkSameBytes() {
  const one = stream();
  const single = inputs.map((i) => c.sealTip({ ...i, random: one }));
  const many = await c.sealTipsMany(inputs, stream());
  expect(hexOf(many)).toEqual(hexOf(single));
  const opened = c.openTipAsStaff({
    payload: many[1]!.payload,
    envelope: many[1]!.envelopes[1]!.envelope,
    boxSecretKey: b.boxSecretKey,
  });
  expect(opened.payload.text).toBe("x".repeat(5000));
  const view = c.openTipKeysAsTipster(many[2]!.tipsterEnvelope, tipster.boxSecretKey);
  expect(c.openTipPayload(many[2]!.payload, view).text).toBe("三");
}

describe("sealTipsMany (bulk sealing)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("is byte-identical to sealTip in order (native X25519)", checkSameBytes);

  it("is byte-identical without WebCrypto (tweetnacl fallback)", async () => {
    const real = globalThis.crypto;
    vi.stubGlobal("crypto", { getRandomValues: real.getRandomValues.bind(real) });
    await checkSameBytes();
  });

  it("refuses a low-order recipient or tipster key (weak_key), natively and with tweetnacl", async () => {
    const zero = new Uint8Array(32);
    const badReader = [{ ...inputs[0]!, recipients: [{ id: "z", boxPublicKey: zero }] }];
    const badTipster = [{ ...inputs[0]!, tipsterPublicKey: zero }];
    await expectCode(() => c.sealTipsMany(badReader), "weak_key");
    await expectCode(() => c.sealTipsMany(badTipster), "weak_key");
    const real = globalThis.crypto;
    vi.stubGlobal("crypto", { getRandomValues: real.getRandomValues.bind(real) });
    await expectCode(() => c.sealTipsMany(badReader), "weak_key");
    await expectCode(() => c.sealTip(badReader[0]!), "weak_key");
  });

  it("validates every input like sealTip", async () => {
    await expectCode(() => c.sealTipsMany([{ ...inputs[0]!, recipients: [] }]), "bad_input");
    await expectCode(
      () => c.sealTipsMany([{ ...inputs[0]!, tipsterPublicKey: new Uint8Array(31) }]),
      "bad_length",
    );
    expect(await c.sealTipsMany([])).toEqual([]);
  });
});
