/**
 * The one place that knows which engine runs (ADR 009). The server opens one handle at boot and
 * hands it to routes through the Remix load context (`context.db`); services take it as a
 * parameter and never see the engine.
 *
 *   const rows = await db.select().from(tips).where(…);           // reads: any handle
 *   await withTx(db, async (tx) => { await tx.insert(…); … });     // writes: only inside withTx
 *
 * - `Db` can read and start transactions; it has no insert/update/delete, so a write outside a
 *   transaction does not compile. `Tx` (inside `withTx`) can also write. Functions that write as
 *   part of their caller's transaction take a `Tx`.
 * - A transaction commits durably before `withTx` resolves (SQLite WAL, its sync off the event
 *   loop — `WalSync`; PostgreSQL synchronous_commit=on), so an acknowledgement after it survives
 *   `kill -9` and a power cut.
 * - Reads through `Db` see committed data only, on both engines: SQLite reads go to a separate
 *   read-only connection, PostgreSQL reads to the pool. Inside a transaction read through `tx` to
 *   see its own writes.
 * - SQLite: better-sqlite3 is one synchronous connection per handle, and an async transaction
 *   callback yields at every `await`. Write transactions therefore run one at a time through an
 *   in-process queue, on a writer connection nothing else touches, so no other request's
 *   statement can slip into (or be rolled back with) an open transaction. `BEGIN IMMEDIATE` also
 *   keeps other processes (scripts) out until COMMIT. Reads never wait for the queue.
 *   Transactions that queue up behind one share its COMMIT as savepoints (group commit: one
 *   fsync for many); each still resolves (or rejects, when its own savepoint failed) only after
 *   that durable COMMIT.
 * - PostgreSQL: one pool; pooled connections default to read-only and `withTx` opens
 *   `BEGIN READ WRITE` on a connection of its own (READ COMMITTED). Read-modify-write paths that
 *   need more take `serializeOn(tx, name)` (a transaction-scoped advisory lock; a no-op on
 *   SQLite, whose writers are already serialized).
 * - Nested `withTx(tx, …)` is a savepoint on both engines.
 */
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { getTableName, is, sql, type Column } from "drizzle-orm";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { getTableConfig as pgTableConfig, PgTable } from "drizzle-orm/pg-core";
import type pg from "pg";
import { log } from "../app/log.server";
import { DIALECT, isPostgresUrl, type Dialect } from "./dialect";
import * as schema from "./schema";

type Drizzle = NodePgDatabase<typeof schema>;
declare const handleBrand: unique symbol;
declare const txBrand: unique symbol;

/** A database handle: reads, and `withTx` for writes. */
export type Db = Pick<Drizzle, "select" | "selectDistinct" | "$count"> & {
  readonly [handleBrand]: true;
};
/** Inside `withTx`: reads and writes, committed together or not at all. */
export type Tx = Db & Pick<Drizzle, "insert" | "update" | "delete"> & { readonly [txBrand]: true };

// ---------------------------------------------------------------- engine state
// Kept on the handle itself under a registered symbol: the server entry and the Remix build are
// bundled separately, each with its own copy of this module, and must share one state.
const STATE = Symbol.for("crosswatch.db.state");
const TX = Symbol.for("crosswatch.db.tx");

interface Frame {
  tx: Tx;
}

interface EngineState {
  dialect: Dialect;
  /** The transaction the current async context is in, if any. */
  current: AsyncLocalStorage<Frame>;
  begin<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** SQLite only: the raw connections (scripts and tests that need SQLite itself). */
  sqlite?: { reader: Database.Database; writer: Database.Database };
  pool?: pg.Pool;
  /** PostgreSQL only: the writers' pool (`pgWrite`), opened on first use. */
  writePool?: () => pg.Pool;
}

interface TxState {
  /** The raw drizzle object (PostgreSQL transaction or the SQLite writer). */
  raw: unknown;
  savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  open: boolean;
}

