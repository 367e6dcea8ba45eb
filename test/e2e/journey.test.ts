/**
 * The whole product in one journey, through real pages only (Chromium, real server, real SQLite):
 *
 * 1. A resident of 韩城桥村 reports on a phone (390×844) at /report and keeps the receipt.
 * 2. An inspector of the 北辰 team (stationed in 津南区) signs in with password + TOTP on a laptop,
 *    unlocks the staff key, finds the tip in the inbox, replies, and changes the status with a
 *    message for the tipster.
 * 3. The resident opens /status with the receipt and sees both the reply and the new status.
 * 4. bc.local (home district 津南区, in the same team) sees no such tip.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentTotp, DEMO_TOTP_SECRET } from "~/services/totp.server";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";
import { loginAs } from "../support/staff-login";
import { confirmReceipt } from "../support/receipt";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function watchErrors(page: Page, errors: string[]) {
  page.on("pageerror", (e) => errors.push(e.message));
}

describe("resident → inspector → resident", () => {
  it("a report reaches the 北辰 team, the team answers and sets a status, the resident sees both", async () => {
    const errors: string[] = [];
    const canary = `journey-${Math.random().toString(36).slice(2, 10)}`;

    // 1. The resident reports.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const resident = await phone.newPage();
    watchErrors(resident, errors);
    await resident.goto(`${server.url}/districts/tj-jinnan`);
    await resident.getByRole("link", { name: /向进驻津南区的巡察组举报/ }).click();
    await resident.getByRole("button", { name: "加密并提交" }).waitFor();
    await resident.getByLabel("韩城桥村").check();
    await resident.getByLabel("群众身边腐败和作风问题").check();
    await resident.getByLabel("虚报冒领").check();
    await resident
      .getByLabel("发生了什么")
      .fill(`两名村干部虚报冒领拆迁补偿款一百五十万元。${canary}`);
    await resident.getByRole("button", { name: "加密并提交" }).click();
    await resident.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 90_000 });
    const receipt = (await resident.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
    expect(receipt).toMatch(/^\d{16}$/);
    await confirmReceipt(resident, receipt);

    // 2. The inspector signs in on a laptop with password and TOTP.
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const staff = await laptop.newPage();
    watchErrors(staff, errors);
    await staff.goto(`${server.url}/staff/login`);
    await staff.getByLabel("用户名").fill("bc.inspector1");
    await staff.getByLabel("密码").fill("crosswatch-demo");
    await staff.getByRole("button", { name: "下一步" }).click();
    await staff.waitForURL("**/staff/login/totp");
    await staff.getByLabel("动态验证码或恢复码").fill(await currentTotp(DEMO_TOTP_SECRET));
    await staff.getByRole("button", { name: "验证并进入" }).click();
    await staff.waitForURL(/\/staff$/);

    // Unlock the key, find the tip by its content (decrypted in the browser), open it.
    await staff.goto(`${server.url}/staff/inbox`);
    await staff.getByLabel(/密钥口令/).fill("crosswatch-demo-key");
    await staff.getByRole("button", { name: "解锁" }).click();
    await staff.getByRole("searchbox").fill(canary);
    const link = staff.locator('a[href^="/staff/tips/"]').first();
    await expect.poll(() => link.count(), { timeout: 20_000 }).toBe(1);
    await link.click();
    await expect
      .poll(() => staff.getByTestId("case-text").textContent(), { timeout: 20_000 })
      .toContain(canary);

    const reply = "请问这两名干部分别担任什么职务？";
    await staff.getByLabel("回复举报人").fill(reply);
    await staff.getByRole("button", { name: "发送" }).click();
    await expect.poll(() => staff.getByText(reply).count(), { timeout: 15_000 }).toBe(1);

    const note = "已受理，巡察组正在核实。";
    await staff.getByLabel("新状态").selectOption("accepted");
    await staff.getByLabel(/给举报人的说明/).fill(note);
    await staff.getByRole("button", { name: "更新状态" }).click();
    await expect
      .poll(() => staff.getByTestId("case-status").textContent(), { timeout: 15_000 })
      .toContain("已受理");

    // 3. The resident follows the case with nothing but the receipt.
    await resident.goto(`${server.url}/status`);
    await resident.getByLabel("查询码（16位数字）").fill(receipt);
    await resident.getByRole("button", { name: "查看进展" }).click();
    await resident.getByText(reply).waitFor({ timeout: 20_000 });
    await resident.getByText(note).first().waitFor();
    expect(await resident.getByTestId("current-status").textContent()).toBe("已受理");

    // 4. The seconded 津南 cadre in the same team can fetch neither the tip nor a key for it.
    const tipId = new URL(staff.url()).pathname.split("/").pop()!;
    const local = await loginAs(server.database, "staff-tj-jinnan-local");
    const res = await fetch(`${server.url}/api/staff/tips/${tipId}`, {
      headers: { Cookie: local.cookie },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toMatch(/envelope|payload/i);

    expect(errors).toEqual([]);
    await phone.close();
    await laptop.close();
  });
});
