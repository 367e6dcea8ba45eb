/**
 * The report submission endpoints against the real built server and its database: a report
 * built the way the browser builds it is accepted (201); malformed, oversize, replayed-PoW and
 * wrong-reader requests each get a clear localized 4xx and change nothing; the no-JS form is
 * refused the same way for bad input.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authLookupHash,
  base64urlEncode,
  fromHex,
  openTipKeysAsTipster,
  sealTipsterMessage,
  solvePowSync,
} from "../../crypto/index";
import {
  isShanghaiDayStart,
  shanghaiDayEnd,
  shanghaiDayStart,
} from "../../app/shared/tipster-time";
import { closeDb, openDb, withTx } from "../../db/client";
import { attachments, spentPowTokens, staffKeys, tipEnvelopes, tips } from "../../db/schema";
import { registerCanary } from "../support/log-capture";
import {
  buildReport as buildReportFor,
  fetchFresh,
  postReport,
  powChallenge,
  type Built,
} from "../support/report-fixture";
import { startServer, storedBytes, TEST_ENGINE, type RunningServer } from "../support/server";
import { comparableHeaders, postEitherPath } from "../support/two-paths";
import { sealTestTip, sendStaffMessage, serverEnv, tipRows, withDb } from "../support/tip-fixture";
import { receiptKeysCached, testReceiptWithKeys } from "../support/kdf-cache";
import { acceptTip } from "../../app/services/tips.server";

let server: RunningServer;

/** Row counts of everything a submission writes. */
async function counts() {
  const db = await openDb(server.database, { migrate: false });
  try {
    return {
      tips: (await db.select().from(tips)).length,
      envelopes: (await db.select().from(tipEnvelopes)).length,
      attachments: (await db.select().from(attachments)).length,
    };
  } finally {
    await closeDb(db);
  }
}

const challenge = () => powChallenge(server);
const buildReport = (opts: Parameters<typeof buildReportFor>[1] = {}) =>
  buildReportFor(server, opts);

