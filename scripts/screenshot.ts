/**
 * Screenshots of pages at the phone viewport (390×844) and desktop, for looking at a page the
 * way a resident sees it: `npx tsx scripts/screenshot.ts http://localhost:3000/ [/path ...]`.
 * Options (env): OUT_DIR (default /tmp/crosswatch-shots), LANG=en, FULL=1 (full page).
 */
import fs from "node:fs";
import path from "node:path";
import { launchChromium } from "../test/support/chromium";

const [base, ...paths] = process.argv.slice(2);
if (!base) {
  console.error("usage: npx tsx scripts/screenshot.ts <base-url> [/path ...]");
  process.exit(2);
}
const outDir = process.env.OUT_DIR ?? "/tmp/crosswatch-shots";
fs.mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
try {
  for (const [label, viewport] of [
    ["phone", { width: 390, height: 844 }],
    ["desktop", { width: 1280, height: 900 }],
  ] as const) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    if (process.env.LANG === "en") {
      await context.addCookies([{ name: "lang", value: "en", url: base }]);
    }
    const page = await context.newPage();
    for (const p of paths.length ? paths : ["/"]) {
      await page.goto(new URL(p, base).href, { waitUntil: "networkidle" });
      const file = path.join(
        outDir,
        `${label}-${(p.replace(/[^a-z0-9]+/gi, "_") || "home").replace(/^_|_$/g, "") || "home"}.png`,
      );
      await page.screenshot({ path: file, fullPage: process.env.FULL === "1" });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
