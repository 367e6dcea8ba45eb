/**
 * Online backup of the Crosswatch database, safe while the server runs (SQLite's backup API sees a
 * consistent snapshot, WAL included):
 *
 *   npx tsx scripts/backup.ts <backup-file> [--db <database>]     (npm run backup -- <file>)
 *
 * The database holds only ciphertext, but the backup is still sensitive (metadata). The secrets
 * (RECEIPT_SALT above all: without it no tipster can open their case) live in configuration, not
 * in the database: back them up separately and keep them apart from the database backups.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

const { values, positionals } = parseArgs({
  options: { db: { type: "string" }, help: { type: "boolean", short: "h" } },
  allowPositionals: true,
});
const dbPath =
  values.db ??
  process.env.DATABASE_PATH ??
  path.join(process.env.DATA_DIR || "./data", "crosswatch.db");
const out = positionals[0];
if (values.help || !out || positionals.length !== 1) {
  console.error("usage: npx tsx scripts/backup.ts <backup-file> [--db <database>]");
  process.exit(2);
}
if (!fs.existsSync(dbPath)) {
  console.error(`backup: no database at ${dbPath}`);
  process.exit(1);
}
if (fs.existsSync(out)) {
  console.error(`backup: ${out} exists; choose a new file name`);
  process.exit(1);
}

const db = new Database(dbPath, { fileMustExist: true });
try {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  await db.backup(out);
  fs.chmodSync(out, 0o600);
  const check = new Database(out, { readonly: true });
  const ok = check.pragma("integrity_check", { simple: true });
  const tips = (check.prepare("select count(*) as n from tips").get() as { n: number }).n;
  check.close();
  if (ok !== "ok") {
    console.error(`backup: integrity check of ${out} failed: ${String(ok)}`);
    process.exit(1);
  }
  console.log(`backup: wrote ${out} (${fs.statSync(out).size} bytes, ${tips} tips, integrity ok)`);
} finally {
  db.close();
}
