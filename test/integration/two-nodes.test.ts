/**
 * Two app nodes (two real servers on different ports) against one PostgreSQL database, as in
 * docs/scaling.md: a tip submitted through node A is opened by its tipster and read by staff
 * through node B; a proof of work spent on A is refused on B, and of two reports racing to A and B
 * with one proof of work exactly one is stored; of two sign-ins racing to A and B with one TOTP
 * code exactly one succeeds, and its session works on the other node; every node appends to one
 * audit chain. PostgreSQL only (a SQLite file belongs to one machine); skipped on SQLite runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authLookupHash, base64urlEncode } from "../../crypto/index";
import { findTipByReceiptHash } from "../../app/services/tips.server";
import { verifyAuditChain } from "../../app/services/audit.server";
import { currentTotp, DEMO_TOTP_SECRET } from "~/services/totp.server";
import { closeDb, openDb } from "../../db/client";
import { auditLog } from "../../db/schema";
import { buildReport, fetchFresh, postReport, powChallenge } from "../support/report-fixture";
import { startServer, TEST_ENGINE, type RunningServer } from "../support/server";
import { serverEnv } from "../support/tip-fixture";
import { solvePowSync } from "../../crypto/index";
import { receiptKeysCached } from "../support/kdf-cache";

let a: RunningServer;
let b: RunningServer;

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0]!;

/** Step 1 of a staff sign-in (password) on `node`: the pending session cookie and the TOTP form. */
async function passwordStep(node: RunningServer, username: string) {
  const r1 = await fetchFresh(`${node.url}/staff/login`, {
    method: "POST",
    body: new URLSearchParams({ username, password: "crosswatch-demo" }),
    redirect: "manual",
  });
  expect(r1.status).toBe(303);
  const pending = cookieOf(r1);
  const page = await (
    await fetchFresh(`${node.url}/staff/login/totp`, { headers: { Cookie: pending } })
  ).text();
  return { pending, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]! };
}

describe.skipIf(TEST_ENGINE !== "pg")("two app nodes on one PostgreSQL", () => {
  beforeAll(async () => {
    a = await startServer();
    // Same database and secrets (DATA_DIR/secrets.json in demo mode; configuration in production).
    b = await startServer({ dataDir: a.dataDir });
    expect(b.output()).not.toContain("demo data created");
    expect(a.port).not.toBe(b.port);
  }, 240_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it("serves one set of tips, proofs of work, sessions and one audit chain", async () => {
    // A tip through A …
    const built = await buildReport(a);
    expect((await postReport(a, built)).status).toBe(201);
    // … opened by its tipster through B.
    const keys = await receiptKeysCached(built.receipt, serverEnv(a).receiptSalt);
    const opened = await fetchFresh(`${b.url}/api/status/open`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ authSecret: base64urlEncode(keys.authSecret) }),
    });
    expect(opened.status).toBe(200);
    expect(
      ((await opened.json()) as { case: { summary: { status: string } } }).case.summary.status,
    ).toBe("received");

    // The proof of work spent on A is refused on B.
    const other = await buildReport(a, {
      pow: built.meta.pow as { challenge: string; solution: string },
    });
    const replayed = await postReport(b, other);
    expect(replayed.status).toBe(400);
    expect(((await replayed.json()) as { error: { code: string } }).error.code).toBe(
      "pow_replayed",
    );

    // Two different reports with one fresh proof of work, sent to A and B at once: one is stored.
    const c = await powChallenge(b);
    const pow = { challenge: c, solution: solvePowSync(c) };
    const [r1, r2] = await Promise.all([buildReport(a, { pow }), buildReport(a, { pow })]);
    const raced = await Promise.all([postReport(a, r1), postReport(b, r2)]);
    expect(raced.map((r) => r.status).sort()).toEqual([201, 400]);

    // Two sign-ins racing with one TOTP code, one on each node: exactly one succeeds.
    const [onA, onB] = await Promise.all([
      passwordStep(a, "bc.leader"),
      passwordStep(b, "bc.leader"),
    ]);
    const code = await currentTotp(DEMO_TOTP_SECRET);
    const second = (node: RunningServer, step: { pending: string; csrf: string }) =>
      fetchFresh(`${node.url}/staff/login/totp`, {
        method: "POST",
        headers: { Cookie: step.pending },
        body: new URLSearchParams({ csrf: step.csrf, intent: "verify", code }),
        redirect: "manual",
      });
    const [totpA, totpB] = await Promise.all([second(a, onA), second(b, onB)]);
    const wins = [totpA, totpB].filter((r) => r.status === 303);
    expect(wins.length).toBe(1);
    // The session made on the winning node works on the other one: the leader reads the tip.
    const [winner, elsewhere] = totpA.status === 303 ? [totpA, b] : [totpB, a];
    const session = cookieOf(winner);
    const db = await openDb(a.database, { migrate: false });
    try {
      const tip = await findTipByReceiptHash(db, authLookupHash(keys.authSecret));
      expect(tip).toBeDefined();
      const read = await fetchFresh(`${elsewhere.url}/api/staff/tips/${tip!.id}`, {
        headers: { Cookie: session },
      });
      expect(read.status).toBe(200);

      // Both nodes appended to one chain, which verifies end to end.
      const actions = (await db.select({ action: auditLog.action }).from(auditLog)).map(
        (r) => r.action,
      );
      expect(actions).toContain("auth.login.failed"); // the losing TOTP attempt
      expect(actions.filter((x) => x.startsWith("session.")).length).toBeGreaterThanOrEqual(1);
      const verdict = await verifyAuditChain(db);
      expect(verdict.ok).toBe(true);
    } finally {
      await closeDb(db);
    }
  }, 240_000);
});
