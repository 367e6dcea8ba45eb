/**
 * Copies a Crosswatch SQLite database into an empty PostgreSQL database, then verifies it:
 *
 *   npm run migrate-to-postgres -- [--from <sqlite-file>] [--to postgres://…]
 *
 * Defaults: --from DATABASE_PATH or DATA_DIR/crosswatch.db, --to DATABASE_URL. Stop the server
 * first (the SQLite file is read read-only, but rows written meanwhile would be left behind).
 *
 * - The PostgreSQL side gets the schema from the migrations (as the server would) and must be
 *   empty; the SQLite side must be at the same migration level (start the server on it once).
 * - Every table is copied in one PostgreSQL transaction, parents before children: if anything
 *   fails, nothing is left behind. Values are converted by column kind (ADR 009: integer ms →
 *   timestamptz, 0/1 → boolean, blob → bytea); the audit chain's identity sequence is moved past
 *   the last row.
 * - Verification after the commit: the row count of every table matches, and the audit chain on
 *   PostgreSQL verifies end to end with the same length and head hash as on SQLite.
 * Exit 0 on success, 1 on failure, 2 for a usage error.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { getTableColumns, getTableName, is, type Column } from "drizzle-orm";
import { getTableConfig, PgTable as PgTableClass, type PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../db/client";
import { redactUrl } from "./lib/pg-throwaway.mjs";

// Not imported from db/dialect: importing it fixes the process's engine before DATABASE_URL is set.
const isPostgresUrl = (v: string | undefined): v is string => !!v && /^postgres(ql)?:\/\//i.test(v);

const USAGE = "usage: npm run migrate-to-postgres -- [--from <sqlite-file>] [--to postgres://…]";
const { values } = parseArgs({
  options: {
    from: { type: "string" },
    to: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
const from =
  values.from ??
  process.env.DATABASE_PATH ??
  path.join(process.env.DATA_DIR || "./data", "crosswatch.db");
const to = values.to ?? process.env.DATABASE_URL;
if (values.help || !isPostgresUrl(to)) {
  console.error(USAGE);
  process.exit(2);
}
if (!fs.existsSync(from)) {
  console.error(`migrate-to-postgres: no SQLite database at ${from}`);
  process.exit(1);
}
const where = redactUrl(to);
const fail = (message: string): never => {
  console.error(`migrate-to-postgres: ${message}`);
  process.exit(1);
};

// The schema is built for PostgreSQL when DATABASE_URL names it at first import (db/dialect.ts).
process.env.DATABASE_URL = to;
const { closeDb, migrationsDir, openDb, withTx } = await import("../db/client");
const schema = await import("../db/schema");
const { verifyAuditChain } = await import("../app/services/audit.server");

const lite = new Database(from, { readonly: true, fileMustExist: true });
const journal = (dialect: "sqlite" | "pg") =>
  (
    JSON.parse(
      fs.readFileSync(path.join(migrationsDir(dialect), "meta/_journal.json"), "utf8"),
    ) as {
      entries: unknown[];
    }
  ).entries.length;
const applied = (
  lite
    .prepare(
      "select count(*) as n from sqlite_master where type = 'table' and name = '__drizzle_migrations'",
    )
    .get() as { n: number }
).n
  ? (lite.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n
  : 0;
if (applied !== journal("sqlite")) {
  fail(
    `${from} has ${applied} of ${journal("sqlite")} migrations applied: start this version of ` +
      "the server on it once (it migrates at start-up), stop it, and run this again",
  );
}

/** The schema's tables, each after the tables it references. */
function tablesInOrder(): PgTable[] {
  const all = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTableClass));
  const byName = new Map(all.map((t) => [getTableName(t), t]));
  const done = new Set<string>();
  const order: PgTable[] = [];
  const visit = (t: PgTable, path: string[]) => {
    const name = getTableName(t);
    if (done.has(name)) return;
    if (path.includes(name)) throw new Error(`foreign keys form a cycle: ${path.join(" → ")}`);
    for (const fk of getTableConfig(t).foreignKeys) {
      const parent = getTableName(fk.reference().foreignTable);
      if (parent !== name) visit(byName.get(parent)!, [...path, name]);
    }
    done.add(name);
    order.push(t);
  };
  for (const t of all) visit(t, []);
  return order;
}

