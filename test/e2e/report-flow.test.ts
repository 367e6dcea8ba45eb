/**
 * The report flow in Chromium at phone size (390×844) against the real server and SQLite file:
 * a tip with a photo for 韩城桥村 is sent through the UI, the stored photo has no EXIF, unique
 * canary strings from the text and the photo appear nowhere in the database file, the WAL or the
 * server's output, envelopes exist exactly for the outside members of the team stationed in
 * 津南区 (bc.leader, bc.inspector1) and the seeded 津南 member (bc.local) cannot open it. The same
 * works with JavaScript disabled (the server encrypts on arrival, the page says so).
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authLookupHash,
  base64urlDecode,
  decryptAttachment,
  deriveReceiptKeys,
  openTipKeysAsStaff,
  openTipPayload,
  sha256,
  toHex,
} from "../../crypto/index";
import { closeDb, openDb, withTx } from "../../db/client";
import { attachmentChunks, attachments, staffKeys, tipEnvelopes, tips } from "../../db/schema";
import { launchChromium } from "../support/chromium";
import { startServer, storedBytes, type RunningServer } from "../support/server";
import { DEMO_KEY_PASSPHRASE, serverEnv } from "../support/tip-fixture";
import { unwrapStaffKeysCached } from "../support/kdf-cache";

const LEADER = "staff-tj-beichen-leader";
const INSPECTOR = "staff-tj-beichen-inspector1";
const JINNAN_LOCAL = "staff-tj-jinnan-local";
const PHONE = { width: 390, height: 844 };
/** Set REPORT_SHOTS=/some/dir to keep screenshots for looking at them. */
const SHOTS = process.env.REPORT_SHOTS;

const RUN = Math.random().toString(36).slice(2, 10);
const TEXT_CANARY = `CANARY-TEXT-${RUN}`;
const PHOTO_CANARY = `CANARY-PIXELS-${RUN}`;
const EXIF_CANARY = `CANARY-GPS-${RUN}`;
const NOJS_CANARY = `CANARY-NOJS-${RUN}`;
const NOJS_EXIF_CANARY = `CANARY-NOJS-GPS-${RUN}`;

/** A small JPEG: JFIF, an EXIF segment with a GPS-like canary, then "image data" with a canary. */
function jpegWithExif(exifCanary: string, pixelCanary: string): Buffer {
  const seg = (marker: number, body: Buffer) => {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(body.length + 2);
    return Buffer.concat([Buffer.from([0xff, marker]), len, body]);
  };
  const jfif = seg(0xe0, Buffer.from("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", "latin1"));
  const exif = seg(0xe1, Buffer.from(`Exif\0\0MM\0*GPSLatitude=39.0;${exifCanary}`, "latin1"));
  const sos = seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0]));
  const scan = Buffer.from(`${pixelCanary}`.repeat(200), "latin1");
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jfif,
    exif,
    sos,
    scan,
    Buffer.from([0xff, 0xd9]),
  ]);
}

let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

