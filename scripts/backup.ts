/**
 * Online backup of the Crosswatch database, safe while the server runs:
 *
 *   npx tsx scripts/backup.ts <backup-file> [--db <database>]     (npm run backup -- <file>)
 *
 * - SQLite (a file; default DATABASE_PATH or DATA_DIR/crosswatch.db): SQLite's backup API sees a
 *   consistent snapshot, WAL included; the copy is integrity-checked.
 * - PostgreSQL (`--db postgres://…`, or DATABASE_URL): `pg_dump --format=custom` (one consistent
 *   snapshot); the archive's table of contents is read back with `pg_restore --list`. pg_dump must
 *   be at least the server's major version. For point-in-time recovery use a base backup plus WAL
 *   archiving instead (docs/scaling.md).
 *
 * The database holds only ciphertext, but the backup is still sensitive (metadata). The secrets
 * (RECEIPT_SALT above all: without it no tipster can open their case) live in configuration, not
 * in the database: back them up separately and keep them apart from the database backups.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import { isPostgresUrl } from "../db/dialect";
import { pgTool, redactUrl } from "./lib/pg-throwaway.mjs";

const { values, positionals } = parseArgs({
  options: { db: { type: "string" }, help: { type: "boolean", short: "h" } },
  allowPositionals: true,
});
const dbPath =
  values.db ??
  (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined) ??
  process.env.DATABASE_PATH ??
  path.join(process.env.DATA_DIR || "./data", "crosswatch.db");
const out = positionals[0];
if (values.help || !out || positionals.length !== 1) {
  console.error("usage: npx tsx scripts/backup.ts <backup-file> [--db <database>]");
  process.exit(2);
}
if (fs.existsSync(out)) {
  console.error(`backup: ${out} exists; choose a new file name`);
  process.exit(1);
}
if (isPostgresUrl(dbPath)) {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const pgDump = pgTool("pg_dump");
  try {
    // Custom format: compressed, restorable table by table, read back with pg_restore --list.
    execFileSync(pgDump, ["--format=custom", "--no-owner", "--file", out, "--dbname", dbPath], {
      stdio: ["ignore", "inherit", "pipe"],
    });
    fs.chmodSync(out, 0o600);
    const toc = execFileSync(pgTool("pg_restore"), ["--list", out], { encoding: "utf8" });
    const tables = toc.split("\n").filter((l) => / TABLE DATA /.test(l)).length;
    if (!/ TABLE DATA public tips /.test(toc)) throw new Error("the archive has no tips table");
    console.log(
      `backup: wrote ${out} (${fs.statSync(out).size} bytes, pg_dump custom format of ` +
        `${redactUrl(dbPath)}, ${tables} tables, archive ok)`,
    );
  } catch (err) {
    fs.rmSync(out, { force: true });
    const e = err as { stderr?: Buffer | string; message: string };
    console.error(`backup: ${pgDump} failed: ${String(e.stderr ?? "").trim() || e.message}`);
    process.exit(1);
  }
  process.exit(0);
}
if (!fs.existsSync(dbPath)) {
  console.error(`backup: no database at ${dbPath}`);
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
