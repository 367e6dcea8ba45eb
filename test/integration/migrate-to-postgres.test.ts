/**
 * `npm run migrate-to-postgres` (scripts/migrate-to-postgres.ts) on a real demo database: a
 * server on SQLite takes a report with a photo (no-JS form) and a staff sign-in (audit rows);
 * the script copies the file into an empty PostgreSQL database and verifies counts and the audit
 * chain; a server started on PostgreSQL with the same secrets then opens the case for its tipster,
 * and the tip opens with the leader's key. PostgreSQL runs only; skipped on SQLite.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { authLookupHash, base64urlEncode } from "../../crypto/index";
import { findTipByReceiptHash } from "../../app/services/tips.server";
import { currentTotp, DEMO_TOTP_SECRET } from "~/services/totp.server";
import { closeDb, openDb } from "../../db/client";
import { attachments } from "../../db/schema";
import { eq } from "drizzle-orm";
import { fetchFresh } from "../support/report-fixture";
import {
  attachDatabase,
  createTestDatabase,
  REPO_ROOT,
  startServer,
  TEST_ENGINE,
} from "../support/server";
import { readTipAsStaff, serverEnv } from "../support/tip-fixture";
import { receiptKeysCached } from "../support/kdf-cache";

function migrate(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "scripts/migrate-to-postgres.ts", ...args],
      { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: "" } },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === "number" ? code : 1, out: stdout + stderr });
      },
    );
  });
}

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0]!;

describe.skipIf(TEST_ENGINE !== "pg")("npm run migrate-to-postgres", () => {
  it("moves the demo database with tips, envelopes, attachments and audit log; the tips open after the move", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-migrate-"));
    const file = path.join(dataDir, "crosswatch.db");
    const lite = await startServer({ dataDir, env: { DATABASE_URL: "", DATABASE_PATH: file } });
    let receipt: string;
    try {
      expect(lite.output()).toContain("demo data created");
      const form = new FormData();
      for (const [k, v] of Object.entries({
        intent: "submit",
        district: "tj-jinnan",
        unit: "tj-jinnan-hanchengqiao",
        category: "livelihood",
        text: "迁移前提交的举报。",
        identity: "anonymous",
        onlyOutsiders: "yes",
      }))
        form.append(k, v);
      const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
      form.append("files", new Blob([jpeg], { type: "image/jpeg" }), "photo.jpg");
      const res = await fetchFresh(`${lite.url}/report?district=tj-jinnan`, {
        method: "POST",
        body: form,
      });
      expect(res.status).toBe(201);
      receipt = /data-receipt="(\d{16})"/.exec(await res.text())![1]!;
      // A staff sign-in: audit rows to carry over.
      const r1 = await fetchFresh(`${lite.url}/staff/login`, {
        method: "POST",
        body: new URLSearchParams({ username: "bc.leader", password: "crosswatch-demo" }),
        redirect: "manual",
      });
      const pending = cookieOf(r1);
      const page = await (
        await fetchFresh(`${lite.url}/staff/login/totp`, { headers: { Cookie: pending } })
      ).text();
      const r2 = await fetchFresh(`${lite.url}/staff/login/totp`, {
        method: "POST",
        headers: { Cookie: pending },
        body: new URLSearchParams({
          csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]!,
          intent: "verify",
          code: await currentTotp(DEMO_TOTP_SECRET),
        }),
        redirect: "manual",
      });
      expect(r2.status).toBe(303);
    } finally {
      await lite.stop();
    }

    const target = await createTestDatabase({ empty: true });
    const moved = await migrate("--from", file, "--to", target);
    expect(moved.out).toMatch(/row counts match; audit chain OK: ([1-9]\d*) rows/);
    expect(moved.out).toMatch(/attachment_chunks: [1-9]/);
    expect(moved.code).toBe(0);
    // Never into a database that holds anything.
    const again = await migrate("--from", file, "--to", target);
    expect(again.code).toBe(1);
    expect(again.out).toContain("is not empty");

    attachDatabase(dataDir, target);
    const onPg = await startServer({ dataDir });
    try {
      expect(onPg.output()).not.toContain("demo data created");
      const keys = await receiptKeysCached(receipt, serverEnv(onPg).receiptSalt);
      const opened = await fetchFresh(`${onPg.url}/api/status/open`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ authSecret: base64urlEncode(keys.authSecret) }),
      });
      expect(opened.status).toBe(200);
      const db = await openDb(target, { migrate: false });
      try {
        const tip = await findTipByReceiptHash(db, authLookupHash(keys.authSecret));
        expect(tip).toBeDefined();
        const payload = await readTipAsStaff(onPg, tip!.id, "staff-tj-beichen-leader");
        expect(JSON.stringify(payload)).toContain("迁移前提交的举报。");
        expect(
          (await db.select().from(attachments).where(eq(attachments.tipId, tip!.id))).length,
        ).toBe(1);
      } finally {
        await closeDb(db);
      }
    } finally {
      await onPg.stop();
    }
  }, 300_000);
});
