/**
 * Issue 11 item 1 against the real server: per-client limits behind a reverse proxy and under a
 * junk flood.
 * - TRUST_PROXY: X-Forwarded-For names the client only when the TCP peer is a listed proxy; from
 *   any other peer the header is ignored (a client cannot pick a fresh identity per request).
 * - Junk (1-byte bodies, bad shapes, missing or wrong proof of work, invalid no-JS forms,
 *   malformed look-ups) never spends a client's quota: a resident behind the same address still
 *   reports, during a junk flood from many other addresses too.
 * - Valid submissions still spend it (20 an hour), and when they flood in from many addresses the
 *   proof-of-work difficulty goes up while a new resident's report is still accepted.
 * Source addresses are loopback addresses (127.x.y.z via localAddress), one per actor.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64urlEncode, parsePowChallenge, solvePowSync, systemRandom } from "../../crypto/index";
import {
  LoopbackAddresses,
  openStatus,
  postReport,
  readersFor,
  reportBody,
  request,
  runPool,
  sealLoadTips,
  solvedPow,
  withFreshReceipt,
  type HttpResult,
  type LoadTip,
} from "../support/load";
import { startServer, type RunningServer } from "../support/server";
import { serverEnv } from "../support/tip-fixture";

const BASE_BITS = 8;
let server: RunningServer;
let tip: LoadTip;

beforeAll(async () => {
  server = await startServer({
    // Only 127.0.0.1 is the "proxy"; every other loopback address is an ordinary client.
    env: { TRUST_PROXY: "127.0.0.1", POW_DIFFICULTY: String(BASE_BITS) },
  });
  const readers = await readersFor(server, "tj-jinnan");
  tip = (await sealLoadTips(readers, 1, { salt: serverEnv(server).receiptSalt }))[0]!;
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const lookup = (from: string, forwardedFor?: string) =>
  request(server.url, {
    method: "POST",
    path: "/api/status/open",
    localAddress: from,
    headers: {
      "Content-Type": "application/json",
      ...(forwardedFor ? { "X-Forwarded-For": forwardedFor } : {}),
    },
    body: Buffer.from(JSON.stringify({ authSecret: base64urlEncode(systemRandom(32)) })),
  });

const statuses = (rs: HttpResult[]) => rs.map((r) => r.status);

/** A valid report of the sealed tip under a fresh receipt, with a proof of work solved here. */
async function validReport(from: string) {
  return reportBody(withFreshReceipt(tip), await solvedPow(server.url, from));
}

describe("TRUST_PROXY", () => {
  it("takes the client from X-Forwarded-For only when the peer is a trusted proxy", async () => {
    // Through the proxy: one resident's 20 look-ups use up only that resident's quota.
    const first = await Promise.all(
      Array.from({ length: 20 }, () => lookup("127.0.0.1", "198.51.100.9, 203.0.113.7")),
    );
    expect(statuses(first)).toEqual(Array(20).fill(404));
    expect((await lookup("127.0.0.1", "203.0.113.7")).status).toBe(429);
    // Another resident behind the same proxy is a different client.
    expect((await lookup("127.0.0.1", "203.0.113.8")).status).toBe(404);

    // Straight from an untrusted peer the header is ignored: 20 forged addresses are one client.
    const forged = await Promise.all(
      Array.from({ length: 20 }, (_, i) => lookup("127.0.0.2", `203.0.113.${100 + i}`)),
    );
    expect(statuses(forged)).toEqual(Array(20).fill(404));
    const next = await lookup("127.0.0.2", "203.0.113.200");
    expect(next.status).toBe(429);
    expect(next.json.error.code).toBe("rate_limited");
  });
});

