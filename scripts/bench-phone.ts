/**
 * A resident on a mid-range phone, end to end — part of `npm run bench` (`npx tsx scripts/bench-phone.ts`).
 *
 * Real built server (demo data), Chromium at 390×844 with 4× CPU throttling and a slow mobile
 * link (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up). The resident opens the report form,
 * writes (while the page derives the receipt's keys, checks the readers and solves the proof of
 * work in workers), attaches a 3 MB photo (which the page encrypts at once) and sends once that
 * background work is done (or after 20 s); later types the receipt on the status page.
 *
 * Printed, each with target and pass/fail:
 * - submit overhead = time from tapping "send" to the receipt on screen, minus the link's own
 *   time to carry the request (its bytes at 750 kbit/s plus one latency);
 * - status: typing the receipt → the case on screen;
 * - the longest main-thread task during the submit (PerformanceObserver 'longtask'), and the
 *   longest one by the main thread's own CPU time from a DevTools trace (informational: on a
 *   shared, loaded machine a task's wall time also counts the time the OS ran other processes);
 * - the longest time the progress bar stood still during the submit.
 * DevTools CPU throttling slows the page's main thread but not its Web Workers, so worker work
 * on the critical path (reported by the page as User Timing measures) is added 3 more times to
 * the overheads ("at 4×"), as if the workers had been throttled too. Informational, never fails.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { CURRENT_RECEIPT_KDF_VERSION } from "../crypto/index";
import { launchChromium } from "../test/support/chromium";
import { startServer } from "../test/support/server";
import { printTable, type BenchRow } from "./lib/table";

const LINK = { latencyMs: 150, downBytesPerS: 1_600_000 / 8, upBytesPerS: 750_000 / 8 };
const PHOTO_BYTES = 3 * 1024 * 1024;
const SHOTS = process.env.BENCH_SHOTS; // a directory to keep screenshots of the progress bar

const killer = setTimeout(() => {
  console.error("bench-phone: exceeded its time budget, stopping");
  process.exit(0);
}, 300_000);
killer.unref();

type Row = BenchRow;

interface WorkerMeasure {
  name: string;
  start: number;
  end: number;
  workerMs: number;
  /** threads the receipt's argon2id used (2 when the page is cross-origin isolated) */
  threads: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** The longest task on a renderer's main thread by its own CPU time (trace µs → ms). */
function longestMainThreadCpuMs(trace: TraceEvent[]) {
  const main = new Set(
    trace
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  let cpuMs = 0;
  let wallMs = 0;
  let tasks = 0;
  for (const e of trace) {
    if (e.name !== "RunTask" || e.ph !== "X" || !main.has(`${e.pid}:${e.tid}`)) continue;
    tasks++;
    const cpu = (e.tdur ?? 0) / 1000;
    if (cpu > cpuMs) {
      cpuMs = cpu;
      wallMs = (e.dur ?? 0) / 1000;
    }
  }
  return { cpuMs, wallMs, tasks };
}

/** The page's record of its worker calls (app/client/worker/host.ts). */
function workerMeasures(page: Page): Promise<WorkerMeasure[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType("measure")
      .filter((m) => m.name.startsWith("crosswatch:worker:"))
      .map((m) => ({
        name: m.name,
        start: m.startTime,
        end: m.startTime + m.duration,
        workerMs: ((m as PerformanceMeasure).detail as { workerMs: number }).workerMs,
        threads: ((m as PerformanceMeasure).detail as { threads?: number }).threads ?? 1,
      })),
  );
}

/** Worker time after `from` (the part of each call that falls after it, by its worker share). */
function workerMsAfter(measures: WorkerMeasure[], from: number): number {
  let sum = 0;
  for (const m of measures) {
    if (m.end <= from) continue;
    const span = Math.max(1, m.end - m.start);
    const after = Math.min(1, (m.end - Math.max(from, m.start)) / span);
    sum += m.workerMs * after;
  }
  return sum;
}

