/**
 * Sending on a bad connection, in Chromium at phone size against the real server: a dropped
 * connection loses nothing. The first upload is cut before it reaches the server, the second
 * reaches it (the tip is stored) but its answer is lost; "send again" sends the very same
 * ciphertext each time, and the resident ends with ONE receipt and ONE stored tip, without
 * retyping. Also: the progress bar and its text agree, a large photo can go as the original
 * (default) or as a reduced copy, metadata stripped either way, and a file the page encrypted
 * as soon as it was chosen is not sent once the resident replaces or removes it.
 */
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
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
import { closeDb, openDb } from "../../db/client";
import { attachmentChunks, attachments, staffKeys, tipEnvelopes, tips } from "../../db/schema";
import { launchChromium } from "../support/chromium";
import { startServer, type RunningServer } from "../support/server";
import { confirmReceipt } from "../support/receipt";
import { DEMO_KEY_PASSPHRASE, serverEnv } from "../support/tip-fixture";
import { unwrapStaffKeysCached } from "../support/kdf-cache";

const INSPECTOR = "staff-tj-beichen-inspector1";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function tipCount(): Promise<number> {
  const db = await openDb(server.database, { migrate: false });
  try {
    return (await db.select({ id: tips.id }).from(tips)).length;
  } finally {
    await closeDb(db);
  }
}

/** The stored tip behind a receipt, opened as bc.inspector1 with its attachments. */
async function openStored(receipt: string) {
  const keys = await deriveReceiptKeys(receipt, serverEnv(server).receiptSalt);
  const db = await openDb(server.database, { migrate: false });
  try {
    const hash = authLookupHash(keys.authSecret);
    const rows = await db.select().from(tips).where(eq(tips.receiptAuthHash, hash));
    const tip = rows[0]!;
    const key = (
      await db.select().from(staffKeys).where(eq(staffKeys.staffId, INSPECTOR)).limit(1)
    )[0]!;
    const staff = await unwrapStaffKeysCached(
      new Uint8Array(key.wrappedSecretKey),
      DEMO_KEY_PASSPHRASE,
    );
    const env = (await db.select().from(tipEnvelopes).where(eq(tipEnvelopes.tipId, tip.id))).find(
      (e) => e.staffId === INSPECTOR && e.kind === "tip",
    )!;
    const tipKeys = openTipKeysAsStaff(new Uint8Array(env.envelope), staff.boxSecretKey);
    const payload = openTipPayload(new Uint8Array(tip.payload), tipKeys) as {
      text: string;
      attachments: { name: string; type: string; key: string; ref: string; size: number }[];
    };
    const files = await db.select().from(attachments).where(eq(attachments.tipId, tip.id));
    const photos = [];
    for (const ref of payload.attachments) {
      const file = files.find((f) => toHex(sha256(new Uint8Array(f.header))) === ref.ref)!;
      const chunks = (
        await db
          .select()
          .from(attachmentChunks)
          .where(eq(attachmentChunks.attachmentId, file.id))
          .orderBy(attachmentChunks.idx)
      ).map((c) => new Uint8Array(c.data));
      photos.push(
        decryptAttachment(base64urlDecode(ref.key), new Uint8Array(file.header), chunks).data,
      );
    }
    return { rows, payload, photos };
  } finally {
    await closeDb(db);
  }
}

/** The form for 韩城桥村; `again`: this tab has just sent one (the page says so first). */
async function openForm(page: Page, again = false) {
  await page.goto(`${server.url}/report?district=tj-jinnan`);
  if (again) await page.getByRole("button", { name: "重新写一份举报" }).click();
  await page.getByRole("button", { name: "加密并提交" }).waitFor(); // hydrated
  await page.getByLabel("韩城桥村").check();
  await page.getByLabel("群众身边腐败和作风问题").check();
  await page.getByLabel("虚报冒领").check();
}

/** The `meta` part of a multipart report upload. */
function metaOf(body: Buffer): string {
  const text = body.toString("latin1");
  const m = /name="meta"\r\n\r\n([\s\S]*?)\r\n--/.exec(text);
  if (!m) throw new Error("no meta part");
  return m[1]!;
}

