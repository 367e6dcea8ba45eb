/**
 * DESIGN §4: the resident's browser trusts only the office keys compiled into the build
 * (app/shared/trusted-offices.ts), never a key named in the response that lists the readers.
 * Here the page is served with one reader's approval re-signed by an attacker, who also puts
 * their own key where the office key used to be: the browser must refuse to send. The home page
 * and /safety print the build's office key fingerprints for residents to compare.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as c from "../../crypto/index";
import { openDb } from "../../db/client";
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

function query<T>(sql: string): T[] {
  const db = openDb(server.dbPath, { migrate: false });
  try {
    return db.$client.prepare(sql).all() as T[];
  } finally {
    db.$client.close();
  }
}

describe("office keys come from the build", () => {
  it("approvals signed by a key named in the response are refused before anything is sent", async () => {
    // A consistent forgery: every approval on the page re-signed by the attacker, and the
    // attacker's key wherever the response names the office key. Only the build's key is trusted.
    const keys = query<{ staff: string; sig: Buffer; box: Buffer; home: string; until: number }>(
      `select staff_id as staff, office_signature as sig, box_public_key as box,
              signed_home_district_id as home, valid_until as until
         from staff_keys where status = 'active' and office_signature is not null`,
    );
    const tianjin = TRUST.offices.find((o) => o.jurisdictionId === "tianjin")!;
    const attacker = c.generateStaffKeys();
    const forgeries = keys.map((k) => [
      c.base64urlEncode(new Uint8Array(k.sig)),
      c.base64urlEncode(
        c.signStaffKeyApproval(
          {
            memberId: k.staff,
            boxPublicKey: new Uint8Array(k.box),
            homeDistrictId: k.home ?? "-",
            validUntilMs: k.until,
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
    expect(query<{ n: number }>("select count(*) as n from tips")[0]!.n).toBe(0);
    await ctx.close();
  });

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
