/**
 * A report's write on PostgreSQL in one statement (issue 13, item 1; ADR 036): the spent
 * proof-of-work token, the tip's row, its envelopes, its first status and its files, as
 * data-modifying CTEs of one INSERT run in autocommit (`pgWrite`) — one round trip where the
 * portable path (app/services/tips.server.ts, in `withTx`) makes BEGIN, a statement per table and
 * COMMIT. One statement is atomic: every row commits or none, and it has committed durably when it
 * answers. On SQLite `storeTipPg` returns null and the caller writes as before.
 *
 * - The token: inserted with ON CONFLICT DO NOTHING, as `spendPowToken` does. Of two statements
 *   racing with one token, the second waits for the first's commit and inserts nothing; every
 *   other write here is conditional on the token's row (`ok`), so that tip stores nothing and the
 *   answer is "spent already" (false). Expired tokens are deleted in the same statement when it is
 *   this process's turn (`pruneBefore`, `takePowPruneTurn`).
 * - A receipt hash stored before fails the whole statement with the unique violation on
 *   `tips_receipt_auth_uq`, as the portable insert does, so the caller maps it the same way; the
 *   token's row goes with the rollback.
 * - Binary values travel as binary parameters: the envelopes in one bytea (cut by offsets and
 *   lengths), the file headers in one, the file chunks in one, so a 200 KB photo is not sent as
 *   hex text in an array literal.
 * - Foreign keys between the rows written here are checked at the end of the statement, when
 *   the tip's and the files' rows exist.
 */
import { engineOf, pgWrite, type Db } from "./client";

export interface TipWritePg {
  tip: {
    id: string;
    targetDistrictId: string;
    unitId: string | null;
    stationingId: string | null;
    routedTo: string;
    category: string | null;
    receiptAuthHash: string;
    tipsterPublicKey: Uint8Array;
    tipsterEnvelope: Uint8Array;
    payload: Uint8Array;
    identityPayload: Uint8Array | null;
    onlyOutsiders: boolean;
    submittedVia: string;
    acknowledgeBy: Date;
    feedbackBy: Date;
  };
  /** The rows' created_at (the submission's day). */
  createdAt: Date;
  statusId: string;
  envelopes: {
    id: string;
    staffKeyId: string;
    staffId: string;
    kind: string;
    envelope: Uint8Array;
  }[];
  files: { id: string; header: Uint8Array; chunks: Uint8Array[] }[];
  /** The proof of work to spend with the tip, and whether to prune expired tokens first. */
  pow: { id: string; expiresAt: Date; pruneBefore: Date | null } | null;
}

const SQL = `
with prune as (
  delete from spent_pow_tokens where $24::timestamptz is not null and expires_at < $24
), spend as (
  insert into spent_pow_tokens (id, expires_at)
  select $22::text, $23::timestamptz where $22::text is not null
  on conflict do nothing
  returning id
), ok as (
  select 1 as one where $22::text is null or exists (select 1 from spend)
), tip as (
  insert into tips (id, target_district_id, unit_id, stationing_id, routed_to, category,
    receipt_auth_hash, tipster_public_key, tipster_envelope, payload, identity_payload,
    only_outsiders, submitted_via, status, acknowledge_by, feedback_by, created_at)
  select $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::bytea,
    $9::bytea, $10::bytea, $11::bytea, $12::boolean, $13::text, 'received', $14::timestamptz,
    $15::timestamptz, $16::timestamptz
  from ok
  returning id
), envelopes as (
  insert into tip_envelopes (id, tip_id, staff_key_id, staff_id, kind, envelope, created_at)
  select e.id, tip.id, e.key_id, e.staff_id, e.kind, substring($21::bytea from e.off for e.len),
    $16::timestamptz
  from tip, unnest($18::text[], $19::text[], $20::text[], $25::text[], $26::int[], $27::int[])
    with ordinality as e(id, key_id, staff_id, kind, off, len, n)
  order by e.n
), status as (
  insert into tip_status_history (id, tip_id, status, created_at)
  select $17::text, tip.id, 'received', $16::timestamptz from tip
), files as (
  insert into attachments (id, tip_id, header, chunk_count, ciphertext_size, complete, created_at)
  select f.id, tip.id, substring($28::bytea from f.off for f.len), f.chunk_count, f.size, true,
    $16::timestamptz
  from tip, unnest($29::text[], $30::int[], $31::int[], $32::int[], $33::int[])
    with ordinality as f(id, off, len, chunk_count, size, n)
  order by f.n
  returning id
), chunks as (
  insert into attachment_chunks (attachment_id, idx, data)
  select c.file_id, c.idx, substring($34::bytea from c.off for c.len)
  from files join unnest($35::text[], $36::int[], $37::int[], $38::int[])
    with ordinality as c(file_id, idx, off, len, n) on c.file_id = files.id
  order by c.n
)
select count(*)::int from tip`;

/** Offsets (1-based, as `substring` counts) and lengths of `parts` in their concatenation. */
function layout(parts: Uint8Array[]): { bytes: Buffer; offsets: number[]; lengths: number[] } {
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 1;
  for (const p of parts) {
    offsets.push(at);
    lengths.push(p.length);
    at += p.length;
  }
  return { bytes: Buffer.concat(parts), offsets, lengths };
}

const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * Writes the tip in one statement on PostgreSQL: true when stored, false when its proof of work
 * was spent already (nothing stored); null on SQLite (write it with the portable queries), where
 * `write` is not called (it takes the pruning turn and makes the ids only for this path).
 * Throws the unique violation when the receipt hash is taken, as the portable insert does.
 */
export async function storeTipPg(db: Db, write: () => TipWritePg): Promise<boolean | null> {
  if (engineOf(db) !== "pg") return null;
  const w = write();
  const env = layout(w.envelopes.map((e) => e.envelope));
  const headers = layout(w.files.map((f) => f.header));
  const chunkParts = w.files.flatMap((f) => f.chunks);
  const chunks = layout(chunkParts);
  const t = w.tip;
  const rows = await pgWrite(db, "cw_tip_store_pg", SQL, [
    t.id,
    t.targetDistrictId,
    t.unitId,
    t.stationingId,
    t.routedTo,
    t.category,
    t.receiptAuthHash,
    buf(t.tipsterPublicKey),
    buf(t.tipsterEnvelope),
    buf(t.payload),
    t.identityPayload ? buf(t.identityPayload) : null,
    t.onlyOutsiders,
    t.submittedVia,
    t.acknowledgeBy,
    t.feedbackBy,
    w.createdAt,
    w.statusId,
    w.envelopes.map((e) => e.id),
    w.envelopes.map((e) => e.staffKeyId),
    w.envelopes.map((e) => e.staffId),
    env.bytes,
    w.pow?.id ?? null,
    w.pow?.expiresAt ?? null,
    w.pow?.pruneBefore ?? null,
    w.envelopes.map((e) => e.kind),
    env.offsets,
    env.lengths,
    headers.bytes,
    w.files.map((f) => f.id),
    headers.offsets,
    headers.lengths,
    w.files.map((f) => f.chunks.length),
    w.files.map((f) => f.chunks.reduce((s, c) => s + c.length, 0)),
    chunks.bytes,
    w.files.flatMap((f) => f.chunks.map(() => f.id)),
    w.files.flatMap((f) => f.chunks.map((_, i) => i)),
    chunks.offsets,
    chunks.lengths,
  ]);
  if (rows === null) return null;
  return rows[0]?.[0] === 1;
}
