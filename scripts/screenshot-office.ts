/**
 * Screenshots of the inspection office's pages, signed in as the Tianjin office admin, at
 * 1366×768 and 390×844 (zh-CN; LANG=en for English): `npx tsx scripts/screenshot-office.ts`
 * after `node scripts/build.mjs`. Starts the built demo server on a free port with a fresh data
 * directory, like the tests. OUT_DIR (default docs/screenshots/office), FULL=0 for the first
 * screen only.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../test/support/chromium";
import { startServer } from "../test/support/server";
import { signInContext } from "../test/support/staff-login";

const outDir = path.resolve(process.env.OUT_DIR ?? "docs/screenshots/office");
const lang = process.env.LANG === "en" ? "en" : "zh";
fs.mkdirSync(outDir, { recursive: true });

/** A page to shoot, with an optional step that puts it into an interesting state. */
const SHOTS: { name: string; path: string; prepare?: (page: Page) => Promise<void> }[] = [
  { name: "registry", path: "/staff/admin/registry" },
  {
    name: "registry-errors",
    path: "/staff/admin/registry",
    prepare: async (page) => {
      const lines = ["id,district_id,kind,name_zh,name_en"];
      for (let i = 0; i < 20; i++) lines.push(`tj-jinnan-x${i},tj-jinnan,village,第${i}村,V${i}`);
      lines[4] = "tj-jinnan-x3,tj-nowhere,village,三村,V3";
      lines[9] = "tj-jinnan-x8,tj-jinnan,castle,八村,V8";
      lines[15] = "Bad Id,tj-jinnan,village,,V14";
      await page.fill("#registry-paste", lines.join("\n"));
      await page.click(".registry-import button[type=submit]");
      await page.waitForSelector(".registry-errors");
    },
  },
  {
    name: "registry-preview",
    path: "/staff/admin/registry",
    prepare: async (page) => {
      await page.fill(
        "#registry-paste",
        "id,district_id,kind,name_zh,name_en\ntj-jinnan-new1,tj-jinnan,village,新村,New Village\n",
      );
      await page.click(".registry-import button[type=submit]");
      await page.waitForSelector("[data-preview]");
    },
  },
  { name: "rounds", path: "/staff/admin/rounds" },
  {
    name: "round-plan",
    path: "/staff/admin/rounds",
    prepare: async (page) => {
      await openNewRound(page);
    },
  },
  {
    name: "round-plan-violations",
    path: "/staff/admin/rounds",
    prepare: async (page) => {
      await openNewRound(page);
      // Send the 北辰 team back to 津南 (its round-4 target) and leave one district uncovered.
      const beichen = page
        .locator("tr[data-team]")
        .filter({ has: page.locator("th", { hasText: /北辰|Beichen/ }) })
        .locator("select");
      await beichen.selectOption("tj-jinnan");
      await page.waitForSelector("[data-violation]");
    },
  },
  { name: "rosters", path: "/staff/admin/rosters" },
];

const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** Creates a zone round carrying over round 4's teams and waits for its plan page. */
async function openNewRound(page: Page) {
  await page.fill("#round-name-zh", "天津市第五轮提级交叉巡察");
  await page.fill("#round-name-en", "Tianjin round 5 cross-district inspection");
  await page.fill("#round-start", day(Date.now() + 40 * 86_400_000));
  await page.fill("#round-end", day(Date.now() + 80 * 86_400_000));
  await page.click(".office-form button[type=submit]");
  await page.waitForSelector(".round-plan");
}

const only = process.argv.slice(2);
const server = await startServer();
const browser = await launchChromium();
try {
  for (const [label, viewport] of [
    ["desktop", { width: 1366, height: 768 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    if (lang === "en") await context.addCookies([{ name: "lang", value: "en", url: server.url }]);
    await signInContext(context, server.database, "staff-tj-office");
    const page = await context.newPage();
    for (const shot of SHOTS) {
      if (only.length > 0 && !only.includes(shot.name)) continue;
      await page.goto(server.url + shot.path, { waitUntil: "networkidle" });
      await shot.prepare?.(page);
      const file = path.join(outDir, `${shot.name}-${label}${lang === "en" ? "-en" : ""}.png`);
      await page.screenshot({ path: file, fullPage: process.env.FULL !== "0" });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
