/**
 * A program renamed `fake.jpg` never becomes evidence: the report page (with and without
 * JavaScript) and the status page's reply form read each file's first bytes and refuse it with a
 * message that says what it is, before anything is encrypted or stored. Chromium at 390×844.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, openDb } from "../../db/client";
import { tips } from "../../db/schema";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";
import { createTestTip } from "../support/tip-fixture";

const PHONE = { width: 390, height: 844 };
/** The start of a Windows program: "MZ", the DOS stub and its famous sentence. */
const PROGRAM = Buffer.concat([
  Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]),
  Buffer.alloc(54),
  Buffer.from("This program cannot be run in DOS mode.\r\r\n$"),
  Buffer.alloc(2048, 0x90),
]);
const FAKE = { name: "fake.jpg", mimeType: "image/jpeg", buffer: PROGRAM };
const REFUSED = "“fake.jpg”不是照片或 PDF：它的内容是一个程序";

let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phonePage(javaScriptEnabled = true): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: PHONE, javaScriptEnabled, locale: "zh-CN" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return { ctx, page };
}

async function tipCount(): Promise<number> {
  const db = await openDb(server.database, { migrate: false });
  try {
    return await db.$count(tips);
  } finally {
    await closeDb(db);
  }
}

describe("an executable renamed .jpg", () => {
  it("is refused on the report page as soon as it is chosen, and cannot be sent", async () => {
    const { ctx, page } = await phonePage();
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    await page.goto(`${server.url}/report?district=tj-jinnan`);
    await page.getByRole("button", { name: "加密并提交" }).waitFor();
    await page.getByLabel("韩城桥村").check();
    await page.getByLabel("群众身边腐败和作风问题").check();
    await page.getByLabel("发生了什么").fill("村干部虚报冒领拆迁补偿款。");
    await page.getByLabel("证据文件（选填）").setInputFiles(FAKE);
    await page.getByText(REFUSED).waitFor({ timeout: 10_000 });

    const before = await tipCount();
    await page.getByRole("button", { name: "加密并提交" }).click();
    await page.getByText(REFUSED).waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByRole("heading", { name: "举报已提交" }).count()).toBe(0);
    expect(posts.filter((u) => u.includes("/api/report"))).toEqual([]);
    expect(await tipCount()).toBe(before);
    await ctx.close();
  });

  it("is refused without JavaScript too, with what was typed kept", async () => {
    const { ctx, page } = await phonePage(false);
    await page.goto(`${server.url}/report?district=tj-jinnan`);
    await page.getByLabel("南洼村").check();
    await page.getByLabel("民生实事").check();
    await page.getByLabel("发生了什么").fill("低保名单里有村干部亲属。");
    await page.getByLabel("证据文件（选填）").setInputFiles(FAKE);
    const before = await tipCount();
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "提交", exact: true }).click(),
    ]);
    expect(res.status()).toBe(400);
    await page.getByText(REFUSED).first().waitFor();
    expect(await page.getByLabel("发生了什么").inputValue()).toBe("低保名单里有村干部亲属。");
    expect(await tipCount()).toBe(before);
    await ctx.close();
  });

  it("is refused in the status page's reply form before anything is encrypted", async () => {
    const tip = await createTestTip(server);
    const { ctx, page } = await phonePage();
    await page.goto(`${server.url}/status`);
    await page.getByLabel("查询码（16位数字）").fill(tip.receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await page.getByLabel("您的回复").waitFor({ timeout: 30_000 });
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    await page.getByLabel("您的回复").fill("补充一张照片。");
    await page.getByLabel("补充材料（可选）").setInputFiles([FAKE]);
    await page.getByRole("button", { name: "加密并发送" }).click();
    await page.getByRole("alert").getByText(REFUSED).waitFor({ timeout: 10_000 });
    expect(posts).toEqual([]);
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });
});
