/**
 * The resident's pages at phone size (390×844), in zh-CN and English, for before/after
 * comparisons: home, district page, report form (first screen), receipt page, the no-JS report
 * page and its refused submission, and the no-JS status page with an open case.
 *
 *   npx tsx scripts/screenshot-resident.ts http://127.0.0.1:3106 docs/screenshots/resident prefix
 *
 * AMOUNT overrides the amount typed (builds before "1.5万" was understood need "15000").
 * Files are `<prefix>-<lang>-<page>.png`, first screen only (what the resident sees on arrival),
 * except where FULL=1. Reduce them afterwards with ImageMagick (`convert x.png -colors 128 x.png`).
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../test/support/chromium";

const [base, outDir = "/tmp/crosswatch-shots", prefix = "shot"] = process.argv.slice(2);
if (!base) {
  console.error("usage: npx tsx scripts/screenshot-resident.ts <base-url> [out-dir] [prefix]");
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const PHONE = { width: 390, height: 844 };
const full = process.env.FULL === "1";

const browser = await launchChromium();
try {
  for (const lang of ["zh", "en"] as const) {
    const shot = async (page: Page, name: string) => {
      const file = path.join(outDir, `${prefix}-${lang}-${name}.png`);
      await page.screenshot({ path: file, fullPage: full });
      console.log(file);
    };
    const context = async (javaScriptEnabled: boolean) => {
      const ctx = await browser.newContext({
        viewport: PHONE,
        deviceScaleFactor: 1,
        javaScriptEnabled,
        locale: lang === "en" ? "en-GB" : "zh-CN",
      });
      if (lang === "en") await ctx.addCookies([{ name: "lang", value: "en", url: base }]);
      return ctx;
    };

    const js = await context(true);
    const page = await js.newPage();
    await page.goto(`${base}/`, { waitUntil: "networkidle" });
    await shot(page, "home");
    await page.goto(`${base}/districts/tj-jinnan`, { waitUntil: "networkidle" });
    await shot(page, "district");
    await page.goto(`${base}/report?district=tj-jinnan`, { waitUntil: "networkidle" });
    await shot(page, "report-form");
    // A real submission for the receipt page.
    await page.locator('input[name="unit"]').first().check();
    await page.locator('input[name="category"][value="corruption"]').check();
    await page.locator("#text").fill("两名村干部虚报冒领拆迁补偿款。Screenshot run.");
    await page.locator("#amount").fill(process.env.AMOUNT ?? (lang === "zh" ? "1.5万" : "15,000"));
    await page.locator('form[data-report-form] button[type="submit"]').click();
    await page.locator("[data-receipt]").waitFor({ timeout: 120_000 });
    const receipt = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
    await shot(page, "receipt");
    await js.close();

    const nojs = await context(false);
    const p2 = await nojs.newPage();
    await p2.goto(`${base}/report?district=tj-jinnan`);
    await shot(p2, "nojs-report");
    // A refused submission: nothing chosen, only some text typed.
    await p2.locator("#when").fill("2024年春天");
    await p2.locator('form[data-report-form] button[type="submit"]').click();
    await p2.waitForLoadState("load");
    await shot(p2, "nojs-report-refused");
    await p2.goto(`${base}/status`);
    await shot(p2, "nojs-status");
    await p2.locator("#receipt").fill(receipt);
    await p2.locator("form[data-receipt-form] button[type=submit]").click();
    await p2.waitForLoadState("load");
    await p2.locator("details.your-report summary").click();
    await p2.locator("details.your-report").scrollIntoViewIfNeeded();
    await shot(p2, "nojs-case");
    await nojs.close();
  }
} finally {
  await browser.close();
}
