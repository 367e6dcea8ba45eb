/**
 * Verifies the whole hash-chained audit log of a Crosswatch database and names the first broken
 * row. Exit 0 when intact, 1 when broken (or unreadable), 2 for a usage error.
 *
 *   npx tsx scripts/verify-audit.ts <database> [--anchor <seq>:<hash> ...]
 *   npm run verify-audit -- <database> [--anchor <seq>:<hash>]
 *
 * The chain alone cannot see its tail being cut off (dropping the last rows leaves a valid,
 * shorter chain). Every run prints the head as an anchor, `<rows>:<hash>`; keep anchors off the
 * server (in the inspection office's and the commission's records, ADR 007) and pass them back
 * with --anchor: the run then fails unless row <seq> still exists with exactly that hash.
 * The database is opened read-only.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "../db/schema";
import type { Db } from "../db/client";
import { verifyAuditChain } from "../app/services/audit.server";

const USAGE = "usage: npx tsx scripts/verify-audit.ts <database> [--anchor <seq>:<hash> ...]";

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
const anchors: { seq: number; hash: string }[] = [];
for (const a of values.anchor ?? []) {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(a.trim());
  if (!m) {
    console.error(`verify-audit: bad anchor "${a}" (want <seq>:<64 hex digits>)`);
    console.error(USAGE);
    process.exit(2);
  }
  anchors.push({ seq: Number(m[1]), hash: m[2]! });
}
if (!fs.existsSync(file)) {
  console.error(`verify-audit: no database at ${file}`);
  process.exit(1);
}

let sqlite: Database.Database;
try {
  sqlite = new Database(file, { readonly: true, fileMustExist: true });
} catch (err) {
  console.error(`verify-audit: cannot open ${file}: ${(err as Error).message}`);
  process.exit(1);
}
const db = drizzle(sqlite, { schema }) as unknown as Db;

let failed = false;
try {
  const verdict = await verifyAuditChain(db);
  if (!verdict.ok) {
    const row = sqlite
      .prepare("select seq, at, action, object_type, object_id from audit_log where seq = ?")
      .get(verdict.brokenSeq) as
      | { seq: number; at: number; action: string; object_type: string; object_id: string | null }
      | undefined;
    const what = row
      ? ` (${row.action} on ${row.object_type}${row.object_id ? ` ${row.object_id}` : ""} at ${new Date(row.at).toISOString()})`
      : "";
    const why = {
      hash: "its content no longer matches its hash: the row was edited",
      prev_hash: "it does not link to the row before: a row before it was removed or replaced",
      sequence: "sequence numbers skip: rows were removed",
    }[verdict.reason];
    console.log(`audit chain BROKEN at row ${verdict.brokenSeq}${what}: ${why}`);
    failed = true;
  } else {
    for (const a of anchors) {
      const row = sqlite.prepare("select hash from audit_log where seq = ?").get(a.seq) as
        { hash: string } | undefined;
      if (!row) {
        console.log(
          `audit chain BROKEN at row ${a.seq}: anchored row is missing (chain has ${verdict.rows} rows): the tail was cut off`,
        );
        failed = true;
      } else if (row.hash !== a.hash) {
        console.log(
          `audit chain BROKEN at row ${a.seq}: anchored hash differs: the chain was rewritten`,
        );
        failed = true;
      }
    }
    if (!failed) {
      console.log(`audit chain OK: ${verdict.rows} rows, head ${verdict.head}`);
      console.log(`anchor: ${verdict.rows}:${verdict.head}`);
    }
  }
} catch (err) {
  console.error(`verify-audit: cannot read the audit log: ${(err as Error).message}`);
  failed = true;
} finally {
  sqlite.close();
}
process.exit(failed ? 1 : 0);
