/**
 * Identity reveal in Chromium: an inspector asks with a written reason, the team leader approves
 * on the case page, only then can the inspector show the identity (decrypted in the browser); the
 * case then says that the identity was opened.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../support/chromium";
import { staffBrowserContext } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";
import { createTestTip } from "../support/tip-fixture";

let server: RunningServer;
let browser: Browser;
let tipId: string;
let receipt: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  const tip = await createTestTip(server, {
    unitId: null,
    text: "实名举报。",
    identity: { name: "王五", phone: "13900000000" },
  });
  tipId = tip.tipId;
  receipt = tip.receipt;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function casePage(staffId: string): Promise<Page> {
  const ctx = await staffBrowserContext(browser, server.database, staffId, {
    width: 390,
    height: 844,
  });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/staff/tips/${tipId}`);
  await page.getByLabel(/密钥口令/).fill("crosswatch-demo-key");
  await page.getByRole("button", { name: "解锁" }).click();
  await expect
    .poll(() => page.getByTestId("case-text").textContent(), { timeout: 20_000 })
    .toContain("实名举报");
  return page;
}

describe("identity reveal in the browser", () => {
  it("request with a reason → leader approves → requester sees the identity", async () => {
    const inspector = await casePage("staff-tj-beichen-inspector1");
    expect(await inspector.getByText("王五").count()).toBe(0);
    expect(await inspector.getByRole("button", { name: "查看身份信息" }).count()).toBe(0);
    await inspector.getByLabel(/申请理由/).fill("需要当面核实补偿款发放名单上的签字。");
    await inspector.getByRole("button", { name: "申请查看身份" }).click();
    await expect.poll(() => inspector.getByText("已提交申请").count()).toBe(1);

    const leader = await casePage("staff-tj-beichen-leader");
    await expect.poll(() => leader.getByText(/申请查看身份：需要当面核实/).count()).toBe(1);
    await leader.getByRole("button", { name: "批准", exact: true }).click();
    await expect.poll(() => leader.getByText(/的申请已批准/).count(), { timeout: 15_000 }).toBe(1);
    // The leader did not ask: no identity for them.
    expect(await leader.getByRole("button", { name: "查看身份信息" }).count()).toBe(0);

    // After the reload the key comes back from the tab's session (ADR 018): no passphrase.
    await inspector.reload();
    const show = inspector.getByRole("button", { name: "查看身份信息" });
    await expect.poll(() => show.isEnabled(), { timeout: 20_000 }).toBe(true);
    await show.click();
    await expect.poll(() => inspector.getByText("王五").count(), { timeout: 15_000 }).toBe(1);
    await inspector.reload();
    await expect.poll(() => inspector.getByText(/身份信息已于/).count()).toBe(1);

    // The tipster's case says that the identity was opened, and when.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const tipster = await phone.newPage();
    await tipster.goto(`${server.url}/status`);
    await tipster.getByLabel("查询码（16位数字）").fill(receipt);
    await tipster.getByRole("button", { name: "查看进展" }).click();
    const opened = tipster.getByTestId("identity-opened");
    await opened.waitFor({ timeout: 20_000 });
    expect(await opened.textContent()).toContain("组长批准");
    await phone.close();
  }, 120_000);
});
