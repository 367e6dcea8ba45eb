/**
 * Decoder errors at the HTTP edge are bad input: a localized 4xx, never a 500. Binary fields are
 * read through one strict base64url schema (`b64urlField`, docs/crypto.md §2), so a string that is
 * not the canonical encoding of some bytes fails validation before any decoder, proof-of-work
 * check or database work — on the public endpoints and on the staff API alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfToken } from "~/services/csrf.server";
import en from "~/i18n/en";
import zh from "~/i18n/zh-CN";
import { loginAs } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";
import { serverEnv } from "../support/tip-fixture";

/** 43 characters for 32 bytes, but the last one sets an unused low bit: no byte string encodes so. */
const NON_CANONICAL_32 = "A".repeat(42) + "B";
const CANONICAL_32 = "A".repeat(43);

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as ApiError | null };
}
type ApiError = { error?: { code: string; message: string } };

async function staffHeaders(staffId: string) {
  const s = await loginAs(server.database, staffId);
  return { Cookie: s.cookie, "X-CSRF-Token": csrfToken(serverEnv(server), s.sessionId) };
}

const withLang = (h: Record<string, string>, lang: string) => ({
  ...h,
  Cookie: `${h.Cookie}; lang=${lang}`,
});

describe("public endpoints", () => {
  it("/api/status/open: an auth secret with non-zero trailing bits is a localized 400", async () => {
    const zhRes = await postJson("/api/status/open", { authSecret: NON_CANONICAL_32 });
    expect(zhRes.status).toBe(400);
    expect(zhRes.json?.error).toEqual({
      code: "bad_request",
      message: zh.tipster.errors.badRequest,
    });
    const enRes = await postJson(
      "/api/status/open",
      { authSecret: NON_CANONICAL_32 },
      { Cookie: "lang=en" },
    );
    expect(enRes.status).toBe(400);
    expect(enRes.json?.error?.message).toBe(en.tipster.errors.badRequest);
    // The canonical neighbour is well-formed: it is simply not anybody's receipt.
    expect((await postJson("/api/status/open", { authSecret: CANONICAL_32 })).status).toBe(404);
  });

  it("/api/report: a non-canonical binary field is a 400 before the proof-of-work check", async () => {
    const meta = {
      district: "tj-jinnan",
      unit: null,
      category: "livelihood",
      receiptAuthHash: "0".repeat(64),
      tipsterPublicKey: CANONICAL_32,
      tipsterEnvelope: "EQ",
      payload: "IQ",
      envelopes: [{ staffKeyId: "key", envelope: "EQ" }],
      identity: null,
      onlyOutsiders: true,
      pow: { challenge: "x", solution: "y" },
      files: [{ header: "UQ" + "B" }],
    };
    const form = new FormData();
    form.set("meta", JSON.stringify(meta));
    // One (fake) last chunk: tag byte and a 16-byte MAC, the smallest shape the server accepts.
    form.append("file", new Blob([new Uint8Array([0x53, ...new Uint8Array(16)])]), "f");
    const res = await fetch(server.url + "/api/report", {
      method: "POST",
      headers: { Cookie: "lang=en" },
      body: form,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: "bad_request", message: en.resident.errors.badRequest },
    });

    // The same request with canonical fields gets as far as the (bogus) proof of work.
    meta.files = [{ header: "UQ" }];
    form.set("meta", JSON.stringify(meta));
    const pow = await fetch(server.url + "/api/report", { method: "POST", body: form });
    expect(pow.status).toBe(400);
    expect(((await pow.json()) as ApiError).error?.code).toBe("pow_invalid");
  });

  it("/api/status/reply: a non-canonical auth secret is a 400 before the proof of work", async () => {
    const res = await postJson("/api/status/reply", {
      authSecret: NON_CANONICAL_32,
      body: "Qg",
      pow: { challenge: "x", solution: "y" },
    });
    expect(res.status).toBe(400);
    expect(res.json?.error?.code).toBe("bad_request");
  });

  it("/lang: a body that is not a form is a 400 page, not a 500", async () => {
    const res = await fetch(server.url + "/lang", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
      redirect: "manual",
    });
    expect(res.status).toBe(400);
  });
});

describe("staff API", () => {
  const inspector = "staff-tj-beichen-inspector1";

  it("refuses non-canonical base64url in key uploads with a localized 400", async () => {
    const res = await postJson(
      "/api/staff/keys",
      {
        op: "create",
        boxPublicKey: NON_CANONICAL_32,
        signPublicKey: CANONICAL_32,
        wrapped: "MQ",
      },
      withLang(await staffHeaders(inspector), "en"),
    );
    expect(res.status).toBe(400);
    expect(res.json?.error).toEqual({ code: "bad_request", message: en.cases.errors.bad_request });
  });

  it("a NUL anywhere in a path is a 400 before routing (PostgreSQL refuses it in a parameter)", async () => {
    const headers = await staffHeaders(inspector);
    for (const path of [
      "/api/staff/findings/%00/files/att_x",
      "/api/staff/tips/%00",
      "/staff/tips/a%00b",
      "/districts/%00",
    ]) {
      const res = await fetch(`${server.url}${path}`, { headers });
      expect(res.status, path).toBe(400);
      expect(await res.text()).toContain("This address is not valid.");
    }
  });

  it("a path a URL parser reads as another host (a backslash, or // once decoded) is a 400", async () => {
    // POST /%5C'fXj%7B… as a signed-in auditor was a 500: rendering the 404 page, react-router
    // resolved "/\'fXj{…" against a base URL, read it as the host 'fXj{ and threw Invalid URL
    // (found by hostile-input on PostgreSQL).
    const headers = await staffHeaders("staff-tj-auditor");
    for (const [method, path] of [
      ["POST", "/%5C'fXj%7B%2FC*nPl?q=x"],
      ["GET", "/%5C'fXj%7B%2FC*nPl"],
      ["GET", "/%5Cexample.org"],
      ["GET", "/%2F%2Fexample%7B.org/x"],
      ["GET", "/districts/a%5Cb"],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
        ...(method === "POST" ? { body: "receipt=%FF" } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(await res.text()).toContain("This address is not valid.");
    }
  });

  it("refuses non-canonical ciphertext in messages and status notes", async () => {
    const headers = await staffHeaders(inspector);
    for (const [path, body] of [
      ["/api/staff/tips/tip_x/messages", { kind: "internal_note", body: "QwB" }],
      [
        "/api/staff/tips/tip_x/status",
        { status: "accepted", message: { forTipster: "QQB", teamCopy: "RA" } },
      ],
      ["/api/staff/grants", { staffKeyId: "k", envelopes: [{ tipId: "t", envelope: "EQB" }] }],
    ] as const) {
      const res = await postJson(path, body, headers);
      expect(res.status, path).toBe(400);
      expect(res.json?.error?.code, path).toBe("bad_request");
    }
  });

  it("refuses a non-canonical approval signature", async () => {
    const res = await postJson(
      "/api/staff/keys/key_x/approve",
      { signature: "YgB", validUntilMs: 1 },
      await staffHeaders("staff-tj-office"),
    );
    expect(res.status).toBe(400);
    expect(res.json?.error?.code).toBe("bad_request");
  });

  it("a non-ASCII CSRF token of the right length is a 403, not a 500", async () => {
    const s = await loginAs(server.database, inspector);
    const token = csrfToken(serverEnv(server), s.sessionId);
    const res = await postJson(
      "/api/staff/tips/tip_x/triage",
      { priority: "high" },
      { Cookie: s.cookie, "X-CSRF-Token": "é".repeat(token.length) },
    );
    expect(res.status).toBe(403);
  });
});
