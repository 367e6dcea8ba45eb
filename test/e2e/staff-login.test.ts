/**
 * Staff sign-in in Chromium, on a phone (390×844) and a desktop: bc.inspector1 types the demo
 * password and a TOTP code computed from the seeded demo secret, reaches /staff; a second
 * device is signed in too, and "sign out everywhere" on one ends the other at once.
 * Screenshots go to $CROSSWATCH_SCREENSHOTS (default: the OS temp dir) for a human look.
 */
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentTotp, DEMO_TOTP_SECRET } from "~/services/totp.server";
import { launchChromium } from "../support/chromium";
import { loginAs } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;
const shots = process.env.CROSSWATCH_SCREENSHOTS || os.tmpdir();

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const;

function watch(page: Page, errors: string[]) {
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith("data:")) {
      errors.push(`foreign request ${r.url()}`);
    }
  });
}

async function signIn(context: BrowserContext, label: string, errors: string[], step: number) {
  const page = await context.newPage();
  watch(page, errors);
  await page.goto(`${server.url}/staff/login`);
  await page.screenshot({ path: path.join(shots, `staff-login-${label}.png`), fullPage: true });
  await page.getByLabel("用户名").fill("bc.inspector1");
  await page.getByLabel("密码").fill("crosswatch-demo");
  await page.getByRole("button", { name: "下一步" }).click();
  await page.waitForURL("**/staff/login/totp");
  await page.screenshot({ path: path.join(shots, `staff-totp-${label}.png`), fullPage: true });
  // A code signs in once, so each viewport uses its own time step (0 = now, 1 = the next one).
  await page.getByLabel("动态验证码或恢复码").fill(await currentTotp(DEMO_TOTP_SECRET, step));
  await page.getByRole("button", { name: "验证并进入" }).click();
  await page.waitForURL(/\/staff$/);
  return page;
}

describe.each(Object.entries(VIEWPORTS).map(([label, viewport], step) => [label, viewport, step]))(
  "staff sign-in on %s",
  (label, viewport, step) => {
    it("password + TOTP reaches /staff; sign out everywhere ends the other device", async () => {
      const errors: string[] = [];
      const phone = await browser.newContext({ viewport });
      const other = await browser.newContext({ viewport: VIEWPORTS.desktop });
      try {
        // A wrong password first: a calm, localized message, no hint whether the name exists.
        const first = await phone.newPage();
        watch(first, errors);
        await first.goto(`${server.url}/staff/login`);
        await first.getByLabel("用户名").fill("bc.inspector1");
        await first.getByLabel("密码").fill("not-the-password");
        await first.getByRole("button", { name: "下一步" }).click();
        await expect(first.getByRole("alert").textContent()).resolves.toBe("用户名或密码错误。");
        await first.close();

        const page = await signIn(phone, label as string, errors, step as number);
        await expect(page.locator("h1").textContent()).resolves.toBe("工作台");
        const body = (await page.locator("main").textContent()) ?? "";
        expect(body).toContain("北辰");
        expect(body).toContain("津南区");
        await page.screenshot({
          path: path.join(shots, `staff-home-${label as string}.png`),
          fullPage: true,
        });

        // The cookie is HttpOnly, scoped to /staff; the public home page does not receive it.
        const staffCookies = (await phone.cookies()).filter((c) => c.name === "cw_staff");
        expect(staffCookies.map((c) => c.path).sort()).toEqual(["/api/staff", "/staff"]);
        for (const c of staffCookies) expect(c).toMatchObject({ httpOnly: true, sameSite: "Lax" });
        const publicPage = await phone.newPage();
        const home = await publicPage.goto(`${server.url}/`);
        expect((await home!.request().allHeaders())["cookie"] ?? "").not.toContain("cw_staff");
        await publicPage.close();

        // Layout: nothing wider than the screen; buttons and nav links are 48 px tall.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
        const small = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>(".staff-frame a, .staff-frame button")]
            .filter((el) => el.getBoundingClientRect().height < 44)
            .map((el) => el.textContent),
        );
        expect(small).toEqual([]);

        // A second device, signed in as the same member (a session row, as on another phone).
        const second = await loginAs(server.database, "staff-tj-beichen-inspector1");
        await other.addCookies([
          {
            name: "cw_staff",
            value: second.token,
            domain: "127.0.0.1",
            path: "/staff",
            httpOnly: true,
            sameSite: "Lax",
          },
        ]);
        const desk = await other.newPage();
        watch(desk, errors);
        await desk.goto(`${server.url}/staff`);
        await expect(desk.locator("h1").textContent()).resolves.toBe("工作台");

        // Sign out everywhere from the first device.
        await page.locator(".staff-nav").getByRole("link", { name: "我的账号" }).click();
        await page.waitForURL("**/staff/account");
        await page.screenshot({
          path: path.join(shots, `staff-account-${label as string}.png`),
          fullPage: true,
        });
        await expect(page.locator(".staff-sessions li").count()).resolves.toBeGreaterThanOrEqual(2);
        await page.getByRole("button", { name: "在所有设备上退出" }).click();
        await page.waitForURL("**/staff/login");

        // The other device is out at once.
        const res = await desk.reload();
        expect(res?.status()).toBe(401);
        await expect(desk.locator("h1").textContent()).resolves.toBe("请先登录");
        expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
      } finally {
        await phone.close();
        await other.close();
      }
    });
  },
);