async function newPhonePage(
  javaScriptEnabled = true,
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: PHONE, javaScriptEnabled, locale: "zh-CN" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return { ctx, page };
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Everything the server stored about the tip behind a receipt, read straight from the file. */
async function storedTip(receipt: string) {
  const env = serverEnv(server);
  const keys = await deriveReceiptKeys(receipt, env.receiptSalt);
  const db = await openDb(server.database, { migrate: false });
  try {
    const tip = (
      await db
        .select()
        .from(tips)
        .where(eq(tips.receiptAuthHash, authLookupHash(keys.authSecret)))
        .limit(1)
    )[0];
    if (!tip) throw new Error("no tip stored for this receipt");
    const envelopes = await db.select().from(tipEnvelopes).where(eq(tipEnvelopes.tipId, tip.id));
    const files = await db.select().from(attachments).where(eq(attachments.tipId, tip.id));
    const chunks = await Promise.all(
      files.map(async (f) =>
        (
          await db
            .select()
            .from(attachmentChunks)
            .where(eq(attachmentChunks.attachmentId, f.id))
            .orderBy(attachmentChunks.idx)
        ).map((c) => new Uint8Array(c.data)),
      ),
    );
    const keyRows = new Map(
      await Promise.all(
        [LEADER, INSPECTOR, JINNAN_LOCAL].map(
          async (staffId) =>
            [
              staffId,
              (
                await db
                  .select()
                  .from(staffKeys)
                  .where(and(eq(staffKeys.staffId, staffId), eq(staffKeys.status, "active")))
                  .limit(1)
              )[0],
            ] as const,
        ),
      ),
    );
    const keyOf = (staffId: string) => keyRows.get(staffId);
    return { tip, envelopes, files, chunks, keyOf };
  } finally {
    await closeDb(db);
  }
}

/** Opens the tip as a staff member with the demo passphrase; throws if they hold no envelope. */
async function openAs(stored: Awaited<ReturnType<typeof storedTip>>, staffId: string) {
  const keyRow = stored.keyOf(staffId);
  if (!keyRow) throw new Error(`${staffId} has no key`);
  const staff = await unwrapStaffKeysCached(
    new Uint8Array(keyRow.wrappedSecretKey),
    DEMO_KEY_PASSPHRASE,
  );
  const mine = stored.envelopes.find((e) => e.staffId === staffId && e.kind === "tip");
  if (!mine) throw new Error(`${staffId} holds no envelope`);
  const keys = openTipKeysAsStaff(new Uint8Array(mine.envelope), staff.boxSecretKey);
  const payload = openTipPayload(new Uint8Array(stored.tip.payload), keys);
  const refs = (payload.attachments ?? []) as { key: string; ref: string; name: string }[];
  const photos = refs.map((ref) => {
    const n = stored.files.findIndex((f) => toHex(sha256(new Uint8Array(f.header))) === ref.ref);
    if (n < 0) throw new Error("attachment listed in the payload is not stored");
    return decryptAttachment(
      base64urlDecode(ref.key),
      new Uint8Array(stored.files[n]!.header),
      stored.chunks[n]!,
    );
  });
  return { payload, photos, staffBoxSecretKey: staff.boxSecretKey };
}

/** Every byte the server wrote: database, WAL, and its own output. */
function everythingStored(): Buffer {
  return Buffer.concat([storedBytes(server.database), Buffer.from(server.output(), "utf8")]);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("report flow (JavaScript on, 390×844)", () => {
  let receipt = "";

  it("sends a tip with a photo for 韩城桥村 through the page and shows the receipt", async () => {
    const { ctx, page } = await newPhonePage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url() + "\n" + (r.postData() ?? "")));
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    let workers = 0;
    page.on("worker", () => workers++);
    await page.goto(`${server.url}/report`);
    await page.getByRole("link", { name: "津南区" }).click();
    await page.waitForURL(/district=tj-jinnan/);
    await page.getByText("核对钥匙").waitFor();
    await page.getByRole("button", { name: "加密并提交" }).waitFor(); // hydrated
    await shot(page, "report-form");

    await page.getByLabel("韩城桥村").check();
    await page.getByLabel("群众身边腐败和作风问题").check();
    await page.getByLabel("虚报冒领").check();
    await page.getByLabel("发生了什么").fill(`两名村干部虚报冒领拆迁补偿款。${TEXT_CANARY}`);
    await page.getByLabel("涉及金额（选填，单位：元）").fill("1500000");
    await page.getByLabel("证据文件（选填）").setInputFiles({
      name: "photo.jpg",
      mimeType: "image/jpeg",
      buffer: jpegWithExif(EXIF_CANARY, PHOTO_CANARY),
    });
    await page.getByRole("button", { name: "加密并提交" }).click();
    await page.getByRole("progressbar").waitFor({ timeout: 10_000 });
    await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 90_000 });
    receipt = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
    expect(receipt).toMatch(/^\d{16}$/);
    await shot(page, "report-receipt");

    // The confirmation step: wrong digits are refused, the right ones accepted.
    await page.getByLabel("我已经把查询码记下来了").check();
    await page
      .getByLabel("请输入查询码的最后4位")
      .fill("0000" === receipt.slice(-4) ? "1111" : "0000");
    await page.getByRole("button", { name: "确认" }).click();
    await page.getByText("最后4位不对").waitFor();
    await page.getByLabel("请输入查询码的最后4位").fill(receipt.slice(-4));
    await page.getByRole("button", { name: "确认" }).click();
    await page.getByText("您已确认记下查询码").waitFor();

    // Neither the receipt nor any canary left the browser.
    const sent = requests.join("\n");
    expect(sent).not.toContain(receipt);
    expect(sent).not.toContain(TEXT_CANARY);
    expect(sent).not.toContain(EXIF_CANARY);
    expect(pageErrors).toEqual([]);
    // The proof of work ran in a Web Worker, with no CSP violation or other console error.
    expect(workers).toBeGreaterThanOrEqual(1);
    expect(consoleErrors).toEqual([]);
    await ctx.close();
  });

  it("hydration rebuilds none of the form and formats no date; the optional parts follow the choices", async () => {
    const { ctx, page } = await newPhonePage();
    // From the end of HTML parsing (before the page's scripts run): elements added to or removed
    // from the form, and date formatters made. Before this was CSS, hydration was followed by a
    // second render that swapped the no-JS layout for the JS one (its longest blocking task),
    // and the reader panel's dates cost the page its first Intl.DateTimeFormat (ICU set-up).
    await page.addInitScript(() => {
      const w = window as unknown as { formChanges: number; dateFormats: number };
      w.formChanges = 0;
      w.dateFormats = 0;
      Intl.DateTimeFormat = new Proxy(Intl.DateTimeFormat, {
        construct(target, args: unknown[]) {
          w.dateFormats++;
          return Reflect.construct(target, args) as object;
        },
      });
      document.addEventListener("readystatechange", () => {
        if (document.readyState !== "interactive") return;
        new MutationObserver((records) => {
          for (const r of records) {
            if (!(r.target instanceof Element) || !r.target.closest(".report-form")) continue;
            for (const n of [...r.addedNodes, ...r.removedNodes])
              if (n instanceof Element) w.formChanges++;
          }
        }).observe(document.body, { childList: true, subtree: true });
      });
    });
    await page.goto(`${server.url}/report?district=tj-jinnan`);
    await page.getByRole("button", { name: "加密并提交" }).waitFor(); // hydrated
    await page.waitForTimeout(500);
    expect(
      await page.evaluate(() => (window as unknown as { formChanges: number }).formChanges),
    ).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { dateFormats: number }).dateFormats),
    ).toBe(0);
    // The team's stationing window is on the page all the same (written by the server).
    await page.getByText("核对钥匙").click();
    await expect
      .poll(() => page.locator(".check-keys dd").allInnerTexts())
      .toContainEqual(expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日/));

    // With JavaScript the optional parts show once chosen, and go again.
    const kind = page.getByLabel("虚报冒领");
    const name = page.getByLabel("姓名", { exact: true });
    expect(await kind.isVisible()).toBe(false);
    expect(await name.isVisible()).toBe(false);
    expect(await page.getByLabel("在本机临时保存草稿（加密）").isVisible()).toBe(true);
    await page.getByLabel("群众身边腐败和作风问题").check();
    await kind.waitFor();
    await page.getByLabel("民生实事").check();
    await kind.waitFor({ state: "hidden" });
    await page.getByLabel("我愿意留下姓名和联系方式").check();
    await name.waitFor();
    await page.getByLabel("匿名提交（推荐）").check();
    await name.waitFor({ state: "hidden" });
    await ctx.close();
  });

  it("stored envelopes exactly for bc.leader and bc.inspector1; bc.local cannot open it", async () => {
    const stored = await storedTip(receipt);
    expect(stored.tip.targetDistrictId).toBe("tj-jinnan");
    expect(stored.tip.unitId).toBe("tj-jinnan-hanchengqiao");
    expect(stored.tip.submittedVia).toBe("js");
    const readers = stored.envelopes.filter((e) => e.kind === "tip").map((e) => e.staffId);
    expect(readers.sort()).toEqual([LEADER, INSPECTOR].sort());
    expect(readers).not.toContain(JINNAN_LOCAL);

    const leader = await openAs(stored, LEADER);
    expect(leader.payload.text).toContain(TEXT_CANARY);
    expect(leader.payload.unit).toBe("tj-jinnan-hanchengqiao");
    expect(leader.payload.corruptionType).toBe("false_claims");
    expect(leader.payload.amountFen).toBe(150_000_000);
    expect(leader.photos).toHaveLength(1);
    const photo = Buffer.from(leader.photos[0]!.data);
    expect(photo.includes(PHOTO_CANARY)).toBe(true);
    expect(photo.includes(EXIF_CANARY)).toBe(false);
    expect(photo.includes("Exif")).toBe(false);
    expect(photo.includes(Buffer.from([0xff, 0xe1]))).toBe(false);
    const inspector = await openAs(stored, INSPECTOR);
    expect(inspector.payload.text).toContain(TEXT_CANARY);

    // bc.local has an office-signed key, but no envelope, and its key opens none of them.
    await expect(openAs(stored, JINNAN_LOCAL)).rejects.toThrow(/holds no envelope/);
    const localKey = stored.keyOf(JINNAN_LOCAL);
    expect(localKey).toBeTruthy();
    const local = await unwrapStaffKeysCached(
      new Uint8Array(localKey!.wrappedSecretKey),
      DEMO_KEY_PASSPHRASE,
    );
    for (const e of stored.envelopes) {
      expect(() => openTipKeysAsStaff(new Uint8Array(e.envelope), local.boxSecretKey)).toThrow();
    }
  });

  it("the receipt opens the case on the status page, decrypted in the browser", async () => {
    const { ctx, page } = await newPhonePage();
    await page.goto(`${server.url}/status`);
    await page.getByRole("button", { name: "查看进展" }).waitFor();
    await page.waitForFunction(() => (window as { __cwStatusReady?: boolean }).__cwStatusReady);
    await page.getByLabel("查询码（16位数字）").fill(receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await page
      .getByText(TEXT_CANARY, { exact: false })
      .first()
      .waitFor({ state: "attached", timeout: 30_000 });
    await ctx.close();
  });

  it("no canary from the text or the photo is in the database file, the WAL or the logs", () => {
    const all = everythingStored();
    for (const canary of [TEXT_CANARY, PHOTO_CANARY, EXIF_CANARY]) {
      expect(all.includes(canary)).toBe(false);
    }
    expect(all.includes(receipt)).toBe(false);
    // The server printed nothing but its start-up lines: no errors, no request data.
    expect(server.output()).not.toMatch(/error|render/i);
  });
});

