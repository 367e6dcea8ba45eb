/**
 * Which engine this process runs on, decided once from the environment (ADR 009):
 * `DATABASE_URL=postgres://…` (or postgresql://) selects PostgreSQL, anything else SQLite.
 *
 * The schema (db/schema.ts) is built for this dialect when it is first imported, so one process
 * speaks to one engine. Tools that read one engine and write the other (scripts/migrate-to-
 * postgres.ts) read the SQLite side with plain SQL and write through the schema.
 */
export type Dialect = "sqlite" | "pg";

export function isPostgresUrl(value: string | undefined): value is string {
  return !!value && /^postgres(ql)?:\/\//i.test(value);
}

export const DIALECT: Dialect = isPostgresUrl(process.env.DATABASE_URL) ? "pg" : "sqlite";
