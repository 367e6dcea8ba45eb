/**
 * Verifies the whole hash-chained audit log of a Crosswatch database and names the first broken
 * row. Exit 0 when intact, 1 when broken (or unreadable), 2 for a usage error.
 *
 *   npx tsx scripts/verify-audit.ts <database> [--anchor <rows>:<hash> ...]
 *   npm run verify-audit -- <database> [--anchor <rows>:<hash>]
 *
 * <database> is a SQLite file or a postgres:// URL (either engine, ADR 009).
 *
 * The chain alone cannot see its tail being cut off (dropping the last rows leaves a valid,
 * shorter chain), nor an old row edited by someone who then recomputed every later hash. Every
 * run prints the head as an anchor, `<rows>:<hash>`; keep anchors off the server (in the
 * inspection office's and the commission's records, the scorecard print-out) and pass them back
 * with --anchor: the run then fails unless the chain at <rows> rows has exactly that head and
 * continues from it intact (AuditAnchor in app/services/audit.server.ts).
 * The database is opened read-only (SQLite: a read-only connection; PostgreSQL: read-only
 * sessions).
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { Db } from "../db/client";
import { formatAuditAnchor, parseAuditAnchor, type AuditAnchor } from "../app/shared/audit-anchor";

// Not imported from db/dialect: importing it fixes the process's engine before DATABASE_URL is set.
const isPostgresUrl = (v: string | undefined): v is string => !!v && /^postgres(ql)?:\/\//i.test(v);

const USAGE = "usage: npx tsx scripts/verify-audit.ts <database> [--anchor <rows>:<hash> ...]";

const { values, positionals } = parseArgs({
  options: {
    anchor: { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: true,
});
const file = positionals[0];
if (values.help || !file || positionals.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}
const anchors: AuditAnchor[] = [];
for (const a of values.anchor ?? []) {
  const anchor = parseAuditAnchor(a);
  if (!anchor) {
    console.error(`verify-audit: bad anchor "${a}" (want <rows>:<64 hex digits>)`);
    console.error(USAGE);
    process.exit(2);
  }
  anchors.push(anchor);
}
const onPg = isPostgresUrl(file);
if (!onPg && !fs.existsSync(file)) {
  console.error(`verify-audit: no database at ${file}`);
  process.exit(1);
}
// The schema is built for the engine named by DATABASE_URL when first imported (db/dialect.ts).
process.env.DATABASE_URL = onPg ? file : "";
const { closeDb, openDb } = await import("../db/client");
const schema = await import("../db/schema");
const { verifyAuditChain } = await import("../app/services/audit.server");

let db: Db;
let close: () => Promise<void>;
try {
  if (onPg) {
    const handle = await openDb(file, { migrate: false, poolSize: 1 });
    db = handle;
    close = () => closeDb(handle);
  } else {
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    db = drizzle(sqlite, { schema }) as unknown as Db;
    close = async () => {
      sqlite.close();
    };
  }
} catch (err) {
  console.error(`verify-audit: cannot open ${file}: ${(err as Error).message}`);
  process.exit(1);
}
const { auditLog } = schema;
const rowAt = async (seq: number) =>
  (await db.select().from(auditLog).where(eq(auditLog.seq, seq)).limit(1))[0];

let failed = false;
try {
  const verdict = await verifyAuditChain(db, { anchors });
  if (!verdict.ok) {
    const row = await rowAt(verdict.brokenSeq);
    const what = row
      ? ` (${row.action} on ${row.objectType}${row.objectId ? ` ${row.objectId}` : ""} at ${row.at.toISOString()})`
      : "";
    const why = {
      hash: "its content no longer matches its hash: the row was edited",
      prev_hash: "it does not link to the row before: a row before it was removed or replaced",
      sequence: "sequence numbers skip: rows were removed",
      anchor_hash: `its hash differs from the anchor: rows 1–${verdict.brokenSeq} were rewritten and the chain recomputed`,
      anchor_missing: `the anchored row is missing (the chain has ${verdict.rows} rows): the tail was cut off`,
    }[verdict.reason];
    console.log(`audit chain BROKEN at row ${verdict.brokenSeq}${what}: ${why}`);
    failed = true;
  } else {
    const held = anchors.length ? `, ${anchors.length} anchor(s) hold` : "";
    console.log(`audit chain OK: ${verdict.rows} rows, head ${verdict.head}${held}`);
    console.log(`anchor: ${formatAuditAnchor({ rows: verdict.rows, hash: verdict.head })}`);
  }
} catch (err) {
  console.error(`verify-audit: cannot read the audit log: ${(err as Error).message}`);
  failed = true;
} finally {
  await close();
}
process.exit(failed ? 1 : 0);
