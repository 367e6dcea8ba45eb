/**
 * The auditor's view /staff/audit on the real server: real account actions show up with their
 * actor, filters by actor / action / object work, pages hold 50 rows, and a row edited in the
 * database turns the status into "broken at row N".
 */
import { closeDb, openDb, withTx } from "../../db/client";
import { appendAudit } from "~/services/audit.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentTotp, DEMO_TOTP_SECRET } from "~/services/totp.server";
import { rawSql, startServer, type RunningServer } from "../support/server";
import { loginAs } from "../support/staff-login";
import { rewriteAuditRow } from "../support/audit-tamper";

let server: RunningServer;
let auditor: string;
beforeAll(async () => {
  server = await startServer({ env: { LOGIN_LOCKOUT_BASE_MS: "100000" } });
  auditor = (await loginAs(server.database, "staff-tj-auditor")).cookie;
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const view = async (query = "") => {
  const res = await fetch(`${server.url}/staff/audit${query}`, {
    headers: { Cookie: `${auditor}; lang=en` },
  });
  expect(res.status).toBe(200);
  return res.text();
};
const seqs = (html: string) => [...html.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));

describe("/staff/audit", () => {
  it("shows real actions, filters, pages and the chain status", async () => {
    // One real sign-in (password + TOTP) and four wrong passwords for a real account.
    const r1 = await fetch(`${server.url}/staff/login`, {
      method: "POST",
      body: new URLSearchParams({ username: "bc.leader", password: "crosswatch-demo" }),
      redirect: "manual",
    });
    const pending = (r1.headers.get("set-cookie") ?? "").split(";")[0]!;
    const page = await (
      await fetch(`${server.url}/staff/login/totp`, { headers: { Cookie: pending } })
    ).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const r2 = await fetch(`${server.url}/staff/login/totp`, {
      method: "POST",
      headers: { Cookie: pending },
      body: new URLSearchParams({
        csrf,
        intent: "verify",
        code: await currentTotp(DEMO_TOTP_SECRET),
      }),
      redirect: "manual",
    });
    expect(r2.status).toBe(303);
    for (let i = 0; i < 4; i++) {
      await fetch(`${server.url}/staff/login`, {
        method: "POST",
        body: new URLSearchParams({ username: "bc.inspector1", password: `nope-${i}` }),
      });
    }
    // Five more accounts, five failures each (the fifth locks and still writes its row).
    for (const name of ["bc.local", "tj.office", "jn.commission", "sc.office", "js.office"]) {
      for (let i = 0; i < 5; i++) {
        await fetch(`${server.url}/staff/login`, {
          method: "POST",
          body: new URLSearchParams({ username: name, password: `wrong-${i}` }),
        });
      }
    }
    // 31 rows so far; 30 more through the same append path, so that there are two pages.
    const filler = await openDb(server.database, { migrate: false });
    for (let i = 0; i < 30; i++) {
      await withTx(filler, (tx) =>
        appendAudit(tx, {
          actorId: null,
          action: "test.filler",
          objectType: "system",
          objectId: null,
        }),
      );
    }
    await closeDb(filler);

    const all = await view();
    expect(all).toMatch(/Chain intact: \d+ rows/);
    expect(all).toContain("test.filler");
    // Newest first.
    const first = seqs(all);
    expect([...first].sort((a, b) => b - a)).toEqual(first);

    // Filter by actor (username), by action prefix, by object id.
    const byActor = await view("?actor=bc.leader");
    expect(seqs(byActor).length).toBe(2);
    expect(byActor).toContain("auth.login.password");
    expect(byActor).toContain("session.create");
    const failed = await view("?action=auth.login.failed");
    expect(seqs(failed).length).toBe(29);
    expect(failed).not.toContain("session.create");
    const one = await view("?object=staff-tj-beichen-inspector1");
    expect(seqs(one).length).toBe(4);
    // Wildcards are literal, not patterns.
    expect(seqs(await view("?action=%25")).length).toBe(0);

    // Pagination: 50 a page, 61 rows.
    expect(first.length).toBe(50);
    expect(first[0]).toBe(61);
    expect(all).toContain('rel="next"');
    const second = await view("?page=2");
    expect(seqs(second)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(second).not.toContain('rel="next"');
    expect(seqs(await view("?page=999")).length).toBe(0);

    // The head as an anchor to write down; checking against it on the page.
    const anchor = /class="audit-anchor">(\d+:[0-9a-f]{64})</.exec(all)![1]!;
    expect(anchor.startsWith("61:")).toBe(true);
    const held = await view(`?anchor=${anchor}`);
    expect(held).toContain(`holds the recorded anchor 61:${anchor.slice(3, 19)}`);
    const bad = await fetch(`${server.url}/staff/audit?anchor=61:xyz`, {
      headers: { Cookie: `${auditor}; lang=en` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("That is not an anchor");
    const zh = await fetch(`${server.url}/staff/audit?anchor=61:xyz`, {
      headers: { Cookie: `${auditor}; lang=zh-CN` },
    });
    expect(await zh.text()).toContain("这不是锚点");

    // An insider rewrites row 3 and recomputes the chain: intact alone, caught by the anchor.
    const writer = await openDb(server.database, { migrate: false });
    try {
      await rewriteAuditRow(writer, 3, '{"innocent":true}');
    } finally {
      await closeDb(writer);
    }
    expect(await view()).toMatch(/Chain intact: 61 rows/);
    expect(await view(`?anchor=${anchor}`)).toMatch(
      /The chain breaks at row 61: its hash differs from the recorded anchor \(rows up to 61 were rewritten/,
    );

    // Tamper with one row: the view says where the chain breaks.
    await rawSql(server.database, "update audit_log set action = 'tip.read' where seq = 2");
    expect(await view()).toMatch(
      /The chain breaks at row 2: its content no longer matches its hash/,
    );
  });
});