function stateOf(db: Db): EngineState {
  const state = (db as unknown as Record<symbol, EngineState | undefined>)[STATE];
  if (!state) throw new Error("not a database handle from openDb()");
  return state;
}

function txStateOf(db: Db): TxState | undefined {
  return (db as unknown as Record<symbol, TxState | undefined>)[TX];
}

/** Which engine a handle talks to (for the few tools that must differ, e.g. backups). */
export function engineOf(db: Db): Dialect {
  return stateOf(db).dialect;
}

/**
 * A per-transaction view of a drizzle object: refuses use after its transaction ended, so a
 * leaked `tx` can never write outside the queue (SQLite) or on a returned connection (PostgreSQL).
 */
function txHandle(raw: object, state: EngineState, savepoint: TxState["savepoint"]): Tx {
  const txState: TxState = { raw, savepoint, open: true };
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === STATE) return state;
      if (prop === TX) return txState;
      if (!txState.open) throw new Error("transaction handle used after its transaction ended");
      return Reflect.get(target, prop, receiver);
    },
  }) as unknown as Tx;
}

function closeTx(tx: Tx): void {
  const s = txStateOf(tx);
  if (s) s.open = false;
}

/**
 * Runs `fn` in a transaction and resolves after the durable COMMIT; any throw rolls everything
 * back. Given a `tx`, runs `fn` in a savepoint of it.
 */
/**
 * The database cannot take writes right now: the disk is full, the file or database is
 * read-only, or the storage failed (SQLite SQLITE_FULL / SQLITE_READONLY* / SQLITE_IOERR*;
 * PostgreSQL disk_full, read_only_sql_transaction, I/O error, shutdown, lost connection). The
 * transaction was rolled back, so nothing of it was stored; routes answer 503 and the next
 * write is tried afresh (the server recovers by itself when space returns).
 */
export class StorageUnavailableError extends Error {
  readonly code = "storage_unavailable";
  constructor(cause: unknown) {
    super("the database cannot take writes", { cause });
    this.name = "StorageUnavailableError";
  }
}

const SQLITE_STORAGE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/;
const PG_STORAGE = new Set([
  "53100", // disk_full
  "53000", // insufficient_resources
  "58030", // io_error
  "25006", // read_only_sql_transaction (e.g. a standby after failover)
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08003",
  "08006", // connection exceptions
]);

