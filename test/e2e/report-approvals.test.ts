/**
 * DESIGN §4: the resident's browser checks the office's signature on every reader key before it
 * seals a report, under the office key compiled into the build (app/shared/trusted-offices.ts),
 * never a key named in the response. Here the page is served with one reader's signature altered,
 * or with every approval re-signed by an attacker whose key replaces the office key in the
 * response, or with the office's signature on the reader roster forged (what a tampered server or
 * database would hand out): the browser must refuse to send, and nothing is stored.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNotNull } from "drizzle-orm";
import * as c from "../../crypto/index";
import { TRUST } from "../../app/shared/trusted-offices";
import { closeDb, openDb, type Db } from "../../db/client";
import { rosters, staffKeys, tips } from "../../db/schema";
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

/** Fills in a report for 韩城桥村 and checks the page refuses to send it: no POST, no tip. */
async function expectRefusedToSend(page: Page, replaced: () => boolean) {
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST") posts.push(r.url());
  });
  await page.goto(`${server.url}/report?district=tj-jinnan`);
  expect(replaced()).toBe(true);
  await page.getByLabel("韩城桥村").check();
  await page.getByLabel("群众身边腐败和作风问题").check();
  await page.getByLabel("发生了什么").fill("村干部把低保名额给了自己的亲戚。");
  await page.getByRole("button", { name: "加密并提交" }).click();
  await page.getByText(/没有巡察办的有效签名/).waitFor({ timeout: 60_000 });
  expect(posts.filter((u) => u.includes("/api/report"))).toEqual([]);
  expect(await withDb((db) => db.$count(tips))).toBe(0);
}

describe("office approvals checked in the browser", () => {
  it("a reader whose signature does not verify stops the report before anything is sent", async () => {
    const [leader] = await withDb((db) =>
      db
        .select({ sig: staffKeys.officeSignature })
        .from(staffKeys)
        .where(eq(staffKeys.staffId, "staff-tj-beichen-leader")),
    );
    const genuine = c.base64urlEncode(new Uint8Array(leader!.sig!));
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
    await expectRefusedToSend(page, () => replaced);
    await ctx.close();
  });

  it("approvals signed by a key named in the response are refused before anything is sent", async () => {
    // A consistent forgery: every approval on the page re-signed by the attacker, and the
    // attacker's key wherever the response names the office key. Only the build's key is trusted.
    const keys = await withDb((db) =>
      db
        .select({
          staff: staffKeys.staffId,
          sig: staffKeys.officeSignature,
          box: staffKeys.boxPublicKey,
          home: staffKeys.signedHomeDistrictId,
          until: staffKeys.validUntil,
        })
        .from(staffKeys)
        .where(and(eq(staffKeys.status, "active"), isNotNull(staffKeys.officeSignature))),
    );
    const tianjin = TRUST.offices.find((o) => o.jurisdictionId === "tianjin")!;
    const attacker = c.generateStaffKeys();
    const forgeries = keys.map((k) => [
      c.base64urlEncode(new Uint8Array(k.sig!)),
      c.base64urlEncode(
        c.signStaffKeyApproval(
          {
            memberId: k.staff,
            boxPublicKey: new Uint8Array(k.box),
            homeDistrictId: k.home ?? "-",
            validUntilMs: k.until!.getTime(),
          },
          attacker.signSecretKey,
        ),
      ),
    ]);

    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    let replaced = false;
    await page.route(`${server.url}/report?district=tj-jinnan`, async (route) => {
      const response = await route.fetch();
      const html = await response.text();
      replaced = html.includes(tianjin.signPublicKey);
      let body = html.replaceAll(tianjin.signPublicKey, c.base64urlEncode(attacker.signPublicKey));
      for (const [genuine, forged] of forgeries) body = body.replaceAll(genuine!, forged!);
      await route.fulfill({ response, body });
    });
    await expectRefusedToSend(page, () => replaced);
    await ctx.close();
  });

  it("a roster whose office signature does not verify stops the report before anything is sent", async () => {
    // Every approval is genuine; only the rosters listing the readers carry a forged signature
    // (what a server that added a reader to a team, without the office, would have to serve).
    const signatures = await withDb((db) => db.select({ sig: rosters.signature }).from(rosters));
    const genuine = signatures.map((r) => c.base64urlEncode(new Uint8Array(r.sig)));
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    let replaced = false;
    await page.route(`${server.url}/report?district=tj-jinnan`, async (route) => {
      const response = await route.fetch();
      let body = await response.text();
      for (const sig of genuine) {
        if (!body.includes(sig)) continue;
        replaced = true;
        body = body.replaceAll(sig, sig.slice(0, -2) + (sig.endsWith("AA") ? "BA" : "AA"));
      }
      await route.fulfill({ response, body });
    });
    await expectRefusedToSend(page, () => replaced);
    await ctx.close();
  });
});
