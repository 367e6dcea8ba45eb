/**
 * The whole resident journey in Chromium at 390×844, through the real pages only: report a
 * problem about 韩城桥村 on /report, keep the receipt, open /status with it, read the team's
 * question (written by bc.leader with the demo staff key), answer it, and check the team can
 * read the answer. Proves the report and status pages agree on salt, keys and formats.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";
import { eq } from "drizzle-orm";
import { authLookupHash, deriveReceiptKeys } from "../../crypto/index";
import { closeDb, openDb } from "../../db/client";
import { tips } from "../../db/schema";
import { readTipsterMessages, sendStaffMessage, serverEnv, tipRows } from "../support/tip-fixture";
import { confirmReceipt } from "../support/receipt";

const LEADER = "staff-tj-beichen-leader";
const INSPECTOR = "staff-tj-beichen-inspector1";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function tipIdFor(receipt: string): Promise<string> {
  const keys = await deriveReceiptKeys(receipt, serverEnv(server).receiptSalt);
  const db = await openDb(server.database, { migrate: false });
  try {
    const row = (
      await db
        .select({ id: tips.id })
        .from(tips)
        .where(eq(tips.receiptAuthHash, authLookupHash(keys.authSecret)))
        .limit(1)
    )[0];
    if (!row) throw new Error("no tip for this receipt");
    return row.id;
  } finally {
    await closeDb(db);
  }
}

describe("report, then follow the case with the receipt", () => {
  it("the receipt from /report opens /status, shows the team's question, and the answer reaches the team", async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(`${server.url}/report?district=tj-jinnan`);
    await page.getByRole("button", { name: "加密并提交" }).waitFor();
    await page.getByLabel("韩城桥村").check();
    await page.getByLabel("群众身边腐败和作风问题").check();
    await page.getByLabel("虚报冒领").check();
    await page.getByLabel("发生了什么").fill("两名村干部虚报冒领拆迁补偿款一百五十万元。");
    await page.getByLabel("证据文件（选填）").setInputFiles({
      name: "compensation-list.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 1, 2, 3, 0xff, 0xd9]),
    });
    await page.getByRole("button", { name: "加密并提交" }).click();
    await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 90_000 });
    const receipt = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
    expect(receipt).toMatch(/^\d{16}$/);
    await confirmReceipt(page, receipt);

    const tipId = await tipIdFor(receipt);
    const question = "请问这两名干部的职务是什么？";
    await sendStaffMessage(server, tipId, LEADER, { text: question });

    await page.goto(`${server.url}/status`);
    await page.getByLabel("查询码（16位数字）").fill(receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await page.getByText(question).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("current-status").textContent()).toBe("已收到");
    await page.getByText("查看您提交的内容").click();
    await page.getByText("两名村干部虚报冒领拆迁补偿款一百五十万元。").waitFor();
    await page.getByText("compensation-list.jpg").waitFor();

    const answer = "一位是村支书，一位是村会计。";
    await page.getByLabel("您的回复").fill(answer);
    await page.getByRole("button", { name: "加密并发送" }).click();
    await page.getByText("已发送。只有巡察组能读到。").waitFor({ timeout: 30_000 });

    for (const staffId of [LEADER, INSPECTOR]) {
      const seen = await readTipsterMessages(server, tipId, staffId);
      expect(seen.map((m) => m.text)).toEqual([answer]);
    }
    expect((await tipRows(server, tipId)).tip?.lastTipsterActivityAt).not.toBeNull();
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
