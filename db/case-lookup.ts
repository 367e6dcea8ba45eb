/**
 * The status look-up's read on PostgreSQL in one round trip (issue 13, item 2): the tip with its
 * district's and unit's names, and its status history, tipster thread and complete attachments
 * as JSON arrays — what app/services/tipster.server.ts `findCaseByAuthSecret` otherwise reads
 * with four portable queries; look-ups waiting at the same time share that round trip
 * (`PgCaseBatcher`, ADR 039). On SQLite (`sqliteCaseRows`) the same four statements, written
 * here once and run raw in one read transaction on the read-only connection: one snapshot and
 * one WAL read lock for the four (each statement outside a transaction took and released it,
 * system calls of their own), and no query builder mapping the rows (issue 13, item 2).
 *
 * Each array is aggregated from a subquery with the portable query's own WHERE and ORDER BY, in
 * that order, so rows of the same time keep the order they come in now (test/integration/
 * status-api.test.ts "order of a case's history and messages" checks both engines). Binary
 * columns come back as base64 (PostgreSQL's `encode`, line-wrapped: Node's decoder skips the
 * breaks), times as integer milliseconds.
 */
import type Database from "better-sqlite3";
import { pgPoolReads, pgRows, sqliteRead, type Db } from "./client";

/** One tip's look-up rows, with the portable queries' field names. */
export interface CaseRows {
  tip: {
    id: string;
    status: string;
    createdAt: Date;
    acknowledgeBy: Date;
    feedbackBy: Date;
    acknowledgedAt: Date | null;
    identityRevealedAt: Date | null;
    targetDistrictId: string;
    tipsterEnvelope: Buffer;
    payload: Buffer;
    district: { nameZh: string; nameEn: string } | null;
    unit: { id: string; nameZh: string; nameEn: string } | null;
  };
  history: {
    id: string;
    status: string;
    createdAt: Date;
    publicMessage: Buffer | null;
    actorId: string | null;
  }[];
  thread: {
    id: string;
    kind: string;
    createdAt: Date;
    body: Buffer;
    authorStaffId: string | null;
    readByTipsterAt: Date | null;
  }[];
  files: {
    id: string;
    messageId: string | null;
    header: Buffer;
    chunkCount: number;
    ciphertextSize: number;
    createdAt: Date;
  }[];
}

/** A `timestamptz(3)` as integer milliseconds (exact: the column holds whole milliseconds). */
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/**
 * The cases of several receipt hashes at once (`$1`, a text array): one row per tip found, its
 * hash first (`PgCaseBatcher` hands each row to the look-ups that asked for it). The index on
 * `receipt_auth_hash` is unique, so a hash finds one tip or none.
 */
const CASE_SQL = `
select t.receipt_auth_hash,
  t.id, t.status, ${ms("t.created_at")}, ${ms("t.acknowledge_by")}, ${ms("t.feedback_by")},
  ${ms("t.acknowledged_at")}, ${ms("t.identity_revealed_at")}, t.target_district_id,
  encode(t.tipster_envelope, 'base64'), encode(t.payload, 'base64'),
  d.name_zh, d.name_en, u.id, u.name_zh, u.name_en,
  (select coalesce(json_agg(h), '[]'::json) from (
    select id, status, ${ms("x.created_at")} as created_at,
      encode(public_message, 'base64') as public_message, actor_id
    from tip_status_history x where x.tip_id = t.id order by x.created_at) h),
  (select coalesce(json_agg(m), '[]'::json) from (
    select id, kind, ${ms("x.created_at")} as created_at, encode(body, 'base64') as body,
      author_staff_id, ${ms("x.read_by_tipster_at")} as read_by_tipster_at
    from messages x where x.tip_id = t.id and x.kind in ('to_tipster', 'from_tipster')
    order by x.created_at) m),
  (select coalesce(json_agg(f), '[]'::json) from (
    select id, message_id, encode(header, 'base64') as header, chunk_count, ciphertext_size,
      ${ms("x.created_at")} as created_at
    from attachments x where x.tip_id = t.id and x.complete order by x.created_at) f)
from tips t
left join districts d on d.id = t.target_district_id
left join units u on u.id = t.unit_id
where t.receipt_auth_hash = any($1::text[])`;

/** The lists' rows, as `json_agg` writes them. */
interface HistoryJson {
  id: string;
  status: string;
  created_at: number;
  public_message: string | null;
  actor_id: string | null;
}
interface ThreadJson {
  id: string;
  kind: string;
  created_at: number;
  body: string;
  author_staff_id: string | null;
  read_by_tipster_at: number | null;
}
interface FileJson {
  id: string;
  message_id: string | null;
  header: string;
  chunk_count: number;
  ciphertext_size: number;
  created_at: number;
}

/** A time as integer UTC milliseconds (SQLite's `timestamp_ms` columns, db/columns.ts; `ms` on PostgreSQL). */
const msTime = (v: unknown) => new Date(v as number);
const msTimeOrNull = (v: unknown) => (v === null ? null : new Date(v as number));

