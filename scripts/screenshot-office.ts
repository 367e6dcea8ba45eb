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
const SHOTS: {
  name: string;
  path: string;
  prepare?: (page: Page) => Promise<void>;
  /** Only what the viewport shows (after `prepare` scrolled), also when FULL is not 0. */
  screen?: true;
}[] = [
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
  {
    // Two mixed teams whose 北辰 inspectors come from two offices, after "propose".
    name: "assistance-round-organisations",
    path: "/staff/admin/rounds",
    prepare: async (page) => {
      await formAssistanceRound(page);
      await page.click("button[name=intent][value=propose]");
      await page.waitForSelector("[data-assistance-plan] [data-plan-ok]");
    },
  },
  // The staff list (one card per member, 120 in 天津: the first screen) and the invitation form.
  { name: "staff-organisations", path: "/staff/admin/staff", screen: true },
  {
    name: "staff-invite-organisation",
    path: "/staff/admin/staff",
    screen: true,
    prepare: async (page) => {
      await page.fill("#i-name", "何组员");
      await page.fill("#i-username", "bc.new.member");
      await page.selectOption("#i-home", "tj-beichen");
      await page.fill("#i-org", "北辰区委巡察办");
      await page.locator("button[value=invite]").scrollIntoViewIfNeeded();
    },
  },
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

/** Posts one of the office's forms (urlencoded, with the page's CSRF token), as the page does. */
async function postForm(page: Page, url: string, fields: Record<string, string>) {
  const csrf = await page.locator("input[name=csrf]").first().inputValue();
  const res = await page.request.post(url, { form: { csrf, ...fields }, maxRedirects: 0 });
  if (res.status() >= 400) throw new Error(`${url} ${JSON.stringify(fields)}: ${res.status()}`);
  return res;
}

/**
 * An assistance round with two mixed teams (和平 and 河东 locals, 北辰 and 西青 visitors) whose
 * four 北辰 inspectors come from two offices, put in same-office together; opens its round page.
 */
async function formAssistanceRound(page: Page) {
  await page.fill("#round-name-zh", "天津市协作巡察（按派出单位混编）");
  await page.fill("#round-name-en", "Tianjin assistance round (mixed by organisation)");
  await page.selectOption("#round-mode", "assistance");
  await page.selectOption("#round-source", ""); // new mixed teams, none carried over
  await page.fill("#round-start", day(Date.now() + 40 * 86_400_000));
  await page.fill("#round-end", day(Date.now() + 80 * 86_400_000));
  await page.click(".office-form button[type=submit]");
  await page.waitForSelector("[data-assistance-plan], .notice");
  const roundUrl = new URL(page.url()).pathname;
  const origin = new URL(page.url()).origin;
  const offices: Record<string, string> = {
    "staff-tj-beichen-leader": "北辰区委巡察办",
    "staff-tj-beichen-liaison": "北辰区委巡察办",
    "staff-tj-xiqing-leader": "西青区委巡察办",
    "staff-tj-xiqing-liaison": "西青区委巡察办",
    "staff-tj-beichen-inspector1": "北辰区委巡察办",
    "staff-tj-beichen-inspector2": "北辰区委巡察办",
    "staff-tj-beichen-inspector3": "北辰区纪委监委",
    "staff-tj-beichen-inspector4": "北辰区纪委监委",
    "staff-tj-heping-leader": "和平区委巡察办",
    "staff-tj-heping-liaison": "和平区委巡察办",
    "staff-tj-hedong-leader": "河东区委巡察办",
    "staff-tj-hedong-liaison": "河东区委巡察办",
  };
  for (const [staffId, homeOrganisation] of Object.entries(offices))
    await postForm(page, `${origin}/staff/admin/staff`, {
      intent: "set-organisation",
      staffId,
      homeOrganisation,
    });
  const teamsUrl = `${origin}${roundUrl}/teams`;
  for (const [nameZh, nameEn] of [
    ["第一协作组", "Assistance team 1"],
    ["第二协作组", "Assistance team 2"],
  ] as const)
    await postForm(page, teamsUrl, { intent: "create-team", nameZh, nameEn, homeDistrictId: "" });
  await page.goto(teamsUrl, { waitUntil: "networkidle" });
  const teamIds = await page
    .locator("article[data-team]")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-team")!));
  const [t1, t2] = teamIds;
  const cast: [string, string, string][] = [
    [t1!, "staff-tj-beichen-leader", "leader"],
    [t1!, "staff-tj-beichen-liaison", "liaison"],
    [t1!, "staff-tj-beichen-inspector1", "member"],
    [t1!, "staff-tj-beichen-inspector2", "member"],
    [t1!, "staff-tj-heping-leader", "deputy_leader"],
    [t1!, "staff-tj-heping-liaison", "liaison"],
    [t2!, "staff-tj-xiqing-leader", "leader"],
    [t2!, "staff-tj-xiqing-liaison", "liaison"],
    [t2!, "staff-tj-beichen-inspector3", "member"],
    [t2!, "staff-tj-beichen-inspector4", "member"],
    [t2!, "staff-tj-hedong-leader", "deputy_leader"],
    [t2!, "staff-tj-hedong-liaison", "liaison"],
  ];
  for (const [teamId, staffId, role] of cast)
    await postForm(page, teamsUrl, { intent: "add-member", teamId, staffId, role });
  await page.goto(`${origin}${roundUrl}`, { waitUntil: "networkidle" });
  await page.selectOption(`select[name="target:${t1}"]`, "u:tj-heping-jinhua");
  await page.selectOption(`select[name="target:${t2}"]`, "u:tj-hedong-heshun");
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
      await page.screenshot({ path: file, fullPage: !shot.screen && process.env.FULL !== "0" });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
