/**
 * scripts/backup.ts and scripts/restore.ts on the engine this run uses: a running server's
 * database is backed up (SQLite backup API, or pg_dump), restored into a new data directory's
 * database (a new SQLite file, or an empty PostgreSQL database), and a server started on it shows
 * the same data without seeding again.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  attachDatabase,
  createTestDatabase,
  REPO_ROOT,
  startServer,
  TEST_ENGINE,
} from "../support/server";

const tsx = (script: string, args: string[]) =>
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", `scripts/${script}`, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

describe(`backup and restore on ${TEST_ENGINE}`, () => {
  it("backs up a running server's database and restores it into a new data directory", async () => {
    const server = await startServer();
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-backup-")), "b.db");
    try {
      expect(tsx("backup.ts", [out, "--db", server.database])).toMatch(
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