/** PostgreSQL's base64 (line-wrapped: Node's decoder skips the breaks). */
const bytes = (b64: string) => Buffer.from(b64, "base64");

/**
 * The tip whose receipt hash is `hash` with its lists, in one PostgreSQL query; `undefined` when
 * there is none; null when this handle is not PostgreSQL outside a transaction (use the
 * portable queries). Rows come as arrays; binary columns as base64 and times as integer
 * milliseconds, because pg's own text parsers cost the look-up more: a bytea arrives as hex
 * (twice its size on the wire, and Node's hex decoder is ≈ 5× slower than its base64 one on the
 * ≈ 17 KB payload), and a `timestamptz` goes through a regular expression and `Date.UTC`.
 *
 * Look-ups that wait at the same time share a query (`PgCaseBatcher`).
 */
export async function pgCaseRows(db: Db, hash: string): Promise<CaseRows | undefined | null> {
  if (!pgPoolReads(db)) return null;
  let batcher = BATCHERS.get(db);
  if (!batcher) BATCHERS.set(db, (batcher = new PgCaseBatcher(db)));
  const r = await batcher.find(hash);
  return r === undefined ? undefined : caseFromPgRow(r);
}

/** A row of CASE_SQL (its hash first) as `CaseRows`; each call makes objects of its own. */
function caseFromPgRow(r: unknown[]): CaseRows {
  return {
    tip: {
      id: r[1] as string,
      status: r[2] as string,
      createdAt: msTime(r[3]),
      acknowledgeBy: msTime(r[4]),
      feedbackBy: msTime(r[5]),
      acknowledgedAt: msTimeOrNull(r[6]),
      identityRevealedAt: msTimeOrNull(r[7]),
      targetDistrictId: r[8] as string,
      tipsterEnvelope: bytes(r[9] as string),
      payload: bytes(r[10] as string),
      district:
        r[11] === null || r[12] === null
          ? null
          : { nameZh: r[11] as string, nameEn: r[12] as string },
      unit:
        r[13] === null
          ? null
          : { id: r[13] as string, nameZh: r[14] as string, nameEn: r[15] as string },
    },
    history: (r[16] as HistoryJson[]).map((h) => ({
      id: h.id,
      status: h.status,
      createdAt: msTime(h.created_at),
      publicMessage: h.public_message === null ? null : bytes(h.public_message),
      actorId: h.actor_id,
    })),
    thread: (r[17] as ThreadJson[]).map((m) => ({
      id: m.id,
      kind: m.kind,
      createdAt: msTime(m.created_at),
      body: bytes(m.body),
      authorStaffId: m.author_staff_id,
      readByTipsterAt: msTimeOrNull(m.read_by_tipster_at),
    })),
    files: (r[18] as FileJson[]).map((f) => ({
      id: f.id,
      messageId: f.message_id,
      header: bytes(f.header),
      chunkCount: f.chunk_count,
      ciphertextSize: f.ciphertext_size,
      createdAt: msTime(f.created_at),
    })),
  };
}

/** Most look-up queries of one handle in flight at once (the rest wait, and then share one). */
const PG_LOOKUPS_IN_FLIGHT = 2;
/** Most receipt hashes in one query (its rows are held until the query ends: ≈ 25 KB each). */
const PG_LOOKUP_BATCH = 32;

/**
 * Look-ups that wait at the same time share one query (issue 13, item 2). A look-up is sent at
 * once while fewer than PG_LOOKUPS_IN_FLIGHT of this handle's look-up queries run; otherwise it
 * waits for the next one to end, and every look-up that waited goes out then in one query (up to
 * PG_LOOKUP_BATCH hashes). An idle server reads each case as before, in one query of its own;
 * under load a query carries many: the per-query work on the server — the pool, pg's messages
 * and protocol handling, the socket's system calls — is paid once for all of them. A busy look-up
 * waits, first come first served, for the queries ahead of it (each carrying up to 32 look-ups;
 * before, it waited in the pool's queue behind look-ups one query each), inside the 400 ms
 * floor. Each look-up still gets its own rows (`caseFromPgRow` maps a fresh copy per caller); a
 * failed query fails the look-ups it carried, as a failed query of their own would have.
 */
