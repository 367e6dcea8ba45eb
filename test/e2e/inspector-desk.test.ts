/**
 * The inspector's triage desk with a realistic inbox (300 tips about 津南区 plus one sent through
 * the report page), in Chromium at laptop size (1366×768) against the real server:
 * - a report with when / people / amount and a photo, sent by a resident at 390×844, shows every
 *   field to the inspector (reading pane and case page), and inbox search finds it by amount;
 * - the photo is shown inline (decrypted in the browser, blob: URL) and opens in the viewer;
 * - j / k move through the list, x selects, a bulk label and a bulk status change every selected
 *   tip — each one audited on its own — and filters survive a reload in the URL.
 */
import fs from "node:fs";
import { and, eq, inArray } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { auditLog, tipLabels, tips } from "../../db/schema";
import { insertDemoInbox } from "../support/bulk-tips";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";
import { staffBrowserContext } from "../support/staff-login";
import { DEMO_KEY_PASSPHRASE, withDb } from "../support/tip-fixture";

const INSPECTOR = "staff-tj-beichen-inspector1";
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const DEMO_TIPS = 300;
const PHOTO = fs.readFileSync(new URL("../fixtures/notice-board.jpg", import.meta.url));
const TEXT = "韩城桥村的会计把不在册的亲属列进了拆迁补偿名单，多领了补偿款。";

let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  await insertDemoInbox(server, DEMO_TIPS);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const db = <T>(fn: (d: Db) => Promise<T>): Promise<T> => withDb(server, fn);

/** The inbox answers the pages read (which format the page asked for). */
const inboxAnswers: string[] = [];

async function inspectorInbox(opts: { noWorkers?: boolean } = {}): Promise<Page> {
  const ctx = await staffBrowserContext(browser, server.database, INSPECTOR, LAPTOP);
  if (opts.noWorkers) {
    // A browser without Web Workers: everything the workers do runs on the page instead.
    await ctx.addInitScript(() => {
      Object.defineProperty(globalThis, "Worker", { value: undefined, configurable: true });
    });
  }
  const page = await ctx.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("response", (r) => {
    if (r.url().includes("/api/staff/inbox") && r.status() === 200) inboxAnswers.push(r.url());
  });
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  await page.goto(`${server.url}/staff/inbox`);
  await page.getByLabel(/密钥口令/).fill(DEMO_KEY_PASSPHRASE);
  await page.getByRole("button", { name: "解锁" }).click();
  await page.waitForFunction(() => document.body.dataset.inboxReady !== undefined, null, {
    timeout: 60_000,
  });
  return page;
}

