/**
 * Restores a backup made by scripts/backup.ts. Stop the server first.
 *
 *   npx tsx scripts/restore.ts <backup-file> [--db <database>] [--force]   (npm run restore -- …)
 *
 * SQLite: the backup is checked (integrity, migrations table) before anything is touched; the
 * current database, if any, is kept as <database>.before-restore-<time>; the new file is moved
 * into place atomically.
 *
 * PostgreSQL (`--db postgres://…`, or DATABASE_URL; the backup a pg_dump archive from
 * scripts/backup.ts): restores only into an empty database, in one transaction, so the current
 * database is never overwritten: create a new one (`createdb`), restore into it, then point
 * DATABASE_URL at it. A SQLite backup goes into PostgreSQL with `npm run migrate-to-postgres`.
 *
 * Use the same secrets (RECEIPT_SALT, …) the backed-up server used.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import pg from "pg";
import { isPostgresUrl } from "../db/dialect";
import { pgTool, redactUrl } from "./lib/pg-throwaway.mjs";

const { values, positionals } = parseArgs({
  options: {
    db: { type: "string" },
    force: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: true,
});
const dbPath =
  values.db ??
  (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined) ??
  process.env.DATABASE_PATH ??
  path.join(process.env.DATA_DIR || "./data", "crosswatch.db");
const backup = positionals[0];
if (values.help || !backup || positionals.length !== 1) {
  console.error("usage: npx tsx scripts/restore.ts <backup-file> [--db <database>] [--force]");
  process.exit(2);
}
if (!fs.existsSync(backup)) {
  console.error(`restore: no backup at ${backup}`);
  process.exit(1);
}

if (isPostgresUrl(dbPath)) await restorePostgres(dbPath, backup);

async function restorePostgres(url: string, archive: string): Promise<never> {
  const where = redactUrl(url);
  try {
    execFileSync(pgTool("pg_restore"), ["--list", archive], { stdio: "ignore" });
  } catch {
    console.error(
      `restore: ${archive} is not a pg_dump archive (a SQLite backup moves into PostgreSQL ` +
        "with npm run migrate-to-postgres)",
    );
    process.exit(1);
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from pg_tables
        where schemaname not in ('pg_catalog', 'information_schema')`,
    );
    if (Number(rows[0]!.n) > 0) {
      console.error(
        `restore: ${where} is not empty; create an empty database (createdb), restore into ` +
          "it and point DATABASE_URL at it — the current database stays as it is" +
          (values.force ? " (--force does not overwrite a PostgreSQL database)" : ""),
      );
      process.exit(1);
    }
  } catch (err) {
    console.error(`restore: cannot reach ${where}: ${(err as Error).message}`);
    process.exit(1);
  } finally {
    await client.end().catch(() => undefined);
  }
  try {
    execFileSync(
      pgTool("pg_restore"),
      ["--no-owner", "--exit-on-error", "--single-transaction", "--dbname", url, archive],
      { stdio: ["ignore", "inherit", "pipe"] },
    );
  } catch (err) {
    const e = err as { stderr?: Buffer | string; message: string };
    console.error(`restore: pg_restore failed: ${String(e.stderr ?? "").trim() || e.message}`);
    process.exit(1);
  }
  console.log(`restore: ${where} now holds ${archive}`);
  process.exit(0);
}

let check: Database.Database;
try {
  check = new Database(backup, { readonly: true, fileMustExist: true });
} catch (err) {
  console.error(`restore: ${backup} is not a database: ${(err as Error).message}`);
  process.exit(1);
}
try {
  const ok = check.pragma("integrity_check", { simple: true });
  const migrations = check
    .prepare("select count(*) as n from sqlite_master where name = '__drizzle_migrations'")
    .get() as { n: number };
  if (ok !== "ok" || migrations.n !== 1) {
    console.error(`restore: ${backup} is not a healthy Crosswatch backup`);
    process.exit(1);
  }
} catch (err) {
  console.error(`restore: ${backup} is not a database: ${(err as Error).message}`);
  process.exit(1);
} finally {
  check.close();
}

if (fs.existsSync(dbPath) && !values.force) {
  console.error(
    `restore: ${dbPath} exists; stop the server and run again with --force to replace it`,
  );
  process.exit(1);
}
fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
const staging = `${dbPath}.restoring`;
fs.copyFileSync(backup, staging);
fs.chmodSync(staging, 0o600);
if (fs.existsSync(dbPath)) {
  const kept = `${dbPath}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  // Fold the old WAL into the old file so what we keep is complete.
  const old = new Database(dbPath);
  old.pragma("wal_checkpoint(TRUNCATE)");
  old.close();
  fs.renameSync(dbPath, kept);
  console.log(`restore: kept the previous database as ${kept}`);
}
for (const suffix of ["-wal", "-shm"]) fs.rmSync(dbPath + suffix, { force: true });
fs.renameSync(staging, dbPath);
console.log(`restore: ${dbPath} now holds ${backup}`);
