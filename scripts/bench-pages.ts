/**
 * Page budgets of the report flow, part of `npm run bench` (`npx tsx scripts/bench-pages.ts`).
 *
 * Builds the app (into CROSSWATCH_BUILD_DIR, default ./build; skip with CROSSWATCH_BUILT=1),
 * starts the real server with demo data, loads /report?district=tj-jinnan in Chromium at phone
 * size and sums what crossed the wire (compressed, as served): the page's JavaScript and its
 * total transfer before any file is added. Then focuses the form (which starts loading crypto)
 * and reports the extra bytes; checks that the zero-JavaScript public pages load no script file
 * and at most 2 KB of inline script; and times stripping + encrypting a 5 MB photo in Chromium
 * under 4× CPU throttling. Prints each figure with its target and pass/fail; never fails.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:http";
import { build } from "esbuild";
import { launchChromium } from "../test/support/chromium";
import { printBenchRows, type BenchRow } from "./lib/table";
import { startServer as startTestServer } from "../test/support/server";

const REPO_ROOT = process.cwd();

/** The real built server on a free port with a fresh demo database (test/support/server.ts, for tsx). */
/** The real built server with fresh demo data; its temp data directory goes when it stops. */
async function startServer() {
  const server = await startTestServer();
  return {
    ...server,
    async stop() {
      await server.stop();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    },
  };
}

/** Public pages that need no script (issue 13 item 3). */
const ZERO_JS_PAGES = ["/", "/districts/tj-jinnan", "/safety", "/results"];

const HARD_LIMIT_MS = 170_000;
const killer = setTimeout(() => {
  console.error("bench-pages: exceeded its time budget, stopping");
  process.exit(0);
}, HARD_LIMIT_MS);
killer.unref();

type Row = BenchRow;
const rows: Row[] = [];

/** The in-browser part of the report's file handling, bundled alone for timing. */
async function fileBenchBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { stripMetadata } from "./app/client/status/strip-metadata";
        import { encryptAttachment } from "./crypto/index";
        (window as any).reportFileBench = { stripMetadata, encryptAttachment };`,
      resolveDir: REPO_ROOT,
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

async function main(): Promise<void> {
  const started = performance.now();
  if (process.env.CROSSWATCH_BUILT !== "1") {
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: REPO_ROOT, stdio: "ignore" });
  }
  const server = await startServer();
  const browser = await launchChromium();
  try {
    // ---------------------------------------------------------------- /report transfer
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    const types = new Map<string, string>();
    const sizes = new Map<string, number>();
    cdp.on("Network.responseReceived", (e) => types.set(e.requestId, e.type));
    cdp.on("Network.loadingFinished", (e) => sizes.set(e.requestId, e.encodedDataLength));
    const sum = (filter: (type: string) => boolean) =>
      [...sizes].reduce((n, [id, bytes]) => n + (filter(types.get(id) ?? "") ? bytes : 0), 0);

    await page.goto(`${server.url}/report?district=tj-jinnan`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "加密并提交" }).waitFor();
    const js = sum((t) => t === "Script");
    const total = sum(() => true);
    rows.push({
      name: "/report JavaScript (compressed)",
      measured: js / 1024,
      target: 120,
      unit: "KiB",
      note: "everything loaded before the resident starts writing",
    });
    rows.push({
      name: "/report total transfer",
      measured: total / 1024,
      target: 200,
      unit: "KiB",
      note: "HTML, CSS, JS, icon; before files are added",
    });
    await page.getByLabel("发生了什么").focus();
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(500);
    rows.push({
      name: "crypto loaded on first focus",
      measured: (sum((t) => t === "Script") - js) / 1024,
      target: null,
      unit: "KiB",
      note: "lazy chunk: report client + crypto/ (argon2id, tweetnacl)",
    });
    await context.close();

    // ------------------------------------------- zero-JavaScript public pages (issue 13 item 3)
    // No script files (so no framework and no hydration) and at most one small inline script.
    for (const path of ZERO_JS_PAGES) {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const p = await ctx.newPage();
      const scripts: string[] = [];
      p.on("request", (r) => {
        if (r.resourceType() === "script") scripts.push(r.url());
      });
      const res = await p.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
      if (!res || res.status() !== 200) throw new Error(`${path}: ${res?.status()}`);
      const inline = await p.evaluate(() => {
        const list = [...document.querySelectorAll("script:not([src])")];
        return {
          count: list.length,
          bytes: list.reduce(
            (n, el) => n + new TextEncoder().encode(el.textContent ?? "").length,
            0,
          ),
          remix: "__remixContext" in window,
        };
      });
      rows.push({
        name: `${path}: script files loaded`,
        measured: scripts.length,
        target: 0,
        unit: "",
        note: inline.remix ? "Remix context present (hydration)" : "no framework, no hydration",
      });
      rows.push({
        name: `${path}: inline script (${inline.count})`,
        measured: inline.bytes,
        target: 2048,
        unit: "B",
        note: "the quick exit's history replacement, nonce'd",
      });
      await ctx.close();
    }

    // ---------------------------------------------------------------- 5 MB photo, 4× throttling
    const bundle = await fileBenchBundle();
    const http = createServer((req, res) => {
      if (req.url === "/bench.js") {
        res.writeHead(200, { "Content-Type": "text/javascript" });
        res.end(bundle);
      } else {
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end('<!doctype html><meta charset="utf-8"><script src="/bench.js"></script>');
      }
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const port = (http.address() as { port: number }).port;
    try {
      const p = await browser.newPage();
      await p.goto(`http://127.0.0.1:${port}/`);
      await p.waitForFunction(() => "reportFileBench" in window);
      const c2 = await p.context().newCDPSession(p);
      await c2.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      const ms = await p.evaluate(() => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench global
        const b = (window as any).reportFileBench;
        const size = 5 * 1024 * 1024;
        const photo = new Uint8Array(size);
        for (let i = 0; i < size; i += 4096) photo[i] = i & 0xff;
        // SOI, an EXIF segment (what is stripped), a start-of-scan, then "pixels".
        photo.set([0xff, 0xd8, 0xff, 0xe1, 0x01, 0x00], 0);
        photo.set([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0], 2 + 2 + 256);
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          const stripped = b.stripMetadata(photo, "image/jpeg");
          b.encryptAttachment(stripped, { name: "photo.jpg", type: "image/jpeg" });
          times.push(performance.now() - t);
        }
        return times.sort((x, y) => x - y)[1]!;
      });
      rows.push({
        name: "5 MB photo strip + encrypt, 4× CPU",
        measured: ms,
        target: 500,
        unit: "ms",
        note: "Chromium, CPU throttled 4× (≈ a cheap phone)",
      });
    } finally {
      http.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }

  printBenchRows("page budgets", rows);
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

main().catch((err) => {
  console.error("bench-pages:", err instanceof Error ? err.message : err);
  process.exit(0);
});