class PgCaseBatcher {
  /** Hashes waiting for a query, each with the look-ups that asked for it. */
  private waiting: Waiting = new Map();
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  find(hash: string): Promise<unknown[] | undefined> {
    return new Promise((resolve, reject) => {
      const callers = this.waiting.get(hash);
      if (callers) callers.push({ resolve, reject });
      else this.waiting.set(hash, [{ resolve, reject }]);
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < PG_LOOKUPS_IN_FLIGHT && this.waiting.size > 0) {
      let batch: Waiting;
      if (this.waiting.size <= PG_LOOKUP_BATCH) {
        batch = this.waiting;
        this.waiting = new Map();
      } else {
        batch = new Map();
        for (const [hash, callers] of this.waiting) {
          batch.set(hash, callers);
          this.waiting.delete(hash);
          if (batch.size === PG_LOOKUP_BATCH) break;
        }
      }
      this.inFlight++;
      void this.run(batch);
    }
  }

  private async run(batch: Waiting): Promise<void> {
    try {
      const rows = (await pgRows(this.db, "cw_status_cases", CASE_SQL, [[...batch.keys()]])) ?? [];
      for (const r of rows) {
        const hash = r[0] as string;
        for (const caller of batch.get(hash) ?? []) caller.resolve(r);
        batch.delete(hash);
      }
      for (const callers of batch.values()) for (const caller of callers) caller.resolve(undefined);
    } catch (err) {
      for (const callers of batch.values()) for (const caller of callers) caller.reject(err);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }
}
type Waiting = Map<
  string,
  { resolve: (row: unknown[] | undefined) => void; reject: (err: unknown) => void }[]
>;
/** Per read handle. */
const BATCHERS = new WeakMap<Db, PgCaseBatcher>();

// ---------------------------------------------------------------- SQLite

/**
 * The portable queries' SQL as drizzle writes it for SQLite (same tables, WHERE and ORDER BY, so
 * rows of the same time come in the same order), in raw mode: rows as arrays.
 */
const sqliteStatements = (conn: Database.Database) => ({
  tip: conn
    .prepare(
      `select t.id, t.status, t.created_at, t.acknowledge_by, t.feedback_by, t.acknowledged_at,
        t.identity_revealed_at, t.target_district_id, t.tipster_envelope, t.payload,
        d.name_zh, d.name_en, u.id, u.name_zh, u.name_en
      from tips t
      left join districts d on d.id = t.target_district_id
      left join units u on u.id = t.unit_id
      where t.receipt_auth_hash = ? limit 1`,
    )
    .raw(),
  history: conn
    .prepare(
      `select id, status, created_at, public_message, actor_id from tip_status_history
      where tip_id = ? order by created_at asc`,
    )
    .raw(),
  thread: conn
    .prepare(
      `select id, kind, created_at, body, author_staff_id, read_by_tipster_at from messages
      where tip_id = ? and kind in ('to_tipster', 'from_tipster') order by created_at asc`,
    )
    .raw(),
  files: conn
    .prepare(
      `select id, message_id, header, chunk_count, ciphertext_size, created_at from attachments
      where tip_id = ? and complete = 1 order by created_at asc`,
    )
    .raw(),
});

/**
 * The tip whose receipt hash is `hash` with its lists, read on SQLite's read-only connection in
 * one read transaction; `undefined` when there is none; null when this handle is not SQLite
 * outside a transaction (use the portable queries).
 */
export function sqliteCaseRows(db: Db, hash: string): CaseRows | undefined | null {
  const read = sqliteRead(db, sqliteStatements, (q) => {
    const t = q.tip.get(hash) as unknown[] | undefined;
    if (!t) return undefined;
    const id = t[0] as string;
    return {
      t,
      history: q.history.all(id) as unknown[][],
      thread: q.thread.all(id) as unknown[][],
      files: q.files.all(id) as unknown[][],
    };
  });
  if (!read) return read;
  const { t } = read;
  return {
    tip: {
      id: t[0] as string,
      status: t[1] as string,
      createdAt: msTime(t[2]),
      acknowledgeBy: msTime(t[3]),
      feedbackBy: msTime(t[4]),
      acknowledgedAt: msTimeOrNull(t[5]),
      identityRevealedAt: msTimeOrNull(t[6]),
      targetDistrictId: t[7] as string,
      tipsterEnvelope: t[8] as Buffer,
      payload: t[9] as Buffer,
      district:
        t[10] === null || t[11] === null
          ? null
          : { nameZh: t[10] as string, nameEn: t[11] as string },
      unit:
        t[12] === null
          ? null
          : { id: t[12] as string, nameZh: t[13] as string, nameEn: t[14] as string },
    },
    history: read.history.map((h) => ({
      id: h[0] as string,
      status: h[1] as string,
      createdAt: msTime(h[2]),
      publicMessage: h[3] as Buffer | null,
      actorId: h[4] as string | null,
    })),
    thread: read.thread.map((m) => ({
      id: m[0] as string,
      kind: m[1] as string,
      createdAt: msTime(m[2]),
      body: m[3] as Buffer,
      authorStaffId: m[4] as string | null,
      readByTipsterAt: msTimeOrNull(m[5]),
    })),
    files: read.files.map((f) => ({
      id: f[0] as string,
      messageId: f[1] as string | null,
      header: f[2] as Buffer,
      chunkCount: f[3] as number,
      ciphertextSize: f[4] as number,
      createdAt: msTime(f[5]),
    })),
  };
}
