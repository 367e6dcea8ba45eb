/**
 * The status page in Chromium at phone size (390×844), against the real server and database:
 * the receipt opens the case, a staff message (sealed with a demo staff key) shows decrypted,
 * the tipster's reply and evidence reach the team, the receipt never leaves the browser, and
 * with JavaScript disabled the same works end to end through the server.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";
import {
  createTestTip,
  readTipsterEvidence,
  readTipsterMessages,
  sendStaffMessage,
  setTestStatus,
  tipRows,
  type TestTip,
} from "../support/tip-fixture";

const LEADER = "staff-tj-beichen-leader";
const INSPECTOR = "staff-tj-beichen-inspector1";
const PHONE = { width: 390, height: 844 };
/** Set STATUS_SHOTS=/some/dir to keep screenshots for looking at them. */
const SHOTS = process.env.STATUS_SHOTS;

let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

async function newPhonePage(
  javaScriptEnabled = true,
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: PHONE, javaScriptEnabled, locale: "zh-CN" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return { ctx, page };
}

/** Waits until the locator's first match is visible (fails the test after `timeout`). */
async function visible(locator: Locator, timeout = 15_000): Promise<void> {
  await locator.first().waitFor({ state: "visible", timeout });
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("status page with JavaScript", () => {
  let tip: TestTip;
  const question = "请问您是否还保存着补偿款的收据？";

  beforeAll(async () => {
    tip = await createTestTip(server, { text: "村干部虚报冒领拆迁补偿款一百五十万元。" });
    await setTestStatus(server, tip.tipId, LEADER, "under_review", "巡察组正在核对补偿名单。");
    await sendStaffMessage(server, tip.tipId, LEADER, { text: question });
  });

  it("opens the case from the receipt, shows the team's message decrypted, and sends a reply the team can read", async () => {
    const { ctx, page } = await newPhonePage();
    const digits = tip.receipt.replace(/\s/g, "");
    const sentBodies: string[] = [];
    page.on("request", (r) => {
      const body = r.postData();
      if (body) sentBodies.push(body);
      sentBodies.push(r.url());
    });
    await page.goto(`${server.url}/status`);
    await shot(page, "status-empty");
    // A resident who only reads the page pays for no crypto: the status code, crypto/ and the
    // worker are fetched when the receipt field is used (Lighthouse counted them when they came
    // with the page's first idle moment), not when the page is hydrated and idle.
    await page.waitForFunction(() => (window as { __cwStatusReady?: boolean }).__cwStatusReady);
    await page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          requestIdleCallback(() => setTimeout(resolve, 300), { timeout: 2500 }),
        ),
    );
    const warmChunks = /\/(crypto|status-client|entry)-[A-Z0-9]+\.js$/;
    expect(sentBodies.filter((u) => warmChunks.test(u))).toEqual([]);
    await page.getByLabel("查询码（16位数字）").focus();
    await expect.poll(() => new Set(sentBodies.filter((u) => warmChunks.test(u))).size).toBe(3);
    // the worker's argon2id lane helper is ready (a resident typing 16 digits gives it seconds)
    await page.waitForFunction(
      () => performance.getEntriesByName("crosswatch:worker:lanes").length > 0,
    );
    await page.getByLabel("查询码（16位数字）").fill(tip.receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await visible(page.getByText(question));
    await visible(page.getByText("巡察组正在核对补偿名单。"));
    expect(await page.getByTestId("current-status").textContent()).toBe("核查中");
    // The keys were derived once: typing the receipt started it, the button waited for that run.
    const derivations = await page.evaluate(
      () =>
        performance
          .getEntriesByType("measure")
          .filter((m) => m.name === "crosswatch:worker:receipt.derive").length,
    );
    expect(derivations).toBe(1);
    // The page is cross-origin isolated, so the receipt's two argon2id lanes ran on two threads
    // (the worker and its lane helper, sharing memory) — and made the same keys as Node's
    // single-thread derivation that filed the tip, or the case would not have opened.
    const threads = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      derive: performance
        .getEntriesByType("measure")
        .filter((m) => m.name === "crosswatch:worker:receipt.derive")
        .map((m) => (m as PerformanceMeasure).detail as { threads?: number })
        .map((d) => d.threads),
    }));
    expect(threads).toEqual({ isolated: true, derive: [2] });
    await shot(page, "status-open");

    const reply = "收据还在，我可以拍照发给你们。";
    await page.getByLabel("您的回复").fill(reply);
    await page.getByRole("button", { name: "加密并发送" }).click();
    await visible(page.getByText("已发送。只有巡察组能读到。"), 30_000);
    await visible(page.getByTestId("message-me").getByText(reply));
    await shot(page, "status-replied");

    const team = await readTipsterMessages(server, tip.tipId, INSPECTOR);
    expect(team.map((m) => m.text)).toContain(reply);
    // Nothing the browser sent contained the receipt or the reply in clear.
    for (const b of sentBodies) {
      expect(b).not.toContain(digits);
      expect(b).not.toContain(tip.receipt);
      expect(b).not.toContain(encodeURIComponent(tip.receipt));
      expect(b).not.toContain(reply);
    }
    // The page carries no cookies and asks not to be cached.
    expect(await ctx.cookies()).toEqual([]);
    const res = await page.request.get(`${server.url}/status`);
    expect(res.headers()["cache-control"]).toBe("no-store");
    await ctx.close();
  });

  it("adds evidence later: the photo is stripped of EXIF, encrypted, and opens for the team", async () => {
    const { ctx, page } = await newPhonePage();
    await page.goto(`${server.url}/status`);
    await page.getByLabel("查询码（16位数字）").fill(tip.receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await visible(page.getByText(question));
    const exif = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe1]),
      Buffer.from([0x00, 2 + Buffer.byteLength("Exif\0\0GPS-31.0N-117")]),
      Buffer.from("Exif\0\0GPS-31.0N-117"),
      Buffer.from([0xff, 0xda, 0x00, 0x02]),
      Buffer.from("SCANDATA"),
      Buffer.from([0xff, 0xd9]),
    ]);
    await page
      .getByLabel("补充材料（可选）")
      .setInputFiles([{ name: "receipt.jpg", mimeType: "image/jpeg", buffer: exif }]);
    await page.getByLabel("您的回复").fill("补偿款收据照片。");
    await page.getByRole("button", { name: "加密并发送" }).click();
    await visible(page.getByText("已发送。只有巡察组能读到。"), 30_000);
    await visible(page.getByText("receipt.jpg"));

    const files = await readTipsterEvidence(server, tip.tipId, LEADER);
    expect(files).toHaveLength(1);
    const data = Buffer.from(files[0]!.data);
    expect(files[0]!.name).toBe("receipt.jpg");
    expect(data.includes(Buffer.from("SCANDATA"))).toBe(true);
    expect(data.includes(Buffer.from("GPS-31.0N"))).toBe(false);
    await ctx.close();
  });

  it("shows one generic, localized message for a wrong receipt and a typo hint for a bad check digit", async () => {
    const { ctx, page } = await newPhonePage();
    await page.goto(`${server.url}/status`);
    const other = await import("../../crypto/index").then((c) => c.generateReceipt());
    await page.getByLabel("查询码（16位数字）").fill(other);
    await page.getByRole("button", { name: "查看进展" }).click();
    await visible(page.getByText("没有找到与这个查询码对应的举报。请核对数字后再试。"));
    const digits = tip.receipt.replace(/\s/g, "");
    await page
      .getByLabel("查询码（16位数字）")
      .fill(digits.slice(0, 15) + String((Number(digits[15]) + 1) % 10));
    await page.getByRole("button", { name: "查看进展" }).click();
    await visible(page.getByText("校验位不符", { exact: false }));
    await shot(page, "status-error");
    await ctx.close();
  });

  it("still sends a reply when the challenge from opening the case has expired", async () => {
    const { ctx, page } = await newPhonePage();
    // Stand-in for a resident who took longer than the challenge's 10 minutes to write.
    await ctx.route(`${server.url}/api/status/open`, async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, json: { ...json, pow: "expired-challenge" } });
    });
    await page.goto(`${server.url}/status`);
    await page.getByLabel("查询码（16位数字）").fill(tip.receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await visible(page.getByText(question));
    const reply = "我晚些时候再补充收据编号。";
    await page.getByLabel("您的回复").fill(reply);
    await page.getByRole("button", { name: "加密并发送" }).click();
    await visible(page.getByText("已发送。只有巡察组能读到。"), 30_000);
    const team = await readTipsterMessages(server, tip.tipId, LEADER);
    expect(team.map((m) => m.text)).toContain(reply);
    await ctx.close();
  });

  it("never posts the receipt while the page's JavaScript has not loaded yet", async () => {
    const { ctx, page } = await newPhonePage();
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    // A slow phone: the app's scripts never arrive, but inline scripts do run.
    await ctx.route(`${server.url}/build/**/*.js`, (route) => route.abort());
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    await page.goto(`${server.url}/status`);
    await page.getByLabel("查询码（16位数字）").fill(tip.receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await visible(page.locator("#status-wait"));
    await page.waitForTimeout(500);
    expect(posts).toEqual([]);
    // The guard ran under the CSP (nonce), not blocked by it.
    expect(consoleErrors.filter((e) => /Content Security Policy/.test(e))).toEqual([]);
    await ctx.close();
  });

  it("quick exit leaves for a neutral site and replaces the history entry", async () => {
    const { ctx, page } = await newPhonePage();
    await ctx.route("https://www.weather.com.cn/**", (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<title>weather</title>" }),
    );
    await page.goto(`${server.url}/`);
    await page.goto(`${server.url}/safety`);
    await shot(page, "safety");
    await page.locator("[data-quick-exit]").click();
    await page.waitForURL("https://www.weather.com.cn/**");
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe("/");

    // Esc twice does the same on a keyboard, but never while typing in a field.
    await page.goto(`${server.url}/status`);
    await page.getByLabel("查询码（16位数字）").focus();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.waitForTimeout(300);
    expect(new URL(page.url()).pathname).toBe("/status");
    await page.locator("h1").click();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.waitForURL("https://www.weather.com.cn/**");
    await ctx.close();
  });
});

