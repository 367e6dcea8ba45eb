/**
 * Migration tests: a copy of db/migrations for this engine (DIALECT) without the migration tagged
 * `tag` and anything after it, so a test can write the rows an older release wrote, then open the
 * database with every migration (`openDb` migrates on start, as the server does).
 */
import fs from "node:fs";
import path from "node:path";
import { DIALECT } from "../../db/dialect";
import { REPO_ROOT } from "./server";

export function migrationsBefore(tag: string, tmpDir: string): string {
  const out = path.join(tmpDir, "migrations");
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(path.join(REPO_ROOT, "db/migrations"), out, { recursive: true });
  const dir = path.join(out, DIALECT);
  const journalPath = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as {
    entries: { idx: number; tag: string }[];
  };
  const cut = journal.entries.findIndex((e) => e.tag.endsWith(tag));
  if (cut <= 0) throw new Error(`no migration tagged ${tag} after the first`);
  for (const e of journal.entries.slice(cut)) fs.rmSync(path.join(dir, `${e.tag}.sql`));
  journal.entries = journal.entries.slice(0, cut);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return out;
}