describe("a dropped connection during the upload", () => {
  it("is retried with the same ciphertext: one receipt, one stored tip, nothing retyped", async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const before = await tipCount();
    const metas: string[] = [];
    let agreement: { value: number; text: string } | null = null;
    await page.route("**/api/report", async (route) => {
      const body = route.request().postDataBuffer();
      metas.push(metaOf(body!));
      if (metas.length === 1) return route.abort("connectionreset"); // never reached the server
      if (metas.length === 2) {
        await route.fetch(); // stored on the server…
        return route.abort("connectionreset"); // …but the answer is lost
      }
      // Third attempt: hold it a moment and read the bar and its text in one go.
      agreement = await page.evaluate(() => ({
        value: (document.querySelector("#report-progress") as HTMLProgressElement).value,
        text: document.querySelector(".progress-note")?.textContent ?? "",
      }));
      return route.continue();
    });

    await openForm(page);
    const text = "村干部虚报冒领拆迁补偿款，连接中断后重发。";
    await page.getByLabel("发生了什么").fill(text);
    await page.getByLabel("证据文件（选填）").setInputFiles({
      name: "receipt-scan.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(300_000, 7)]),
    });
    await page.getByRole("button", { name: "加密并提交" }).click();

    for (let attempt = 1; attempt <= 2; attempt++) {
      const retry = page.locator("[data-retry]");
      await retry.waitFor({ timeout: 60_000 });
      await expect(retry.textContent()).resolves.toContain("不会产生第二个查询码");
      // Nothing was lost: the text is still in the form.
      await expect(page.getByLabel("发生了什么").inputValue()).resolves.toBe(text);
      await page.getByRole("button", { name: "重新发送" }).click();
    }
    await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 60_000 });
    const receipt = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
    expect(receipt).toMatch(/^\d{16}$/);

    // Three uploads of exactly the same sealed report (same receipt hash, same ciphertext).
    expect(metas).toHaveLength(3);
    expect(new Set(metas).size).toBe(1);
    // One tip, stored by the second attempt, readable by the team.
    expect(await tipCount()).toBe(before + 1);
    const stored = await openStored(receipt);
    expect(stored.rows).toHaveLength(1);
    expect(stored.payload.text).toBe(text);

    // Bar and text came from the same snapshot.
    expect(agreement).not.toBeNull();
    const shown = /已完成 (\d+)%/.exec(agreement!.text)?.[1];
    expect(Number(shown)).toBe(agreement!.value);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});

describe("a large photo", () => {
  it("goes as the original by default, or as a reduced copy when chosen — metadata stripped", async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await openForm(page);
    // A real, decodable 3 MB-class JPEG made by the browser, with an EXIF segment spliced in.
    const jpeg = Buffer.from(
      await page.evaluate(async () => {
        const c = new OffscreenCanvas(2100, 1500);
        const g = c.getContext("2d")!;
        const img = g.createImageData(2100, 1500);
        for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 2654435761) >>> 24;
        g.putImageData(img, 0, 0);
        const blob = await c.convertToBlob({ type: "image/jpeg", quality: 0.95 });
        const url = await new Promise<string>((resolve) => {
          const r = new FileReader();
          r.onload = () => resolve(r.result as string);
          r.readAsDataURL(blob);
        });
        return url.slice(url.indexOf(",") + 1);
      }),
      "base64",
    );
    const exifBody = Buffer.from("Exif\0\0MM\0*GPSLatitude=39.0;CANARY-LARGE-GPS", "latin1");
    const len = Buffer.alloc(2);
    len.writeUInt16BE(exifBody.length + 2);
    const photo = Buffer.concat([
      jpeg.subarray(0, 2),
      Buffer.from([0xff, 0xe1]),
      len,
      exifBody,
      jpeg.subarray(2),
    ]);
    expect(photo.length).toBeGreaterThan(2 * 1024 * 1024);

    const send = async (reduced: boolean) => {
      await page.getByLabel("发生了什么").fill(`大照片测试 reduced=${reduced}`);
      await page.getByLabel("证据文件（选填）").setInputFiles({
        name: "big.jpg",
        mimeType: "image/jpeg",
        buffer: photo,
      });
      const original = page.getByLabel("发送原图（作为证据最完整，默认）");
      await expect(original.isChecked()).resolves.toBe(true);
      if (reduced) await page.getByLabel(/发送缩小的副本/).check();
      await page.getByRole("button", { name: "加密并提交" }).click();
      await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 90_000 });
      const receipt = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
      // Written down: the receipt page lets the resident go (LeaveGuard) and the form comes back.
      await confirmReceipt(page, receipt);
      return receipt;
    };

    const asOriginal = await openStored(await send(false));
    expect(asOriginal.payload.attachments[0]!.name).toBe("big.jpg");
    expect(Buffer.from(asOriginal.photos[0]!).includes("CANARY-LARGE-GPS")).toBe(false);
    // The original's image data is intact (only the metadata segment went).
    expect(asOriginal.photos[0]!.length).toBe(jpeg.length);

    await openForm(page, true);
    const asReduced = await openStored(await send(true));
    const ref = asReduced.payload.attachments[0]!;
    expect(ref.name).toBe("big-reduced.jpg");
    expect(ref.type).toBe("image/jpeg");
    const reduced = asReduced.photos[0]!;
    expect(reduced.length).toBeLessThan(jpeg.length / 2);
    expect(Buffer.from(reduced).includes("CANARY-LARGE-GPS")).toBe(false);
    expect([reduced[0], reduced[1]]).toEqual([0xff, 0xd8]);
    await ctx.close();
  }, 240_000);
});

