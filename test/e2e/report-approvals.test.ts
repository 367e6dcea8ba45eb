/**
 * DESIGN §4: the resident's browser checks the office's signature on every reader key before it
 * seals a report. Here the page is served with one reader's signature altered (what a tampered
 * server or database would hand out): the browser must refuse to send, and nothing is stored.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64urlEncode } from "../../crypto/index";
import { eq } from "drizzle-orm";
import { closeDb, openDb, type Db } from "../../db/client";
import { staffKeys, tips } from "../../db/schema";
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

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(server.database, { migrate: false });
  try {
    return await fn(db);
  } finally {
    await closeDb(db);
  }
}

describe("office approvals checked in the browser", () => {
  it("a reader whose signature does not verify stops the report before anything is sent", async () => {
    const [leader] = await withDb((db) =>
      db
        .select({ sig: staffKeys.officeSignature })
        .from(staffKeys)
        .where(eq(staffKeys.staffId, "staff-tj-beichen-leader")),
    );
    const genuine = base64urlEncode(new Uint8Array(leader!.sig!));
    const forged = genuine.slice(0, -2) + (genuine.endsWith("AA") ? "BA" : "AA");

    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    let replaced = false;
    await page.route(`${server.url}/report?district=tj-jinnan`, async (route) => {
      const response = await route.fetch();
      const html = await response.text();
      replaced = html.includes(genuine);
      await route.fulfill({ response, body: html.replace(genuine, forged) });
    });
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });

    await page.goto(`${server.url}/report?district=tj-jinnan`);
    expect(replaced).toBe(true);
    await page.getByLabel("韩城桥村").check();
    await page.getByLabel("群众身边腐败和作风问题").check();
    await page.getByLabel("发生了什么").fill("村干部把低保名额给了自己的亲戚。");
    await page.getByRole("button", { name: "加密并提交" }).click();
    await page.getByText(/没有巡察办的有效签名/).waitFor({ timeout: 60_000 });

    expect(posts.filter((u) => u.includes("/api/report"))).toEqual([]);
    expect(await withDb((db) => db.$count(tips))).toBe(0);
    await ctx.close();
  });
});