/** True when `err` (or an error it wraps) says the storage cannot take writes. */
export function isStorageFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 8; depth++) {
    if (e instanceof StorageUnavailableError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (SQLITE_STORAGE.test(code) || PG_STORAGE.has(code))) {
      return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export async function withTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const state = stateOf(db);
  const frame = state.current.getStore();
  const inner = txStateOf(db);
  if (inner) {
    if (!inner.open || frame?.tx !== db) {
      throw new Error("withTx(tx): tx is not the transaction this code runs in");
    }
    return inner.savepoint(fn);
  }
  if (frame) {
    // Would wait for itself on SQLite and run outside the transaction on PostgreSQL.
    throw new Error("withTx(db) inside a transaction: pass the transaction's tx instead");
  }
  try {
    return await state.begin(fn);
  } catch (err) {
    if (!isStorageFailure(err) || err instanceof StorageUnavailableError) throw err;
    const code = findCode(err);
    log.error("db.storage_unavailable", { code });
    throw new StorageUnavailableError(err);
  }
}

function findCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * A query built once per database handle and run many times (issue 13: building a query's SQL
 * with drizzle costs more than running a small one). `make` builds it on `db` with drizzle's
 * `.prepare(name)` and `sql.placeholder(…)` for the values; the result is kept for this handle
 * (SQLite: the compiled statement is reused; PostgreSQL: a named prepared statement, parsed
 * once per pooled connection). `name` must be unique per query text. Inside a transaction the
 * query must run there: on SQLite every write transaction runs on the one writer connection, so
 * the query is built once on it and kept for all of them (run it at once: the handle is only
 * good while its transaction is open); on PostgreSQL each transaction has its own pooled
 * connection, so the query is built on the transaction each time (the named statement is still
 * parsed once per connection).
 */
export function preparedQuery<T>(db: Db, name: string, make: (db: Db) => T): T {
  const inTx = txStateOf(db);
  if (inTx && (!inTx.open || stateOf(db).dialect !== "sqlite")) return make(db);
  const owner = inTx ? (inTx.raw as object) : db;
  let kept = PREPARED.get(owner);
  if (!kept) PREPARED.set(owner, (kept = new Map()));
  let query = kept.get(name) as T | undefined;
  if (query === undefined) {
    query = make(db);
    kept.set(name, query);
  }
  return query;
}
/** Per read handle, and per SQLite writer (its transactions' queries). */
const PREPARED = new WeakMap<object, Map<string, unknown>>();

/**
 * PostgreSQL only, outside a transaction: the rows of one statement written in PostgreSQL's own
 * SQL, each an array of its columns in order, as a named prepared statement on the pool (parsed
 * once per pooled connection; `name` must be unique per text); null on SQLite or inside a
 * transaction, where the caller uses its portable query instead. For the few reads where one
 * PostgreSQL query replaces several round trips (db/case-lookup.ts); the SQL lives in db/, never
 * in a service.
 */
export async function pgRows(
  db: Db,
  name: string,
  text: string,
  values: unknown[],
): Promise<unknown[][] | null> {
  const pool = stateOf(db).pool;
  if (!pool || txStateOf(db)) return null;
  return (await pool.query<unknown[]>({ name, text, values, rowMode: "array" })).rows;
}

/** True when `pgRows` runs on this handle: PostgreSQL, outside a transaction. */
export function pgPoolReads(db: Db): boolean {
  return stateOf(db).pool !== undefined && !txStateOf(db);
}

/**
 * PostgreSQL only, outside a transaction: ONE statement in PostgreSQL's own SQL that writes
 * (data-modifying CTEs), run in autocommit on a connection of the writers' pool, as a named
 * prepared statement; its rows, each an array of its columns; null on SQLite or inside a
 * transaction, where the caller writes with its portable queries in `withTx` instead. A single
 * statement is atomic on its own (all its writes commit or none), and when it resolves its commit
 * is durable (synchronous_commit=on; PostgreSQL commits before it answers) — what `withTx` gives,
 * in one round trip instead of BEGIN, a statement per table and COMMIT (issue 13: each round trip
 * costs the server ≈ 0.4 ms of `writev` on loopback). The writers' pool is opened on first use,
 * the same size as the pool; its connections are writable (the pool's default to read-only, so
 * nothing else may run there). Storage failures become `StorageUnavailableError`, as in `withTx`.
 * For the few hot writes whose statement lives in db/ (db/tip-insert-pg.ts).
 */
export async function pgWrite(
  db: Db,
  name: string,
  text: string,
  values: unknown[],
): Promise<unknown[][] | null> {
  const state = stateOf(db);
  if (!state.writePool || txStateOf(db)) return null;
  if (state.current.getStore()) {
    throw new Error("pgWrite inside a transaction: it would commit on its own");
  }
  try {
    return (await state.writePool().query<unknown[]>({ name, text, values, rowMode: "array" }))
      .rows;
  } catch (err) {
    if (!isStorageFailure(err)) throw err;
    log.error("db.storage_unavailable", { code: findCode(err) });
    throw new StorageUnavailableError(err);
  }
}

/**
 * SQLite only, outside a transaction: `read` on the read-only connection inside one read
 * transaction (`BEGIN` … `COMMIT`: its statements see one snapshot, and SQLite takes its WAL read
 * lock once instead of once per statement); null on PostgreSQL, inside a transaction, or while the
 * connection is in one already (an in-memory database reads through its writer). `read` is
 * synchronous, so nothing else runs on the connection meanwhile. For the few hot reads whose
 * statements live in db/ (db/case-lookup.ts); `statements` are compiled once per connection.
 */
export function sqliteRead<S, R>(
  db: Db,
  statements: (conn: Database.Database) => S,
  read: (prepared: S) => R,
): R | null {
  const conn = stateOf(db).sqlite?.reader;
  if (!conn || txStateOf(db) || conn.inTransaction) return null;
  let kept = SQLITE_PREPARED.get(conn);
  if (!kept) {
    kept = { begin: conn.prepare("BEGIN"), commit: conn.prepare("COMMIT"), made: new Map() };
    SQLITE_PREPARED.set(conn, kept);
  }
  let prepared = kept.made.get(statements) as S | undefined;
  if (prepared === undefined) kept.made.set(statements, (prepared = statements(conn)));
  kept.begin.run();
  try {
    return read(prepared);
  } finally {
    if (conn.inTransaction) kept.commit.run();
  }
}
const SQLITE_PREPARED = new WeakMap<
  Database.Database,
  { begin: Database.Statement; commit: Database.Statement; made: Map<unknown, unknown> }
>();

/**
 * Serializes the transactions that call it with the same `name` until they end (PostgreSQL:
 * pg_advisory_xact_lock). For read-then-append paths such as the audit chain. SQLite write
 * transactions are serialized already, so there it does nothing.
 */
export async function serializeOn(tx: Tx, name: string): Promise<void> {
  const state = stateOf(tx);
  if (state.dialect !== "pg") return;
  const key = createHash("sha256").update(`crosswatch:${name}`).digest().readBigInt64BE(0);
  const raw = txStateOf(tx)!.raw as Drizzle;
  await raw.execute(sql`select pg_advisory_xact_lock(${key.toString()}::bigint)`);
}

/** True when `err` is a unique-constraint violation on exactly these columns of one table. */
export function isUniqueViolation(err: unknown, ...columns: Column[]): boolean {
  const table = columns[0] ? getTableName(columns[0].table) : "";
  const names = columns.map((c) => c.name);
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const x = e as { code?: string; message?: string; constraint?: string };
    if (x.code === "SQLITE_CONSTRAINT_UNIQUE" || x.code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
      return (
        x.message === `UNIQUE constraint failed: ${names.map((n) => `${table}.${n}`).join(", ")}`
      );
    }
    if (x.code === "23505" && columns[0] && is(columns[0].table, PgTable)) {
      const config = pgTableConfig(columns[0].table as PgTable);
      const same = (cols: string[]) =>
        cols.length === names.length && names.every((n) => cols.includes(n));
      if (x.constraint === `${table}_pkey`) {
        const pk = config.columns.filter((c) => c.primary).map((c) => c.name);
        const composite = config.primaryKeys[0]?.columns.map((c) => c.name) ?? [];
        return same(pk.length ? pk : composite);
      }
      const idx = config.indexes.find((i) => i.config.name === x.constraint);
      if (idx) return same(idx.config.columns.map((c) => (c as { name: string }).name));
      return false;
    }
  }
  return false;
}