describe("the triage desk at 1366×768", () => {
  it("without Web Workers, the page reads the streamed records and opens every tip itself", async () => {
    const page = await inspectorInbox({ noWorkers: true });
    expect(await page.evaluate(() => document.body.dataset.inboxWorkers)).toBe("0");
    expect(inboxAnswers.at(-1)).toMatch(/\/api\/staff\/inbox\?format=records$/);
    // Every tip the streamed answer lists was opened, and their content is searchable.
    const listed = await page.evaluate(async () => {
      const text = await (await fetch("/api/staff/inbox?format=ndjson")).text();
      return text.trim().split("\n").length - 1;
    });
    expect(listed).toBeGreaterThanOrEqual(DEMO_TIPS);
    expect(await page.evaluate(() => document.body.dataset.inboxReady)).toBe(String(listed));
    await page.getByRole("searchbox").fill("路灯");
    await expect.poll(() => page.locator("[data-inbox-row]").count()).toBe(DEMO_TIPS / 10);
    await page.context().close();
  });

  it("shows a resident's when / people / amount to the inspector and finds the amount", async () => {
    // The resident, on a phone, fills in every field and adds a photo.
    const rctx = await browser.newContext({ viewport: PHONE, locale: "zh-CN" });
    const r = await rctx.newPage();
    await r.goto(`${server.url}/report?district=tj-jinnan`);
    await r.getByRole("button", { name: "加密并提交" }).waitFor();
    await r.getByLabel("韩城桥村").check();
    await r.getByLabel("群众身边腐败和作风问题").check();
    await r.getByLabel("虚报冒领").check();
    await r.getByLabel("发生了什么").fill(TEXT);
    await r.getByLabel(/什么时候发生的/).fill("2019年秋拆迁时");
    await r.getByLabel(/涉及的人员和职务/).fill("村会计李某");
    await r.getByLabel(/涉及金额/).fill("1.5万");
    await r
      .getByLabel("证据文件（选填）")
      .setInputFiles({ name: "公示栏.jpg", mimeType: "image/jpeg", buffer: PHOTO });
    await r.getByRole("button", { name: "加密并提交" }).click();
    await r.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 90_000 });
    await rctx.close();

    const page = await inspectorInbox();
    expect(await page.evaluate(() => document.body.dataset.inboxReady)).toBe(String(DEMO_TIPS + 1));
    // Opened on the pool of two workers (open-pool.ts), not on the page.
    expect(await page.evaluate(() => document.body.dataset.inboxWorkers)).toBe("2");
    // Search by the amount, written the ways people write it.
    for (const q of ["15000", "1.5万", "15,000元", "１．５万"]) {
      await page.getByRole("searchbox").fill(q);
      await expect.poll(() => page.locator("[data-inbox-row]").count(), { message: q }).toBe(1);
    }
    const row = page.locator("[data-inbox-row]").first();
    expect(await row.textContent()).toContain("会计把不在册的亲属");
    // The reading pane shows every field, from what the inbox already decrypted.
    await row.locator("td").nth(1).click();
    const pane = page.getByTestId("reading-pane");
    await expect.poll(() => pane.getByTestId("pane-fields").textContent()).toContain("村会计李某");
    const fields = (await pane.getByTestId("pane-fields").textContent()) ?? "";
    expect(fields).toContain("2019年秋拆迁时");
    expect(fields).toContain("¥15,000.00");
    expect(fields).toContain("举报人填写：1.5万");
    expect(fields).toContain("虚报冒领");
    expect(await pane.getByTestId("pane-text").textContent()).toBe(TEXT);

    // Enter opens the case; the key stays unlocked across the client-side navigation.
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/staff\/tips\/tip_/);
    await expect
      .poll(() => page.getByTestId("case-fields").textContent(), { timeout: 20_000 })
      .toContain("村会计李某");
    expect(await page.getByTestId("case-fields").textContent()).toContain("¥15,000.00");

    // The photo is decrypted here and shown inline, then in the viewer.
    const img = page.getByTestId("evidence-image");
    await img.waitFor({ timeout: 20_000 });
    expect(await img.getAttribute("src")).toMatch(/^blob:/);
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(800);
    expect(await page.locator("[data-file-name]").getAttribute("data-file-name")).toBe(
      "公示栏.jpg",
    );
    await img.click();
    const viewer = page.getByTestId("viewer-image");
    await viewer.waitFor();
    expect(await viewer.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(800);
    await page.keyboard.press("Escape");
    await expect.poll(() => viewer.count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it("j / k move through the list, x selects, bulk label and status change each tip, audited", async () => {
    const page = await inspectorInbox();
    const rows = page.locator("[data-inbox-row]");
    await expect.poll(() => rows.count()).toBe(100); // a page of the dense list
    const idOf = (i: number) => rows.nth(i).getAttribute("data-inbox-row");
    const current = () =>
      page.locator("[data-inbox-row][aria-current=true]").getAttribute("data-inbox-row");

    await page.keyboard.press("j");
    expect(await current()).toBe(await idOf(0));
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    expect(await current()).toBe(await idOf(2));
    await page.keyboard.press("k");
    expect(await current()).toBe(await idOf(1));
    // The pane follows the cursor.
    expect(await page.getByTestId("reading-pane").textContent()).toContain(
      (await rows.nth(1).locator(".triage-open").textContent()) ?? "?",
    );
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("[data-inbox-row][aria-current=true]").count()).toBe(0);

    // Select three tips: two with the keyboard, one with its checkbox.
    await page.keyboard.press("j");
    await page.keyboard.press("x");
    await page.keyboard.press("j");
    await page.keyboard.press("x");
    await rows.nth(4).getByRole("checkbox").check();
    const chosen = [await idOf(0), await idOf(1), await idOf(4)] as string[];
    await page.getByTestId("bulk-bar").getByText("已选中 3 件").waitFor();

    const bar = page.getByTestId("bulk-bar");
    await bar.getByLabel("标签").fill("核实中");
    await bar.getByRole("button", { name: "加上标签" }).click();
    await page.getByText("已更新 3 件。").waitFor({ timeout: 15_000 });
    // The selection is cleared after a complete success; select the same tips again.
    for (const id of chosen)
      await page.locator(`[data-inbox-row="${id}"]`).getByRole("checkbox").check();
    await bar.getByLabel("公开状态").selectOption("under_review");
    await bar.getByRole("button", { name: "更新状态" }).click();
    await expect
      .poll(() => page.getByRole("status").allTextContents(), { timeout: 15_000 })
      .toContainEqual(expect.stringContaining("已更新 3 件。"));

    const stored = await db(async (d) => ({
      tips: await d.select().from(tips).where(inArray(tips.id, chosen)),
      labels: await d
        .select()
        .from(tipLabels)
        .where(and(inArray(tipLabels.tipId, chosen), eq(tipLabels.label, "核实中"))),
      audit: await d
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.actorId, INSPECTOR), inArray(auditLog.objectId, chosen))),
    }));
    expect(stored.tips.map((t) => t.status)).toEqual([
      "under_review",
      "under_review",
      "under_review",
    ]);
    expect(stored.labels).toHaveLength(3);
    for (const id of chosen) {
      const mine = stored.audit.filter((a) => a.objectId === id).map((a) => a.action);
      expect(mine, id).toEqual(expect.arrayContaining(["tip.triage", "tip.status.set"]));
    }
    // The list shows the new labels without a reload.
    await expect
      .poll(() => page.locator(`[data-inbox-row="${chosen[0]}"]`).textContent())
      .toContain("核实中");

    // Filters live in the URL: a reload keeps them.
    await page.getByRole("combobox", { name: /^状态/ }).selectOption("under_review");
    await page.getByRole("checkbox", { name: "只看逾期" }).check();
    await expect.poll(() => page.url()).toContain("status=under_review");
    expect(page.url()).toContain("overdue=1");
    await page.reload();
    expect(await page.getByRole("combobox", { name: /^状态/ }).inputValue()).toBe("under_review");
    expect(await page.getByRole("checkbox", { name: "只看逾期" }).isChecked()).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
