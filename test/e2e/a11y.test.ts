/**
 * axe-core on every public page, in both languages, at phone size (390×844) in Chromium: no
 * serious or critical violations. axe is injected from node_modules (the context bypasses the
 * CSP only so the test can inject it; the app itself never loads third-party code).
 *
 * Pages: the home page, a district page, /safety, /status (empty, with an error, with an open
 * case on the JS path and on the no-JS path), /report and the 404 page. Add new public pages to
 * PAGES when they land.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";
import {
  createTestTip,
  sendStaffMessage,
  setTestStatus,
  type TestTip,
} from "../support/tip-fixture";
import { axe } from "../support/axe";

const LANGS = ["zh-CN", "en"] as const;
const PAGES = ["/", "/districts/tj-jinnan", "/safety", "/status", "/report", "/no-such-page"];

let server: RunningServer;
let browser: Browser;
let tip: TestTip;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  tip = await createTestTip(server);
  await setTestStatus(server, tip.tipId, "staff-tj-beichen-leader", "accepted", "已受理。");
  await sendStaffMessage(server, tip.tipId, "staff-tj-beichen-leader", { text: "请补充时间。" });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phonePage(lang: (typeof LANGS)[number], javaScriptEnabled = true): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    bypassCSP: true,
    javaScriptEnabled,
  });
  await ctx.addCookies([{ name: "lang", value: lang, url: server.url }]);
  return ctx.newPage();
}

/** Serious and critical violations, readable in a failure message. */

describe("the axe harness", () => {
  it("reports a known serious violation (so a pass means something)", async () => {
    const page = await phonePage("zh-CN");
    await page.route(server.url + "/bad-snapshot", (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: '<!doctype html><html lang="zh-CN"><title>x</title><main><img src="/favicon.svg"><button></button></main></html>',
      }),
    );
    await page.goto(server.url + "/bad-snapshot");
    const found = await axe(page);
    expect(found.some((v) => v.startsWith("image-alt"))).toBe(true);
    expect(found.some((v) => v.startsWith("button-name"))).toBe(true);
    await page.context().close();
  });
});

describe.each(LANGS)("axe-core, %s", (lang) => {
  it.each(PAGES)("%s has no serious or critical violations", async (pathname) => {
    const page = await phonePage(lang);
    await page.goto(server.url + pathname);
    expect(await page.locator("html").getAttribute("lang")).toBe(lang);
    expect(await axe(page)).toEqual([]);
    await page.context().close();
  });

  it("/status with a wrong receipt (error shown) has none", async () => {
    const page = await phonePage(lang);
    await page.goto(server.url + "/status");
    await page.locator("#receipt").fill("1234");
    await page.locator("form[data-receipt-form] button[type=submit]").click();
    await page.locator("#receipt-error").waitFor({ state: "visible", timeout: 15_000 });
    expect(await axe(page)).toEqual([]);
    await page.context().close();
  });

  it("/status with an open case (JavaScript) has none", async () => {
    const page = await phonePage(lang);
    await page.goto(server.url + "/status");
    await page.locator("#receipt").fill(tip.receipt);
    await page.locator("form[data-receipt-form] button[type=submit]").click();
    await page.getByText("请补充时间。").waitFor({ state: "visible", timeout: 20_000 });
    expect(await axe(page)).toEqual([]);
    await page.context().close();
  });

  it("/status with an open case (no JavaScript) has none", async () => {
    const page = await phonePage(lang, false);
    await page.goto(server.url + "/status");
    await page.locator("#receipt").fill(tip.receipt);
    await page.locator("form[data-receipt-form] button[type=submit]").click();
    await page.getByText("请补充时间。").waitFor({ state: "visible", timeout: 20_000 });
    // axe needs script: run it in a JS-enabled page over the same HTML.
    const html = await page.content();
    await page.context().close();
    const checker = await phonePage(lang);
    await checker.route(server.url + "/nojs-snapshot", (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }),
    );
    await checker.goto(server.url + "/nojs-snapshot");
    expect(await axe(checker)).toEqual([]);
    await checker.context().close();
  });
});
