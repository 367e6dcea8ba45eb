/**
 * The routing generation (ADR 038): a one-row counter that every committed change to a table
 * routing reads raises in the same transaction, by database triggers (migration
 * `routing_generation`, both engines). App code cannot forget to raise it: any insert, update or
 * delete of those rows — by a service, a script or plain SQL — does. The counter lives outside the
 * drizzle schema (no service writes it; copies between databases start their own).
 *
 * Tables and columns that raise it: districts, units, rounds, teams, team_members, stationings,
 * stationing_units, staff_roles, staff_keys, recusals, rosters (any change), staff_users (a new
 * or deleted row, or an update that sets id, display_name, jurisdiction_id, home_district_id or
 * disabled_at: sign-ins write other columns of it all the time). A new read in routing of
 * another table or column must be added to the triggers (a new migration on both engines).
 */
import type Database from "better-sqlite3";
import { pgRows, sqliteConnections, type Db } from "./client";

const SQL = "SELECT generation FROM routing_generation WHERE id = 1";
const STATEMENTS = new WeakMap<Database.Database, Database.Statement>();

/**
 * The committed generation, as text; null where there is none to trust: an in-memory SQLite
 * database (it reads through its writer, so it would see a transaction's uncommitted writes).
 * PostgreSQL: a named prepared statement on the read pool (one round trip).
 */
export async function routingGeneration(db: Db): Promise<string | null> {
  const conns = sqliteConnections(db);
  if (conns) {
    if (conns.reader === conns.writer) return null;
    let statement = STATEMENTS.get(conns.reader);
    if (!statement) STATEMENTS.set(conns.reader, (statement = conns.reader.prepare(SQL).pluck()));
    const value = statement.get() as number | bigint | undefined;
    return value === undefined ? null : String(value);
  }
  const rows = await pgRows(db, "cw_routing_generation", SQL, []);
  const value = rows?.[0]?.[0];
  return value === undefined || value === null ? null : String(value);
}