// ---------------------------------------------------------------- opening
/** Where the committed drizzle-kit migrations of this dialect live. */
export function migrationsDir(dialect: Dialect = DIALECT): string {
  const base =
    process.env.CROSSWATCH_MIGRATIONS_DIR || path.resolve(process.cwd(), "db/migrations");
  return path.join(base, dialect);
}

export interface OpenDbOptions {
  /** Run pending migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

/**
 * Opens the database `target`: a SQLite file (created if missing), `:memory:` for unit tests, or
 * a `postgres://` URL. It must match the process's dialect (db/dialect.ts).
 */
export async function openDb(target: string, options: OpenDbOptions = {}): Promise<Db> {
  const wantsPg = isPostgresUrl(target);
  if (wantsPg !== (DIALECT === "pg")) {
    throw new Error(
      wantsPg
        ? "a PostgreSQL URL needs DATABASE_URL set to it when the process starts (db/dialect.ts)"
        : "this process runs on PostgreSQL (DATABASE_URL); it cannot open a SQLite file",
    );
  }
  return wantsPg ? openPg(target, options) : openSqlite(target, options);
}

/** Closes every connection of a handle. */
export async function closeDb(db: Db): Promise<void> {
  await stateOf(db).close();
}

/** SQLite's raw connections behind a handle (backup and test tooling); null on PostgreSQL. */
export function sqliteConnections(db: Db) {
  return stateOf(db).sqlite ?? null;
}

/**
 * After deleting content that must leave the disk (retention): SQLite checkpoints the WAL into
 * the file and truncates it, so no old page image stays in the WAL (the writer's
 * `secure_delete = ON` has already zeroed the freed cells and pages); false when a reader still
 * holds an old snapshot (try again later). PostgreSQL vacuums the tables, so dead tuples become
 * free space (their bytes can stay there and in WAL segments until overwritten).
 */
export async function reclaimFreedSpace(db: Db, tables: string[]): Promise<boolean> {
  const state = stateOf(db);
  if (state.sqlite) {
    const [row] = state.sqlite.writer.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    return row?.busy === 0;
  }
  if (!state.pool) return false;
  const client = await state.pool.connect();
  try {
    // Pooled connections are read-only by default (openPg); VACUUM needs a writable session.
    await client.query("SET default_transaction_read_only = off");
    for (const t of tables) {
      if (!/^[a-z_]+$/.test(t)) throw new Error(`reclaimFreedSpace: bad table name ${t}`);
      await client.query(`VACUUM ${t}`);
    }
    return true;
  } finally {
    await client.query("RESET default_transaction_read_only").catch(() => undefined);
    client.release();
  }
}

function brand(raw: object, state: EngineState): Db {
  Object.defineProperty(raw, STATE, { value: state, enumerable: false });
  return raw as unknown as Db;
}

// ---------------------------------------------------------------- SQLite
/** Page cache per connection: negative = KiB (SQLite's compiled-in default, -2000). */
export const SQLITE_CACHE_SIZE = -2000;

function openSqliteConnection(
  file: string,
  role: "writer" | "reader",
  syncOwnWal = false,
): Database.Database {
  const conn = new Database(file);
  conn.pragma("busy_timeout = 5000");
  // SQLite's own default page cache (2 MB) rather than the 16 MB better-sqlite3 compiles in:
  // with two connections that was ≈ 30 MB of the server's resident memory once the database
  // outgrew it, and the operating system's page cache holds the same pages anyway
  // (docs/benchmarks.md, "Footprint: one malloc arena, SQLite's page cache").
  conn.pragma(`cache_size = ${SQLITE_CACHE_SIZE}`);
  if (role === "writer") {
    conn.pragma("journal_mode = WAL");
    // An acknowledged tip survives a power cut or `kill -9`: SQLite syncs the WAL in every
    // COMMIT (FULL), or — a file database's writer — COMMIT writes the WAL and `WalSync` below
    // syncs it off the event loop before any caller is answered (NORMAL: checkpoints still
    // sync the WAL before and the database file after, as in FULL).
    conn.pragma(syncOwnWal ? "synchronous = NORMAL" : "synchronous = FULL");
    conn.pragma("foreign_keys = ON");
    // Deleted ciphertext is overwritten, not left in free pages.
    conn.pragma("secure_delete = ON");
  } else {
    conn.pragma("query_only = ON");
  }
  cacheStatements(conn);
  return conn;
}

/**
 * Drizzle asks the connection to compile every query's SQL anew; compiling costs more than
 * running a small query. Compiled statements are kept by SQL text (most recently used first,
 * bounded: `inArray` lists make new texts), so a query that ran before runs at once.
 * better-sqlite3 statements are safe to reuse: every call drizzle makes (`all`, `get`, `run`,
 * `raw().all`) runs and resets the statement synchronously; the raw mode drizzle may have left on
 * is switched off before a statement is handed out again.
 */
function cacheStatements(conn: Database.Database, max = 512): void {
  const compile = conn.prepare.bind(conn);
  const cache = new Map<string, Database.Statement>();
  conn.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
      if (statement.reader) statement.raw(false);
    } else {
      statement = compile(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof conn.prepare;
}

/** Most transactions one durable commit covers (bounds how long the first one waits for it). */
const GROUP_COMMIT_MAX = 32;

interface QueuedTx {
  run: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** A transaction of a committed group: its result, or the error its own savepoint rolled back. */
type Settled =
  | { job: QueuedTx; result: unknown; failed?: false }
  | { job: QueuedTx; failed: true; error: unknown };

function settle(s: Settled): void {
  if (s.failed) s.job.reject(s.error);
  else s.job.resolve(s.result);
}

/**
 * The durable half of a file database's COMMIT, off the event loop (issue 13). The writer commits
 * with `synchronous = NORMAL`: COMMIT writes the transaction's frames to the WAL file without
 * syncing it, so the event loop does not wait for the disk. The group's callers are answered only
 * after `fdatasync` of that WAL file — on libuv's thread pool — has returned, which is the sync
 * SQLite's FULL would have made inside COMMIT; meanwhile the next group runs. Groups committed
 * while a sync is in flight share the next one.
 *
 * Why that is as durable as FULL: WAL frames are appended in commit order and recovery replays
 * the valid prefix, so a transaction that was synced survives a crash or power cut with every
 * transaction before it; SQLite rewrites the WAL from its start only after a checkpoint has
 * copied all of it into the database file and synced that file (in NORMAL as in FULL). The
 * directory entry of the WAL file is synced once, before the first answer (FULL does the same
 * on the WAL's first sync). The difference: a committed transaction is visible to reads for the
 * moment until its sync returns (nobody has been told it is stored; a crash then loses it as a
 * crash before COMMIT would). If a sync fails, its callers get a storage error (503), as for a
 * failed COMMIT.
 */
class WalSync {
  private pending: Settled[] = [];
  private running: Promise<void> | null = null;
  private dirSynced = false;

  constructor(private readonly wal: string | null) {}

  /** Answers these callers once their COMMIT is on disk. */
  after(done: Settled[]): void {
    if (done.length === 0) return;
    if (this.wal === null) {
      for (const s of done) settle(s);
      return;
    }
    this.pending.push(...done);
    this.running ??= this.run(this.wal);
  }

  /** Resolves when every commit handed over so far is synced (and answered). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * The sync in flight, settled (never rejected) when it returns; null when none is. A group
   * that opens meanwhile stays open until then (`commitGroup`): its COMMIT goes in the next sync.
   */
  inFlight(): Promise<void> | null {
    return this.current;
  }

  private current: Promise<void> | null = null;

  private async run(wal: string): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          const synced = this.sync(wal);
          this.current = synced.then(
            () => undefined,
            () => undefined,
          );
          try {
            await synced;
          } finally {
            this.current = null;
          }
        } catch (err) {
          const failed = Object.assign(new Error(`cannot sync ${path.basename(wal)}`), {
            code: "SQLITE_IOERR_FSYNC",
            cause: err,
          });
          for (const { job } of batch) job.reject(failed);
          continue;
        }
        for (const s of batch) settle(s);
      }
    } finally {
      this.running = null;
    }
  }

  /** fdatasync of the WAL file as it is named now (opened per sync: never a stale inode). */
  private async sync(wal: string): Promise<void> {
    if (!this.dirSynced) {
      const dir = await fs.promises.open(path.dirname(wal), "r");
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
      this.dirSynced = true;
    }
    const handle = await fs.promises.open(wal, "r+");
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}

