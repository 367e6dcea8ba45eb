/**
 * Screenshots of the inspector's workspace with a realistic inbox: starts the built server
 * (demo data), files 40 tips about 津南区 (one of 5,000 characters, one with when/people/amount
 * and a photo and a PDF), signs in as a 北辰 team inspector, unlocks the key and photographs the
 * inbox and a case page at 1366×768 and 390×844.
 *
 *   node scripts/build.mjs && npx tsx scripts/screenshot-staff.ts [out-dir] [prefix]
 *
 * Files are written as `<prefix>-<page>-<viewport>.png` (default prefix "after").
 */
import fs from "node:fs";
import path from "node:path";
import { launchChromium } from "../test/support/chromium";
import { startServer } from "../test/support/server";
import { staffBrowserContext } from "../test/support/staff-login";
import { createTestTip, DEMO_KEY_PASSPHRASE } from "../test/support/tip-fixture";
import { insertDemoInbox } from "../test/support/bulk-tips";

const outDir = path.resolve(process.argv[2] ?? "/tmp/crosswatch-staff-shots");
const prefix = process.argv[3] ?? "after";
fs.mkdirSync(outDir, { recursive: true });

const server = await startServer();
const browser = await launchChromium();
try {
  await insertDemoInbox(server, 38);
  const photo = fs.readFileSync(new URL("../test/fixtures/notice-board.jpg", import.meta.url));
  const pdf = new TextEncoder().encode("%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
  const featured = await createTestTip(server, {
    text:
      "韩城桥村两名村干部在2019年拆迁补偿款发放中虚报冒领，把不在册的亲属列入补偿名单，" +
      "共计多领约150万元。村委会门口的公示栏照片附后，名单里有三户并不在本村居住。",
    payload: {
      when: "2019年秋拆迁时",
      people: "村委会主任张某、会计李某",
      amountFen: 150_000_000,
    },
    files: [
      { name: "公示栏.jpg", type: "image/jpeg", data: new Uint8Array(photo) },
      { name: "补偿名单.pdf", type: "application/pdf", data: pdf },
    ],
  });
  for (const [label, viewport] of [
    ["desktop", { width: 1366, height: 768 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    const ctx = await staffBrowserContext(
      browser,
      server.database,
      "staff-tj-beichen-inspector1",
      viewport,
    );
    const page = await ctx.newPage();
    await page.goto(`${server.url}/staff/inbox`);
    await page.locator("#cases-passphrase").fill(DEMO_KEY_PASSPHRASE);
    await page.locator("form.cases-unlock button[type=submit]").click();
    await page.waitForFunction(() => document.body.dataset.inboxReady !== undefined, null, {
      timeout: 60_000,
    });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(outDir, `${prefix}-inbox-${label}.png`) });
    // The list itself, scrolled to the 5,000-character tip (the 4th newest).
    await page.locator(".cases-item, [data-inbox-row]").nth(3).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, `${prefix}-inbox-${label}-list.png`) });
    await page.goto(`${server.url}/staff/tips/${featured.tipId}`);
    // The key comes back from the tab's session after the page load (issue 15 item 13).
    await page.waitForFunction(
      () => document.querySelector('[data-testid="case-text"]')?.textContent?.includes("韩城桥村"),
      null,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(outDir, `${prefix}-case-${label}.png`) });
    await page.screenshot({
      path: path.join(outDir, `${prefix}-case-${label}-full.png`),
      fullPage: true,
    });
    await ctx.close();
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await browser.close();
  await server.stop();
}