describe("readers change while the resident writes", () => {
  it("refuses with a clear message, shows the new readers, and the second send goes to them", async () => {
    const { ctx, page } = await newPhonePage();
    await page.goto(`${server.url}/report?district=tj-jinnan`);
    await page.getByRole("button", { name: "加密并提交" }).waitFor();
    await expect.poll(() => page.locator(".fingerprint").count()).toBe(2);

    // The office revokes bc.inspector1's key after the page was loaded.
    const db = await openDb(server.database, { migrate: false });
    const revoked = await db
      .select()
      .from(staffKeys)
      .where(and(eq(staffKeys.staffId, INSPECTOR), eq(staffKeys.status, "active")));
    try {
      await withTx(db, (tx) =>
        tx.update(staffKeys).set({ status: "revoked" }).where(eq(staffKeys.staffId, INSPECTOR)),
      );
      await page.getByLabel("不确定 / 不在列表中").check();
      await page.getByLabel("民生实事").check();
      await page.getByLabel("发生了什么").fill("道路一直没有修。");
      await page.getByRole("button", { name: "加密并提交" }).click();
      await page.getByText("能读到举报的人员刚刚发生了变化").waitFor({ timeout: 60_000 });
      await expect.poll(() => page.locator(".fingerprint").count()).toBe(1);
      await page.getByRole("button", { name: "加密并提交" }).click();
      await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 60_000 });
      const code = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
      const stored = await storedTip(code);
      expect(stored.envelopes.filter((e) => e.kind === "tip").map((e) => e.staffId)).toEqual([
        LEADER,
      ]);
    } finally {
      for (const k of revoked) {
        await withTx(db, (tx) =>
          tx.update(staffKeys).set({ status: "active" }).where(eq(staffKeys.id, k.id)),
        );
      }
      await closeDb(db);
      await ctx.close();
    }
  });
});