async function openSqlite(file: string, options: OpenDbOptions): Promise<Db> {
  const memory = file === ":memory:";
  if (!memory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const writerConn = openSqliteConnection(file, "writer", !memory);
  const writer = drizzleSqlite(writerConn, { schema });
  if (options.migrate !== false)
    migrateSqlite(writer, { migrationsFolder: migrationsDir("sqlite") });
  // An in-memory database exists once per connection: unit tests read through the writer.
  const readerConn = memory ? writerConn : openSqliteConnection(file, "reader");
  const reader = memory
    ? drizzleSqlite(writerConn, { schema })
    : drizzleSqlite(readerConn, { schema });
  let savepoints = 0;
  /*
   * Group commit. Write transactions still run one at a time, in order, but those that queued up
   * while one ran share its durable COMMIT: each runs inside the open transaction as a savepoint
   * (its failure rolls back only its own writes and rejects only its caller), then one COMMIT
   * and one sync of the WAL (`WalSync`, off the event loop) make the whole group durable, and
   * only then does any caller's `withTx` resolve. A group stays open for company once: while
   * the previous group's sync is in flight (its COMMIT could not be synced before that returns
   * anyway), or, with no sync in flight, for the rest of the event loop's turn (requests whose
   * bodies arrived in that turn join it). Then it commits, and its sync starts at once. Every
   * caller of a group, also one whose own savepoint failed, is answered only after the
   * group's COMMIT is durable. If SQLite ends the transaction itself (disk full, I/O error) or
   * the COMMIT fails, nothing of the group is stored and every caller in it gets the error.
   */
  const queued: QueuedTx[] = [];
  let draining = false;
  let drained: Promise<void> = Promise.resolve();
  /** Resolved when a transaction is queued: wakes a group waiting for company. */
  let arrival: { promise: Promise<void>; resolve: () => void } | null = null;
  const nextArrival = (): Promise<void> => {
    if (!arrival) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      arrival = { promise, resolve };
    }
    return arrival.promise;
  };
  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queued.length > 0) await commitGroup();
    } finally {
      draining = false;
    }
  }
  async function commitGroup(): Promise<void> {
    try {
      writerConn.exec("BEGIN IMMEDIATE");
    } catch (err) {
      queued.shift()!.reject(err);
      return;
    }
    // Every caller of the group is answered after its COMMIT is durable, also those whose own
    // savepoint failed: a report refused for a receipt taken by another report of the same group
    // then finds that tip committed (an identical retry is answered as stored, and only once the
    // stored copy is on disk).
    const done: Settled[] = [];
    let lost: unknown = null;
    // The group's one wait for company: the sync in flight, or else the rest of this turn.
    let company: Promise<void> | null = null;
    let companyOver = false;
    while (done.length < GROUP_COMMIT_MAX && lost === null) {
      if (queued.length === 0) {
        if (companyOver) break;
        company ??= (walSync.inFlight() ?? new Promise<void>((r) => setImmediate(r))).then(() => {
          companyOver = true;
        });
        await Promise.race([company, nextArrival()]);
        continue;
      }
      const job = queued.shift()!;
      const name = `cw_tx${done.length}`;
      writerConn.exec(`SAVEPOINT ${name}`);
      const tx = txHandle(writer, state, savepoint);
      try {
        const result = await job.run(tx);
        writerConn.exec(`RELEASE ${name}`);
        done.push({ job, result });
      } catch (err) {
        if (writerConn.inTransaction) {
          writerConn.exec(`ROLLBACK TO ${name}`);
          writerConn.exec(`RELEASE ${name}`);
          done.push({ job, failed: true, error: err });
        } else {
          lost = err;
          job.reject(err);
        }
      } finally {
        closeTx(tx);
      }
    }
    if (lost === null) {
      try {
        writerConn.exec("COMMIT");
      } catch (err) {
        lost = err;
      }
    }
    if (lost !== null) {
      if (writerConn.inTransaction) writerConn.exec("ROLLBACK");
      for (const s of done) s.job.reject(s.failed ? s.error : lost);
      return;
    }
    walSync.after(done);
  }
  const walSync = new WalSync(memory ? null : path.resolve(file) + "-wal");
  const state: EngineState = {
    dialect: "sqlite",
    current: new AsyncLocalStorage(),
    sqlite: { reader: readerConn, writer: writerConn },
    begin: <T>(fn: (tx: Tx) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        // The callback runs in its caller's async context (not the drain loop's), in the tx.
        // `runInAsyncScope` rather than `AsyncResource.bind`: Node 20's bind defines a deprecated
        // getter and setter on every bound function (≈ 1 % of the CPU per report).
        const caller = new AsyncResource("crosswatch.tx");
        queued.push({
          run: (tx: Tx) => caller.runInAsyncScope(() => state.current.run({ tx }, () => fn(tx))),
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        if (arrival) {
          arrival.resolve();
          arrival = null;
        }
        if (!draining) drained = drain();
      }),
    async close() {
      // A group may be open, waiting for the sync in flight: it commits and syncs first.
      do {
        await drained;
        await walSync.idle();
      } while (draining);
      if (readerConn !== writerConn && readerConn.open) readerConn.close();
      if (writerConn.open) writerConn.close();
    },
  };
  async function savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const name = `cw_sp${++savepoints}`;
    writerConn.exec(`SAVEPOINT ${name}`);
    const tx = txHandle(writer, state, savepoint);
    try {
      const result = await state.current.run({ tx }, () => fn(tx));
      writerConn.exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      if (writerConn.inTransaction) {
        writerConn.exec(`ROLLBACK TO ${name}`);
        writerConn.exec(`RELEASE ${name}`);
      }
      throw err;
    } finally {
      closeTx(tx);
    }
  }
  return brand(reader, state);
}

