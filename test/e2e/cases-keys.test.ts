/**
 * Staff keys in Chromium (390×844): a member without a key creates one in the browser (the
 * server gets only public keys and the wrapped blob), the office admin compares the fingerprint
 * and signs it in their browser; the key becomes active, and reads 津南 tips once the office has
 * signed the 北辰 team's roster with it on the roster page. Then the member changes the
 * passphrase and unlocks with the new one.
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { closeDb, openDb } from "../../db/client";
import { staffKeys } from "../../db/schema";
import { launchChromium } from "../support/chromium";
import { staffBrowserContext } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";

const SHOTS = process.env.CASES_SHOTS_DIR;
const MEMBER = "staff-tj-beichen-liaison";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function staffContext(staffId: string): Promise<BrowserContext> {
  const ctx = await staffBrowserContext(browser, server.database, staffId, {
    width: 390,
    height: 844,
  });
  return ctx;
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const keyRow = async () => {
  const db = await openDb(server.database, { migrate: false });
  try {
    return (await db.select().from(staffKeys).where(eq(staffKeys.staffId, MEMBER)).limit(1))[0];
  } finally {
    await closeDb(db);
  }
};

describe("staff keys in the browser", () => {
  it("create → office compares the fingerprint and signs → active → passphrase change", async () => {
    const member = await (await staffContext(MEMBER)).newPage();
    const errors: string[] = [];
    member.on("pageerror", (e) => errors.push(String(e)));
    await member.goto(`${server.url}/staff/keys`);
    await member.getByLabel(/口令（至少/).fill("short");
    await member.getByLabel("再输入一次口令").fill("short");
    await member.getByRole("button", { name: "生成密钥" }).click();
    await expect.poll(() => member.getByRole("alert").textContent()).toContain("至少需要 12");
    await member.getByLabel(/口令（至少/).fill("liaison passphrase one");
    await member.getByLabel("再输入一次口令").fill("liaison passphrase one");
    await member.getByRole("button", { name: "生成密钥" }).click();
    const fp = member.getByTestId("key-fingerprint");
    await expect.poll(() => fp.count(), { timeout: 30_000 }).toBe(1);
    const fingerprint = (await fp.textContent())!.trim();
    expect(fingerprint).toMatch(/^(\d{5} ){7}\d{5}$/);
    expect((await keyRow())?.status).toBe("pending");
    await shot(member, "keys-created");

    const admin = await (await staffContext("staff-tj-office")).newPage();
    admin.on("pageerror", (e) => errors.push(String(e)));
    await admin.goto(`${server.url}/staff/admin/keys`);
    await expect.poll(() => admin.getByText(fingerprint).count()).toBe(1);
    await shot(admin, "admin-keys");
    await admin.getByLabel("您的密钥口令").fill("crosswatch-demo-key");
    await admin.getByRole("button", { name: "核对无误，签名批准" }).click();
    await expect.poll(() => admin.getByText("已签名批准").count(), { timeout: 30_000 }).toBe(1);
    expect((await keyRow())?.status).toBe("active");
    expect((await keyRow())?.signedBy).toBe("staff-tj-office");

    // The approved key reads nothing until the office signs the 北辰 team's roster with it
    // (ADR 017): the roster page lists it as due; a wrong passphrase signs nothing; signing in
    // this browser changes the 津南 readers at once.
    const liaisonKeyId = (await keyRow())!.id;
    const offered = async () =>
      (await (await fetch(`${server.url}/report?district=tj-jinnan`)).text()).includes(
        liaisonKeyId,
      );
    expect(await offered()).toBe(false);
    await admin.goto(`${server.url}/staff/admin/rosters`);
    const card = admin.locator('[data-roster="tj-r4-st-beichen"]');
    expect(await card.getAttribute("data-due")).toBe("yes");
    expect(await card.locator(`[data-reader="${MEMBER}"]`).count()).toBe(1);
    await shot(admin, "admin-rosters");
    await admin.getByLabel("您的密钥口令").fill("not the passphrase");
    await card.getByRole("button", { name: "签发这份名单" }).click();
    await expect
      .poll(() => admin.getByRole("alert").textContent(), { timeout: 30_000 })
      .toContain("口令不正确");
    expect(await offered()).toBe(false);
    await admin.getByLabel("您的密钥口令").fill("crosswatch-demo-key");
    await card.getByRole("button", { name: "签发这份名单" }).click();
    await expect
      .poll(() => admin.getByText("已签发 1 份名单").count(), { timeout: 30_000 })
      .toBe(1);
    await expect.poll(() => card.getAttribute("data-due")).toBe("no");
    expect(await offered()).toBe(true);

    await member.reload();
    await expect.poll(() => member.getByText("已启用").count()).toBe(1);
    await member.getByLabel("当前口令").fill("liaison passphrase one");
    await member.getByLabel("新口令").fill("liaison passphrase two");
    await member.getByRole("button", { name: "更改口令" }).click();
    await expect.poll(() => member.getByText("口令已更改").count(), { timeout: 30_000 }).toBe(1);

    // The new passphrase unlocks, the old one does not.
    await member.goto(`${server.url}/staff/inbox`);
    await member.getByLabel("密钥口令").fill("liaison passphrase one");
    await member.getByRole("button", { name: "解锁" }).click();
    await expect
      .poll(() => member.getByRole("alert").textContent(), { timeout: 30_000 })
      .toContain("口令不正确");
    await member.getByLabel("密钥口令").fill("liaison passphrase two");
    await member.getByRole("button", { name: "解锁" }).click();
    await expect
      .poll(() => member.getByText(fingerprint, { exact: false }).count(), { timeout: 30_000 })
      .toBe(1);
    expect(errors).toEqual([]);
  }, 120_000);

  it("an unlocked key locks itself after 30 minutes without activity", async () => {
    const ctx = await staffContext("staff-tj-beichen-inspector1");
    const page = await ctx.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/staff/inbox`);
    await page.getByLabel("密钥口令").fill("crosswatch-demo-key");
    await page.getByRole("button", { name: "解锁" }).click();
    await expect
      .poll(() => page.getByRole("button", { name: "锁定" }).count(), { timeout: 30_000 })
      .toBe(1);
    await page.clock.fastForward("29:00");
    expect(await page.getByRole("button", { name: "锁定" }).count()).toBe(1);
    await page.getByRole("searchbox").click(); // activity re-arms the timer
    await page.clock.fastForward("29:00");
    expect(await page.getByRole("button", { name: "锁定" }).count()).toBe(1);
    await page.clock.fastForward("02:00");
    await expect.poll(() => page.getByRole("button", { name: "解锁" }).count()).toBe(1);
    await ctx.close();
  }, 60_000);
});