describe("status page without JavaScript", () => {
  it("opens the case, shows the weaker-path notice, and sends a reply with a photo the team can read", async () => {
    const tip = await createTestTip(server, { submittedVia: "nojs" });
    const question = "能否说明是哪位村干部经手的？";
    await sendStaffMessage(server, tip.tipId, LEADER, { text: question });
    const { ctx, page } = await newPhonePage(false);
    await page.goto(`${server.url}/status`);
    // <noscript> content (Chromium's script-disabled emulation still parses it as text).
    expect(await page.content()).toContain("您的浏览器没有启用 JavaScript");
    await page.getByLabel("查询码（16位数字）").fill(tip.receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await visible(page.getByText(question));
    await visible(page.getByText("您正在使用无 JavaScript 方式", { exact: false }));
    expect(page.url()).toBe(`${server.url}/status`);
    await shot(page, "status-nojs-open");

    const reply = "是村会计经手的。";
    await page.getByLabel("您的回复").fill(reply);
    const photo = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 2 + 13]),
      Buffer.from("Exif\0\0GPS-N31"),
      Buffer.from([0xff, 0xda, 0x00, 0x02]),
      Buffer.from("LEDGERPHOTO"),
      Buffer.from([0xff, 0xd9]),
    ]);
    await page
      .getByLabel("补充材料（可选）")
      .setInputFiles([{ name: "ledger.jpg", mimeType: "image/jpeg", buffer: photo }]);
    await page.getByRole("button", { name: "加密并发送" }).click();
    await visible(page.getByText("已发送。只有巡察组能读到。"));
    await visible(page.getByText("ledger.jpg"));
    expect(page.url()).not.toContain(tip.receipt.replace(/\s/g, ""));
    const team = await readTipsterMessages(server, tip.tipId, LEADER);
    expect(team.map((m) => m.text)).toEqual([reply]);
    const [file] = await readTipsterEvidence(server, tip.tipId, LEADER);
    expect(file?.name).toBe("ledger.jpg");
    const data = Buffer.from(file!.data);
    expect(data.includes(Buffer.from("LEDGERPHOTO"))).toBe(true);
    expect(data.includes(Buffer.from("GPS-N31"))).toBe(false);

    const before = (await tipRows(server, tip.tipId)).messages.length;
    await page.goto(`${server.url}/status`);
    const other = await import("../../crypto/index").then((c) => c.generateReceipt());
    await page.getByLabel("查询码（16位数字）").fill(other);
    await page.getByRole("button", { name: "查看进展" }).click();
    await visible(page.getByText("没有找到与这个查询码对应的举报", { exact: false }));
    expect((await tipRows(server, tip.tipId)).messages.length).toBe(before);
    await ctx.close();
  });

  it("receipts made under the older KDF versions (v1, v2) still open, with and without JavaScript", async () => {
    for (const version of [1, 2] as const) {
      const text = `升级前提交的举报（v${version}）。`;
      const old = await createTestTip(server, { receiptKdfVersion: version, text });
      for (const js of [true, false]) {
        const { ctx, page } = await newPhonePage(js);
        await page.goto(`${server.url}/status`);
        await page.getByLabel("查询码（16位数字）").fill(old.receipt);
        await page.getByRole("button", { name: "查看进展" }).click();
        await visible(page.getByTestId("current-status"), 30_000);
        // Decrypted with that version's keys (the submitted text sits in a collapsed section).
        await expect(page.getByText(text).count()).resolves.toBe(1);
        await ctx.close();
      }
    }
  });

  it("had no page errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
