/**
 * scripts/verify-audit.ts against a real run: the real server, real sign-ins over HTTP, then the
 * script as a child process; editing any one audit row directly in the database (SQLite file or
 * PostgreSQL, whichever this run uses) makes it fail and name that row; cutting off the tail is
 * caught with an anchor from an earlier run.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentTotp, DEMO_TOTP_SECRET } from "~/services/totp.server";
import { closeDb, openDb } from "../../db/client";
import { rewriteAuditRow } from "../support/audit-tamper";
import { loginAs } from "../support/staff-login";
import { rawSql, REPO_ROOT, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

function cookieOf(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  return set.split(";")[0]!;
}

async function signIn(username: string): Promise<string> {
  const r1 = await fetch(`${server.url}/staff/login`, {
    method: "POST",
    body: new URLSearchParams({ username, password: "crosswatch-demo" }),
    redirect: "manual",
  });
  expect(r1.status).toBe(303);
  const pending = cookieOf(r1);
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
  return cookieOf(r2);
}

function verify(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(REPO_ROOT, "scripts/verify-audit.ts"), ...args],
      { cwd: REPO_ROOT },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === "number" ? code : 1, out: stdout + stderr });
      },
    );
  });
}

describe("scripts/verify-audit.ts", () => {
  it("passes on a real run, fails naming the row after one edit, and catches a cut tail", async () => {
    // Real actions: sign-ins (password + TOTP), a wrong password, sign out everywhere.
    const cookie = await signIn("bc.inspector1");
    await signIn("bc.leader");
    await fetch(`${server.url}/staff/login`, {
      method: "POST",
      body: new URLSearchParams({ username: "bc.leader", password: "wrong" }),
    });
    const account = await (
      await fetch(`${server.url}/staff/account`, { headers: { Cookie: cookie } })
    ).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(account)![1]!;
    const out = await fetch(`${server.url}/staff/account`, {
      method: "POST",
      headers: { Cookie: cookie },
      body: new URLSearchParams({ csrf, intent: "sign-out-everywhere" }),
      redirect: "manual",
    });
    expect(out.status).toBe(303);

    const ok = await verify(server.database);
    expect(ok.out).toMatch(/audit chain OK: (\d+) rows/);
    expect(ok.code).toBe(0);
    const rows = Number(/OK: (\d+) rows/.exec(ok.out)![1]);
    expect(rows).toBeGreaterThanOrEqual(6);
    const anchor = /anchor: (\d+:[0-9a-f]{64})/.exec(ok.out)![1]!;
    expect((await verify(server.database, "--anchor", anchor)).code).toBe(0);

    // Edit one row in the middle, as an insider with the database file would.
    const target = 3;
    const [original] = await rawSql<{ detail: string | null }>(
      server.database,
      "select detail from audit_log where seq = $1",
      [target],
    );
    await rawSql(server.database, "update audit_log set detail = $1 where seq = $2", [
      '{"innocent":true}',
      target,
    ]);
    const broken = await verify(server.database);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`BROKEN at row ${target}`);

    // Restore it: intact again. Then cut off the last row: only the anchor notices.
    await rawSql(server.database, "update audit_log set detail = $1 where seq = $2", [
      original!.detail,
      target,
    ]);
    expect((await verify(server.database)).code).toBe(0);
    await rawSql(server.database, "delete from audit_log where seq = $1", [rows]);
    expect((await verify(server.database)).code).toBe(0);
    const cut = await verify(server.database, "--anchor", anchor);
    expect(cut.code).toBe(1);
    expect(cut.out).toContain(`BROKEN at row ${rows}`);
  }, 120_000);

  it("the round scorecard page and its CSV end with the anchor that npm run verify-audit prints", async () => {
    // After the first test's real actions (the chain has rows; its tail was cut, so the chain
    // alone is intact): the office prints the scorecard and files it; what it files is an
    // anchor the script checks.
    const { cookie } = await loginAs(server.database, "staff-tj-office");
    const get = (path: string) => fetch(server.url + path, { headers: { Cookie: cookie } });
    const page = await get("/staff/rounds/tj-r4/scorecard");
    expect(page.status).toBe(200);
    const html = await page.text();
    const csv = (await (await get("/staff/rounds/tj-r4/scorecard.csv")).text()).split("\r\n");
    const ok = await verify(server.database);
    expect(ok.code).toBe(0);
    const anchor = /anchor: (\d+:[0-9a-f]{64})/.exec(ok.out)![1]!;
    expect(/<code class="audit-anchor">([^<]*)<\/code>/.exec(html)?.[1]).toBe(anchor);
    expect(csv.at(-2)!.split(",").slice(0, 2)).toEqual(["审计链锚点（行数:哈希）", anchor]);
    expect((await verify(server.database, "--anchor", anchor)).code).toBe(0);
  });

  it("an older row rewritten with every later hash recomputed passes alone and fails against the anchor", async () => {
    const before = await verify(server.database);
    expect(before.code).toBe(0);
    const anchor = /anchor: (\d+:[0-9a-f]{64})/.exec(before.out)![1]!;
    const anchoredRows = Number(anchor.split(":")[0]);
    // The office wrote the anchor down; real work goes on after it. (Another account than the
    // first test's: a TOTP code is accepted once per account, and both tests may fall in one step.)
    await signIn("bc.local");

    // An insider with the database and our source code edits row 2 and recomputes the chain.
    const db = await openDb(server.database, { migrate: false });
    try {
      await rewriteAuditRow(db, 2, '{"innocent":true}');
    } finally {
      await closeDb(db);
    }
    const alone = await verify(server.database);
    expect(alone.out).toContain("audit chain OK");
    expect(alone.code).toBe(0);
    const anchored = await verify(server.database, "--anchor", anchor);
    expect(anchored.code).toBe(1);
    expect(anchored.out).toContain(`BROKEN at row ${anchoredRows}`);
    expect(anchored.out).toContain(`rows 1–${anchoredRows} were rewritten`);
  }, 120_000);

  it("exits 1 for a missing database and 2 for bad usage", async () => {
    expect((await verify(path.join(server.dataDir, "nope.db"))).code).toBe(1);
    expect((await verify()).code).toBe(2);
    expect((await verify(server.database, "--anchor", "x")).code).toBe(2);
    expect((await verify(server.database, "--anchor", `0:${"a".repeat(64)}`)).code).toBe(2);
  }, 60_000);
});