describe("a file encrypted as soon as it was chosen", () => {
  it("is not sent once the resident replaces or removes it: only the current choice goes", async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const fileParts: number[] = [];
    await page.route("**/api/report", async (route) => {
      const body = route.request().postDataBuffer()!.toString("latin1");
      fileParts.push(body.split('name="file"').length - 1);
      return route.continue();
    });
    const pdf = (canary: string) => ({
      name: `${canary}.pdf`,
      mimeType: "application/pdf",
      buffer: Buffer.concat([Buffer.from(`%PDF-1.4\n${canary}\n`), Buffer.alloc(200_000, 7)]),
    });
    /** Waits until the page's worker has finished `n` file encryptions in all. */
    const encrypted = (n: number) =>
      page.waitForFunction(
        (n) => performance.getEntriesByName("crosswatch:worker:file.encrypt").length >= n,
        n,
        { timeout: 60_000 },
      );
    const send = async () => {
      await page.getByRole("button", { name: "加密并提交" }).click();
      await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 90_000 });
      const receipt = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
      await confirmReceipt(page, receipt);
      return openStored(receipt);
    };
    const files = page.getByLabel("证据文件（选填）");

    // Replaced: the first file was encrypted before the second was chosen.
    await openForm(page);
    await page.getByLabel("发生了什么").fill("先选错了文件，换了一份。");
    await files.setInputFiles(pdf("CANARY-FIRST-CHOICE"));
    await encrypted(1);
    await files.setInputFiles(pdf("CANARY-SECOND-CHOICE"));
    const replaced = await send();
    expect(replaced.payload.attachments.map((a) => a.name)).toEqual(["CANARY-SECOND-CHOICE.pdf"]);
    expect(Buffer.from(replaced.photos[0]!).includes("CANARY-SECOND-CHOICE")).toBe(true);
    expect(Buffer.from(replaced.photos[0]!).includes("CANARY-FIRST-CHOICE")).toBe(false);

    // Removed: encrypted, then the choice emptied — the report goes without a file.
    await openForm(page, true);
    await page.getByLabel("发生了什么").fill("文件选了又去掉了。");
    const before = await page.evaluate(
      () => performance.getEntriesByName("crosswatch:worker:file.encrypt").length,
    );
    await files.setInputFiles(pdf("CANARY-REMOVED"));
    await encrypted(before + 1);
    await files.setInputFiles([]);
    const removed = await send();
    expect(removed.payload.attachments).toEqual([]);
    expect(fileParts).toEqual([1, 0]);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});
