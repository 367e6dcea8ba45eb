/**
 * The resident's experience at phone size (390×844), in Chromium against the real built server
 * (issue 15): nothing the resident writes is lost or hidden.
 *
 * - every field filled in (when, people, an amount written "1.5万") is echoed before sending and
 *   shown back in "查看您提交的内容", on the JavaScript and the no-JavaScript path;
 * - leaving an unconfirmed receipt (Back, reload) or a filled form (reload) warns first, and coming
 *   Forward to a sent report says so instead of showing an empty form;
 * - the receipt confirmation checks each control for what it checks;
 * - without JavaScript a refused form comes back whole, with the summary focused at the top and
 *   the files to choose again named — also for a 30 MB file and a file name over 255 bytes;
 * - the no-JS pages say only what is true without JavaScript; the public wording reads right.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Dialog, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";

const PHONE = { width: 390, height: 844 };
const FORM = "/report?district=tj-jinnan";
const WHEN = "2024年春天拆迁的时候";
const PEOPLE = "村党支部书记王某、村会计李某";
const TEXT = "两名村干部虚报冒领拆迁补偿款，多报了十几户。";

let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phone(
  opts: { js?: boolean; lang?: "zh" | "en" } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    viewport: PHONE,
    javaScriptEnabled: opts.js ?? true,
    locale: opts.lang === "en" ? "en-GB" : "zh-CN",
  });
  if (opts.lang === "en") await ctx.addCookies([{ name: "lang", value: "en", url: server.url }]);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return { ctx, page };
}

/** Resolves with the next dialog (e.g. `beforeunload`) after dismissing or accepting it. */
function nextDialog(page: Page, answer: "dismiss" | "accept"): Promise<Dialog> {
  return new Promise((resolve) => {
    page.once("dialog", (d) => {
      void (answer === "accept" ? d.accept() : d.dismiss()).then(() => resolve(d));
    });
  });
}

/** The category, the text and every optional detail, with the amount written "1.5万". */
async function fillReport(page: Page) {
  await page.getByLabel("群众身边腐败和作风问题").check();
  await page.getByLabel("虚报冒领").check();
  await page.getByLabel("发生了什么").fill(TEXT);
  await page.getByLabel("什么时候发生的（选填）").fill(WHEN);
  await page.getByLabel("涉及的人员和职务（选填）").fill(PEOPLE);
  await page.getByLabel("涉及金额（选填，单位：元）").fill("1.5万");
}

