/**
 * Receipt attempts are rate-limited per client (in memory, keyed by context.clientKey): after 20
 * lookups in 10 minutes both the API and the no-JS form answer 429 with a localized message and
 * Retry-After, even for the right receipt, and nothing is looked up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64urlEncode, systemRandom } from "../../crypto/index";
import { startServer, type RunningServer } from "../support/server";
import { createTestTip, type TestTip } from "../support/tip-fixture";

let server: RunningServer;
let tip: TestTip;

beforeAll(async () => {
  server = await startServer();
  tip = await createTestTip(server);
});

afterAll(async () => {
  await server?.stop();
});

const open = (authSecret: string, lang = "zh-CN") =>
  fetch(`${server.url}/api/status/open`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: `lang=${lang}` },
    body: JSON.stringify({ authSecret }),
  });

describe("status lookups are rate-limited per client", () => {
  it("allows 20 attempts, then answers 429 on both paths, even for the right receipt", async () => {
    const wrong = await Promise.all(
      Array.from({ length: 20 }, () => open(base64urlEncode(systemRandom(32)))),
    );
    expect(wrong.map((r) => r.status)).toEqual(Array(20).fill(404));

    const right = await open(base64urlEncode(tip.receiptKeys.authSecret), "en");
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await right.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/Too many attempts/);

    const form = await fetch(`${server.url}/status`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "open", receipt: tip.receipt }).toString(),
    });
    expect(form.status).toBe(429);
    const html = await form.text();
    expect(html).toContain("尝试次数过多");
    expect(html).not.toContain("韩城桥村");
  });
});
