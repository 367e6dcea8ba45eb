/**
 * The crypto known-answer vectors and negative checks, run inside Debian's Chromium from a page
 * served under the app's crypto CSP. One browser launch; each check is asserted here in vitest.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium";
import { serveCryptoPage, type CryptoPageServer } from "../support/crypto-page-server";
import { suiteNames, type CheckResult } from "../support/crypto-vector-suite";

let browser: Browser;
let server: CryptoPageServer;
let page: Page;
const pageErrors: string[] = [];
let vectorResults: CheckResult[] = [];
let negativeResults: CheckResult[] = [];

beforeAll(async () => {
  server = await serveCryptoPage();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  await page.goto(server.url);
  await page.waitForFunction(() => "crosswatchCryptoSuite" in window);
  vectorResults = await page.evaluate(() => window.crosswatchCryptoSuite.runVectorSuite());
  negativeResults = await page.evaluate(() => window.crosswatchCryptoSuite.runNegativeChecks());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const names = suiteNames();

describe("crypto in Chromium", () => {
  it("runs in a real browser with WebAssembly allowed only through 'wasm-unsafe-eval'", async () => {
    const info = await page.evaluate(() => ({
      ua: navigator.userAgent,
      hasProcess: typeof (globalThis as { process?: unknown }).process !== "undefined",
    }));
    expect(info.ua).toMatch(/Chrome/);
    expect(info.hasProcess).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it.each(names.vectors)("vector: %s", (name) => {
    const r = vectorResults.find((x) => x.name === name);
    expect(r, `missing result for ${name}`).toBeDefined();
    expect(r!.detail ?? "").toBe("");
    expect(r!.ok).toBe(true);
  });

  it.each(names.negative)("negative: %s", (name) => {
    const r = negativeResults.find((x) => x.name === name);
    expect(r, `missing result for ${name}`).toBeDefined();
    expect(r!.detail ?? "").toBe("");
    expect(r!.ok).toBe(true);
  });

  it("round-trips a fresh tip, receipt and PoW with the browser's own CSPRNG", async () => {
    const out = await page.evaluate(async () => {
      const c = window.crosswatchCryptoSuite.crypto;
      const receipt = c.generateReceipt();
      const salt = c.sha256(c.utf8Encode("site"));
      const rk = await c.deriveReceiptKeys(receipt, salt);
      const staff = c.generateStaffKeys();
      const sealed = c.sealTip({
        payload: { text: "雷波民族中学饭卡" },
        recipients: [{ id: "s", boxPublicKey: staff.boxPublicKey }],
        tipsterPublicKey: rk.boxPublicKey,
      });
      const staffView = c.openTipAsStaff({
        payload: sealed.payload,
        envelope: sealed.envelopes[0]!.envelope,
        boxSecretKey: staff.boxSecretKey,
      });
      const again = await c.deriveReceiptKeys(receipt.replace(/ /g, "-"), salt);
      const tipsterView = c.openTipAsTipster({
        payload: sealed.payload,
        tipsterEnvelope: sealed.tipsterEnvelope,
        receiptBoxSecretKey: again.boxSecretKey,
      });
      const secret = c.sha256(c.utf8Encode("s"));
      const challenge = c.issuePowChallenge({ secret, nowMs: 0, ttlMs: 1000, difficulty: 12 });
      const solution = await c.solvePow(challenge);
      const spent = new Set<string>();
      const store = {
        isSpent: (id: string) => spent.has(id),
        markSpent: (id: string) => void spent.add(id),
      };
      const pow = await c.verifyPow({ challenge, solution, secret, nowMs: 1, store });
      return {
        receipt,
        staffText: staffView.payload.text,
        tipsterText: tipsterView.payload.text,
        sameLookup: c.authLookupHash(rk.authSecret) === c.authLookupHash(again.authSecret),
        powDifficulty: pow.difficulty,
      };
    });
    expect(out.receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    expect(out.staffText).toBe("雷波民族中学饭卡");
    expect(out.tipsterText).toBe("雷波民族中学饭卡");
    expect(out.sameLookup).toBe(true);
    expect(out.powDifficulty).toBe(12);
  });

  it("decodes base64url in the browser, refusing exactly what Node refuses", async () => {
    const lengths = Array.from({ length: 70 }, (_, n) => n);
    const encoded = lengths.map((n) =>
      Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 0xff)).toString(
        "base64url",
      ),
    );
    const refused = [
      "A", // impossible length
      "AAAAA",
      "AB==", // padding
      "AB=",
      "AAA=",
      "AB C", // whitespace, which fromBase64 alone would skip
      " ABC",
      "ABC\n",
      "AB+/", // the standard alphabet
      "AB", // non-zero unused bits ("AA" is canonical)
      "ABD",
      "AAAAAB",
      "ÄBCD",
      "ABC\u0000",
    ];
    const out = await page.evaluate(
      ({ encoded, refused }) => {
        const c = window.crosswatchCryptoSuite.crypto;
        const code = (text: string) => {
          try {
            c.base64urlDecode(text);
            return "accepted";
          } catch (e) {
            return (e as { code?: string }).code ?? "other";
          }
        };
        return {
          decoded: encoded.map((t) => c.toHex(c.base64urlDecode(t))),
          refused: refused.map(code),
          canonical: ["", "AA", "AAE", "AAAA", "_-8"].map(code),
        };
      },
      { encoded, refused },
    );
    expect(out.decoded).toEqual(encoded.map((t) => Buffer.from(t, "base64url").toString("hex")));
    expect(out.refused).toEqual(refused.map(() => "bad_format"));
    expect(out.canonical).toEqual(["accepted", "accepted", "accepted", "accepted", "accepted"]);
  });
});