async function main() {
  if (process.env.CROSSWATCH_BUILT !== "1") {
    execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "ignore" });
  }
  const server = await startServer();
  const browser = await launchChromium();
  const rows: Row[] = [];
  try {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: LINK.latencyMs,
      downloadThroughput: LINK.downBytesPerS,
      uploadThroughput: LINK.upBytesPerS,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    // The request's size as the browser sends it (upload progress knows the body's total).
    await page.addInitScript(() => {
      const send = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (body) {
        this.upload.addEventListener("progress", (e) => {
          (window as unknown as { __uploadTotal: number }).__uploadTotal = e.total;
        });
        return send.call(this, body);
      };
    });

    // A real 3 MB JPEG, made before throttling matters (it is the resident's camera's work).
    await page.goto(`${server.url}/safety`);
    const photo = Buffer.from(
      await page.evaluate(async (target) => {
        const w = 2600;
        const h = 1950;
        const c = new OffscreenCanvas(w, h);
        const g = c.getContext("2d")!;
        const img = g.createImageData(w, h);
        for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 2654435761) >>> 24;
        g.putImageData(img, 0, 0);
        let q = 0.9;
        let blob = await c.convertToBlob({ type: "image/jpeg", quality: q });
        while (blob.size > target * 1.1 && q > 0.3) {
          q -= 0.1;
          blob = await c.convertToBlob({ type: "image/jpeg", quality: q });
        }
        const url = await new Promise<string>((resolve) => {
          const r = new FileReader();
          r.onload = () => resolve(r.result as string);
          r.readAsDataURL(blob);
        });
        return url.slice(url.indexOf(",") + 1);
      }, PHOTO_BYTES),
      "base64",
    );

    const loadStart = Date.now();
    await page.goto(`${server.url}/report?district=tj-jinnan`);
    await page.getByRole("button", { name: "加密并提交" }).waitFor({ timeout: 60_000 });
    rows.push({
      name: "report form usable (slow link, 4×)",
      measured: Date.now() - loadStart,
      target: null,
      unit: "ms",
      note: "navigation → submit button hydrated",
    });
    // Writing the report: focus starts the workers (receipt keys, proof of work).
    await page.getByLabel("韩城桥村").check();
    await page.getByLabel("群众身边腐败和作风问题").check();
    await page.getByLabel("虚报冒领").check();
    await page
      .getByLabel("发生了什么")
      .fill("两名村干部虚报冒领拆迁补偿款，涉及三十多户村民，补偿款被截留一百五十多万元。");
    await page.getByLabel("证据文件（选填）").setInputFiles({
      name: "photo.jpg",
      mimeType: "image/jpeg",
      buffer: photo,
    });
    // A resident takes minutes to write; give the background work up to 20 s to finish.
    const prework = await page
      .waitForFunction(
        () => {
          const names = performance.getEntriesByType("measure").map((m) => m.name);
          // Every worker call made so far has finished (host.ts marks each when it is sent).
          const pending = new Map<string, number>();
          for (const m of performance.getEntriesByType("mark")) {
            const op = m.name.match(/^crosswatch:worker-start:(.+)$/)?.[1];
            if (op) pending.set(op, (pending.get(op) ?? 0) + 1);
          }
          for (const n of names) {
            const op = n.match(/^crosswatch:worker:(.+)$/)?.[1];
            if (op && pending.has(op)) pending.set(op, pending.get(op)! - 1);
          }
          return (
            names.includes("crosswatch:worker:receipt.prepare") &&
            names.includes("crosswatch:worker:pow.solve") &&
            [...pending.values()].every((n) => n <= 0)
          );
        },
        null,
        { timeout: 20_000 },
      )
      .then(() => true)
      .catch(() => false);

    await page.evaluate(() => {
      const w = window as unknown as { __longest: number; __tasks: [number, number][] };
      w.__longest = 0;
      w.__tasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          w.__longest = Math.max(w.__longest, e.duration);
          w.__tasks.push([Math.round(e.startTime), Math.round(e.duration)]);
        }
      }).observe({ type: "longtask" });
    });
    const trace: TraceEvent[] = [];
    cdp.on("Tracing.dataCollected", (e) => trace.push(...(e.value as unknown as TraceEvent[])));
    await cdp.send("Tracing.start", {
      categories: "devtools.timeline,disabled-by-default-devtools.timeline",
      transferMode: "ReportEvents",
    });
    const submitAt = await page.evaluate(() => performance.now());
    const t0 = Date.now();
    await page.getByRole("button", { name: "加密并提交" }).click();
    // The progress bar: sample it; note the longest stretch without a change.
    const sampler = page.evaluate(async () => {
      let last = -1;
      let lastChange = performance.now();
      let longestStill = 0;
      const started = performance.now();
      while (!document.querySelector("[data-receipt]") && performance.now() - started < 240_000) {
        const bar = document.querySelector<HTMLProgressElement>("#report-progress");
        const now = performance.now();
        if (bar && bar.value !== last) {
          if (last >= 0) longestStill = Math.max(longestStill, now - lastChange);
          last = bar.value;
          lastChange = now;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return longestStill;
    });
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.waitForFunction(
        () => document.querySelector("[data-step]")?.getAttribute("data-step") === "upload",
        null,
        { timeout: 60_000 },
      );
      await page.waitForTimeout(6000);
      await page.locator(".submit-area").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, "report-progress-upload-390.png") });
    }
    await page.getByRole("heading", { name: "举报已提交" }).waitFor({ timeout: 240_000 });
    const submitMs = Date.now() - t0;
    const traced = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
    await cdp.send("Tracing.end");
    await traced;
    const longestCpu = longestMainThreadCpuMs(trace);
    const receiptShownAt = await page.evaluate(() => performance.now());
    const longestStill = await sampler;
    const receipt = (await page.locator("[data-receipt]").getAttribute("data-receipt")) ?? "";
    const measures = await workerMeasures(page);
    const { longest, tasks } = await page.evaluate(() => ({
      longest: (window as unknown as { __longest: number }).__longest,
      tasks: (window as unknown as { __tasks: [number, number][] }).__tasks,
    }));
    const requestBytes = await page.evaluate(
      () => (window as unknown as { __uploadTotal?: number }).__uploadTotal ?? 0,
    );
    if (process.env.BENCH_DEBUG) {
      console.log(
        "submit at",
        Math.round(submitAt),
        "ms; receipt page shown at",
        Math.round(receiptShownAt),
        "ms",
      );
      console.log("long tasks [start, ms]:", JSON.stringify(tasks));
    }
    const transferMs = (requestBytes / LINK.upBytesPerS) * 1000 + LINK.latencyMs;
    const workerCritical = workerMsAfter(measures, submitAt);
    const overhead = submitMs - transferMs;
    rows.push({
      name: "submit → receipt (3 MB photo)",
      measured: submitMs,
      target: null,
      unit: "ms",
      note: `request ${(requestBytes / 1024 / 1024).toFixed(2)} MB = ${(transferMs / 1000).toFixed(1)} s on the link; background work ${prework ? "finished" : "NOT finished"} before sending`,
    });
    rows.push({
      name: "submit overhead at 4× (minus link transfer)",
      measured: overhead + 3 * workerCritical,
      target: 3000,
      unit: "ms",
      note: `${overhead.toFixed(0)} ms measured + 3 × ${workerCritical.toFixed(0)} ms of worker time after "send"`,
    });
    rows.push({
      name: "longest main-thread task during submit, 4×",
      measured: longest,
      target: 200,
      unit: "ms",
      note: "PerformanceObserver 'longtask' (0 = no task over 50 ms)",
    });
    rows.push({
      name: "longest main-thread task during submit, its CPU time",
      measured: longestCpu.cpuMs,
      target: null,
      unit: "ms",
      note: `DevTools trace, ${longestCpu.tasks} main-thread tasks; that task took ${longestCpu.wallMs.toFixed(0)} ms wall`,
    });
    rows.push({
      name: "longest time the progress bar stood still",
      measured: longestStill,
      target: 1000,
      unit: "ms",
      note: "sampled every 100 ms during the submit",
    });
    for (const op of [
      "receipt.prepare",
      "pow.solve",
      "readers.check",
      "file.encrypt",
      "tip.seal",
    ]) {
      const m = measures.find((x) => x.name === `crosswatch:worker:${op}`);
      if (m) {
        rows.push({
          name: `  worker: ${op}`,
          measured: m.workerMs,
          target: null,
          unit: "ms",
          note: `unthrottled worker time, ${m.end <= submitAt ? "before" : "after"} "send"`,
        });
      }
    }

    // ---------------------------------------------------------------- status page
    await page.goto(`${server.url}/status`);
    await page.getByRole("button", { name: "查看进展" }).waitFor();
    // The resident taps the field (that loads the status code, crypto/ and the worker, whose
    // argon2id lane helper then starts) and types 16 digits for some seconds: here the fill comes
    // once the worker says its helper is ready (at most 5 s), as a paste after the tap.
    await page.getByLabel("查询码（16位数字）").focus();
    await page
      .waitForFunction(
        () => performance.getEntriesByName("crosswatch:worker:lanes").length > 0,
        null,
        {
          timeout: 5000,
        },
      )
      .catch(() => undefined);
    await page.evaluate(() => performance.clearMeasures());
    const typedAt = await page.evaluate(() => performance.now());
    const s0 = Date.now();
    await page.getByLabel("查询码（16位数字）").fill(receipt);
    await page.getByRole("button", { name: "查看进展" }).click();
    await page.getByTestId("current-status").waitFor({ timeout: 60_000 });
    const statusMs = Date.now() - s0;
    const statusMeasures = await workerMeasures(page);
    const statusWorker = workerMsAfter(statusMeasures, typedAt);
    rows.push({
      name: "status: receipt typed → case on screen, 4×",
      measured: statusMs + 3 * statusWorker,
      target: 3000,
      unit: "ms",
      note: `${statusMs} ms measured + 3 × ${statusWorker.toFixed(0)} ms of worker time (KDF v${CURRENT_RECEIPT_KDF_VERSION})`,
    });
    // Item 5 where the resident meets it: the status page's derivation in its worker, as if the
    // worker threads were throttled 4× too (its wall time: two lanes on two threads in parallel).
    const derive = statusMeasures.find((m) => m.name === "crosswatch:worker:receipt.derive");
    if (derive) {
      rows.push({
        name: `receipt KDF v${CURRENT_RECEIPT_KDF_VERSION} in /status's worker, 4×`,
        measured: 4 * derive.workerMs,
        target: 1500,
        unit: "ms",
        note: `4 × ${derive.workerMs.toFixed(0)} ms wall on ${derive.threads} thread(s)`,
      });
    }
    await ctx.close();
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }

  printTable(
    "phone benchmarks: 390×844, 4× CPU, 150 ms / 1.6 Mbit/s down / 750 kbit/s up (ratio = measured / target)",
    ["name", "measured", "target", "ratio", "pass", "note"],
    rows.map((r) => [
      r.name,
      `${r.measured.toFixed(0)} ${r.unit}`,
      r.target === null ? "-" : `${r.target} ${r.unit}`,
      r.target === null ? "-" : (r.measured / r.target).toFixed(2),
      r.target === null ? "" : r.measured <= r.target ? "pass" : "FAIL",
      r.note ?? "",
    ]),
  );
}

main()
  .catch((e: unknown) => console.error("bench-phone failed:", e instanceof Error ? e.stack : e))
  .finally(() => clearTimeout(killer));
