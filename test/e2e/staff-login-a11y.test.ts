/**
 * axe-core on every auth and workspace page of this area, in zh-CN and English, at phone size
 * (390×844) in Chromium: no serious or critical violations, nothing wider than the screen, and
 * no script error while the page hydrates and no "undefined"/"NaN" in its text afterwards
 * (server-only code or values reaching a component fail here).
 * Sessions come from loginAs (session rows), as in the other browser tests.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";
import { loginAs } from "../support/staff-login";
import { axe } from "../support/axe";

const LANGS = ["zh-CN", "en"] as const;

let server: RunningServer;
let browser: Browser;
let inviteLink: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  // A real one-time link, made by the office admin through the page.
  const page = await pageAs("zh-CN", "staff-tj-office");
  await page.goto(`${server.url}/staff/admin/staff`);
  await page.fill("#i-name", "无障碍测试");
  await page.fill("#i-username", "a11y.member");
  await page.click("button[value=invite]");
  const link = (await page.locator("[data-testid=invite-link]").textContent()) ?? "";
  inviteLink = new URL(link).pathname;
  await page.context().close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function pageAs(
  lang: (typeof LANGS)[number],
  staffId?: string,
  secondFactor = true,
): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  await ctx.addCookies([{ name: "lang", value: lang, url: server.url }]);
  if (staffId) {
    const { token } = await loginAs(server.database, staffId, { secondFactor });
    await ctx.addCookies([
      { name: "cw_staff", value: token, domain: "127.0.0.1", path: "/staff", httpOnly: true },
    ]);
  }
  return ctx.newPage();
}

async function check(page: Page, url: string, status = 200) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const res = await page.goto(`${server.url}${url}`, { waitUntil: "networkidle" });
  expect(res?.status(), url).toBe(status);
  expect(errors, `${url} hydrates without script errors`).toEqual([]);
  // A .server value read by a component renders on the server and is missing after hydration.
  expect(await page.locator("body").innerText(), `${url} after hydration`).not.toMatch(
    /\bundefined\b|\bNaN\b/,
  );
  expect(await axe(page), url).toEqual([]);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow, `${url} fits 390 px`).toBeLessThanOrEqual(0);
  await page.context().close();
}

describe.each(LANGS)("axe-core on staff auth pages, %s", (lang) => {
  it("sign-in, second factor, enrolment, invitation, signed out", async () => {
    await check(await pageAs(lang), "/staff/login");
    await check(await pageAs(lang, "staff-tj-beichen-inspector1", false), "/staff/login/totp");
    // bc.inspector2 has no authenticator yet: the enrolment page with its QR code.
    await check(await pageAs(lang, "staff-tj-beichen-inspector2", false), "/staff/login/totp");
    await check(await pageAs(lang), inviteLink);
    await check(await pageAs(lang), "/staff/invite/no-such-invitation-token-123", 404);
    await check(await pageAs(lang), "/staff/logout");
    await check(await pageAs(lang), "/staff", 401);
  });

  it("workspace, account, audit log, staff admin", async () => {
    await check(await pageAs(lang, "staff-tj-beichen-inspector1"), "/staff");
    await check(await pageAs(lang, "staff-tj-beichen-inspector1"), "/staff/account");
    await check(await pageAs(lang, "staff-tj-auditor"), "/staff/audit");
    // Checked against an anchor the chain does not hold: the alert, and a malformed one (400).
    await check(await pageAs(lang, "staff-tj-auditor"), `/staff/audit?anchor=1:${"0".repeat(64)}`);
    await check(await pageAs(lang, "staff-tj-auditor"), "/staff/audit?anchor=oops", 400);
    await check(await pageAs(lang, "staff-tj-office"), "/staff/admin/staff");
    // Its intro once said "undefined 天" once hydrated (4cc254e).
    await check(await pageAs(lang, "staff-tj-office"), "/staff/admin/directory");
    await check(await pageAs(lang, "staff-tj-beichen-inspector1"), "/staff/audit", 403);
  });
});
