/**
 * Issue 12 item 5: a bounded localhost flood — thousands of junk submissions and receipt guesses
 * from many loopback addresses — is throttled, while a legitimate resident's report and status
 * look-up in the same run still succeed within seconds, and the server's memory stays bounded.
 *
 * Junk reports (1-byte bodies, a sealed report without proof of work, a wrong solution) are
 * refused with 400 by the cheap checks and never spend anyone's quota; receipt guesses get 404
 * until their address has used its 20 look-ups, then 429. The resident arrives from a fresh
 * address in the middle of the flood. Counts are printed for docs/reliability.md.
 *
 * SQLite pass only: the throttling is in the server process (per node, docs/scaling.md) and junk
 * never reaches the database, so the PostgreSQL pass would repeat the same minute for nothing.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64urlEncode, systemRandom } from "../../crypto/index";
import {
  LoopbackAddresses,
  openStatus,
  postReport,
  readersFor,
  reportBody,
  runPool,
  sealLoadTips,
  solvedPow,
  statusCounts,
  withFreshReceipt,
  type HttpResult,
  type LoadTip,
} from "../support/load";
import { rawSql, startServer, TEST_ENGINE, type RunningServer } from "../support/server";
import { serverEnv } from "../support/tip-fixture";

const JUNK_REPORTS = 1_200;
const GUESSES = 1_500;
/** Guessing addresses: each makes 30 guesses (20 allowed an hour, then 429). */
const GUESSERS = GUESSES / 30;
const CONCURRENCY = 48;

let server: RunningServer;
let tip: LoadTip;

const run = TEST_ENGINE === "sqlite";

beforeAll(async () => {
  if (!run) return;
  server = await startServer({ env: { POW_DIFFICULTY: "8" } });
  const readers = await readersFor(server, "tj-jinnan");
  tip = (await sealLoadTips(readers, 1, { salt: serverEnv(server).receiptSalt, tag: "flood" }))[0]!;
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** Resident set size of the server process, in MB (Linux). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

describe.skipIf(!run)("flood", () => {
  it("throttles thousands of junk reports and receipt guesses; a resident still reports and looks up", async () => {
    const pid = server.proc.pid!;
    const rssBefore = rssMb(pid);

    const wrongPow = reportBody(withFreshReceipt(tip), {
      challenge: (await solvedPow(server.url, "127.0.0.9")).challenge,
      solution: base64urlEncode(systemRandom(8)),
    });
    const junkBodies = [
      { body: Buffer.from("x"), contentType: "multipart/form-data; boundary=zz" },
      reportBody(withFreshReceipt(tip), null),
      wrongPow,
    ];
    type Job = { kind: "junk" | "guess"; from: string };
    const junkFrom = new LoopbackAddresses(110);
    const jobs: Job[] = [];
    for (let i = 0; i < JUNK_REPORTS; i++) jobs.push({ kind: "junk", from: junkFrom.next() });
    for (let g = 0; g < GUESSERS; g++) {
      for (let i = 0; i < GUESSES / GUESSERS; i++) {
        jobs.push({ kind: "guess", from: `127.111.${1 + Math.floor(g / 254)}.${1 + (g % 254)}` });
      }
    }
    // Interleave the two kinds so both run through the whole flood.
    jobs.sort(() => Math.random() - 0.5);

    const junk: HttpResult[] = [];
    const guesses: HttpResult[] = [];
    let resident: Promise<{ report: HttpResult; lookup: HttpResult }> | null = null;
    const started = performance.now();
    await runPool(jobs, CONCURRENCY, async (job, i) => {
      if (i === Math.floor(jobs.length / 3)) {
        // A resident from a fresh address, in the middle of the flood.
        resident = (async () => {
          const mine = withFreshReceipt(tip);
          const from = "127.112.0.1";
          const report = await postReport(
            server.url,
            reportBody(mine, await solvedPow(server.url, from)),
            from,
          );
          const lookup = await openStatus(server.url, mine.authSecret, from);
          return { report, lookup };
        })();
      }
      if (job.kind === "junk") {
        junk.push(await postReport(server.url, junkBodies[i % junkBodies.length]!, job.from));
      } else {
        guesses.push(await openStatus(server.url, systemRandom(32), job.from));
      }
    });
    const floodSeconds = (performance.now() - started) / 1000;
    expect(resident).not.toBeNull();
    const mine = await resident!;

    // The resident got through, in seconds, while the flood was running.
    expect(mine.report.status, JSON.stringify(mine.report.json)).toBe(201);
    expect(mine.lookup.status).toBe(200);
    expect(mine.report.ms + mine.lookup.ms).toBeLessThan(30_000);

    // Every junk report refused by the cheap checks, none stored, no 5xx anywhere.
    const junkCounts = statusCounts(junk);
    expect(junkCounts).toEqual({ "400": JUNK_REPORTS });
    const guessCounts = statusCounts(guesses);
    expect(Object.keys(guessCounts).sort()).toEqual(["404", "429"]);
    // Each guessing address had its 20 look-ups an hour, no more.
    expect(guessCounts["404"]).toBe(GUESSERS * 20);
    expect(guessCounts["429"]).toBe(GUESSES - GUESSERS * 20);
    const stored = await rawSql<{ n: number | string }>(
      server.database,
      "select count(*) as n from tips where receipt_auth_hash = $1",
      [tip.receiptAuthHash],
    );
    expect(Number(stored[0]!.n)).toBe(0);

    const rssAfter = rssMb(pid);
    // Bounded: the per-client tables hold ~100 bytes a client; the flood must not grow the
    // process by more than a generous margin for the heap's own slack.
    expect(rssAfter - rssBefore).toBeLessThan(200);
    console.log(
      `flood: ${JUNK_REPORTS} junk reports from ${JUNK_REPORTS} addresses → ${JSON.stringify(junkCounts)}; ` +
        `${GUESSES} receipt guesses from ${GUESSERS} addresses → ${JSON.stringify(guessCounts)}; ` +
        `in ${floodSeconds.toFixed(1)} s at ${CONCURRENCY} concurrent; resident report ` +
        `${mine.report.status} in ${(mine.report.ms / 1000).toFixed(2)} s, look-up ` +
        `${mine.lookup.status} in ${(mine.lookup.ms / 1000).toFixed(2)} s; server RSS ` +
        `${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB`,
    );
  }, 300_000);
});
