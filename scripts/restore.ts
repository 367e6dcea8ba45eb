/**
 * Restores a backup made by scripts/backup.ts. Stop the server first.
 *
 *   npx tsx scripts/restore.ts <backup-file> [--db <database>] [--force]   (npm run restore -- …)
 *
 * The backup is checked (integrity, migrations table) before anything is touched; the current
 * database, if any, is kept as <database>.before-restore-<time>; the new file is moved into place
 * atomically. Use the same secrets (RECEIPT_SALT, …) the backed-up server used.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

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