describe("JavaScript on: every field shown, nothing lost by leaving", () => {
  let receipt = "";

  it("echoes “1.5万” as ¥15,000.00, sends when/people/amount, and the receipt page guards Back and reload", async () => {
    const { ctx, page } = await phone();
    await page.goto(`${server.url}/report`);
    await page.getByRole("link", { name: "津南区" }).click();
    await page.getByRole("button", { name: "加密并提交" }).waitFor();

    // The promise comes first; the questions start on the first screen; fingerprints are folded.
    await page.getByRole("heading", { name: "只有从北辰区来的巡察组能读到这份举报" }).waitFor();
    const firstQuestion = await page.getByText("问题发生在哪个单位").boundingBox();
    expect(firstQuestion && firstQuestion.y + firstQuestion.height).toBeLessThan(PHONE.height);
    expect(await page.locator(".fingerprint").first().isVisible()).toBe(false);
    await page.getByText("核对钥匙").click();
    expect(await page.locator(".fingerprint").first().isVisible()).toBe(true);
    // Nothing is preselected: "not sure" must be chosen like any other answer.
    expect(await page.locator('input[name="unit"]:checked').count()).toBe(0);

    await page.getByLabel("韩城桥村").check();
    await fillReport(page);
    await expect.poll(() => page.getByTestId("amount-echo").textContent()).toBe("= ¥15,000.00");

    // A filled form warns before a reload; staying keeps everything.
    const reloadWarning = nextDialog(page, "dismiss");
    void page.reload().catch(() => undefined);
    expect((await reloadWarning).type()).toBe("beforeunload");
    expect(await page.getByLabel("发生了什么").inputValue()).toBe(TEXT);

    await page.getByRole("button", { name: "加密并提交" }).click();
    await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 90_000 });
    receipt = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
    expect(receipt).toMatch(/^\d{16}$/);

    // Back on the unconfirmed receipt page warns; staying keeps the code on screen.
    const backWarning = nextDialog(page, "dismiss");
    void page.goBack().catch(() => undefined);
    expect((await backWarning).type()).toBe("beforeunload");
    expect(await page.locator("[data-receipt]").getAttribute("data-receipt")).toBe(receipt);
    // So does a reload.
    const reload = nextDialog(page, "dismiss");
    void page.reload().catch(() => undefined);
    expect((await reload).type()).toBe("beforeunload");
    await page.locator("[data-receipt]").waitFor();

    // Each control is checked for what it checks: a forgotten tick does not mark the right digits.
    await page.getByLabel("请输入查询码的最后4位").fill(receipt.slice(-4));
    await page.getByRole("button", { name: "确认" }).click();
    await page.getByText("请勾选“我已经把查询码记下来了”").waitFor();
    expect(await page.getByLabel("请输入查询码的最后4位").getAttribute("aria-invalid")).toBeNull();
    await page.getByLabel("我已经把查询码记下来了").check();
    await page.getByLabel("请输入查询码的最后4位").fill("");
    await page.getByRole("button", { name: "确认" }).click();
    await page.getByText("请输入查询码的最后4位。").waitFor();
    expect(await page.getByLabel("我已经把查询码记下来了").getAttribute("aria-invalid")).toBeNull();

    // Leaving anyway, then Forward: the page says the report was sent, not an empty form.
    const leave = nextDialog(page, "accept");
    void page.goBack().catch(() => undefined);
    await leave;
    await page.waitForURL((u) => !u.search.includes("district"));
    await page.goForward();
    await page.getByRole("heading", { name: "这份举报已经发出" }).waitFor();
    expect(await page.locator("textarea#text").count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });

  it("shows the resident everything they filled in, the amount as understood (JavaScript)", async () => {
    const { ctx, page } = await phone();
    await page.goto(`${server.url}/status`);
    await page.waitForFunction(() => (window as { __cwStatusReady?: boolean }).__cwStatusReady);
    await page.getByLabel("查询码（16位数字）").fill(receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await page.getByText("查看您提交的内容").click({ timeout: 30_000 });
    const report = page.getByTestId("your-report");
    await report.getByText(TEXT).waitFor();
    expect(await report.locator('[data-field="when"]').textContent()).toBe(WHEN);
    expect(await report.locator('[data-field="people"]').textContent()).toBe(PEOPLE);
    expect(await report.locator('[data-field="amount"]').textContent()).toBe("¥15,000.00");
    await report.getByText("群众身边腐败和作风问题 · 虚报冒领").waitFor();
    await ctx.close();
  });

  it("shows the same without JavaScript, and that page does not claim the code stays on the device", async () => {
    const { ctx, page } = await phone({ js: false });
    await page.goto(`${server.url}/status`);
    expect(await page.getByText("查询码只在您的设备上换算成密钥").isVisible()).toBe(false);
    await page.getByLabel("查询码（16位数字）").fill(receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await page.getByText("查看您提交的内容").click();
    const report = page.getByTestId("your-report");
    expect(await report.locator('[data-field="when"]').textContent()).toBe(WHEN);
    expect(await report.locator('[data-field="people"]').textContent()).toBe(PEOPLE);
    expect(await report.locator('[data-field="amount"]').textContent()).toBe("¥15,000.00");
    await ctx.close();
  });
});

describe("JavaScript off: a refused form comes back whole", () => {
  /** Fills every text field, picks a category but no unit (so the server refuses). */
  async function fillAllButUnit(page: Page) {
    await fillReport(page);
    await page.getByLabel("我愿意留下姓名和联系方式").check();
    await page.getByLabel("姓名", { exact: true }).fill("张三");
    await page.getByLabel("电话", { exact: true }).fill("13800000000");
    await page.getByLabel("只让外地干部处理我的举报（推荐）").uncheck();
  }

  async function expectEverythingKept(page: Page) {
    expect(await page.getByLabel("发生了什么").inputValue()).toBe(TEXT);
    expect(await page.getByLabel("什么时候发生的（选填）").inputValue()).toBe(WHEN);
    expect(await page.getByLabel("涉及的人员和职务（选填）").inputValue()).toBe(PEOPLE);
    expect(await page.getByLabel("涉及金额（选填，单位：元）").inputValue()).toBe("1.5万");
    expect(await page.getByTestId("amount-echo").textContent()).toBe("= ¥15,000.00");
    expect(await page.getByLabel("群众身边腐败和作风问题").isChecked()).toBe(true);
    expect(await page.getByLabel("虚报冒领").isChecked()).toBe(true);
    expect(await page.getByLabel("我愿意留下姓名和联系方式").isChecked()).toBe(true);
    expect(await page.getByLabel("姓名", { exact: true }).inputValue()).toBe("张三");
    expect(await page.getByLabel("电话", { exact: true }).inputValue()).toBe("13800000000");
    expect(await page.getByLabel("只让外地干部处理我的举报（推荐）").isChecked()).toBe(false);
  }

  /** The summary is the focused element, and the page opened with it on the first screen. */
  async function expectSummaryFocusedAtTop(page: Page) {
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("error-summary");
    const box = await page.locator("#error-summary").boundingBox();
    expect(box && box.y >= 0 && box.y < PHONE.height / 2).toBe(true);
  }

  it("keeps every typed field, focuses the summary at the top and names the files to choose again", async () => {
    const { ctx, page } = await phone({ js: false });
    await page.goto(`${server.url}${FORM}`);
    // Only what is true without JavaScript.
    for (const claim of ["在这部手机上加密后才发出", "会在加密前从您的手机上删除"]) {
      expect(await page.getByText(claim).isVisible(), claim).toBe(false);
    }
    await page.getByText("内容将在服务器收到后立即加密").waitFor();
    await page.getByText("会在服务器上删除，然后加密").waitFor();

    await fillAllButUnit(page);
    await page.getByLabel("证据文件（选填）").setInputFiles({
      name: "收据.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n%%EOF\n"),
    });
    await page.getByRole("button", { name: "提交" }).click();
    await page.locator("#error-summary").waitFor();
    await expectSummaryFocusedAtTop(page);
    await page.locator("#error-summary").getByText("请选择问题发生在哪个单位").waitFor();
    expect(await page.getByTestId("files-again").textContent()).toContain("收据.pdf");
    await expectEverythingKept(page);
    // The summary's link leads to the question.
    expect(await page.locator('#error-summary a[href="#unit-choice"]').count()).toBe(1);
    await ctx.close();
  });

  it("a 30 MB file does not wipe the text: it is named as too large, everything else comes back", async () => {
    const { ctx, page } = await phone({ js: false });
    await page.goto(`${server.url}${FORM}`);
    await fillAllButUnit(page);
    await page.getByLabel("韩城桥村").check();
    // A file on disk (not a buffer sent over the DevTools protocol, which is slow under load).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-big-"));
    const big = path.join(dir, "big.jpg");
    fs.writeFileSync(big, Buffer.alloc(30 * 1024 * 1024, 0xab));
    await page.getByLabel("证据文件（选填）").setInputFiles(big);
    await page.getByRole("button", { name: "提交" }).click();
    await page.locator("#error-summary").waitFor({ timeout: 60_000 });
    fs.rmSync(dir, { recursive: true, force: true }); // the browser read it when sending
    await expectSummaryFocusedAtTop(page);
    await page.locator("#error-summary").getByText("文件“big.jpg”超过了 10 MB").waitFor();
    expect(await page.getByTestId("files-again").textContent()).toContain("big.jpg");
    await expectEverythingKept(page);
    expect(await page.getByLabel("韩城桥村").isChecked()).toBe(true);
    await ctx.close();
  });

  it("a file name over 255 bytes neither fails nor loses the text; the report goes through", async () => {
    const { ctx, page } = await phone({ js: false });
    const longName = `${"现场照片".repeat(30)}.jpg`; // 363 UTF-8 bytes
    const photo = {
      name: longName,
      mimeType: "image/jpeg",
      buffer: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
    };
    await page.goto(`${server.url}${FORM}`);
    await fillAllButUnit(page);
    await page.getByLabel("证据文件（选填）").setInputFiles(photo);
    const refused = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "提交" }).click(),
    ]);
    expect(refused[0].status()).toBe(400);
    // The answer has arrived; the page made from it may not be parsed yet.
    await page.locator("#error-summary").waitFor();
    await expectSummaryFocusedAtTop(page);
    await expectEverythingKept(page);
    expect(await page.getByTestId("files-again").textContent()).toContain("现场照片现场照片");

    await page.getByLabel("韩城桥村").check();
    await page.getByLabel("证据文件（选填）").setInputFiles(photo);
    await page.getByRole("button", { name: "提交" }).click();
    await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 60_000 });
    await page.getByText("本次提交在服务器上加密").waitFor();
    expect(server.output()).not.toMatch(/error/i);
    await ctx.close();
  });
});

