/**
 * Case writes over HTTP against the real server, with real crypto on the test side (as the staff
 * browser would do it): "not accepted" with a reason and "merged" with a note reach the tipster
 * (decrypted with the receipt keys); a newcomer to the team gets existing tips through a
 * teammate's grant and can then open them; the audit chain stays intact.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fingerprint,
  generateStaffKeys,
  openSignedStaffMessage,
  openTipKeysAsStaff,
  openTipKeysAsTipster,
  openTipPayload,
  sealSignedStaffMessage,
  signStaffKeyApproval,
  wrapStaffKeys,
  wrapTipKeyForRecipient,
  type StaffTipKeys,
} from "../../crypto/index";
import { closeDb, openDb } from "../../db/client";
import { staffKeys, tipEnvelopes, tips } from "../../db/schema";
import { verifyAuditChain } from "~/services/audit.server";
import { csrfToken } from "~/services/csrf.server";
import { approvalTuple } from "~/services/staff-keys.server";
import { loginAs } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";
import {
  createTestTip,
  DEMO_KEY_PASSPHRASE,
  serverEnv,
  staffKeysForTip,
  staffSigner,
  tipRows,
  type TestTip,
} from "../support/tip-fixture";
import { unwrapStaffKeysCached } from "../support/kdf-cache";

let server: RunningServer;
const INSPECTOR = "staff-tj-beichen-inspector1";
const NEWCOMER = "staff-tj-beichen-inspector2";
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");

beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function post(staffId: string, path: string, body: unknown) {
  const s = await loginAs(server.database, staffId);
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: {
      Cookie: s.cookie,
      "Content-Type": "application/json",
      "X-CSRF-Token": csrfToken(serverEnv(server), s.sessionId),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function get(staffId: string, path: string) {
  const s = await loginAs(server.database, staffId);
  const res = await fetch(`${server.url}${path}`, { headers: { Cookie: s.cookie } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function sealNote(tip: TestTip, keys: StaffTipKeys, text: string, status: string) {
  const row = (await tipRows(server, tip.tipId)).tip!;
  const sealed = sealSignedStaffMessage({
    body: { text },
    tipsterPublicKey: new Uint8Array(row.tipsterPublicKey),
    keys,
    signer: await staffSigner(server, INSPECTOR),
    context: { kind: "status", status },
    writtenAtMs: Date.now(),
  });
  return { forTipster: b64(sealed.forTipster), teamCopy: b64(sealed.teamCopy) };
}

/** What the tipster reads: the signed note, opened with the receipt keys. */
async function tipsterReads(tip: TestTip, blob: Buffer) {
  const row = (await tipRows(server, tip.tipId)).tip!;
  const tipKeys = openTipKeysAsTipster(
    new Uint8Array(row.tipsterEnvelope),
    tip.receiptKeys.boxSecretKey,
  );
  return openSignedStaffMessage(new Uint8Array(blob), tip.receiptKeys.boxSecretKey, tipKeys).body
    .text;
}

