/**
 * db/schema.ts is written once and built for SQLite or PostgreSQL (db/columns.ts, ADR 009). This
 * test builds it for both in one process and fails if the two ever differ: tables, columns and
 * their kinds, nullability, defaults, primary keys, foreign keys (with delete actions) and
 * indices (with uniqueness). It also checks that each dialect's committed migrations match the
 * schema (drizzle-kit's last snapshot), so a change cannot ship with one engine's migration only.
 */
import fs from "node:fs";
import path from "node:path";
import { getTableName, is, Table } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";

type Dialect = "sqlite" | "pg";

/** The column kinds of db/columns.ts, named the same way for both dialects. */
function kindOf(dialect: Dialect, columnType: string, sqlType: string): string {
  const map: Record<string, Record<string, string>> = {
    sqlite: {
      SQLiteText: "text",
      SQLiteInteger: "int",
      SQLiteTimestamp: "at",
      SQLiteBlobBuffer: "bytes",
      SQLiteBoolean: "flag",
    },
    pg: {
      PgText: "text",
      PgInteger: "int",
      PgBigInt53: "int",
      PgTimestamp: "at",
      PgCustomColumn: sqlType === "bytea" ? "bytes" : "custom",
      PgBoolean: "flag",
    },
  };
  return map[dialect]![columnType] ?? `unknown:${columnType}`;
}

async function describeSchema(dialect: Dialect) {
  vi.resetModules();
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = dialect === "pg" ? "postgres://schema-test/none" : "";
  try {
    const schema = (await import("../../db/schema")) as Record<string, unknown>;
    const core =
      dialect === "pg"
        ? await import("drizzle-orm/pg-core")
        : await import("drizzle-orm/sqlite-core");
    const getConfig = (core as { getTableConfig: (t: unknown) => TableConfig }).getTableConfig;
    const tables: Record<string, unknown> = {};
    for (const value of Object.values(schema)) {
      if (!is(value, Table)) continue;
      const c = getConfig(value);
      const fks = c.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return {
          columns: ref.columns.map((x) => x.name),
          to: `${getTableName(ref.foreignTable)}(${ref.foreignColumns.map((x) => x.name).join(",")})`,
          onDelete: fk.onDelete ?? "no action",
        };
      });
      tables[getTableName(value)] = {
        columns: Object.fromEntries(
          c.columns.map((col) => [
            col.name,
            {
              kind: kindOf(dialect, col.columnType, col.getSQLType()),
              notNull: col.notNull,
              primary: col.primary,
              hasDefault: col.hasDefault,
              // Literal defaults must match exactly; SQL defaults (now) differ in spelling only.
              default:
                col.default === undefined || typeof col.default === "object"
                  ? null
                  : String(col.default),
              enumValues: col.enumValues ?? null,
            },
          ]),
        ),
        primaryKeys: c.primaryKeys.map((pk) => pk.columns.map((x) => x.name)),
        foreignKeys: fks.sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
        indexes: c.indexes
          .map((i) => ({
            name: i.config.name,
            unique: i.config.unique,
            columns: i.config.columns.map((x) => (x as { name: string }).name),
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    }
    return tables;
  } finally {
    process.env.DATABASE_URL = previous;
    vi.resetModules();
  }
}

interface TableConfig {
  columns: {
    name: string;
    columnType: string;
    getSQLType(): string;
    notNull: boolean;
    primary: boolean;
    hasDefault: boolean;
    default: unknown;
    enumValues?: string[];
  }[];
  primaryKeys: { columns: { name: string }[] }[];
  foreignKeys: {
    onDelete?: string;
    reference(): {
      columns: { name: string }[];
      foreignTable: Table;
      foreignColumns: { name: string }[];
    };
  }[];
  indexes: { config: { name: string; unique: boolean; columns: unknown[] } }[];
}

afterEach(() => {
  vi.resetModules();
});

describe("one schema, two dialects", () => {
  it("builds the same tables, columns, keys and indices for SQLite and PostgreSQL", async () => {
    const sqlite = await describeSchema("sqlite");
    const pg = await describeSchema("pg");
    expect(Object.keys(sqlite).length).toBeGreaterThan(20);
    expect(pg).toEqual(sqlite);
  });

  it("each dialect's migrations end at the schema (no change left ungenerated)", async () => {
    for (const dialect of ["sqlite", "pg"] as const) {
      const dir = path.resolve(__dirname, "../../db/migrations", dialect, "meta");
      const journal = JSON.parse(fs.readFileSync(path.join(dir, "_journal.json"), "utf8")) as {
        entries: { idx: number }[];
      };
      const last = journal.entries.at(-1)!;
      const snapshot = JSON.parse(
        fs.readFileSync(
          path.join(dir, `${String(last.idx).padStart(4, "0")}_snapshot.json`),
          "utf8",
        ),
      ) as { tables: Record<string, { name: string; columns: Record<string, unknown> }> };
      const fromSnapshot = Object.fromEntries(
        Object.values(snapshot.tables).map((t) => [t.name, Object.keys(t.columns).sort()]),
      );
      const schema = await describeSchema(dialect);
      const fromSchema = Object.fromEntries(
        Object.entries(schema).map(([name, t]) => [
          name,
          Object.keys((t as { columns: object }).columns).sort(),
        ]),
      );
      expect(fromSnapshot, `${dialect}: run npm run db:generate`).toEqual(fromSchema);
    }
  });
});