describe("public wording reads right (English)", () => {
  it("district page: the authorising committee cannot read reports; no “Village Village”", async () => {
    const { ctx, page } = await phone({ lang: "en" });
    await page.goto(`${server.url}/districts/tj-jinnan`);
    await page.getByText("It authorised this inspection and cannot read any report.").waitFor();
    const body = (await page.locator("main").textContent()) ?? "";
    expect(body).toContain("Hanchengqiao Village");
    expect(body).not.toMatch(/Village\s*Village/);
    await ctx.close();
  });

  it("report page: proper plurals, and the district list in the home page's order", async () => {
    const { ctx, page } = await phone({ lang: "en" });
    await page.goto(`${server.url}${FORM}`);
    const promise = (await page.locator(".promise").textContent()) ?? "";
    expect(promise).toContain("The 1 team member whose home is Jinnan District gets no key");
    expect(promise).not.toContain("(s)");

    await page.goto(`${server.url}/`);
    const home = await page.locator(".jurisdiction-name").allTextContents();
    await page.goto(`${server.url}/report`);
    const chooser = await page.locator(".choice-jurisdiction h3").allTextContents();
    expect(chooser).toEqual(home);
    expect(await page.getByText("Other districts").count()).toBe(0);
    await ctx.close();
  });
});
