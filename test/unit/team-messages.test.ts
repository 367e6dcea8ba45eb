/**
 * The tipster's browser decides which messages "from the team" are genuine
 * (app/client/status/team-messages.ts, docs/crypto.md §5.7.1). Real crypto, every outcome.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as c from "../../crypto/index";
import type { ApprovalWire } from "~/shared/approvals";
import type { SignerWire } from "~/client/status/model";
import { teamMessageOpener } from "~/client/status/team-messages";

const b64 = c.base64urlEncode;
const MEMBER = "staff-tj-beichen-inspector1";
const T = 1_790_000_000_000;

const office = c.generateStaffKeys();
const otherOffice = c.generateStaffKeys();
const member = c.generateStaffKeys();
const tipster = c.generateStaffKeys();
const tipKeys = c.staffTipKeysFromRoot(c.systemRandom(32));
const otherTipKeys = c.staffTipKeysFromRoot(c.systemRandom(32));

function approval(
  keys: c.StaffKeys,
  opts: { v2?: boolean; by?: c.StaffKeys; validUntilMs?: number } = {},
): ApprovalWire {
  const a: c.StaffKeyApproval = {
    memberId: MEMBER,
    boxPublicKey: keys.boxPublicKey,
    ...(opts.v2 === false ? {} : { signPublicKey: keys.signPublicKey }),
    homeDistrictId: "tj-beichen",
    validUntilMs: opts.validUntilMs ?? T + 86_400_000,
  };
  return {
    memberId: MEMBER,
    boxPublicKey: b64(keys.boxPublicKey),
    signPublicKey: opts.v2 === false ? null : b64(keys.signPublicKey),
    homeDistrictId: a.homeDistrictId,
    validUntilMs: a.validUntilMs,
    signature: b64(c.signStaffKeyApproval(a, (opts.by ?? office).signSecretKey)),
    officeKey: b64((opts.by ?? office).signPublicKey),
  };
}

function seal(
  text: string,
  o: {
    signer?: c.StaffKeys;
    keys?: c.StaffTipKeys;
    context?: c.StaffMessageContext;
    at?: number;
  } = {},
): string {
  return b64(
    c.sealSignedStaffMessage({
      body: { text },
      tipsterPublicKey: tipster.boxPublicKey,
      keys: o.keys ?? tipKeys,
      signer: { memberId: MEMBER, signSecretKey: (o.signer ?? member).signSecretKey },
      context: o.context ?? { kind: "reply" },
      writtenAtMs: o.at ?? T,
    }).forTipster,
  );
}

function opener(signers: Record<string, SignerWire>, trusted = [b64(office.signPublicKey)]) {
  return teamMessageOpener(c, tipster.boxSecretKey, { view: tipKeys.view }, signers, () => trusted);
}

const signerWith = (...approvals: ApprovalWire[]): Record<string, SignerWire> => ({
  [MEMBER]: { role: "member", team: { nameZh: "北辰", nameEn: "Beichen" }, approvals },
});

let good: Record<string, SignerWire>;
beforeAll(() => {
  good = signerWith(approval(member));
});

describe("team message verdicts", () => {
  it("verified: approved signing key, this tip, this place; the fingerprint is the box key's", () => {
    const r = opener(good)(seal("你好"), { kind: "reply" });
    expect(r.body).toEqual({ text: "你好" });
    expect(r.signature).toEqual({
      state: "verified",
      fingerprint: c.fingerprint(member.boxPublicKey),
      role: "member",
      team: { nameZh: "北辰", nameEn: "Beichen" },
      writtenAt: new Date(T).toISOString(),
    });
    const note = opener(good)(seal("已受理", { context: { kind: "status", status: "accepted" } }), {
      kind: "status",
      status: "accepted",
    });
    expect(note.signature.state).toBe("verified");
  });

  it("unsigned: the old format, body kept for an explicit reveal", () => {
    const old = c.sealStaffMessage({
      body: { text: "旧消息" },
      tipsterPublicKey: tipster.boxPublicKey,
      keys: tipKeys,
    });
    const r = opener(good)(b64(old.forTipster), { kind: "reply" });
    expect(r).toEqual({
      body: { text: "旧消息" },
      signature: { state: "unverified", reason: "unsigned" },
    });
  });

  it("invalid: signed for another tip, altered, or not ours at all — and no body", () => {
    const open = opener(good);
    const elsewhere = open(seal("x", { keys: otherTipKeys }), { kind: "reply" });
    expect(elsewhere).toEqual({
      body: null,
      signature: { state: "unverified", reason: "invalid" },
    });
    const bytes = c.base64urlDecode(seal("y"));
    bytes[120] = bytes[120]! ^ 1;
    expect(open(b64(bytes), { kind: "reply" }).signature).toEqual({
      state: "unverified",
      reason: "invalid",
    });
    expect(open("not-base64!", { kind: "reply" }).body).toBeNull();
  });

  it("unknown signer: a key the office did not approve, a v1 approval, an untrusted office, expiry", () => {
    const stranger = c.generateStaffKeys();
    const cases: [Record<string, SignerWire>, string, c.StaffKeys?][] = [
      [good, "stranger's key", stranger],
      [signerWith(approval(member, { v2: false })), "v1 approval only"],
      [signerWith(approval(member, { by: otherOffice })), "signed by an office we do not trust"],
      [signerWith(approval(member, { validUntilMs: T - 1 })), "approval expired before writing"],
      [{}, "no signer listed"],
    ];
    for (const [signers, what, key] of cases) {
      const r = opener(signers)(seal("z", { signer: key }), { kind: "reply" });
      expect(r, what).toEqual({
        body: null,
        signature: { state: "unverified", reason: "unknownSigner" },
      });
    }
  });

  it("wrong place: a reply shown as a status note, or a note under another status", () => {
    const open = opener(good);
    expect(open(seal("r"), { kind: "status", status: "accepted" }).signature).toEqual({
      state: "unverified",
      reason: "wrongPlace",
    });
    const note = seal("n", { context: { kind: "status", status: "accepted" } });
    expect(open(note, { kind: "status", status: "resolved" }).signature).toEqual({
      state: "unverified",
      reason: "wrongPlace",
    });
  });

  it("duplicate: the same signed message shown twice counts once", () => {
    const open = opener(good);
    const m = seal("一次");
    expect(open(m, { kind: "reply" }).signature.state).toBe("verified");
    expect(open(m, { kind: "reply" })).toEqual({
      body: null,
      signature: { state: "unverified", reason: "duplicate" },
    });
  });
});
