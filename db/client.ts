/**
 * The one place that knows the database is SQLite. The server opens one handle at boot and hands
 * it to routes through the Remix load context (`context.db`); services take it as a parameter.
 *
 * better-sqlite3 is synchronous: transactions are plain functions — never `await` inside one.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Where the committed drizzle-kit migrations live (works from source and from build/). */
export function migrationsDir(): string {
  const fromEnv = process.env.CROSSWATCH_MIGRATIONS_DIR;
  if (fromEnv) return fromEnv;
  return path.resolve(process.cwd(), "db/migrations");
}

export interface OpenDbOptions {
  /** Run pending migrations (default true). */
  migrate?: boolean;
}

/**
 * Opens (and creates) a database file, or `:memory:` for unit tests.
 * WAL + synchronous=FULL: an acknowledged tip survives a power cut or `kill -9`.
 */
export function openDb(file: string, options: OpenDbOptions = {}): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Deleted ciphertext is overwritten, not left in free pages.
  sqlite.pragma("secure_delete = ON");
  const db = drizzle(sqlite, { schema }) as Db;
  if (options.migrate !== false) migrate(db, { migrationsFolder: migrationsDir() });
  return db;
}

export { schema };
