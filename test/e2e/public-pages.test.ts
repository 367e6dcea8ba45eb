import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as c from "../../crypto/index";
import { TRUST } from "../../app/shared/trusted-offices";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const;

describe.each(Object.entries(VIEWPORTS))("public pages on %s", (_label, viewport) => {
  it("picks a district, sees the stationed team, and switches language", async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const foreign: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(server.url)) foreign.push(r.url());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });

    await page.goto(server.url + "/");
    await expect(page.locator("h1").textContent()).resolves.toContain("向外地巡察组反映问题");
    await expect(page.locator(".district-link").count()).resolves.toBeGreaterThanOrEqual(16);
    // Nothing is wider than the screen.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    await page
      .locator(".district-link", { has: page.locator(".district-name", { hasText: /^津南区$/ }) })
      .click();
    await page.waitForURL("**/districts/tj-jinnan");
    const team = page.locator(".team-card").first();
    await expect(team.textContent()).resolves.toContain("北辰区");
    await expect(page.getByText("韩城桥村").first().isVisible()).resolves.toBe(true);

    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.waitForURL("**/districts/tj-jinnan");
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("en");
    await expect(page.locator("h1").textContent()).resolves.toBe("Jinnan District");
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name)).toEqual(["lang"]);

    // Touch targets: every link and button on the page is at least 44 px tall.
    const small = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          "main a.button, main button, .district-link, header a, header button",
        ),
      ]
        .map((el) => el.getBoundingClientRect().height)
        .filter((h) => h > 0 && h < 44),
    );
    expect(small).toEqual([]);

    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("without JavaScript", () => {
  it("the home page, district page and language switch work", async () => {
    const context = await browser.newContext({
      viewport: VIEWPORTS.phone,
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(server.url + "/districts/tj-jinnan");
    await expect(page.locator(".team-card").first().textContent()).resolves.toContain("北辰区");
    await page.getByRole("button", { name: "Switch to English" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Jinnan District");
    await context.close();
  });
});

describe("trusted office keys", () => {
  it("prints every trusted office's key fingerprint on the home page and /safety", async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    for (const path of ["/", "/safety"]) {
      await page.goto(server.url + path);
      const shown = await page.locator(".office-key .fingerprint").allTextContents();
      expect(shown).toEqual(TRUST.offices.map((o) => o.fingerprint));
      // The fingerprint is the crypto module's, over the key the build trusts.
      for (const o of TRUST.offices) {
        expect(o.fingerprint).toBe(c.fingerprint(c.base64urlDecode(o.signPublicKey)));
      }
      await expect(
        page.getByRole("heading", { name: "核对本站信任的巡察办密钥" }).count(),
      ).resolves.toBe(1);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
      expect(overflow).toBe(false);
    }
    await ctx.close();
  });
});

describe("zero-JavaScript public pages", () => {
  const ZERO_JS = [
    "/",
    "/?region=tianjin",
    "/districts/tj-jinnan",
    "/safety",
    "/results",
    "/no-such-page",
  ];

  it.each(ZERO_JS)(
    "%s sends no framework JavaScript, only the nonce'd quick-exit script",
    async (path) => {
      const res = await fetch(server.url + path);
      const html = await res.text();
      expect(html).toContain("data-quick-exit");
      expect(html).not.toMatch(/<script[^>]*\ssrc=/);
      expect(html).not.toContain("modulepreload");
      expect(html).not.toMatch(/__remix(Context|Manifest|RouteModules)/);
      const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts).toHaveLength(1);
      const [, attrs, body] = scripts[0]!;
      expect(Buffer.byteLength(body!)).toBeLessThanOrEqual(2048);
      const nonce = /nonce="([^"]+)"/.exec(attrs!)?.[1];
      expect(nonce).toBeTruthy();
      expect(res.headers.get("content-security-policy")).toContain(`'nonce-${nonce}'`);
    },
  );

  it("pages that need scripts still get them (the flag is per route)", async () => {
    const html = await (await fetch(server.url + "/status")).text();
    expect(html).toMatch(/<script[^>]*type="module"/);
    expect(html).toContain("__remixContext");
  });

  it("navigation, language switch and quick exit work in Chromium with no script files loaded", async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(r.url());
    });
    await context.route("https://www.weather.com.cn/**", (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<title>weather</title>" }),
    );
    await page.goto(server.url + "/");
    await page
      .locator(".district-link", { has: page.locator(".district-name", { hasText: /^津南区$/ }) })
      .click();
    await page.waitForURL("**/districts/tj-jinnan");
    await page.locator("[data-quick-exit]").click();
    await page.waitForURL("https://www.weather.com.cn/**");
    // location.replace: Back skips the district page and returns to the home page.
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe("/");
    await page.goto(server.url + "/districts/tj-jinnan");
    await page.getByRole("button", { name: "Switch to English" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Jinnan District");
    // Esc twice leaves too (the same inline script).
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.waitForURL("https://www.weather.com.cn/**");
    expect(scripts).toEqual([]);
    await context.close();
  });
});
