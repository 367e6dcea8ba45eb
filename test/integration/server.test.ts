import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, openDb, withTx } from "../../db/client";
import { revokeSession } from "../../app/services/sessions.server";
import { startServer, type RunningServer } from "../support/server";
import { loginAs } from "../support/staff-login";

const TIANJIN = [
  "和平区",
  "河东区",
  "河西区",
  "南开区",
  "河北区",
  "红桥区",
  "东丽区",
  "西青区",
  "津南区",
  "北辰区",
  "滨海新区",
  "武清区",
  "宝坻区",
  "宁河区",
  "静海区",
  "蓟州区",
];

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const get = (path: string, init?: RequestInit) =>
  fetch(server.url + path, { redirect: "manual", ...init });

describe("public pages", () => {
  it("lists all 16 Tianjin districts and their stationed teams in Chinese", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="zh-CN"');
    for (const name of TIANJIN) expect(html).toContain(name);
    expect(html).toContain("北辰区");
    expect(html).toMatch(/进驻/);
  });

  it("shows the team stationed in 津南区, where it comes from and what it inspects", async () => {
    const res = await get("/districts/tj-jinnan");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("津南区");
    expect(html).toContain("北辰");
    expect(html).toContain("韩城桥村");
  });

  it("sets no cookie on public pages", async () => {
    for (const path of ["/", "/districts/tj-jinnan", "/nope"]) {
      expect((await get(path)).headers.get("set-cookie")).toBeNull();
    }
  });

  it("answers unknown addresses and districts with a localized 404 page", async () => {
    const unknown = await get("/districts/atlantis");
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("找不到这个页面");
    const nowhere = await get("/no/such/page");
    expect(nowhere.status).toBe(404);
    const en = await get("/no/such/page", { headers: { Cookie: "lang=en" } });
    expect(en.status).toBe(404);
    expect(await en.text()).toContain("Page not found");
  });

  it("answers a bad query with a localized 400 page", async () => {
    const res = await get("/?region=" + encodeURIComponent("<script>"));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("请求有误");
  });

  it("switches language with a plain form post and remembers it in the only cookie", async () => {
    const res = await get("/lang", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "lang=en&returnTo=%2Fdistricts%2Ftj-jinnan",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/districts/tj-jinnan");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^lang=en;/);
    const page = await get("/districts/tj-jinnan", { headers: { Cookie: "lang=en" } });
    const html = await page.text();
    expect(html).toContain('lang="en"');
    expect(html).toContain("Jinnan");
  });

  it("refuses an open redirect from the language switch", async () => {
    const res = await get("/lang", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "lang=en&returnTo=%2F%2Fevil.example",
    });
    expect(res.headers.get("location")).toBe("/");
    const bad = await get("/lang", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "lang=xx",
    });
    expect(bad.status).toBe(400);
  });
});

describe("security headers", () => {
  it("sends a CSP with a fresh nonce per response, and every script carries it", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await get("/");
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      seen.add(nonce!);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toMatch(/https?:\/\//);
      // Decrypted evidence photos are shown from blob: URLs: allowed for images only.
      const directive = (name: string) =>
        csp
          .split(";")
          .map((d) => d.trim())
          .find((d) => d.startsWith(`${name} `));
      expect(directive("img-src")).toBe("img-src 'self' data: blob:");
      for (const name of ["script-src", "connect-src", "frame-src", "object-src", "style-src"]) {
        expect(directive(name), name).not.toContain("blob:");
      }
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(seen.size).toBe(3);
  });

  it("sends HSTS, nosniff, no-referrer, a restrictive Permissions-Policy and COOP + COEP everywhere", async () => {
    for (const path of [
      "/",
      "/no/such/page",
      "/favicon.svg",
      "/districts/tj-jinnan",
      "/status",
      "/report",
    ]) {
      const res = await get(path);
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("permissions-policy")).toContain("camera=()");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-powered-by")).toBeNull();
      // cross-origin isolated (the receipt KDF's two lanes share memory between workers)
      expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(res.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    }
  });

  it("serves hashed assets as immutable and compressed", async () => {
    // /status is hydrated (the home page is plain HTML with no script files).
    const html = await (await get("/status")).text();
    const asset = /src="(\/build\/[^"]+\.js)"|href="(\/build\/[^"]+\.js)"/.exec(html);
    const path = asset?.[1] ?? asset?.[2];
    expect(path).toBeTruthy();
    const br = await get(path!, { headers: { "Accept-Encoding": "br" } });
    expect(br.status).toBe(200);
    expect(br.headers.get("cache-control")).toContain("immutable");
    // A subresource carries what applies to it, not the page's policies (≈ 650 bytes a file).
    expect(br.headers.get("x-content-type-options")).toBe("nosniff");
    expect(br.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(br.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(br.headers.get("content-security-policy")).toContain("object-src 'none'");
    expect(br.headers.get("content-security-policy")).not.toContain("nonce-");
    expect(br.headers.get("permissions-policy")).toBeNull();
    expect(br.headers.get("x-frame-options")).toBeNull();
    const gz = await fetch(server.url + "/", { headers: { "Accept-Encoding": "gzip" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
  });

  it("never logs client addresses, user agents or request lines", async () => {
    const canary = "CanaryAgent/" + Math.random().toString(36).slice(2);
    await get("/?region=tianjin", { headers: { "User-Agent": canary } });
    await get("/no/such/page", { headers: { "User-Agent": canary } });
    await new Promise((r) => setTimeout(r, 200));
    const out = server.output();
    expect(out).not.toContain(canary);
    expect(out).not.toContain("127.0.0.1");
    expect(out).not.toMatch(/GET \//);
  });
});

describe("start-up", () => {
  // Issue 13 item 7 (cold start): the server compiles its bundle with the code cache the build
  // made (server/code-cache.ts) — as `npm run serve` runs it, with serve's node flags.
  it("starts with the build's code cache", () => {
    const listening = server
      .output()
      .split("\n")
      .find((l) => l.includes('"server.listening"'));
    expect(JSON.parse(listening!)).toMatchObject({ codeCache: true });
  });
});

describe("staff sessions", () => {
  it("a session row written by the test logs a staff member in; revoking it logs out at once", async () => {
    const anonymous = await get("/staff");
    expect(anonymous.status).toBe(401);
    const { cookie, sessionId } = await loginAs(server.database, "staff-tj-office");
    const page = await get("/staff", { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("巡察办管理员");
    const db = await openDb(server.database, { migrate: false });
    await withTx(db, (tx) => revokeSession(tx, sessionId));
    await closeDb(db);
    expect((await get("/staff", { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("a session without the second factor is not enough", async () => {
    const { cookie } = await loginAs(server.database, "staff-tj-office", { secondFactor: false });
    expect((await get("/staff", { headers: { Cookie: cookie } })).status).toBe(401);
  });
});

describe("cross-site form posts", () => {
  const post = (headers: Record<string, string>) =>
    get("/lang", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: "lang=en&returnTo=%2F",
    });

  it("accepts our own no-JS form posts, which arrive with Origin: null under no-referrer", async () => {
    expect((await post({ Origin: "null", "Sec-Fetch-Site": "same-origin" })).status).toBe(303);
    expect((await post({ Origin: server.url })).status).toBe(303);
  });

  it("refuses posts from other sites with a 403, not a 500", async () => {
    expect((await post({ Origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ Origin: "null", "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect((await post({ Origin: "not a url" })).status).toBe(403);
  });
});
