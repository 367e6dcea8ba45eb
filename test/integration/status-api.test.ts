/**
 * The tipster's status API and the no-JavaScript status form, against the real built server and
 * its SQLite file. Tips are made with test/support/tip-fixture.ts (crypto/ + acceptTip), staff
 * messages with a demo staff key unwrapped by its passphrase.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  base64urlEncode,
  openSignedStaffMessage,
  openStaffMessageCopy,
  openTipKeysAsTipster,
  sealTipsterMessage,
  solvePowSync,
} from "../../crypto/index";
import { openStatus } from "../support/load";
import { startServer, type RunningServer } from "../support/server";
import { postEitherPath } from "../support/two-paths";
import {
  createTestTip,
  readTipsterEvidence,
  readTipsterMessages,
  sendStaffMessage,
  setTestStatus,
  staffKeysForTip,
  tipRows,
  type TestTip,
} from "../support/tip-fixture";

const LEADER = "staff-tj-beichen-leader";
const INSPECTOR = "staff-tj-beichen-inspector1";
const STAFF_QUESTION = "请问补偿款是哪一年发放的？";

let server: RunningServer;
let tip: TestTip;

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  return { res, json: (await res.json()) as Record<string, any> };
}

async function postForm(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + "/status", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  return { res, html: await res.text() };
}

const authOf = (t: TestTip) => base64urlEncode(t.receiptKeys.authSecret);

beforeAll(async () => {
  server = await startServer();
  tip = await createTestTip(server, { text: "韩城桥村两名干部虚报拆迁补偿款。" });
  await setTestStatus(server, tip.tipId, LEADER, "accepted", "我们已受理，正在了解情况。");
  await sendStaffMessage(server, tip.tipId, LEADER, { text: STAFF_QUESTION });
});

afterAll(async () => {
  await server?.stop();
});

describe("JavaScript path: /api/status/open", () => {
  it("returns the case ciphertexts for the auth secret, which the tipster keys open", async () => {
    expect(tip.readerIds).toContain(LEADER);
    expect(tip.readerIds).not.toContain("staff-tj-jinnan-local");
    const started = Date.now();
    const { res, json } = await postJson("/api/status/open", { authSecret: authOf(tip) });
    // A hit waits for the same floor as a miss (400 ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(json.case.summary.status).toBe("accepted");
    expect(json.case.summary.district.nameZh).toBe("津南区");
    expect(json.case.history.map((h: { status: string }) => h.status)).toEqual([
      "received",
      "accepted",
    ]);
    const staff = json.case.messages.find((m: { kind: string }) => m.kind === "to_tipster");
    const tipKeys = openTipKeysAsTipster(
      Buffer.from(json.case.tipsterEnvelope, "base64url"),
      tip.receiptKeys.boxSecretKey,
    );
    const opened = openSignedStaffMessage(
      Buffer.from(staff.body, "base64url"),
      tip.receiptKeys.boxSecretKey,
      tipKeys,
    );
    expect(opened.body.text).toBe(STAFF_QUESTION);
    // The signer's approvals come with the case, so the browser can check them.
    expect(staff.author).toBe(opened.memberId);
    const signer = json.case.signers[opened.memberId];
    expect(signer.role).toBeTruthy();
    expect(
      signer.approvals.some(
        (a: { signPublicKey: string | null }) =>
          a.signPublicKey === Buffer.from(opened.signPublicKey).toString("base64url"),
      ),
    ).toBe(true);
    expect(typeof json.pow).toBe("string");
    // The response carries no plaintext.
    expect(JSON.stringify(json)).not.toContain(STAFF_QUESTION);
    // Reading marks the team's messages as seen by the tipster.
    const rows = await tipRows(server, tip.tipId);
    const sent = rows.messages.find((m) => m.kind === "to_tipster")!;
    expect(sent.readByTipsterAt).not.toBeNull();
    // The colleague's copy of the same message opens with a team key (fixture as the staff UI).
    const inspectorKeys = await staffKeysForTip(server, tip.tipId, INSPECTOR);
    expect(openStaffMessageCopy(new Uint8Array(sent.teamCopy!), inspectorKeys).text).toBe(
      STAFF_QUESTION,
    );
  });

  it("answers a wrong secret with a localized 404 after the uniform delay, changing nothing", async () => {
    const before = await tipRows(server, tip.tipId);
    const started = Date.now();
    const zh = await postJson("/api/status/open", {
      authSecret: base64urlEncode(new Uint8Array(32)),
    });
    const elapsed = Date.now() - started;
    expect(zh.res.status).toBe(404);
    expect(zh.json.error.code).toBe("not_found");
    expect(zh.json.error.message).toMatch(/没有找到/);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    const en = await postJson(
      "/api/status/open",
      { authSecret: base64urlEncode(new Uint8Array(32).fill(7)) },
      { Cookie: "lang=en" },
    );
    expect(en.res.status).toBe(404);
    expect(en.json.error.message).toMatch(/found no report/);
    const after = await tipRows(server, tip.tipId);
    expect(after.messages.length).toBe(before.messages.length);
    expect(after.tip?.lastTipsterActivityAt).toEqual(before.tip?.lastTipsterActivityAt);
  });

  it("rejects malformed requests with a 400, never a 500", async () => {
    for (const body of [{}, { authSecret: "short" }, { authSecret: 42 }, []]) {
      const { res, json } = await postJson("/api/status/open", body);
      expect(res.status).toBe(400);
      expect(json.error.code).toBe("bad_request");
    }
    const notJson = await fetch(server.url + "/api/status/open", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
    const get = await fetch(server.url + "/api/status/open");
    expect(get.status).toBe(404);
  });

  it("answers the same headers and bytes on the plain path and through Express and Remix's action", async () => {
    // With a Content-Length the server answers before Express (server/direct-actions.ts,
    // plainDirect) by the route's `direct` on plain values; a chunked body (no length) goes
    // through Express, the web Request and the route's `action`.
    const send = async (text: string, chunked: boolean, cookie?: string) => {
      const res = await postEitherPath(
        server.url + "/api/status/open",
        "application/json",
        text,
        chunked,
        cookie,
      );
      return {
        ...res,
        type: res.headers["content-type"] ?? null,
        cache: res.headers["cache-control"] ?? null,
        csp: res.headers["content-security-policy"] !== undefined,
      };
    };
    const cases: [string, string | undefined][] = [
      [JSON.stringify({ authSecret: authOf(tip) }), undefined],
      [JSON.stringify({ authSecret: base64urlEncode(new Uint8Array(32).fill(9)) }), "lang=en"],
      ["{not json", "lang=en"],
    ];
    for (const [text, cookie] of cases) {
      const plain = await send(text, false, cookie);
      const streamed = await send(text, true, cookie);
      expect(plain.status).toBe(streamed.status);
      // The case itself is sent as it is (no-transform); refusals are too small to compress.
      const cache = plain.status === 200 ? "no-store, no-transform" : "no-store";
      expect([plain.type, plain.cache, plain.csp]).toEqual([
        "application/json; charset=utf-8",
        cache,
        true,
      ]);
      expect([streamed.type, streamed.cache, streamed.csp]).toEqual([plain.type, cache, true]);
      // ≈ 25 KB of base64 ciphertext is not compressed for a browser that accepts it.
      if (plain.status === 200) expect(plain.headers).not.toHaveProperty("content-encoding");
      if (plain.status === 200) expect(plain.headers).not.toHaveProperty("vary");
      else expect(plain.headers).toHaveProperty("vary", "Accept-Encoding");
      // Security headers, Vary from compression, keep-alive: the same on both paths.
      expect(plain.headers).toEqual(streamed.headers);
      expect(plain.headers).toHaveProperty("strict-transport-security");
      // Each hit carries a fresh proof-of-work challenge; everything else is byte for byte.
      const withoutPow = (body: string) => body.replace(/"pow":"[^"]*"/, '"pow":""');
      expect(withoutPow(plain.body)).toBe(withoutPow(streamed.body));
    }
    expect((await send(cases[0]![0], false)).status).toBe(200);
  });
});

describe("JavaScript path: order of a case's history and messages", () => {
  it("lists rows of the same time in the order they were written, on either engine", async () => {
    // Times are stored to the day where the tipster's side is concerned (app/shared/tipster-time.ts),
    // so one day's rows tie on created_at: the answer must keep them in writing order whatever
    // plan or query shape serves it (e.g. one query instead of four). Looked up from an address
    // of its own, so the other tests' look-up quota is not spent.
    const sameDay = await createTestTip(server, { text: "同一天的多次状态变更。" });
    const open = async () => {
      const res = await openStatus(server.url, sameDay.receiptKeys.authSecret, "127.91.0.1");
      expect(res.status).toBe(200);
      return res.json;
    };
    const at = new Date((await open()).case.summary.createdAt as string);
    const statuses = ["accepted", "under_review", "transferred", "rectifying"] as const;
    for (const status of statuses)
      await setTestStatus(server, sameDay.tipId, LEADER, status, null, at);
    const texts = ["第一条", "第二条", "第三条", "第四条"];
    const ids: string[] = [];
    for (const text of texts)
      ids.push(await sendStaffMessage(server, sameDay.tipId, LEADER, { text }, at));
    const json = await open();
    expect(json.case.history.map((h: { status: string }) => h.status)).toEqual([
      "received",
      ...statuses,
    ]);
    expect(new Set(json.case.history.map((h: { at: string }) => h.at))).toEqual(
      new Set([at.toISOString()]),
    );
    expect(json.case.messages.map((m: { id: string }) => m.id)).toEqual(ids);
    // That look-up marked the messages seen (an UPDATE: PostgreSQL writes new row versions).
    const again = await open();
    expect(again.case.messages.map((m: { id: string }) => m.id)).toEqual(ids);
    expect(again.case.history).toEqual(json.case.history);
  });
});

describe("JavaScript path: look-ups at the same time", () => {
  it("each get their own case or their own 404, also when they share a query", async () => {
    // On PostgreSQL look-ups that wait at the same time share one query (db/case-lookup.ts,
    // `PgCaseBatcher`): hits, misses and the same case twice in one batch must each come back
    // as if looked up alone. Each from an address of its own (the look-up quota is per client).
    const tips = [
      tip,
      await createTestTip(server, { text: "同时查询的第二件举报。" }),
      await createTestTip(server, { text: "同时查询的第三件举报。" }),
    ];
    const missing = new Uint8Array(32).fill(7);
    const alone = new Map<TestTip, string>();
    const withoutPow = (json: unknown) => JSON.stringify({ ...(json as object), pow: "" });
    let address = 0;
    const lookUp = (secret: Uint8Array) =>
      openStatus(server.url, secret, `127.92.${address >> 8}.${(address++ & 255) + 1}`);
    for (const t of tips) {
      const res = await lookUp(t.receiptKeys.authSecret);
      expect(res.status).toBe(200);
      alone.set(t, withoutPow(res.json));
    }
    const asked = Array.from({ length: 24 }, (_, i) => (i % 4 === 3 ? null : tips[i % 3]!));
    const answers = await Promise.all(
      asked.map((t) => lookUp(t ? t.receiptKeys.authSecret : missing)),
    );
    answers.forEach((res, i) => {
      const t = asked[i];
      if (!t) return expect(res.status).toBe(404);
      expect(res.status).toBe(200);
      expect(withoutPow(res.json)).toBe(alone.get(t));
    });
  });
});

describe("JavaScript path: /api/status/reply", () => {
  it("stores a reply sealed in the 'browser' that the team decrypts, once per proof of work", async () => {
    const { json: opened } = await postJson("/api/status/open", { authSecret: authOf(tip) });
    const keys = openTipKeysAsTipster(
      Buffer.from(opened.case.tipsterEnvelope, "base64url"),
      tip.receiptKeys.boxSecretKey,
    );
    const text = "补偿款是2019年发的，村委会公示栏有记录。";
    const body = base64urlEncode(sealTipsterMessage({ body: { text }, keys }));
    const challenge = opened.pow as string;
    const pow = { challenge, solution: solvePowSync(challenge) };
    const { res, json } = await postJson("/api/status/reply", {
      authSecret: authOf(tip),
      body,
      pow,
    });
    expect(res.status).toBe(201);
    expect(typeof json.pow).toBe("string");
    const team = await readTipsterMessages(server, tip.tipId, INSPECTOR);
    expect(team.map((m) => m.text)).toContain(text);

    // The same proof of work cannot be spent twice.
    const replay = await postJson("/api/status/reply", { authSecret: authOf(tip), body, pow });
    expect(replay.res.status).toBe(400);
    expect(replay.json.error.code).toBe("pow_failed");
    expect((await readTipsterMessages(server, tip.tipId, INSPECTOR)).length).toBe(team.length);
  });

  it("refuses a reply with a wrong auth secret or non-ciphertext body", async () => {
    const { json: opened } = await postJson("/api/status/open", { authSecret: authOf(tip) });
    const keys = openTipKeysAsTipster(
      Buffer.from(opened.case.tipsterEnvelope, "base64url"),
      tip.receiptKeys.boxSecretKey,
    );
    const body = base64urlEncode(sealTipsterMessage({ body: { text: "x" }, keys }));
    const before = (await tipRows(server, tip.tipId)).messages.length;
    let challenge = opened.pow as string;
    const wrong = await postJson("/api/status/reply", {
      authSecret: base64urlEncode(new Uint8Array(32)),
      body,
      pow: { challenge, solution: solvePowSync(challenge) },
    });
    expect(wrong.res.status).toBe(404);
    challenge = (await postJson("/api/status/open", { authSecret: authOf(tip) })).json.pow;
    const plain = await postJson("/api/status/reply", {
      authSecret: authOf(tip),
      body: base64urlEncode(new TextEncoder().encode("plaintext is not accepted")),
      pow: { challenge, solution: solvePowSync(challenge) },
    });
    expect(plain.res.status).toBe(400);
    expect(plain.json.error.code).toBe("bad_ciphertext");
    expect((await tipRows(server, tip.tipId)).messages.length).toBe(before);
  });
});

describe("no-JavaScript path: POST /status", () => {
  it("opens the case with the receipt, decrypting on the server, and says the path is weaker", async () => {
    const started = Date.now();
    const { res, html } = await postForm({ intent: "open", receipt: tip.receipt });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(html).toContain(STAFF_QUESTION);
    expect(html).toContain("我们已受理，正在了解情况。");
    expect(html).toContain("韩城桥村两名干部虚报拆迁补偿款。");
    expect(html).toContain("无 JavaScript 方式");
  });

  it("lets the tipster reply; the server encrypts it for the team", async () => {
    const text = "公示栏照片在村委会门口。";
    const { res, html } = await postForm({ intent: "reply", receipt: tip.receipt, text });
    expect(res.status).toBe(200);
    expect(html).toContain(text);
    const team = await readTipsterMessages(server, tip.tipId, LEADER);
    expect(team.map((m) => m.text)).toContain(text);
    const stored = (await tipRows(server, tip.tipId)).messages.filter(
      (m) => m.kind === "from_tipster",
    );
    for (const m of stored) expect(Buffer.from(m.body).toString("utf8")).not.toContain(text);
  });

  it("answers a wrong receipt with a localized 404 and a typo with a 400", async () => {
    const before = (await tipRows(server, tip.tipId)).messages.length;
    // A valid-looking receipt (check digit right) that belongs to no tip.
    const other = await createTestTipReceiptOnly();
    const zh = await postForm({ intent: "reply", receipt: other, text: "不应保存" });
    expect(zh.res.status).toBe(404);
    expect(zh.html).toContain("没有找到与这个查询码对应的举报");
    const started = Date.now();
    const en = await postForm({ intent: "open", receipt: other }, { Cookie: "lang=en" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(en.res.status).toBe(404);
    expect(en.html).toContain("We found no report for this receipt code");
    const digits = tip.receipt.replace(/\s/g, "");
    const typo = digits.slice(0, 15) + String((Number(digits[15]) + 1) % 10);
    const bad = await postForm({ intent: "open", receipt: typo });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain("校验位不符");
    const junk = await postForm({ intent: "nonsense" });
    expect(junk.res.status).toBe(400);
    expect((await tipRows(server, tip.tipId)).messages.length).toBe(before);
  });

  it("takes evidence as multipart, encrypted on arrival, and refuses too much with a 413", async () => {
    const form = new FormData();
    form.set("intent", "reply");
    form.set("receipt", tip.receipt);
    form.set("text", "附上村委会公示的名单。");
    form.append("files", new Blob(["%PDF-1.4 名单"], { type: "application/pdf" }), "list.pdf");
    const ok = await fetch(server.url + "/status", { method: "POST", body: form });
    expect(ok.status).toBe(200);
    const files = await readTipsterEvidence(server, tip.tipId, LEADER);
    const list = files.find((f) => f.name === "list.pdf");
    expect(Buffer.from(list!.data).toString("utf8")).toBe("%PDF-1.4 名单");

    // Only photos and PDFs, as on the report form.
    const odd = new FormData();
    odd.set("intent", "reply");
    odd.set("receipt", tip.receipt);
    odd.set("text", "见附件");
    odd.append("files", new Blob(["MZ"], { type: "application/x-msdownload" }), "tool.exe");
    const refusedType = await fetch(server.url + "/status", { method: "POST", body: odd });
    expect(refusedType.status).toBe(400);
    // Judged by its contents ("MZ": a Windows program), and said so.
    expect(await refusedType.text()).toContain("文件“tool.exe”不是照片或 PDF：它的内容是一个程序");
    // A file that is neither evidence nor a program is simply not supported.
    const gif = new FormData();
    gif.set("intent", "reply");
    gif.set("receipt", tip.receipt);
    gif.set("text", "见附件");
    gif.append("files", new Blob(["GIF89a...."], { type: "image/gif" }), "anim.gif");
    const refusedGif = await fetch(server.url + "/status", { method: "POST", body: gif });
    expect(refusedGif.status).toBe(400);
    expect(await refusedGif.text()).toContain("文件“anim.gif”的类型不支持");

    const before = (await tipRows(server, tip.tipId)).messages.length;
    const big = new FormData();
    big.set("intent", "reply");
    big.set("receipt", tip.receipt);
    big.set("text", "太大");
    big.append("files", new Blob([new Uint8Array(10 * 1024 * 1024 + 300 * 1024)]), "big.bin");
    const refused = await fetch(server.url + "/status", {
      method: "POST",
      body: big,
      headers: { Cookie: "lang=en" },
    });
    expect(refused.status).toBe(413);
    expect(await refused.text()).toContain("Files may add up to at most 10 MB");
    expect((await tipRows(server, tip.tipId)).messages.length).toBe(before);
  });

  it("never writes the receipt or plaintext to the database files or the log", async () => {
    const digits = tip.receipt.replace(/\s/g, "");
    const files = fs
      .readdirSync(server.dataDir)
      .filter((f) => f.startsWith("crosswatch.db"))
      .map((f) => fs.readFileSync(`${server.dataDir}/${f}`));
    for (const bytes of files) {
      expect(bytes.includes(Buffer.from(digits))).toBe(false);
      expect(bytes.includes(Buffer.from(tip.receipt))).toBe(false);
      expect(bytes.includes(Buffer.from("公示栏照片在村委会门口"))).toBe(false);
      expect(bytes.includes(Buffer.from(STAFF_QUESTION))).toBe(false);
    }
    const log = server.output();
    expect(log).not.toContain(digits);
    expect(log).not.toContain(tip.receipt);
    expect(log).not.toContain("公示栏");
    expect(log).not.toMatch(/127\.0\.0\.1/);
  });
});

/** A receipt with a correct check digit that no tip uses. */
async function createTestTipReceiptOnly(): Promise<string> {
  const { generateReceipt } = await import("../../crypto/index");
  return generateReceipt();
}
