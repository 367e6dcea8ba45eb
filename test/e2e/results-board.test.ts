/**
 * /results in Chromium at 390×844 and 1366×768, in both languages: axe-core finds no serious or
 * critical violations and the SVG charts are in the server's HTML (no JavaScript needed). And the
 * tipster's refund message reaches the status page on a phone. With SCREENSHOTS=1 the pages are
 * saved to docs/screenshots/.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealFindingNote, base64urlEncode } from "../../crypto/index";
import { axe } from "../support/axe";
import { launchChromium } from "../support/chromium";
import { createFindingAs, staffApi, tipsterMessages } from "../support/outcomes-fixture";
import { startServer, type RunningServer } from "../support/server";
import { createTestTip } from "../support/tip-fixture";

let server: RunningServer;
let browser: Browser;
const shots = process.env.SCREENSHOTS === "1";

beforeAll(async () => {
  server = await startServer({ env: { CROSSWATCH_DEMO_OUTCOMES: "cases" } });
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