describe("drafts, language and keyboard", () => {
  it("keeps an encrypted draft across a reload only when the resident opts in", async () => {
    const { ctx, page } = await newPhonePage();
    const url = `${server.url}/report?district=tj-jinnan`;
    await page.goto(url);
    await page.getByRole("button", { name: "加密并提交" }).waitFor();
    await page.getByLabel("发生了什么").fill("没有勾选草稿的内容");
    // A filled form warns before a reload (resident-experience.test.ts); here we leave anyway.
    page.on("dialog", (d) => void d.accept());
    await page.reload();
    await page.getByRole("button", { name: "加密并提交" }).waitFor();
    expect(await page.getByLabel("发生了什么").inputValue()).toBe("");

    await page.getByLabel("在本机临时保存草稿（加密）").check();
    await page.getByLabel("发生了什么").fill(`草稿内容 ${TEXT_CANARY}-draft`);
    await page.waitForTimeout(800);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).not.toContain(TEXT_CANARY);
    expect(stored.length).toBeGreaterThan(20);
    await page.reload();
    await page.getByText("已恢复您上次未提交的草稿").waitFor();
    expect(await page.getByLabel("发生了什么").inputValue()).toContain(`${TEXT_CANARY}-draft`);

    // Another tab has no key: the leftover ciphertext cannot be opened and is deleted.
    const other = await ctx.newPage();
    await other.goto(url);
    await other.getByRole("button", { name: "加密并提交" }).waitFor();
    await other.waitForTimeout(300);
    expect(await other.getByLabel("发生了什么").inputValue()).toBe("");
    expect(await other.evaluate(() => localStorage.length)).toBe(0);
    await ctx.close();
  });

  it("is complete in English and can be filled in with the keyboard alone", async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: "en" });
    await ctx.addCookies([{ name: "lang", value: "en", url: server.url }]);
    const page = await ctx.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/report?district=tj-jinnan`);
    await page
      .getByRole("heading", {
        name: "Only the inspection team from Beichen District can read this report",
      })
      .waitFor();
    await page.getByRole("button", { name: "Encrypt and send" }).waitFor();
    await shot(page, "report-form-en");
    // Nothing Chinese-only is left in the visible form (place names aside).
    const visible = await page.locator("main").innerText();
    expect(visible).not.toMatch(/resident\./); // no untranslated keys
    // Keyboard: reach the text box and the send button with Tab, submit with Enter.
    await page.getByLabel("Hanchengqiao Village").focus();
    await page.keyboard.press("Space");
    expect(await page.getByLabel("Hanchengqiao Village").isChecked()).toBe(true);
    await page.getByLabel("What happened").focus();
    await page.keyboard.type("Typed with the keyboard only.");
    await page.getByRole("button", { name: "Encrypt and send" }).focus();
    await page.keyboard.press("Enter");
    // No category chosen: a clear message, focus moved to the first problem.
    await page.getByText("Please choose the kind of problem.").waitFor();
    // Focus moves in the frame after the message renders: wait for it rather than race it.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("name")))
      .toBe("category");
    await ctx.close();
  });
});

describe("report flow (JavaScript off)", () => {
  let receipt = "";

  it("works end to end through plain HTML forms and says the path is weaker", async () => {
    const { ctx, page } = await newPhonePage(false);
    await page.goto(`${server.url}/report?district=tj-jinnan`);
    // (Playwright's text locators skip <noscript>; the page's HTML must carry the notice.)
    await page.getByRole("button", { name: "提交", exact: true }).waitFor();
    expect(await page.content()).toContain("这比在您手机上加密弱");
    await shot(page, "report-nojs-form");
    await page.getByLabel("南洼村").check();
    await page.getByLabel("民生实事").check();
    await page.getByLabel("发生了什么").fill(`低保名单里有村干部亲属。${NOJS_CANARY}`);
    await page.getByLabel("证据文件（选填）").setInputFiles({
      name: "nojs.jpg",
      mimeType: "image/jpeg",
      buffer: jpegWithExif(NOJS_EXIF_CANARY, "pixels"),
    });
    await page.getByRole("button", { name: "提交", exact: true }).click();
    await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 60_000 });
    await page.getByText("本次提交在服务器上加密").waitFor();
    receipt = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
    expect(receipt).toMatch(/^\d{16}$/);
    await shot(page, "report-nojs-receipt");

    await page.getByLabel("我已经把查询码记下来了").check();
    await page.getByLabel("请输入查询码的最后4位").fill(receipt.slice(-4));
    await page.getByRole("button", { name: "确认" }).click();
    await page.getByText("您已确认记下查询码").waitFor();
    await ctx.close();
  });

  it("is stored in the same format for the same readers, photo stripped, nothing in clear", async () => {
    const stored = await storedTip(receipt);
    expect(stored.tip.submittedVia).toBe("nojs");
    expect(stored.tip.unitId).toBe("tj-jinnan-nanwa");
    const readers = stored.envelopes.filter((e) => e.kind === "tip").map((e) => e.staffId);
    expect(readers.sort()).toEqual([LEADER, INSPECTOR].sort());
    const opened = await openAs(stored, INSPECTOR);
    expect(opened.payload.text).toContain(NOJS_CANARY);
    expect(opened.payload.category).toBe("livelihood");
    const photo = Buffer.from(opened.photos[0]!.data);
    expect(photo.includes(NOJS_EXIF_CANARY)).toBe(false);
    expect(photo.includes("Exif")).toBe(false);

    const all = everythingStored();
    expect(all.includes(NOJS_CANARY)).toBe(false);
    expect(all.includes(NOJS_EXIF_CANARY)).toBe(false);
  });
});
