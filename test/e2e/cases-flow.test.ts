/**
 * The inspector's morning in Chromium (390×844) against the real server: a session via loginAs
 * (cookie in the browser context), unlock the key with the demo passphrase, find the tip in the
 * inbox by searching decrypted text, open it, reply to the tipster, change the status with a
 * note. Then, outside the browser, the tipster's receipt keys decrypt the reply and the note —
 * and the server's rows hold no plaintext.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { openSignedStaffMessage, openTipKeysAsTipster, utf8Encode } from "../../crypto/index";
import { launchChromium } from "../support/chromium";
import { loginAs, staffBrowserContext } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";
import { createTestTip, tipRows, type TestTip } from "../support/tip-fixture";
import { axe } from "../support/axe";

const SHOTS = process.env.CASES_SHOTS_DIR;
const INSPECTOR_ID = "staff-tj-beichen-inspector1";
let server: RunningServer;
let browser: Browser;
let tip: TestTip;
let other: TestTip;

beforeAll(async () => {
  server = await startServer();
  tip = await createTestTip(server, { text: "韩城桥村两名干部虚报冒领拆迁补偿款一百五十余万元。" });
  other = await createTestTip(server, { text: "村里的路灯坏了三个月没人修。" });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function staffContext(staffId: string): Promise<BrowserContext> {
  const ctx = await staffBrowserContext(browser, server.database, staffId, {
    width: 390,
    height: 844,
  });
  return ctx;
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe("inspector works a tip in the browser", () => {
  it("unlock → inbox search → case → reply and status; the tipster can decrypt both", async () => {
    const ctx = await staffContext(INSPECTOR_ID);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));

    await page.goto(`${server.url}/staff/inbox`);
    await shot(page, "inbox-locked");
    await page.getByLabel(/密钥口令/).fill("crosswatch-demo-key");
    await page.getByRole("button", { name: "解锁" }).click();
    await page.waitForFunction(() => document.body.dataset.inboxReady !== undefined, null, {
      timeout: 30_000,
    });
    await expect.poll(() => page.getByText("虚报冒领拆迁补偿款").count()).toBeGreaterThan(0);
    await page.getByRole("searchbox").fill("路灯");
    await expect.poll(() => page.getByText("虚报冒领拆迁补偿款").count()).toBe(0);
    await expect.poll(() => page.getByText("路灯坏了").count()).toBe(1);
    await page.getByRole("searchbox").fill("补偿款");
    await shot(page, "inbox-unlocked");

    // Client-side navigation keeps the key in memory: no second unlock.
    await page.locator(`a[href="/staff/tips/${tip.tipId}"]`).click();
    await page.waitForURL(`**/staff/tips/${tip.tipId}`);
    await expect
      .poll(() => page.getByTestId("case-text").textContent(), { timeout: 15_000 })
      .toContain("虚报冒领拆迁补偿款");

    const reply = "您好，请问补偿款是哪一年发放的？";
    await page.getByLabel("回复举报人").fill(reply);
    await page.getByRole("button", { name: "发送" }).click();
    await expect.poll(() => page.getByText(reply).count(), { timeout: 15_000 }).toBe(1);
    // The conversation says who wrote, to whom and when.
    const sent = page.getByTestId("conversation").locator('[data-kind="to_tipster"]');
    expect(await sent.textContent()).toMatch(/\S+\s*→ 举报人.*\d{1,2}:\d{2}/);

    const note = "已受理，巡察组将核实拆迁补偿款发放情况。";
    await page.getByLabel("新状态").selectOption("accepted");
    await page.getByLabel(/给举报人的说明/).fill(note);
    await page.getByRole("button", { name: "更新状态" }).click();
    await expect
      .poll(() => page.getByTestId("case-status").textContent(), { timeout: 15_000 })
      .toBe("已受理");
    await expect.poll(() => page.getByText(note, { exact: false }).count()).toBeGreaterThan(0);
    await shot(page, "case");
    expect(errors).toEqual([]);

    // What the server stored: ciphertext only; the tipster's receipt keys open both.
    const rows = await tipRows(server, tip.tipId);
    const stored = JSON.stringify(rows, (_k, v: unknown) =>
      v && typeof v === "object" && (v as { type?: string }).type === "Buffer"
        ? Buffer.from((v as { data: number[] }).data).toString("latin1")
        : v,
    );
    expect(stored).not.toContain("补偿款是哪一年");
    const toTipster = rows.messages.filter((m) => m.kind === "to_tipster");
    const tipKeysAsTipster = () =>
      openTipKeysAsTipster(new Uint8Array(rows.tip!.tipsterEnvelope), tip.receiptKeys.boxSecretKey);
    expect(toTipster).toHaveLength(1);
    // Signed in the inspector's browser with their approved key, for this tip (§5.7.1).
    const opened = openSignedStaffMessage(
      new Uint8Array(toTipster[0]!.body),
      tip.receiptKeys.boxSecretKey,
      tipKeysAsTipster(),
    );
    expect(opened.body.text).toBe(reply);
    expect(opened.memberId).toBe(INSPECTOR_ID);
    expect(opened.context).toEqual({ kind: "reply" });
    const accepted = rows.history.find((h) => h.status === "accepted");
    expect(accepted?.publicMessage).toBeTruthy();
    const acceptedNote = openSignedStaffMessage(
      new Uint8Array(accepted!.publicMessage!),
      tip.receiptKeys.boxSecretKey,
      tipKeysAsTipster(),
    );
    expect(acceptedNote.body.text).toBe(note);
    expect(acceptedNote.context).toEqual({ kind: "status", status: "accepted" });
    expect(rows.tip?.status).toBe("accepted");
    await ctx.close();
  });

  it("another team's member and the seconded local cadre get 403 and no content", async () => {
    for (const staffId of ["staff-tj-xiqing-leader", "staff-tj-jinnan-local"]) {
      const ctx = await staffContext(staffId);
      const page = await ctx.newPage();
      const res = await page.goto(`${server.url}/staff/tips/${other.tipId}`);
      expect(res?.status(), staffId).toBe(403);
      const payload = Buffer.from((await tipRows(server, other.tipId)).tip!.payload).toString(
        "base64url",
      );
      const html = await page.content();
      expect(html).not.toContain(payload.slice(0, 40));
      expect(html).not.toContain("路灯");
      // Staff words, the rule that applies, and a way back into the workspace (not the public home).
      await page.getByRole("heading", { name: "您不能打开这件举报" }).waitFor();
      const reason = await page.getByTestId("denied-reason").textContent();
      expect(reason).toContain(staffId === "staff-tj-jinnan-local" ? "家乡区县" : "没有加密给您");
      await page.getByRole("link", { name: "返回举报收件箱" }).click();
      await page.waitForURL(`${server.url}/staff/inbox`);
      if (staffId === "staff-tj-jinnan-local") {
        // The seconded 津南 cadre's empty inbox says why, in the same words.
        await page.getByTestId("home-district-rule").waitFor();
        expect(await page.getByTestId("home-district-rule").textContent()).toContain(
          "关于津南区的举报不会发给您",
        );
        expect(await page.locator("[data-inbox-row]").count()).toBe(0);
      }
      await ctx.close();
    }
  });

  it("wrong passphrase: a clear message, nothing unlocked; English page works", async () => {
    const ctx = await staffContext("staff-tj-beichen-leader");
    await ctx.addCookies([{ name: "lang", value: "en", url: server.url }]);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/staff/tips/${tip.tipId}`);
    await page.getByLabel("Key passphrase").fill("not the passphrase");
    await page.getByRole("button", { name: "Unlock" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent(), { timeout: 20_000 })
      .toContain("Wrong passphrase");
    await page.getByLabel("Key passphrase").fill("crosswatch-demo-key");
    await page.getByRole("button", { name: "Unlock" }).click();
    await expect
      .poll(() => page.getByTestId("case-text").textContent(), { timeout: 20_000 })
      .toContain("虚报冒领");
    await shot(page, "case-en");
    await page.goto(`${server.url}/staff/keys`);
    await shot(page, "keys-en");
    await ctx.close();
  });

  it("inbox and case page have no serious axe-core violations (unlocked, 390×844)", async () => {
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      bypassCSP: true,
    });
    const { token } = await loginAs(server.database, "staff-tj-beichen-leader");
    // As the sign-in sets it: one cookie per staff path, never for public pages.
    await ctx.addCookies(
      ["/staff", "/api/staff"].map((p) => ({
        name: "cw_staff",
        value: token,
        domain: "127.0.0.1",
        path: p,
        httpOnly: true,
        sameSite: "Lax" as const,
      })),
    );
    const page = await ctx.newPage();
    await page.goto(`${server.url}/staff/inbox`);
    await page.getByLabel(/密钥口令/).fill("crosswatch-demo-key");
    await page.getByRole("button", { name: "解锁" }).click();
    await page.waitForFunction(() => document.body.dataset.inboxReady !== undefined, null, {
      timeout: 30_000,
    });
    expect(await axe(page)).toEqual([]);
    await page.locator(`a[href="/staff/tips/${tip.tipId}"]`).click();
    await expect
      .poll(() => page.getByTestId("case-text").textContent(), { timeout: 15_000 })
      .toContain("虚报冒领");
    expect(await axe(page)).toEqual([]);
    await page.goto(`${server.url}/staff/keys`);
    expect(await axe(page)).toEqual([]);
    await ctx.close();
  });

  it("an attachment downloads decrypted in the browser, under its sanitized name", async () => {
    // A tip with one evidence file, sealed and stored as the report page does.
    const content = "2019年拆迁补偿款发放名单（节选）\n张某 120000\n李某 98000\n";
    const { tipId } = await createTestTip(server, {
      text: "附上补偿款发放名单。",
      files: [{ name: "名单.txt", type: "text/plain", data: utf8Encode(content) }],
    });

    const ctx = await staffContext(INSPECTOR_ID);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/staff/tips/${tipId}`);
    await page.getByLabel(/密钥口令/).fill("crosswatch-demo-key");
    await page.getByRole("button", { name: "解锁" }).click();
    const button = page.getByRole("button", { name: /名单\.txt/ });
    // Look often with a short wait each (isEnabled alone waits 30 s for a missing button, longer
    // than the poll), and say what the page showed instead if the button never came.
    const ready = () => button.isEnabled({ timeout: 1_000 }).catch(() => false);
    const deadline = Date.now() + 45_000;
    while (!(await ready()) && Date.now() < deadline) await page.waitForTimeout(250);
    if (!(await ready())) {
      const shown = await page
        .locator("main")
        .innerText()
        .catch(() => "(no main)");
      throw new Error(`no enabled 名单.txt button after unlock; the page showed:\n${shown}`);
    }
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toBe("名单.txt");
    const saved = await download.path();
    expect(fs.readFileSync(saved, "utf8")).toBe(content);
    await ctx.close();
  });
});
