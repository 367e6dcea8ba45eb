/**
 * Staff → tipster messages are signed (docs/crypto.md §5.7.1), and the tipster's browser checks
 * every one against the office's approval of its signer. Here the team writes genuinely, then
 * somebody with write access to the database (what a malicious operator has) forges or moves
 * messages. In Chromium at 390×844 the genuine ones show as verified with the signer's role and
 * key fingerprint; every forgery is flagged and its text is not shown. Without JavaScript the
 * page says it cannot check signatures.
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fingerprint,
  generateStaffKeys,
  sealSignedStaffMessage,
  sealStaffMessage,
} from "../../crypto/index";
import { closeDb, openDb, withTx, type Db } from "../../db/client";
import { messages, staffKeys, tipStatusHistory } from "../../db/schema";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";
import {
  createTestTip,
  sendStaffMessage,
  setTestStatus,
  staffKeysForTip,
  staffSigner,
  tipRows,
  type TestTip,
} from "../support/tip-fixture";

const INSPECTOR = "staff-tj-beichen-inspector1";
const LEADER = "staff-tj-beichen-leader";
const PHONE = { width: 390, height: 844 };
const SHOTS = process.env.STATUS_SHOTS;

const GENUINE = "请问补偿款是哪一年发放的？";
const GENUINE_NOTE = "已受理，巡察组将核实拆迁补偿款发放情况。";
const UNSIGNED = "【伪造】请把您的身份证号码发给我们。";
const STRANGER = "【伪造】巡察组已结案，请不要再联系。";
const REPLAYED = "【伪造】这条消息是为另一件举报签的。";
const TAMPERED_ORIGINAL = "请问您还有转账记录吗？";

let server: RunningServer;
let browser: Browser;
let tip: TestTip;
let other: TestTip;

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(server.database, { migrate: false });
  try {
    return await fn(db);
  } finally {
    await closeDb(db);
  }
}

/** A row in the thread the way the server would write one — but nobody on the team did. */
async function insertToTipster(id: string, body: Uint8Array, at: Date) {
  await withDb((db) =>
    withTx(db, (tx) =>
      tx.insert(messages).values({
        id,
        tipId: tip.tipId,
        kind: "to_tipster",
        authorStaffId: INSPECTOR,
        body: Buffer.from(body),
        teamCopy: null,
        createdAt: at,
      }),
    ),
  );
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  tip = await createTestTip(server, { text: "韩城桥村干部虚报冒领拆迁补偿款。" });
  other = await createTestTip(server, { text: "另一件举报。" });
  const t0 = Date.now() - 60 * 60 * 1000;
  const at = (minutes: number) => new Date(t0 + minutes * 60_000);

  // What the team really wrote (signed in their browsers, here with the same crypto).
  await setTestStatus(server, tip.tipId, LEADER, "accepted", GENUINE_NOTE, at(1));
  await sendStaffMessage(server, tip.tipId, INSPECTOR, { text: GENUINE }, at(2));
  const tampered = await sendStaffMessage(
    server,
    tip.tipId,
    INSPECTOR,
    { text: TAMPERED_ORIGINAL },
    at(3),
  );

  const row = (await tipRows(server, tip.tipId)).tip!;
  const tipsterPk = new Uint8Array(row.tipsterPublicKey);
  const keys = await staffKeysForTip(server, tip.tipId, INSPECTOR);

  // 1. The operator writes in the team's name without any signature (the old format).
  await insertToTipster(
    "msg_forged_unsigned",
    sealStaffMessage({ body: { text: UNSIGNED }, tipsterPublicKey: tipsterPk, keys }).forTipster,
    at(4),
  );
  // 2. Signed, for this tip, with a key the office never approved, claiming the inspector's id.
  const stranger = generateStaffKeys();
  await insertToTipster(
    "msg_forged_stranger",
    sealSignedStaffMessage({
      body: { text: STRANGER },
      tipsterPublicKey: tipsterPk,
      keys,
      signer: { memberId: INSPECTOR, signSecretKey: stranger.signSecretKey },
      context: { kind: "reply" },
      writtenAtMs: at(5).getTime(),
    }).forTipster,
    at(5),
  );
  // 3. Genuinely signed by the inspector — for another tip — and boxed to this tipster.
  await insertToTipster(
    "msg_forged_replayed",
    sealSignedStaffMessage({
      body: { text: REPLAYED },
      tipsterPublicKey: tipsterPk,
      keys: await staffKeysForTip(server, other.tipId, INSPECTOR),
      signer: await staffSigner(server, INSPECTOR),
      context: { kind: "reply" },
      writtenAtMs: at(6).getTime(),
    }).forTipster,
    at(6),
  );
  // 4. A byte of a genuine message changed in the database.
  await withDb(async (db) => {
    const m = (await db.select().from(messages).where(eq(messages.id, tampered)))[0]!;
    const body = Buffer.from(m.body);
    body[200] = body[200]! ^ 0x01;
    await withTx(db, (tx) => tx.update(messages).set({ body }).where(eq(messages.id, tampered)));
  });
  // 5. The genuine reply shown a second time.
  await withDb(async (db) => {
    const m = (await db.select().from(messages).where(eq(messages.tipId, tip.tipId))).find(
      (x) => x.createdAt.getTime() === at(2).getTime(),
    )!;
    await withTx(db, (tx) =>
      tx.insert(messages).values({ ...m, id: "msg_forged_duplicate", createdAt: at(7) }),
    );
  });
  // 6. The genuine "accepted" note moved under a status the team never set.
  await withDb(async (db) => {
    const accepted = (
      await db.select().from(tipStatusHistory).where(eq(tipStatusHistory.tipId, tip.tipId))
    ).find((h) => h.status === "accepted")!;
    await withTx(db, (tx) =>
      tx
        .insert(tipStatusHistory)
        .values({ ...accepted, id: "st_forged_resolved", status: "resolved", createdAt: at(8) }),
    );
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openCase(page: Page) {
  await page.goto(`${server.url}/status`);
  await page.getByLabel("查询码（16位数字）").fill(tip.receipt);
  await page.getByRole("button", { name: "查看进展" }).click();
  await page.getByTestId("current-status").waitFor({ timeout: 30_000 });
}

describe("signed messages on the status page", () => {
  it("shows the team's signed messages as verified and flags every forgery", async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: "zh-CN" });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await openCase(page);
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, "signed-messages.png"), fullPage: true });
    }

    // Genuine: the reply and the status note, with the signer's role and key fingerprint.
    const inspectorKey = (
      await withDb((db) => db.select().from(staffKeys).where(eq(staffKeys.staffId, INSPECTOR)))
    )[0]!;
    const reply = page.getByTestId("message-team").filter({ hasText: GENUINE });
    await expect.poll(() => reply.count()).toBe(1);
    expect(await reply.getByTestId("signature-ok").count()).toBe(1);
    const replySignature = (await reply.getByTestId("signature-ok").textContent()) ?? "";
    expect(replySignature).toContain(fingerprint(new Uint8Array(inspectorKey.boxPublicKey)));
    expect(await reply.getByTestId("signer").textContent()).toContain("组员");
    const acceptedItem = page.locator(".timeline-item.status-accepted");
    expect(await acceptedItem.getByText(GENUINE_NOTE).count()).toBe(1);
    expect(await acceptedItem.getByTestId("signature-ok").count()).toBe(1);
    expect(await acceptedItem.getByTestId("signer").textContent()).toContain("组长");

    // Every forgery is flagged, and none of the forged texts is shown.
    const body = (await page.locator("main").textContent()) ?? "";
    for (const forged of [STRANGER, REPLAYED]) expect(body).not.toContain(forged);
    const flagged = page.getByTestId("signature-bad");
    // unsigned, stranger, replayed, tampered, duplicate (thread) + moved note (timeline)
    expect(await flagged.count()).toBe(6);
    const teamBubbles = page.getByTestId("message-team");
    expect(await teamBubbles.count()).toBe(6);
    expect(await teamBubbles.getByTestId("signature-ok").count()).toBe(1);
    const resolved = page.locator(".timeline-item.status-resolved");
    expect(await resolved.getByTestId("signature-bad").count()).toBe(1);
    expect(await resolved.getByText(GENUINE_NOTE).count()).toBe(0);
    // The unsigned one is hidden unless the resident asks, and then marked as unconfirmed.
    const unsigned = teamBubbles.filter({ hasText: "没有签名" });
    expect(await unsigned.count()).toBe(1);
    expect(await unsigned.getByText(UNSIGNED).isVisible()).toBe(false);
    await unsigned.getByText("仍然显示内容").click();
    expect(await unsigned.getByText(UNSIGNED).isVisible()).toBe(true);
    expect(await page.getByText(TAMPERED_ORIGINAL).count()).toBe(0);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it("in English too, and without JavaScript the page says it cannot check signatures", async () => {
    const en = await browser.newContext({ viewport: PHONE, locale: "en-US" });
    await en.addCookies([{ name: "lang", value: "en", url: server.url }]);
    const page = await en.newPage();
    await page.goto(`${server.url}/status`);
    await page.getByLabel(/Receipt code/).fill(tip.receipt);
    await page.getByRole("button", { name: "Show my case" }).click();
    await page.getByTestId("current-status").waitFor({ timeout: 30_000 });
    expect(await page.getByText("Verified: signed by an inspection team member").count()).toBe(2);
    expect(
      await page
        .getByText("This message could not be confirmed as coming from the inspection team")
        .count(),
    ).toBe(6);
    await en.close();

    const nojs = await browser.newContext({
      viewport: PHONE,
      locale: "zh-CN",
      javaScriptEnabled: false,
    });
    const p2 = await nojs.newPage();
    await p2.goto(`${server.url}/status`);
    await p2.getByLabel("查询码（16位数字）").fill(tip.receipt);
    await p2.getByRole("button", { name: "查看进展" }).click();
    await p2.getByTestId("current-status").waitFor({ timeout: 30_000 });
    expect(await p2.getByTestId("nojs-unchecked").textContent()).toContain("无法核验");
    // Nothing is claimed as verified without JavaScript.
    expect(await p2.getByTestId("signature-ok").count()).toBe(0);
    expect(await p2.getByText(GENUINE).count()).toBeGreaterThan(0);
    await nojs.close();
  });
});
