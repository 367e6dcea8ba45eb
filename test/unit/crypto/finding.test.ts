/**
 * Sealed findings (docs/crypto.md §5.11): round trips for any body and id, readers added on a
 * clue transfer, bulk opening with typed per-item failures, input validation. Byte-level tamper
 * and truncation tests for the finding formats are in tamper.test.ts; vectors in vectors.test.ts.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as c from "../../../crypto/index";
import { patternBytes } from "../../support/crypto-vector-random";
import { expectCode } from "./helpers";

const body = {
  v: 1,
  title: "雷波民族中学违规收费",
  narrative: "学校更换饭卡后未退还余额。",
  people: [{ name: "某某", role: "总务主任" }],
};

describe("findings round-trip", () => {
  it("every reader opens any body under any id; another id never opens it", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.string({ maxLength: 3000 }),
        fc.integer({ min: 1, max: 3 }),
        (findingId, narrative, n) => {
          const readers = Array.from({ length: n }, () => c.generateStaffKeys());
          const sealed = c.sealFinding({
            findingId,
            body: { title: "t", narrative },
            recipients: readers.map((r, i) => ({ id: `r${i}`, boxPublicKey: r.boxPublicKey })),
          });
          readers.forEach((r, i) => {
            const opened = c.openFinding({
              findingId,
              body: sealed.body,
              envelope: sealed.envelopes[i]!.envelope,
              boxSecretKey: r.boxSecretKey,
            });
            expect(opened.body).toEqual({ title: "t", narrative });
          });
          expect(() =>
            c.openFinding({
              findingId: findingId + "x",
              body: sealed.body,
              envelope: sealed.envelopes[0]!.envelope,
              boxSecretKey: readers[0]!.boxSecretKey,
            }),
          ).toThrow(/auth_failed/);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("a transfer adds a receiver who then reads the body and every note", () => {
    const team = c.generateStaffKeys();
    const office = c.generateStaffKeys();
    const receiver = c.generateStaffKeys();
    const sealed = c.sealFinding({
      findingId: "f-hcq",
      body,
      recipients: [
        { id: "team", boxPublicKey: team.boxPublicKey },
        { id: "office", boxPublicKey: office.boxPublicKey },
      ],
    });
    const before = c.sealFindingNote({
      body: { kind: "transfer", text: "移交" },
      keys: sealed.keys,
    });
    // The receiver has nothing yet.
    expect(() =>
      c.openFindingKeys("f-hcq", sealed.envelopes[0]!.envelope, receiver.boxSecretKey),
    ).toThrow(/auth_failed/);
    // A team member's browser re-wraps F for the receiver.
    const teamKeys = c.openFindingKeys("f-hcq", sealed.envelopes[0]!.envelope, team.boxSecretKey);
    const forReceiver = c.wrapFindingKeyForRecipient(teamKeys, receiver.boxPublicKey);
    const receiverKeys = c.openFindingKeys("f-hcq", forReceiver, receiver.boxSecretKey);
    expect(c.openFindingBody(sealed.body, receiverKeys)).toEqual(body);
    expect(c.openFindingNote(before, receiverKeys)).toEqual({ kind: "transfer", text: "移交" });
    // The receiver's outcome note is readable by the team and the office.
    const outcome = c.sealFindingNote({ body: { outcome: "case_opened" }, keys: receiverKeys });
    const officeKeys = c.openFindingKeys(
      "f-hcq",
      sealed.envelopes[1]!.envelope,
      office.boxSecretKey,
    );
    expect(c.openFindingNote(outcome, officeKeys)).toEqual({ outcome: "case_opened" });
    // An edit keeps every reader, the receiver included.
    const edited = c.resealFindingBody({ body: { ...body, title: "改" }, keys: officeKeys });
    expect(c.openFindingBody(edited, receiverKeys).title).toBe("改");
  });

  it("bulk opening returns one typed result per item and matches single opening", async () => {
    const me = c.generateStaffKeys();
    const other = c.generateStaffKeys();
    const items = ["a", "b", "c"].map((id) => {
      const s = c.sealFinding({
        findingId: id,
        body: { title: id },
        recipients: [{ id: "me", boxPublicKey: id === "b" ? other.boxPublicKey : me.boxPublicKey }],
      });
      return { findingId: id, body: s.body, envelope: s.envelopes[0]!.envelope };
    });
    items.push({ ...items[0]!, findingId: "moved" });
    const results = await c.openFindingsAsStaff(items, me.boxSecretKey);
    expect(results.map((r) => (r.ok ? r.value.body.title : r.error.code))).toEqual([
      "a",
      "auth_failed",
      "c",
      "auth_failed",
    ]);
  });

  it("validates ids, recipients and sizes before drawing randomness", async () => {
    const r = c.generateStaffKeys();
    const recipients = [{ id: "r", boxPublicKey: r.boxPublicKey }];
    await expectCode(() => c.sealFinding({ findingId: "", body, recipients }), "bad_length");
    await expectCode(
      () => c.sealFinding({ findingId: "x".repeat(256), body, recipients }),
      "bad_length",
    );
    await expectCode(() => c.sealFinding({ findingId: "f", body, recipients: [] }), "bad_input");
    await expectCode(
      () =>
        c.sealFinding({
          findingId: "f",
          body,
          recipients: [recipients[0]!, recipients[0]!],
        }),
      "bad_input",
    );
    await expectCode(
      () => c.sealFinding({ findingId: "f", body: [] as unknown as c.JsonObject, recipients }),
      "bad_input",
    );
    await expectCode(
      () => c.sealFinding({ findingId: "f", body: { n: "x".repeat(1 << 20) }, recipients }),
      "oversize",
    );
    const keys = c.sealFinding({ findingId: "f", body, recipients }).keys;
    await expectCode(
      () => c.sealFindingNote({ body: { n: "x".repeat(1 << 16) }, keys }),
      "oversize",
    );
    await expectCode(() => c.wrapFindingKeyForRecipient(keys, new Uint8Array(31)), "bad_length");
    await expectCode(
      () => c.openFindingBody(new Uint8Array(2000), { findingId: "f", root: new Uint8Array(3) }),
      "bad_length",
    );
  });
});

describe("sealFindingsMany (bulk sealing)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const stream = () => c.fixedRandom(patternBytes(1 << 16).map((b, i) => (b ^ (i >> 8)) & 0xff));
  const a = c.generateStaffKeys(c.fixedRandom(new Uint8Array(64).fill(1)));
  const b = c.generateStaffKeys(c.fixedRandom(new Uint8Array(64).fill(2)));
  const inputs = [
    {
      findingId: "f1",
      body: { title: "一" },
      recipients: [{ id: "a", boxPublicKey: a.boxPublicKey }],
    },
    {
      findingId: "f2",
      body: { title: "二", narrative: "x".repeat(2000) },
      recipients: [
        { id: "a", boxPublicKey: a.boxPublicKey },
        { id: "b", boxPublicKey: b.boxPublicKey },
      ],
    },
    {
      findingId: "f3",
      body: { title: "三" },
      recipients: [{ id: "b", boxPublicKey: b.boxPublicKey }],
    },
  ];
  const hexOf = (list: c.SealedFinding[]) =>
    list.map((f) => [c.toHex(f.body), ...f.envelopes.map((e) => c.toHex(e.envelope))]);

  async function checkSameBytes() {
    const one = stream();
    const single = inputs.map((i) => c.sealFinding({ ...i, random: one }));
    const many = await c.sealFindingsMany(inputs, stream());
    expect(hexOf(many)).toEqual(hexOf(single));
    const opened = c.openFinding({
      findingId: "f2",
      body: many[1]!.body,
      envelope: many[1]!.envelopes[1]!.envelope,
      boxSecretKey: b.boxSecretKey,
    });
    expect(opened.body.title).toBe("二");
  }

  it("is byte-identical to sealFinding in order (native X25519)", checkSameBytes);

  it("is byte-identical without WebCrypto (tweetnacl fallback)", async () => {
    const real = globalThis.crypto;
    vi.stubGlobal("crypto", { getRandomValues: real.getRandomValues.bind(real) });
    await checkSameBytes();
  });

  it("without an injected source (the runtime makes each ephemeral pair), every reader opens it and no ephemeral key repeats", async () => {
    const check = async () => {
      const many = await c.sealFindingsMany(inputs);
      const ephemerals = new Set<string>();
      many.forEach((sealed, i) => {
        sealed.envelopes.forEach((e, n) => {
          const reader = inputs[i]!.recipients[n]!.id === "a" ? a : b;
          ephemerals.add(c.toHex(e.envelope.subarray(1, 33)));
          const opened = c.openFinding({
            findingId: inputs[i]!.findingId,
            body: sealed.body,
            envelope: e.envelope,
            boxSecretKey: reader.boxSecretKey,
          });
          expect(opened.body.title).toBe(inputs[i]!.body.title);
          // The other reader's key does not open it.
          const other = reader === a ? b : a;
          expect(() =>
            c.openFinding({
              findingId: inputs[i]!.findingId,
              body: sealed.body,
              envelope: e.envelope,
              boxSecretKey: other.boxSecretKey,
            }),
          ).toThrow();
        });
      });
      expect(ephemerals.size).toBe(4);
    };
    await check();
    const real = globalThis.crypto;
    vi.stubGlobal("crypto", { getRandomValues: real.getRandomValues.bind(real) });
    await check();
  });

  it("refuses a low-order recipient key (weak_key), natively and with tweetnacl", async () => {
    const bad = [{ ...inputs[0]!, recipients: [{ id: "z", boxPublicKey: new Uint8Array(32) }] }];
    await expectCode(() => c.sealFindingsMany(bad), "weak_key");
    const real = globalThis.crypto;
    vi.stubGlobal("crypto", { getRandomValues: real.getRandomValues.bind(real) });
    await expectCode(() => c.sealFindingsMany(bad), "weak_key");
    await expectCode(() => c.sealFinding(bad[0]!), "weak_key");
  });

  it("validates every input before drawing randomness", async () => {
    await expectCode(() => c.sealFindingsMany([{ ...inputs[0]!, recipients: [] }]), "bad_input");
    await expectCode(() => c.sealFindingsMany([{ ...inputs[0]!, findingId: "" }]), "bad_length");
  });
});