// ---------------------------------------------------------------- PostgreSQL
/**
 * The PostgreSQL driver and its drizzle adapter, loaded on first use: a server on SQLite never
 * evaluates them (a tenth of its start-up CPU; issue 13 item 7, cold start).
 */
async function pgDriver() {
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  return { pg, drizzlePg: drizzle, migratePg: migrate };
}

async function openPg(url: string, options: OpenDbOptions): Promise<Db> {
  if (options.migrate !== false) await migratePostgres(url);
  const { pg, drizzlePg } = await pgDriver();
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Outside withTx a connection cannot write: stray writes fail loudly instead of committing
    // on their own. withTx opens its transactions READ WRITE.
    options: "-c default_transaction_read_only=on",
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on("error", (err) => log.error("db.connection_lost", { err }));
  // `pgWrite`'s connections: writable, used for nothing else; opened when first needed.
  let writers: pg.Pool | null = null;
  const writePool = () => {
    if (!writers) {
      writers = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
      writers.on("error", (err) => log.error("db.connection_lost", { err }));
    }
    return writers;
  };
  const db = drizzlePg(pool, { schema });
  const state: EngineState = {
    dialect: "pg",
    current: new AsyncLocalStorage(),
    pool,
    writePool,
    begin: (fn) =>
      db.transaction(
        async (raw) => {
          const tx = txHandle(raw, state, savepointOf(raw));
          try {
            return await state.current.run({ tx }, () => fn(tx));
          } finally {
            closeTx(tx);
          }
        },
        { accessMode: "read write" },
      ),
    close: async () => {
      await Promise.all([pool.end(), writers?.end()]);
    },
  };
  function savepointOf(raw: { transaction: Drizzle["transaction"] }) {
    return <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
      raw.transaction(async (nested) => {
        const tx = txHandle(nested, state, savepointOf(nested));
        try {
          return await state.current.run({ tx }, () => fn(tx));
        } finally {
          closeTx(tx);
        }
      });
  }
  return brand(db, state);
}

/**
 * Applies pending PostgreSQL migrations under an advisory lock, so that app nodes starting at
 * the same time apply each migration once.
 */
async function migratePostgres(url: string): Promise<void> {
  const { pg, drizzlePg, migratePg } = await pgDriver();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(7262021)");
    await migratePg(drizzlePg(client), { migrationsFolder: migrationsDir("pg") });
  } finally {
    await client.end();
  }
}

export { schema };