async function postJson(path: string, body: unknown) {
  const res = await fetchFresh(server.url + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  return { res, json: (await res.json()) as Record<string, any> };
}

async function send(built: Built, lang?: "en") {
  const res = await postReport(server, built, lang);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  return { res, json: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

describe("POST /api/report (JavaScript path)", () => {
  let accepted: Built;

  it("accepts a report sealed like the browser does, with the 7-day and 3-month dates", async () => {
    const before = await counts();
    accepted = await buildReport();
    const { res, json } = await send(accepted);
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toContain("no-store");
    // The answer names the stored tip (by its id, never by the receipt).
    const db = await openDb(server.database, { migrate: false });
    let stored: { id: string }[];
    try {
      stored = await db
        .select({ id: tips.id })
        .from(tips)
        .where(eq(tips.receiptAuthHash, accepted.meta.receiptAuthHash as string));
    } finally {
      await closeDb(db);
    }
    expect(stored).toHaveLength(1);
    expect(json.tipId).toBe(stored[0]!.id);
    expect(JSON.stringify(json)).not.toContain(accepted.receipt.replace(/ /g, ""));
    // Deadlines end with the 7th and the 91st day after the day of submission (Asia/Shanghai).
    const day = shanghaiDayStart(Date.now());
    expect(json.acknowledgeBy).toBe(shanghaiDayEnd(day, 7).toISOString());
    expect(json.feedbackBy).toBe(shanghaiDayEnd(day, 91).toISOString());
    const after = await counts();
    expect(after.tips).toBe(before.tips + 1);
    expect(after.envelopes).toBe(before.envelopes + 2);
    expect(after.attachments).toBe(before.attachments + 1);
    // The server never saw the receipt.
    expect(server.output()).not.toContain(accepted.receipt);
  });

  it("keeps the tipster's times only to the day: submission, reading the team's message, replying", async () => {
    // Issue 11 item 7 (docs/threat-model.md "Tipster times"): the report above, a team message,
    // the tipster's status look-up and reply over HTTP; then every stored time the tipster made.
    const tipId = await withDb(server, async (db) => {
      const hash = authLookupHash(accepted.keys.authSecret);
      return (await db.select({ id: tips.id }).from(tips).where(eq(tips.receiptAuthHash, hash)))[0]!
        .id;
    });
    await sendStaffMessage(server, tipId, "staff-tj-beichen-leader", { text: "请问是哪一年？" });
    const authSecret = base64urlEncode(accepted.keys.authSecret);
    const opened = await postJson("/api/status/open", { authSecret });
    expect(opened.res.status).toBe(200);
    const keys = openTipKeysAsTipster(
      Buffer.from(opened.json.case.tipsterEnvelope, "base64url"),
      accepted.keys.boxSecretKey,
    );
    const challenge = opened.json.pow as string;
    const reply = await postJson("/api/status/reply", {
      authSecret,
      body: base64urlEncode(sealTipsterMessage({ body: { text: "2019年。" }, keys })),
      pow: { challenge, solution: solvePowSync(challenge) },
    });
    expect(reply.res.status).toBe(201);

    const rows = await tipRows(server, tipId);
    const { envelopes, files } = await withDb(server, async (db) => ({
      envelopes: await db.select().from(tipEnvelopes).where(eq(tipEnvelopes.tipId, tipId)),
      files: await db.select().from(attachments).where(eq(attachments.tipId, tipId)),
    }));
    const tip = rows.tip!;
    expect(isShanghaiDayStart(tip.createdAt)).toBe(true);
    expect(tip.lastTipsterActivityAt).not.toBeNull();
    expect(isShanghaiDayStart(tip.lastTipsterActivityAt!)).toBe(true);
    expect(tip.acknowledgeBy).toEqual(shanghaiDayEnd(tip.createdAt, 7));
    expect(tip.feedbackBy).toEqual(shanghaiDayEnd(tip.createdAt, 91));
    const staff = rows.messages.find((m) => m.kind === "to_tipster")!;
    expect(staff.readByTipsterAt).not.toBeNull();
    expect(isShanghaiDayStart(staff.readByTipsterAt!)).toBe(true);
    // The reply: its day, or 1 ms after the team's message when that was the same day.
    const mine = rows.messages.find((m) => m.kind === "from_tipster")!;
    expect([shanghaiDayStart(Date.now()).getTime(), staff.createdAt.getTime() + 1]).toContain(
      mine.createdAt.getTime(),
    );
    expect(isShanghaiDayStart(rows.history.find((h) => h.status === "received")!.createdAt)).toBe(
      true,
    );
    expect(envelopes.length).toBeGreaterThan(0);
    for (const e of envelopes) expect(isShanghaiDayStart(e.createdAt)).toBe(true);
    expect(files.length).toBe(1);
    for (const f of files) expect(isShanghaiDayStart(f.createdAt)).toBe(true);
  });

  it("refuses a replayed proof of work (localized, zh and en) and stores nothing", async () => {
    const before = await counts();
    const replay = await buildReport({
      pow: accepted.meta.pow as { challenge: string; solution: string },
    });
    const zh = await send(replay);
    expect(zh.res.status).toBe(400);
    expect(zh.json.error.code).toBe("pow_replayed");
    expect(zh.json.error.message).toContain("防刷验证已经用过了");
    const en = await send(replay, "en");
    expect(en.res.status).toBe(400);
    expect(en.json.error.message).toContain("already used");
    expect(await counts()).toEqual(before);
  });

  it("refuses a wrong proof-of-work solution", async () => {
    const before = await counts();
    const c = await challenge();
    const built = await buildReport({ pow: { challenge: c, solution: "AAAAAAAAAAA" } });
    const { res, json } = await send(built);
    expect(res.status).toBe(400);
    expect(json.error.code).toMatch(/^pow_/);
    expect(json.error.message.length).toBeGreaterThan(5);
    expect(await counts()).toEqual(before);
  });

  it("refuses malformed requests with a localized 400 and stores nothing", async () => {
    const before = await counts();
    const notMultipart = await fetch(`${server.url}/api/report`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(notMultipart.status).toBe(400);
    expect(((await notMultipart.json()) as { error: { message: string } }).error.message).toContain(
      "格式不正确",
    );

    const badMeta = new FormData();
    badMeta.append("meta", "{not json");
    const r1 = await fetch(`${server.url}/api/report`, { method: "POST", body: badMeta });
    expect(r1.status).toBe(400);

    const junk = await buildReport();
    (junk.meta as { payload: string }).payload = base64urlEncode(new Uint8Array(200).fill(7));
    const r2 = await send(junk);
    expect(r2.res.status).toBe(400);
    expect(r2.json.error.code).toBe("bad_ciphertext");
    // A low-order tipster key (staff replies to it would open with a public constant), here the
    // encoding of p − 1 with the ignored top bit set.
    const weak = await buildReport();
    (weak.meta as { tipsterPublicKey: string }).tipsterPublicKey = base64urlEncode(
      fromHex("ec" + "ff".repeat(31)),
    );
    const r3 = await send(weak);
    expect(r3.res.status).toBe(400);
    expect(r3.json.error.code).toBe("bad_ciphertext");
    expect(await counts()).toEqual(before);
  });

  it("refuses a report that leaves out one of the readers (409) and stores nothing", async () => {
    const before = await counts();
    const { res, json } = await send(await buildReport({ dropReader: true }));
    expect(res.status).toBe(409);
    expect(json.error.code).toBe("recipients_changed");
    expect(json.error.message).toContain("发生了变化");
    expect(await counts()).toEqual(before);
  });

  it("spends the proof of work of a refused report too: the corrected report needs a new one", async () => {
    const before = await counts();
    const c = await challenge();
    const pow = { challenge: c, solution: solvePowSync(c) };
    const refused = await send(await buildReport({ dropReader: true, pow }));
    expect(refused.res.status).toBe(409);
    const corrected = await send(await buildReport({ pow }));
    expect(corrected.res.status).toBe(400);
    expect(corrected.json.error.code).toBe("pow_replayed");
    expect(await counts()).toEqual(before);
  });

  it("stores one of two different reports sent at once with one proof of work, refusing the other as replayed", async () => {
    const before = await counts();
    const c = await challenge();
    const pow = { challenge: c, solution: solvePowSync(c) };
    const [a, b] = [await buildReport({ pow }), await buildReport({ pow })];
    const answers = await Promise.all([send(a), send(b)]);
    expect(answers.map((x) => x.res.status).sort()).toEqual([201, 400]);
    expect(answers.find((x) => x.res.status === 400)!.json.error.code).toBe("pow_replayed");
    const after = await counts();
    expect(after.tips).toBe(before.tips + 1);
  });

  it("answers with the same headers and bytes on the plain path and through Express and Remix's action", async () => {
    // With a Content-Length the server answers before Express (server/direct-actions.ts,
    // plainDirect) by the route's `directUpload`, reading the body from the socket; a chunked body
    // (no length) goes through Express, the web Request and the route's `action` — which refuses
    // it (a report declares its size), so the two are compared on refusals.
    const send = (text: string, chunked: boolean, cookie?: string) =>
      postEitherPath(
        `${server.url}/api/report`,
        "multipart/form-data; boundary=xyz",
        text,
        chunked,
        cookie,
      );
    const malformed =
      '--xyz\r\nContent-Disposition: form-data; name="meta"\r\n\r\n{not json\r\n--xyz--\r\n';
    for (const cookie of [undefined, "lang=en"]) {
      const plain = await send(malformed, false, cookie);
      const streamed = await send(malformed, true, cookie);
      expect(plain.status).toBe(400);
      expect(streamed.status).toBe(400);
      expect(plain.headers).toEqual(streamed.headers);
      expect(plain.body).toBe(streamed.body);
      expect(plain.headers).toMatchObject({
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-store",
        vary: "Accept-Encoding",
      });
      expect(plain.headers).toHaveProperty("content-security-policy");
      expect(plain.headers).toHaveProperty("strict-transport-security");
      expect(JSON.parse(plain.body)).toMatchObject({ error: { code: "bad_request" } });
      expect(plain.body).toContain(cookie ? "shape we cannot use" : "格式不正确");
    }
    // An accepted report (plain path) carries the same kind of headers as a refusal.
    const refusal = await send(malformed, false);
    const res = await postReport(server, await buildReport());
    expect(res.status).toBe(201);
    expect({ ...comparableHeaders(res), vary: "Accept-Encoding" }).toEqual(refusal.headers);
  });

  it("refuses an oversize request with a localized 413 before reading it", async () => {
    const before = await counts();
    const form = new FormData();
    form.append("meta", "{}");
    form.append("file", new Blob([new Uint8Array(23 * 1024 * 1024)]), "big");
    const res = await fetch(`${server.url}/api/report`, { method: "POST", body: form });
    expect(res.status).toBe(413);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe("too_large");
    expect(json.error.message).toContain("20 MB");
    expect(await counts()).toEqual(before);
  });

  it("has spent-token rows only for challenges that were used", async () => {
    const db = await openDb(server.database, { migrate: false });
    try {
      expect((await db.select().from(spentPowTokens)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await closeDb(db);
    }
  });
});

describe("POST /report (no-JavaScript form)", () => {
  async function postForm(
    fields: Record<string, string>,
    files: { name: string; type: string; data: Uint8Array }[] = [],
  ) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const f of files)
      form.append("files", new Blob([f.data as BlobPart], { type: f.type }), f.name);
    const res = await fetch(`${server.url}/report?district=tj-jinnan`, {
      method: "POST",
      body: form,
    });
    return { res, html: await res.text() };
  }

  it("says what is missing, in Chinese, with a 400, and stores nothing", async () => {
    const before = await counts();
    const { res, html } = await postForm({ intent: "submit", district: "tj-jinnan", text: "" });
    expect(res.status).toBe(400);
    expect(html).toContain("请选择问题类别");
    expect(html).toContain("请写下发生了什么");
    expect(html).toContain("处需要修改");
    expect(await counts()).toEqual(before);
  });

  it("refuses an unsupported file type and an unknown unit", async () => {
    const before = await counts();
    const wrongType = await postForm(
      { intent: "submit", district: "tj-jinnan", category: "decision", text: "x" },
      [{ name: "a.exe", type: "application/x-msdownload", data: new Uint8Array(10) }],
    );
    expect(wrongType.res.status).toBe(400);
    expect(wrongType.html).toContain("类型不支持");
    const wrongUnit = await postForm({
      intent: "submit",
      district: "tj-jinnan",
      unit: "tj-beichen-chenguang",
      category: "decision",
      text: "x",
    });
    expect(wrongUnit.res.status).toBe(400);
    expect(wrongUnit.html).toContain("不属于这个区县");
    expect(await counts()).toEqual(before);
  });

  it("accepts a valid form and shows the receipt once", async () => {
    const before = await counts();
    const { res, html } = await postForm({
      intent: "submit",
      district: "tj-jinnan",
      unit: "tj-jinnan-hanchengqiao",
      category: "livelihood",
      text: "补贴没有发到户。",
      identity: "anonymous",
      onlyOutsiders: "yes",
    });
    expect(res.status).toBe(201);
    expect(html).toMatch(/data-receipt="\d{16}"/);
    expect((await counts()).tips).toBe(before.tips + 1);
  });

  it("refuses an oversize no-JS file by name, keeps the text, and stores nothing", async () => {
    const before = await counts();
    registerCanary("tip-text", "OVERSIZE-KEEPS-TEXT");
    const { res, html } = await postForm(
      {
        intent: "submit",
        district: "tj-jinnan",
        unit: "",
        category: "decision",
        text: "OVERSIZE-KEEPS-TEXT",
      },
      [{ name: "big.jpg", type: "image/jpeg", data: new Uint8Array(22 * 1024 * 1024) }],
    );
    expect(res.status).toBe(400);
    expect(html).toContain("文件“big.jpg”超过了 10 MB");
    expect(html).toContain("OVERSIZE-KEEPS-TEXT</textarea>");
    expect(await counts()).toEqual(before);
  });

  it("seals a given identity separately, to the same readers, and never stores it in clear", async () => {
    const name = `IDENTITY-CANARY-${Date.now()}`;
    registerCanary("tip-text", name);
    const { res, html } = await postForm({
      intent: "submit",
      district: "tj-jinnan",
      unit: "",
      category: "decision",
      text: "政策没有落实。",
      identity: "named",
      name,
      phone: "13800000000",
      contact: "晚上",
    });
    expect(res.status).toBe(201);
    const receipt = /data-receipt="(\d{16})"/.exec(html)![1]!;
    const keys = await receiptKeysCached(receipt, serverEnv(server).receiptSalt);
    const db = await openDb(server.database, { migrate: false });
    try {
      const tip = (
        await db
          .select()
          .from(tips)
          .where(eq(tips.receiptAuthHash, authLookupHash(keys.authSecret)))
          .limit(1)
      )[0]!;
      expect(tip.identityPayload).toBeTruthy();
      expect(tip.onlyOutsiders).toBe(false);
      const env = await db.select().from(tipEnvelopes).where(eq(tipEnvelopes.tipId, tip.id));
      const by = (kind: string) =>
        env
          .filter((e) => e.kind === kind)
          .map((e) => e.staffId)
          .sort();
      expect(by("identity")).toEqual(by("tip"));
      expect(by("tip")).toHaveLength(2);
    } finally {
      await closeDb(db);
    }
    const stored = storedBytes(server.database);
    expect(stored.includes(name)).toBe(false);
    // The check can see text: the non-secret district id is there in clear.
    expect(stored.includes("tj-jinnan")).toBe(true);
    expect(server.output()).not.toContain(name);
  });

  it("confirms the written-down receipt (no-JS) by its last four digits", async () => {
    const receipt = "1234 5678 9012 3450";
    const post = (last4: string, written: boolean) =>
      fetch(`${server.url}/report`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          intent: "confirm",
          receipt,
          acknowledgeBy: new Date().toISOString(),
          feedbackBy: new Date().toISOString(),
          last4,
          ...(written ? { written: "yes" } : {}),
        }).toString(),
      });
    const notTicked = await post("3450", false);
    expect(notTicked.status).toBe(400);
    expect(await notTicked.text()).toContain("请勾选");
    const wrong = await post("0000", true);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("最后4位不对");
    const right = await post("３４５０", true);
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("您已确认记下查询码");
  });
});

/** The page's visible HTML (the root loader also embeds the whole dictionary in a script). */
async function visibleHtml(path: string) {
  const res = await fetch(server.url + path);
  return { res, html: (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "") };
}

describe("who can read, before writing", () => {
  it("shows the stationed team, its home district, window and key fingerprints", async () => {
    const { res, html } = await visibleHtml("/report?district=tj-jinnan");
    expect(res.status).toBe(200);
    expect(html).toContain("北辰区");
    expect(html).toContain("只有从北辰区来的巡察组能读到这份举报");
    expect(html).toContain("核对钥匙");
    expect(html.match(/class="fingerprint"/g)).toHaveLength(2);
    expect(html).toContain("巡察组里家在津南区的 1 名组员也拿不到钥匙");
  });

  it("shows the office notice where no team is stationed", async () => {
    const { html } = await visibleHtml("/report?district=tj-heping");
    expect(html).toContain("目前没有巡察组进驻本区县");
    expect(html).toContain("反映和平区的问题");
    expect(html).toContain('name="text"');
  });

  it("refuses clearly, with no form, when nobody can read, and the no-JS post stores nothing", async () => {
    const db = await openDb(server.database, { migrate: false });
    const active = await db.select().from(staffKeys).where(eq(staffKeys.status, "active"));
    try {
      await withTx(db, (tx) =>
        tx.update(staffKeys).set({ status: "revoked" }).where(eq(staffKeys.status, "active")),
      );
      const { html } = await visibleHtml("/report?district=tj-heping");
      expect(html).toContain("现在没有人能接收关于本区县的举报");
      expect(html).not.toContain('name="text"');
      const before = await counts();
      const form = new FormData();
      for (const [k, v] of Object.entries({
        intent: "submit",
        district: "tj-heping",
        unit: "",
        category: "decision",
        text: "x",
      })) {
        form.append(k, v);
      }
      const res = await fetch(`${server.url}/report?district=tj-heping`, {
        method: "POST",
        body: form,
      });
      expect(res.status).toBe(409);
      expect(await res.text()).toContain("没有人能接收关于这个区县的举报");
      expect(await counts()).toEqual(before);
    } finally {
      for (const k of active) {
        await withTx(db, (tx) =>
          tx.update(staffKeys).set({ status: "active" }).where(eq(staffKeys.id, k.id)),
        );
      }
      await closeDb(db);
    }
  });

  it("starts with the district list, searchable without JavaScript", async () => {
    const all = await visibleHtml("/report");
    expect(all.res.status).toBe(200);
    expect(all.html).toContain('href="/report?district=tj-jinnan"');
    expect(all.html).toContain('href="/report?district=tj-heping"');
    const found = await visibleHtml(`/report?q=${encodeURIComponent("津南")}`);
    expect(found.html).toContain('href="/report?district=tj-jinnan"');
    expect(found.html).not.toContain('href="/report?district=tj-heping"');
    const none = await visibleHtml("/report?q=zzzz");
    expect(none.html).toContain("没有找到名称包含");
  });

  it("answers an unknown district with a localized 404", async () => {
    const { res, html } = await visibleHtml("/report?district=nowhere");
    expect(res.status).toBe(404);
    expect(html).toContain("<h1");
  });
});

describe("durability", () => {
  it("a report acknowledged with 201 survives kill -9 of the server right after the answer", async () => {
    const built = await buildReport({ text: "kill -9 durability" });
    const { res } = await send(built);
    expect(res.status).toBe(201);
    server.proc.kill("SIGKILL");
    await server.exited;

    server = await startServer({ dataDir: server.dataDir });
    const db = await openDb(server.database, { migrate: false });
    try {
      const tip = (
        await db
          .select()
          .from(tips)
          .where(eq(tips.receiptAuthHash, built.meta.receiptAuthHash as string))
          .limit(1)
      )[0];
      expect(tip).toBeTruthy();
      expect(
        await db.select().from(tipEnvelopes).where(eq(tipEnvelopes.tipId, tip!.id)),
      ).toHaveLength(2);
      const files = await db.select().from(attachments).where(eq(attachments.tipId, tip!.id));
      expect(files).toHaveLength(1);
      expect(files[0]!.complete).toBe(true);
    } finally {
      await closeDb(db);
    }
  });
});

// After the durability test restarted the server: fresh per-client limits.
describe("a retry after a lost answer", () => {
  it("answers an identical retry of a stored report like the first success, storing nothing new", async () => {
    const accepted = await buildReport({ text: "连接中断后重发" });
    const first = await send(accepted);
    expect(first.res.status).toBe(201);
    // The answer was "lost": the browser sends the same bytes again, spent proof of work and all.
    const before = await counts();
    const again = await send(accepted);
    expect(again.res.status).toBe(201);
    expect(again.json).toEqual(first.json);
    // Same PoW refreshed (say the first one had expired on the way): still the same answer.
    const c = await challenge();
    const second = await send({
      ...accepted,
      meta: { ...accepted.meta, pow: { challenge: c, solution: solvePowSync(c) } },
    });
    expect(second.res.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(await counts()).toEqual(before);
  });

  it("refuses a different report under a receipt hash that is taken (409), storing nothing", async () => {
    const accepted = await buildReport({ text: "先到的举报" });
    expect((await send(accepted)).res.status).toBe(201);
    const before = await counts();
    const other = await buildReport({ text: "另一份举报。" });
    other.meta.receiptAuthHash = accepted.meta.receiptAuthHash;
    const { res, json } = await send(other);
    expect(res.status).toBe(409);
    expect(json.error.code).toBe("duplicate_receipt");
    // With a spent proof of work, a different report is simply a replay.
    const replayed = await send({ ...other, meta: { ...other.meta, pow: accepted.meta.pow } });
    expect(replayed.res.status).toBe(400);
    expect(replayed.json.error.code).toBe("pow_replayed");
    expect(await counts()).toEqual(before);
  });
  // SQLite's write queue decides the order inside a group; on PostgreSQL concurrent reports race
  // on the unique index in any order (the retry tests above cover that engine).
  it.runIf(TEST_ENGINE === "sqlite")(
    "the same receipt twice in one write group: the identical retry is answered as stored, another report refused",
    async () => {
      const env = serverEnv(server);
      const { receipt, keys } = await testReceiptWithKeys(env.receiptSalt);
      registerCanary("receipt", receipt);
      const at = new Date();
      await withDb(server, async (db) => {
        const seal = async (text: string) =>
          (
            await sealTestTip(db, env, {
              districtId: "tj-jinnan",
              unitId: "tj-jinnan-hanchengqiao",
              text,
              receiptKeys: keys,
              at,
            })
          ).incoming;
        const report = await seal("同一份举报在同一组里发了两次。");
        const other = await seal("同一查询码下的另一份举报。");
        // A transaction holds the writer while the three reports reach it: on SQLite they queue and
        // then share one COMMIT (group commit, db/client.ts), each in its own savepoint.
        let release!: () => void;
        const holding = withTx(db, () => new Promise<void>((r) => (release = r)));
        const answers = Promise.all([
          acceptTip(db, env, report, at),
          acceptTip(db, env, report, at),
          acceptTip(db, env, other, at),
        ]);
        for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
        release();
        await holding;
        const [first, retry, refused] = await answers;
        expect(first).toMatchObject({ ok: true });
        expect(first.ok && first.alreadyStored).toBeFalsy();
        // The retry lost the race inside the group: it is answered once the first is committed.
        expect(retry).toEqual({ ...first, alreadyStored: true });
        expect(refused).toEqual({ ok: false, code: "duplicate_receipt" });
        const stored = await db
          .select({ id: tips.id })
          .from(tips)
          .where(eq(tips.receiptAuthHash, report.receiptAuthHash));
        expect(stored).toEqual([{ id: first.ok ? first.tipId : "" }]);
      });
    },
  );
});