describe("junk never spends a resident's quota", () => {
  it("a resident's report succeeds after 30 junk requests from the same address and during a junk flood from others", async () => {
    const resident = "127.0.0.3";
    const wrongPow = reportBody(withFreshReceipt(tip), {
      challenge: (await solvedPow(server.url, resident)).challenge,
      solution: base64urlEncode(systemRandom(8)),
    });
    const junk = [
      { body: Buffer.from("x"), contentType: "multipart/form-data; boundary=zz" },
      reportBody(tip, null),
      wrongPow,
    ];
    const flooders = new LoopbackAddresses(5);
    const flood = Array.from({ length: 150 }, (_, i) => junk[i % junk.length]!);
    const floodDone = runPool(flood, 8, async (body) => {
      const r = await postReport(server.url, body, flooders.next());
      expect(r.status).toBe(400);
    });
    const own: HttpResult[] = [];
    for (let i = 0; i < 30; i++) own.push(await postReport(server.url, junk[i % 3]!, resident));
    expect(statuses(own)).toEqual(Array(30).fill(400));
    // Malformed look-ups do not spend the look-up quota either.
    for (let i = 0; i < 25; i++) {
      const r = await request(server.url, {
        method: "POST",
        path: "/api/status/open",
        localAddress: resident,
        headers: { "Content-Type": "application/json" },
        body: Buffer.from(JSON.stringify({ authSecret: "not base64url!" })),
      });
      expect(r.status).toBe(400);
    }

    const ok = await postReport(server.url, await validReport(resident), resident);
    expect(ok.status).toBe(201);
    expect((await openStatus(server.url, systemRandom(32), resident)).status).toBe(404);
    await floodDone;
  }, 180_000);

  it("invalid no-JS forms do not spend the quota; a valid one from the same address is stored", async () => {
    const resident = "127.0.0.4";
    const formBody = async (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      const req = new Request("http://x/", { method: "POST", body: form });
      return {
        body: Buffer.from(await req.arrayBuffer()),
        contentType: req.headers.get("content-type")!,
      };
    };
    const post = (b: { body: Buffer; contentType: string }) =>
      request(server.url, {
        method: "POST",
        path: "/report?district=tj-jinnan",
        localAddress: resident,
        headers: { "Content-Type": b.contentType },
        body: b.body,
      });
    const invalid = await formBody({ intent: "submit", district: "tj-jinnan", text: "" });
    for (let i = 0; i < 25; i++) expect((await post(invalid)).status).toBe(400);
    const valid = await post(
      await formBody({
        intent: "submit",
        district: "tj-jinnan",
        unit: "tj-jinnan-hanchengqiao",
        category: "livelihood",
        text: "补贴没有发到户。",
        identity: "anonymous",
        onlyOutsiders: "yes",
      }),
    );
    expect(valid.status).toBe(201);
  }, 120_000);
});

describe("valid submissions", () => {
  it("spend the quota: the 21st valid report in an hour from one address is refused with 429", async () => {
    const sender = "127.0.0.6";
    const results: HttpResult[] = [];
    for (let i = 0; i < 21; i++) {
      results.push(await postReport(server.url, await validReport(sender), sender));
    }
    expect(statuses(results)).toEqual([...Array(20).fill(201), 429]);
    expect(results[20]!.json.error.code).toBe("rate_limited");
  }, 180_000);

  it("flooding in from many addresses raise the difficulty instead of locking residents out", async () => {
    const many = new LoopbackAddresses(6);
    const before = parsePowChallenge(
      (await request(server.url, { path: "/api/pow", localAddress: many.next() })).json.challenge,
    ).difficulty;
    const reports = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const from = many.next();
        return { from, report: await validReport(from) };
      }),
    );
    const flood: HttpResult[] = [];
    await runPool(reports, 8, async ({ from, report }) => {
      flood.push(await postReport(server.url, report, from));
    });
    expect(statuses(flood)).toEqual(Array(40).fill(201));

    const resident = many.next();
    const res = await request(server.url, { path: "/api/pow", localAddress: resident });
    const raised = parsePowChallenge(res.json.challenge).difficulty;
    expect(raised).toBeGreaterThan(before);
    expect(raised).toBeLessThanOrEqual(BASE_BITS + 4);
    const body = reportBody(withFreshReceipt(tip), {
      challenge: res.json.challenge,
      solution: solvePowSync(res.json.challenge),
    });
    expect((await postReport(server.url, body, resident)).status).toBe(201);
  }, 180_000);
});
