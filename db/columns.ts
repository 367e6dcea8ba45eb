/**
 * The column kit: the only building blocks db/schema.ts uses, each mapped to both engines so that
 * the schema is written once (ADR 009). Every helper gives the same TypeScript type on both:
 *
 * | helper     | TypeScript | SQLite                        | PostgreSQL                      |
 * |------------|------------|-------------------------------|---------------------------------|
 * | `text`     | string     | text                          | text                            |
 * | `int`      | number     | integer                       | integer (32-bit)                |
 * | `fen`      | number     | integer (64-bit)              | bigint, read as a JS number     |
 * | `at`       | Date       | integer, UTC milliseconds     | timestamptz(3)                  |
 * | `bytes`    | Buffer     | blob                          | bytea                           |
 * | `flag`     | boolean    | integer 0/1                   | boolean                         |
 * | `seq`      | number     | integer primary key autoinc.  | bigint identity primary key     |
 * | `createdAt`| Date       | `at`, default now             | `at`, default now()             |
 *
 * The builders are typed as PostgreSQL's (the stricter, async API); on SQLite the same calls
 * build SQLite columns at run time. `test/unit/schema-dialects.test.ts` checks that both dialects
 * produce the same tables, columns, types, keys and indices.
 */
import { sql } from "drizzle-orm";
import * as pg from "drizzle-orm/pg-core";
import * as lite from "drizzle-orm/sqlite-core";
import { DIALECT } from "./dialect";

const onPg = DIALECT === "pg";
// Runtime choice, PostgreSQL types: the two builder families share the calls we use.
const pick = <P>(pgVersion: P, sqliteVersion: unknown): P =>
  onPg ? pgVersion : (sqliteVersion as P);

const pgBytea = pg.customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
  toDriver: (value) => value,
  fromDriver: (value) => value,
});

export const table = pick(pg.pgTable, lite.sqliteTable);
export const index = pick(pg.index, lite.index);
export const uniqueIndex = pick(pg.uniqueIndex, lite.uniqueIndex);
export const primaryKey = pick(pg.primaryKey, lite.primaryKey);
/** A second name for a table in one query (e.g. a team's home district next to the target). */
export const alias = pick(pg.alias, lite.alias);

export const text = pick(pg.text, lite.text);

export const int = pick(
  (name: string) => pg.integer(name),
  (name: string) => lite.integer(name),
);

/** Money in integer fen; can exceed 2^31 (¥21 million), so 64-bit on PostgreSQL. */
export const fen = pick(
  (name: string) => pg.bigint(name, { mode: "number" }),
  (name: string) => lite.integer(name),
);

/** A moment (UTC). */
export const at = pick(
  (name: string) => pg.timestamp(name, { withTimezone: true, precision: 3, mode: "date" }),
  (name: string) => lite.integer(name, { mode: "timestamp_ms" }),
);

export const bytes = pick(
  (name: string) => pgBytea(name),
  (name: string) => lite.blob(name, { mode: "buffer" }),
);

export const flag = pick(
  (name: string) => pg.boolean(name),
  (name: string) => lite.integer(name, { mode: "boolean" }),
);

/** Text primary key `id` (readable ids for reference data, random ids for runtime rows). */
export const id = () => text("id").primaryKey();

/** Insertion time, set by the database when the caller gives none. */
export const createdAt = () =>
  at("created_at")
    .notNull()
    .default(onPg ? sql`now()` : sql`(cast(unixepoch('subsec') * 1000 as integer))`);

/** An ever-growing integer key (the audit chain's sequence number). */
export const seq = pick(
  (name: string) => pg.bigint(name, { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  (name: string) => lite.integer(name).primaryKey({ autoIncrement: true }),
);