describe("case lifecycle", () => {
  it("not accepted with a reason the tipster can read; the team reads its copy", async () => {
    const tip = await createTestTip(server, { text: "邻居家的狗太吵。" });
    const keys = await staffKeysForTip(server, tip.tipId, INSPECTOR);
    const reason = "该问题不属于巡察范围，请向街道反映。";
    const res = await post(INSPECTOR, `/api/staff/tips/${tip.tipId}/status`, {
      status: "not_accepted",
      message: await sealNote(tip, keys, reason, "not_accepted"),
    });
    expect(res.status).toBe(200);
    const rows = await tipRows(server, tip.tipId);
    expect(rows.tip?.status).toBe("not_accepted");
    expect(rows.tip?.acknowledgedAt).toBeInstanceOf(Date);
    const h = rows.history.find((x) => x.status === "not_accepted")!;
    expect(await tipsterReads(tip, h.publicMessage!)).toBe(reason);
    // The case API gives the team the copy, which the team key opens.
    const view = await get(INSPECTOR, `/api/staff/tips/${tip.tipId}`);
    const history = view.json.history as { status: string; messageCopy: string | null }[];
    expect(history.find((x) => x.status === "not_accepted")?.messageCopy).toBeTruthy();
  });

  it("merge as duplicate: the merged case's tipster is told; the target must be a tip I hold", async () => {
    const a = await createTestTip(server, { text: "拆迁补偿款被截留（第一封）" });
    const b = await createTestTip(server, { text: "拆迁补偿款被截留（第二封）" });
    const keys = await staffKeysForTip(server, b.tipId, INSPECTOR);
    const note = "您反映的问题与另一件举报相同，已合并处理。";
    const bad = await post(INSPECTOR, `/api/staff/tips/${b.tipId}/status`, {
      status: "merged",
      message: await sealNote(b, keys, note, "merged"),
      mergedIntoId: b.tipId,
    });
    expect(bad.status).toBe(400);
    const ok = await post(INSPECTOR, `/api/staff/tips/${b.tipId}/status`, {
      status: "merged",
      message: await sealNote(b, keys, note, "merged"),
      mergedIntoId: a.tipId,
    });
    expect(ok.status).toBe(200);
    const rows = await tipRows(server, b.tipId);
    expect(rows.tip?.status).toBe("merged");
    expect(rows.tip?.mergedIntoId).toBe(a.tipId);
    const h = rows.history.find((x) => x.status === "merged")!;
    expect(await tipsterReads(b, h.publicMessage!)).toBe(note);
  });

  it("a newcomer gets existing tips through a teammate's grant, then opens them", async () => {
    const tip = await createTestTip(server, { text: "村委会账目不公开。" });
    // The newcomer makes a key (browser side) and the office signs it (office browser side).
    const newcomer = generateStaffKeys();
    const db = await openDb(server.database, { migrate: false });
    const officeRow = (
      await db.select().from(staffKeys).where(eq(staffKeys.staffId, "staff-tj-office")).limit(1)
    )[0]!;
    await closeDb(db);
    const created = await post(NEWCOMER, "/api/staff/keys", {
      op: "create",
      boxPublicKey: b64(newcomer.boxPublicKey),
      signPublicKey: b64(newcomer.signPublicKey),
      wrapped: b64(await wrapStaffKeys(newcomer, "newcomer passphrase")),
    });
    expect(created.status).toBe(200);
    const keyId = created.json.id as string;
    const office = await unwrapStaffKeysCached(
      new Uint8Array(officeRow.wrappedSecretKey),
      DEMO_KEY_PASSPHRASE,
    );
    const validUntil = new Date(Date.now() + 86_400_000 * 90);
    // An approval of the box key alone (v1) no longer activates a key: the office must also
    // vouch for the signing key the member's messages to tipsters are signed with (v2).
    const boxOnly = await post("staff-tj-office", `/api/staff/keys/${keyId}/approve`, {
      signature: b64(
        signStaffKeyApproval(
          approvalTuple(NEWCOMER, newcomer.boxPublicKey, "tj-beichen", validUntil),
          office.signSecretKey,
        ),
      ),
      validUntilMs: validUntil.getTime(),
    });
    expect(boxOnly.status).toBe(400);
    const signed = await post("staff-tj-office", `/api/staff/keys/${keyId}/approve`, {
      signature: b64(
        signStaffKeyApproval(
          approvalTuple(
            NEWCOMER,
            newcomer.boxPublicKey,
            "tj-beichen",
            validUntil,
            newcomer.signPublicKey,
          ),
          office.signSecretKey,
        ),
      ),
      validUntilMs: validUntil.getTime(),
    });
    expect(signed.status).toBe(200);
    expect((await get(NEWCOMER, "/api/staff/keys")).json.key).toMatchObject({
      status: "active",
      fingerprint: fingerprint(newcomer.boxPublicKey),
    });

    // Before the grant: 403.
    expect((await get(NEWCOMER, `/api/staff/tips/${tip.tipId}`)).status).toBe(403);

    // The teammate's browser: list pending grants, open own envelopes, re-wrap to the newcomer.
    const pending = (await get(INSPECTOR, "/api/staff/grants")).json.pending as {
      staffId: string;
      staffKeyId: string;
      tips: { tipId: string; envelope: string }[];
    }[];
    const mine = pending.find((p) => p.staffId === NEWCOMER)!;
    expect(mine.tips.map((t) => t.tipId)).toContain(tip.tipId);
    expect(pending.map((p) => p.staffId)).not.toContain("staff-tj-jinnan-local");
    const inspectorRow = await openDb(server.database, { migrate: false });
    const inspectorKey = (
      await inspectorRow.select().from(staffKeys).where(eq(staffKeys.staffId, INSPECTOR)).limit(1)
    )[0]!;
    await closeDb(inspectorRow);
    const me = await unwrapStaffKeysCached(
      new Uint8Array(inspectorKey.wrappedSecretKey),
      DEMO_KEY_PASSPHRASE,
    );
    const envelopes = mine.tips.map((t) => ({
      tipId: t.tipId,
      envelope: b64(
        wrapTipKeyForRecipient(
          openTipKeysAsStaff(new Uint8Array(Buffer.from(t.envelope, "base64url")), me.boxSecretKey),
          newcomer.boxPublicKey,
        ),
      ),
    }));
    const granted = await post(INSPECTOR, "/api/staff/grants", {
      staffKeyId: mine.staffKeyId,
      envelopes,
    });
    expect(granted.status).toBe(200);
    expect(granted.json.added).toBe(envelopes.length);

    // After: the newcomer opens the tip with their own key.
    const view = await get(NEWCOMER, `/api/staff/tips/${tip.tipId}`);
    expect(view.status).toBe(200);
    const cipher = view.json.ciphertext as { payload: string; envelope: string };
    const keys = openTipKeysAsStaff(
      new Uint8Array(Buffer.from(cipher.envelope, "base64url")),
      newcomer.boxSecretKey,
    );
    expect(
      openTipPayload(new Uint8Array(Buffer.from(cipher.payload, "base64url")), keys).text,
    ).toBe("村委会账目不公开。");

    const check = await openDb(server.database, { migrate: false });
    try {
      const env = (
        await check
          .select()
          .from(tipEnvelopes)
          .where(and(eq(tipEnvelopes.tipId, tip.tipId), eq(tipEnvelopes.staffId, NEWCOMER)))
          .limit(1)
      )[0];
      expect(env?.grantedBy).toBe(INSPECTOR);
      expect(
        (await check.select().from(tips).where(eq(tips.id, tip.tipId)).limit(1))[0],
      ).toBeTruthy();
      expect((await verifyAuditChain(check)).ok).toBe(true);
    } finally {
      await closeDb(check);
    }
  }, 60_000);
});
