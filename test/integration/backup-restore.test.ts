/**
 * scripts/backup.ts and scripts/restore.ts on the engine this run uses: a running server's
 * database is backed up (SQLite backup API, or pg_dump), restored into a new data directory's
 * database (a new SQLite file, or an empty PostgreSQL database), and a server started on it shows
 * the same data without seeding again.
 *
 * Issue 12 item 2: the backup runs while residents' submissions are flowing (concurrent clients,
 * each from its own loopback address). Every tip acknowledged before the backup started is in
 * the restored portal and opens there (for the team, and on the status page); the copy passes
 * its integrity check and its audit chain verifies.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/services/audit.server";
import {
  LoopbackAddresses,
  openStatus,
  postReport,
  prepareReports,
  readersFor,
  runPool,
  sealLoadTips,
  TeamReader,
  type LoadTip,
} from "../support/load";
import {
  attachDatabase,
  createTestDatabase,
  rawSql,
  REPO_ROOT,
  startServer,
  TEST_ENGINE,
} from "../support/server";
import { serverEnv, withDb } from "../support/tip-fixture";

const tsx = (script: string, args: string[]) =>
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", `scripts/${script}`, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

/** The same script run without blocking this process (the load keeps flowing meanwhile). */
const tsxAsync = (script: string, args: string[]) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", `scripts/${script}`, ...args],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${script}: ${out}`)),
    );
  });

const TIPS = 30;
const INSPECTOR = "staff-tj-beichen-inspector1";

describe(`backup and restore on ${TEST_ENGINE}`, () => {
  it("backs up a running server's database while tips flow in and restores it into a new data directory", async () => {
    const server = await startServer({ env: { POW_DIFFICULTY: "8" } });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-backup-")), "b.db");
    const ackedBeforeBackup: LoadTip[] = [];
    let acked = 0;
    let backupOutput = "";
    try {
      const readers = await readersFor(server, "tj-jinnan");
      const tips = await sealLoadTips(readers, TIPS, {
        salt: serverEnv(server).receiptSalt,
        attachmentBytes: 200_000,
        attachmentEvery: 4,
        tag: "backup",
      });
      const addresses = new LoopbackAddresses(70);
      const reports = await prepareReports(server.url, tips, addresses);
      let backup: Promise<string> | null = null;
      let backupStarted = false;
      await runPool(reports, 4, async (r) => {
        const res = await postReport(server.url, r, addresses.next());
        expect(res.status, JSON.stringify(res.json)).toBe(201);
        acked++;
        if (!backupStarted) ackedBeforeBackup.push(r.tip);
        if (acked === 8) {
          backupStarted = true;
          backup = tsxAsync("backup.ts", [out, "--db", server.database]);
        }
      });
      expect(backup, "the backup ran while tips were flowing").not.toBeNull();
      backupOutput = await backup!;
      expect(backupOutput).toMatch(
        TEST_ENGINE === "pg"
          ? /pg_dump custom format of .*, \d+ tables, archive ok/
          : /integrity ok/,
      );
    } finally {
      await server.stop();
    }

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-restored-"));
    fs.copyFileSync(path.join(server.dataDir, "secrets.json"), path.join(dataDir, "secrets.json"));
    if (TEST_ENGINE === "pg") {
      const target = await createTestDatabase({ empty: true });
      expect(tsx("restore.ts", [out, "--db", target])).toMatch(/now holds/);
      // A database that holds anything is never overwritten, --force or not.
      expect(() => tsx("restore.ts", [out, "--db", target, "--force"])).toThrow(/is not empty/);
      attachDatabase(dataDir, target);
    } else {
      const dbPath = path.join(dataDir, "crosswatch.db");
      expect(tsx("restore.ts", [out, "--db", dbPath])).toMatch(/now holds/);
      // Restoring over an existing database needs --force and keeps the old file.
      expect(() => tsx("restore.ts", [out, "--db", dbPath])).toThrow(/--force/);
      expect(tsx("restore.ts", [out, "--db", dbPath, "--force"])).toMatch(/kept the previous/);
    }

    const restored = await startServer({ dataDir });
    try {
      expect(restored.output()).not.toContain("demo data created");
      const html = await (await fetch(restored.url + "/districts/tj-jinnan")).text();
      expect(html).toContain("韩城桥村");
      // Every tip acknowledged before the backup started opens in the restored portal.
      const team = new TeamReader(INSPECTOR);
      for (const tip of ackedBeforeBackup) {
        const rows = await rawSql<{ id: string }>(
          restored.database,
          "select id from tips where receipt_auth_hash = $1",
          [tip.receiptAuthHash],
        );
        expect(rows, tip.marker).toHaveLength(1);
        expect(JSON.stringify(await team.openPayload(restored.database, rows[0]!.id))).toContain(
          `[${tip.marker}]`,
        );
      }
      const last = ackedBeforeBackup[ackedBeforeBackup.length - 1]!;
      expect((await openStatus(restored.url, last.authSecret, "127.71.0.1")).status).toBe(200);
      const verdict = await withDb(restored, (db) => verifyAuditChain(db));
      expect(verdict.ok).toBe(true);
      const total = (
        await rawSql<{ n: number | string }>(restored.database, "select count(*) as n from tips")
      )[0]?.n;
      console.log(
        `backup under load (${TEST_ENGINE}): ${acked} tips acknowledged, backup started after ` +
          `${ackedBeforeBackup.length}; restored copy holds all ${ackedBeforeBackup.length} and ` +
          `${Number(total)} tips in all (demo tips included); audit chain ok (${verdict.ok ? verdict.rows : 0} rows)`,
      );
    } finally {
      await restored.stop();
    }
    // Two server starts and three script runs: a long flow on a busy machine.
  }, 240_000);

  it("refuses a file that is not a Crosswatch backup", async () => {
    const junk = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-junk-")), "x.db");
    fs.writeFileSync(junk, "not a database at all");
    const target = TEST_ENGINE === "pg" ? await createTestDatabase({ empty: true }) : junk + ".t";
    expect(() => tsx("restore.ts", [junk, "--db", target])).toThrow(/not a/);
  });
});
