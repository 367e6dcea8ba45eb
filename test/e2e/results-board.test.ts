/**
 * /results in Chromium at 390×844 and 1366×768, in both languages: axe-core finds no serious or
 * critical violations and the SVG charts are in the server's HTML (no JavaScript needed). The
 * tipster's refund message reaches the status page on a phone. And the staff outcomes pages in
 * the browser: a finding filed and sealed on /staff/findings, linked and unlinked from the finding
 * and from the case page, its clue handed to 津南区纪委监委, the receiver's outcome recorded on
 * /staff/clues at 390×844, a refund recorded, every step read by the tipster through the receipt,
 * and the office approving and withdrawing the district's results. With SCREENSHOTS=1 the pages
 * are saved to docs/screenshots/.
 */
import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealFindingNote, base64urlEncode } from "../../crypto/index";
import { axe } from "../support/axe";
import { launchChromium } from "../support/chromium";
import { createFindingAs, staffApi, tipsterMessages } from "../support/outcomes-fixture";
import { startServer, type RunningServer } from "../support/server";
import { staffBrowserContext } from "../support/staff-login";
import { DEMO_KEY_PASSPHRASE, createTestTip } from "../support/tip-fixture";

let server: RunningServer;
let browser: Browser;
const shots = process.env.SCREENSHOTS === "1";