/** A SQLite value as the PostgreSQL column of the same kind takes it (ADR 009's column kit). */
function convert(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.columnType) {
    case "PgTimestamp":
      return new Date(Number(value));
    case "PgBoolean":
      return value === 1 || value === true;
    case "PgBigInt53":
    case "PgInteger":
      return Number(value);
    case "PgCustomColumn": // bytes
      return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
    default:
      return value;
  }
}

/** Rows of a table that references itself, each after the row it points to. */
function parentsFirst(t: PgTable, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const selfFks = getTableConfig(t).foreignKeys.filter(
    (fk) => getTableName(fk.reference().foreignTable) === getTableName(t),
  );
  if (selfFks.length === 0) return rows;
  const pairs = selfFks.map((fk) => {
    const ref = fk.reference();
    return { from: ref.columns[0]!.name, to: ref.foreignColumns[0]!.name };
  });
  const placed = new Set<unknown>();
  const out: Record<string, unknown>[] = [];
  let pending = rows;
  while (pending.length) {
    const next = pending.filter(
      (r) => !pairs.every((p) => r[p.from] === null || placed.has(r[p.from])),
    );
    if (next.length === pending.length) throw new Error(`${getTableName(t)}: rows form a cycle`);
    for (const r of pending) {
      if (next.includes(r)) continue;
      out.push(r);
      for (const p of pairs) placed.add(r[p.to]);
    }
    pending = next;
  }
  return out;
}

const tables = tablesInOrder();
let db: Db;
try {
  db = await openDb(to); // applies the PostgreSQL migrations
} catch (err) {
  fail(`cannot open ${where}: ${(err as Error).message}`);
}

try {
  for (const t of tables) {
    if ((await db!.$count(t)) > 0) {
      fail(`${where} is not empty (${getTableName(t)} has rows); migrate into an empty database`);
    }
  }

  const counts = new Map<string, number>();
  const started = Date.now();
  await withTx(db!, async (tx) => {
    for (const t of tables) {
      const name = getTableName(t);
      const columns = Object.entries(getTableColumns(t));
      const raw = lite.prepare(`select * from "${name}"`).all() as Record<string, unknown>[];
      const rows = parentsFirst(t, raw).map((r) =>
        Object.fromEntries(columns.map(([key, col]) => [key, convert(col, r[col.name])])),
      );
      // Batches keep each statement well under PostgreSQL's 65,535 parameters.
      const per = Math.max(1, Math.floor(30_000 / Math.max(1, columns.length)));
      for (let i = 0; i < rows.length; i += per) {
        await tx.insert(t).values(rows.slice(i, i + per) as never);
      }
      counts.set(name, rows.length);
    }
  });
  // The audit chain's identity continues after the copied rows.
  const admin = new pg.Client({ connectionString: to });
  await admin.connect();
  try {
    await admin.query(
      "select setval(pg_get_serial_sequence('audit_log', 'seq'), " +
        "coalesce((select max(seq) from audit_log), 0) + 1, false)",
    );
  } finally {
    await admin.end();
  }

  // Verify after the commit, through a fresh read.
  const problems: string[] = [];
  for (const t of tables) {
    const name = getTableName(t);
    const onPg = await db!.$count(t);
    const onLite = (lite.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n;
    if (onPg !== onLite) problems.push(`${name}: ${onLite} rows in SQLite, ${onPg} in PostgreSQL`);
  }
  const liteHead = lite
    .prepare("select seq, hash from audit_log order by seq desc limit 1")
    .get() as { seq: number; hash: string } | undefined;
  const verdict = await verifyAuditChain(db!);
  if (!verdict.ok) {
    problems.push(`audit chain broken at row ${verdict.brokenSeq} (${verdict.reason})`);
  } else if (liteHead && (verdict.rows !== liteHead.seq || verdict.head !== liteHead.hash)) {
    problems.push(
      `audit chain differs: SQLite ${liteHead.seq}:${liteHead.hash}, PostgreSQL ${verdict.rows}:${verdict.head}`,
    );
  }
  if (problems.length) fail(`verification failed:\n  ${problems.join("\n  ")}`);

  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(
    `migrate-to-postgres: copied ${total} rows in ${counts.size} tables from ${from} to ${where} ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s; row counts match` +
      (verdict.ok ? `; audit chain OK: ${verdict.rows} rows, head ${verdict.head}` : ""),
  );
  for (const [name, n] of counts) if (n) console.log(`  ${name}: ${n}`);
  console.log("Point DATABASE_URL at it and start the server with the same secrets.");
} finally {
  await closeDb(db!);
  lite.close();
}