beforeAll(async () => {
  server = await startServer({ env: { CROSSWATCH_DEMO_OUTCOMES: "cases" }, timeoutMs: 200_000 });
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("/results", () => {
  for (const locale of ["zh-CN", "en"] as const) {
    it(`has its charts without JavaScript and no serious axe violations (${locale})`, async () => {
      const noJs = await browser.newContext({
        viewport: { width: 390, height: 844 },
        javaScriptEnabled: false,
      });
      await noJs.addCookies([{ name: "lang", value: locale, url: server.url }]);
      const plain = await noJs.newPage();
      await plain.goto(`${server.url}/results`);
      expect(await plain.locator("svg.chart-svg[role=img]").count()).toBeGreaterThanOrEqual(3);
      await noJs.close();
      for (const viewport of [
        { width: 390, height: 844 },
        { width: 1366, height: 768 },
      ]) {
        const ctx = await browser.newContext({ viewport, bypassCSP: true });
        await ctx.addCookies([{ name: "lang", value: locale, url: server.url }]);
        const page = await ctx.newPage();
        await page.goto(`${server.url}/results`);
        expect(await axe(page)).toEqual([]);
        if (shots) {
          await page.screenshot({
            path: `docs/screenshots/results-${locale}-${viewport.width}.png`,
            fullPage: true,
          });
        }
        await ctx.close();
      }
    });
  }
});

describe("the refund message on a phone", () => {
  it("the tipster reads 已退还 27.7 万元，惠及 2300 余名学生 on /status at 390×844", async () => {
    const leader = "staff-sc-nj-t3-leader";
    const tip = await createTestTip(server, {
      districtId: "sc-leibo",
      unitId: "sc-leibo-minzu-school",
      text: "饭卡余额没有退。",
    });
    const finding = await createFindingAs(server, leader, {
      stationingId: "sc-r1-st-3",
      category: "livelihood",
      body: { v: 1, title: "饭卡余额", narrative: "更换饭卡未退余额", people: [] },
    });
    expect(finding.status).toBe(200);
    const api = await staffApi(server, leader);
    await api.post(`/api/staff/findings/${finding.id}/tips`, { op: "link", tipId: tip.tipId });
    const r = await api.post(`/api/staff/findings/${finding.id}/resolutions`, {
      kind: "refund",
      amountFen: 27_700_000,
      beneficiaries: 2300,
      resolvedAt: new Date().toISOString(),
      details: base64urlEncode(sealFindingNote({ body: { text: "退款" }, keys: finding.keys })),
      tipMessages: await tipsterMessages(
        server,
        leader,
        [tip.tipId],
        "已退还 27.7 万元，惠及 2300 余名学生。",
        { kind: "status", status: "resolved" },
      ),
    });
    expect(r.status).toBe(200);
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/status`);
    await page.getByLabel("查询码（16位数字）").fill(tip.receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await expect
      .poll(async () => page.locator("main").innerText(), { timeout: 30_000 })
      .toContain("已退还 27.7 万元，惠及 2300 余名学生");
    if (shots) {
      await page.screenshot({ path: "docs/screenshots/status-refund-390.png", fullPage: true });
    }
    await ctx.close();
  });
});

const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

async function staffPage(staffId: string, viewport: typeof LAPTOP, path: string) {
  const ctx = await staffBrowserContext(browser, server.database, staffId, viewport);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url + path);
  return { ctx, page, errors };
}

/**
 * Unlocks the demo key on this page unless this tab holds it already (sessionStorage). After a
 * reload the tab restores its key by itself: the unlock form shows until then, so typing into it
 * can race the restore (the form goes away under the fill). Retry until the page says unlocked.
 */
async function unlock(page: Page) {
  const unlocked = page.locator(".cases-unlocked");
  const form = page.locator(".cases-unlock");
  const deadline = Date.now() + 90_000;
  while (!(await unlocked.isVisible())) {
    if (Date.now() > deadline) throw new Error("the staff key did not unlock");
    const submit = form.getByRole("button", { name: "解锁" });
    // isEnabled waits for the element: if the form went away after isVisible (the tab restored
    // its key), a short timeout and another look, not a 30 s wait that fails the test.
    const ready =
      (await submit.isVisible()) &&
      (await submit.isEnabled({ timeout: 1_000 }).catch(() => false)) &&
      !(await form.locator(".cases-hint").isVisible());
    if (ready) {
      try {
        await form.getByLabel(/密钥口令/).fill(DEMO_KEY_PASSPHRASE, { timeout: 2_000 });
        await submit.click({ timeout: 2_000 });
        await unlocked.waitFor({ timeout: 60_000 });
        return;
      } catch {
        // The tab restored its key meanwhile (the form went away): look again.
      }
    }
    await page.waitForTimeout(250);
  }
}

async function shot(page: Page, name: string) {
  if (shots)
    await page.screenshot({ path: `docs/screenshots/outcomes/${name}.png`, fullPage: true });
}

async function tipsterReads(receipt: string): Promise<string> {
  const ctx = await browser.newContext({ viewport: PHONE });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/status`);
  await page.getByLabel("查询码（16位数字）").fill(receipt);
  await page.getByRole("button", { name: "查看进展" }).click();
  await page.getByText("您的举报", { exact: false }).first().waitFor({ timeout: 30_000 });
  await expect.poll(() => page.locator("main").innerText(), { timeout: 30_000 }).toContain("移交");
  const text = await page.locator("main").innerText();
  await ctx.close();
  return text;
}

const PHOTO = fs.readFileSync(new URL("../fixtures/notice-board.jpg", import.meta.url));

/** The outcome choices a clue form offers: [value, selected] of each option. */
async function outcomeOptions(form: ReturnType<Page["locator"]>) {
  return form
    .getByLabel("办理结果")
    .locator("option")
    .evaluateAll((os) => (os as HTMLOptionElement[]).map((o) => [o.value, o.selected]));
}

describe("the staff outcomes pages in Chromium", () => {
  it("file a finding, link it from both sides, transfer, record the receiver's outcome and a refund, publish", async () => {
    const TITLE = "界面测试：村干部优亲厚友多发补偿";
    const tip = await createTestTip(server, { text: "拆迁补偿名单里有村干部的亲属（界面测试）" });
    const contexts: BrowserContext[] = [];
    try {
      // The 北辰 leader files a finding, sealed in the browser, at laptop size.
      const leader = await staffPage("staff-tj-beichen-leader", LAPTOP, "/staff/findings");
      contexts.push(leader.ctx);
      const lp = leader.page;
      await unlock(lp);
      await lp.getByLabel("标题").fill(TITLE);
      await lp.getByLabel("问题情况").fill("村干部将亲属列入拆迁补偿名单，多发补偿款约 12 万元。");
      await lp.getByLabel("涉及人员").fill("村委会委员（姓名见台账），村委会委员");
      await lp.getByLabel("问题类别（三个聚焦）").selectOption("corruption");
      await lp.getByLabel("腐败类型").selectOption("favouritism");
      await lp.getByLabel("涉及金额（元）").fill("120000");
      await shot(lp, "findings-new-1366");
      await lp.getByRole("button", { name: "加密并登记" }).click();
      await lp.waitForURL(/\/staff\/findings\/fd_/, { timeout: 60_000 });
      const findingId = /\/staff\/findings\/(fd_[\w-]+)/.exec(lp.url())![1]!;
      await lp.getByRole("heading", { name: TITLE }).waitFor({ timeout: 30_000 });

      // Link the tip from the finding, see it, unlink it.
      const tipLink = lp.locator(`a[href="/staff/tips/${tip.tipId}"]`);
      await lp.getByLabel("关联一条举报").selectOption(tip.tipId);
      await lp.getByRole("button", { name: "关联", exact: true }).click();
      await tipLink.waitFor();
      await lp.locator("li", { has: tipLink }).getByRole("button", { name: "取消关联" }).click();
      await tipLink.waitFor({ state: "detached" });

      // Link it again from the case page; the case page names the finding, the finding the tip.
      await lp.goto(`${server.url}/staff/tips/${tip.tipId}`);
      await unlock(lp);
      await lp.getByLabel("关联到本组的一个问题").selectOption(findingId);
      await lp.getByRole("button", { name: "关联", exact: true }).click();
      const findingLink = lp.getByRole("link", { name: TITLE });
      await findingLink.waitFor({ timeout: 30_000 });
      await shot(lp, "case-findings-1366");
      await findingLink.click();
      await lp.waitForURL(new RegExp(findingId));
      await tipLink.waitFor({ timeout: 30_000 });

      // Hand the clue to 津南区纪委监委; the linked tipster gets the message.
      await lp.getByLabel("移交给").selectOption("tj-jinnan-jw");
      await lp.getByLabel("文号（可选）").fill("津南巡移〔界面〕2号");
      await lp.getByLabel("移交说明（加密）").fill("请依纪依法处理（界面测试）。");
      await lp.getByRole("button", { name: "移交线索" }).click();
      await lp.getByText("线索已移交，关联举报人已收到消息。").waitFor({ timeout: 60_000 });
      await shot(lp, "finding-transferred-1366");

      // The receiver, on a phone, reads the clue in the browser and records "case opened".
      const receiver = await staffPage("staff-tj-jinnan-commission", PHONE, "/staff/clues");
      contexts.push(receiver.ctx);
      const rp = receiver.page;
      await unlock(rp);
      const clue = rp.locator("section", { has: rp.getByRole("heading", { name: TITLE }) });
      await clue.waitFor({ timeout: 30_000 });
      expect(await clue.innerText()).toContain("津南巡移〔界面〕2号");
      // Nothing preselected; a pending clue may take any outcome.
      expect(await outcomeOptions(clue)).toEqual([
        ["", true],
        ["case_opened", false],
        ["disciplinary_action", false],
        ["judicial_referral", false],
        ["closed", false],
      ]);
      await clue.getByLabel("办理结果").selectOption("case_opened");
      await clue.getByLabel("说明（加密，可选）").fill("已立案审查（界面测试）。");
      await clue.getByRole("button", { name: "记录结果" }).click();
      await expect.poll(() => clue.innerText(), { timeout: 30_000 }).toContain("已立案");
      // An opened case can only move on: no "case opened" again, nothing chosen for the receiver.
      await expect
        .poll(() => outcomeOptions(clue), { timeout: 30_000 })
        .toEqual([
          ["", true],
          ["disciplinary_action", false],
          ["judicial_referral", false],
          ["closed", false],
        ]);
      await shot(rp, "clues-390");

      // Back with the team: the outcome and its note (opened in the browser); relay it; refund.
      await lp.reload();
      await unlock(lp);
      await lp.getByText("已立案审查（界面测试）。").waitFor({ timeout: 30_000 });
      await lp.getByLabel("告知关联举报人最新进展").fill("津南区纪委监委已对该问题立案审查。");
      await lp.getByRole("button", { name: "发送" }).click();
      await lp.getByText("消息已发送。").waitFor({ timeout: 60_000 });
      await lp.getByLabel("类型").selectOption("refund");
      await lp.getByLabel("涉及金额（元）").fill("120000");
      await lp.getByLabel("受益人数").fill("35");
      await lp.getByLabel("完成日期").fill(new Date().toISOString().slice(0, 10));
      await lp.getByLabel("情况说明（加密）").fill("多发的补偿款已退回并重新发放（界面测试）。");
      await lp
        .getByLabel(/证明材料/)
        .setInputFiles({ name: "退款凭证.jpg", mimeType: "image/jpeg", buffer: PHOTO });
      await lp
        .getByLabel("发给关联举报人的消息（加密，每人一份）")
        .last()
        .fill("已退还 12 万元，惠及 35 户村民。");
      await lp.getByRole("button", { name: "记录结果并告知举报人" }).click();
      await lp.getByText("结果已记录，关联举报人已收到消息。").waitFor({ timeout: 60_000 });
      // The evidence went up encrypted and comes back decrypted here, under its name.
      const evidence = lp.locator('[data-testid=evidence] [data-file-name="退款凭证.jpg"]');
      await evidence.locator("[data-testid=evidence-image]").waitFor({ timeout: 60_000 });
      await shot(lp, "finding-resolved-1366");
      await lp.setViewportSize(PHONE);
      await shot(lp, "finding-resolved-390");
      expect(leader.errors).toEqual([]);
      expect(receiver.errors).toEqual([]);

      // The tipster reads each step through the receipt.
      const seen = await tipsterReads(tip.receipt);
      expect(seen).toContain("您反映的问题线索已移交有关纪检监察机关依纪依法处理。");
      expect(seen).toContain("津南区纪委监委已对该问题立案审查。");
      expect(seen).toContain("已退还 12 万元，惠及 35 户村民。");

      // The office approves 津南区's figures for the board, then withdraws them.
      const office = await staffPage("staff-tj-office", LAPTOP, "/staff/outcomes?round=tj-r4");
      contexts.push(office.ctx);
      const op = office.page;
      const row = op.locator("form", {
        has: op.locator('input[name=districtId][value="tj-jinnan"]'),
      });
      await row.getByRole("button", { name: "同意公开" }).click();
      await row.getByRole("button", { name: "撤回公开" }).waitFor();
      await shot(op, "office-outcomes-1366");
      expect(await (await fetch(`${server.url}/results?round=tj-r4`)).text()).toContain("津南区");
      await row.getByRole("button", { name: "撤回公开" }).click();
      await row.getByRole("button", { name: "同意公开" }).waitFor();
      expect(await (await fetch(`${server.url}/results?round=tj-r4`)).text()).not.toContain(
        "津南区",
      );

      // The look-back (回头看): the office opens it and records its check of this finding.
      await op.getByRole("button", { name: "开始回头看" }).click();
      const list = op.getByTestId("look-back-list");
      await list.getByLabel("区县").selectOption("tj-jinnan");
      await list.getByRole("button", { name: "查看" }).click();
      const item = list.locator(".lookback-item", {
        has: op.locator(`a[href="/staff/findings/${findingId}"]`),
      });
      await item.getByLabel("属实", { exact: true }).check();
      await item.getByLabel("整改情况").selectOption("verified");
      await item.getByRole("button", { name: "记录结果" }).click();
      await item.getByText("已记录：属实，已核实整改到位").waitFor({ timeout: 30_000 });
      await shot(op, "office-look-back-1366");
      expect(await op.getByTestId("look-back-metrics").innerText()).toMatch(/100(\.0)?%/);
    } finally {
      for (const c of contexts) await c.close();
    }
  }, 300_000);
});
