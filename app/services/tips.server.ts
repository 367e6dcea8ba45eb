/**
 * Storing a tip: the server only ever receives ciphertext (crypto/ formats) plus the routing
 * metadata it needs in clear (target district, optional unit, category). It recomputes who may
 * read the tip (`recipientsFor`) and accepts the tip only if it carries exactly one envelope for
 * each of those staff keys and no others — so a tampered client cannot add or drop a reader.
 *
 * The whole tip (row, envelopes, first status, files) is written in one transaction (`withTx`)
 * that has committed durably when `acceptTip` resolves: an acknowledged tip survives `kill -9`.
 * The routing reads happen before it, so the write transaction stays short.
 */
import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { isUniqueViolation, preparedQuery, withTx, type Db, type Tx } from "../../db/client";
import { storeTipPg } from "../../db/tip-insert-pg";
import {
  staffUsers,
  stationingUnits,
  tipEnvelopes,
  tipStatusHistory,
  tips,
  units,
  type Category,
} from "../../db/schema";
import type { SealedTip } from "../../crypto/index";
import type { Env } from "../env.server";
import { shanghaiDayEnd, tipsterDay } from "../shared/tipster-time";
import { storeAttachments, type IncomingAttachment } from "./attachments.server";
import { spendPowToken, takePowPruneTurn, type PowToken } from "./pow.server";
import { viaRoutingCache } from "./routing-cache.server";
import { recipientsFor, type RoutingResult } from "./routing.server";
import { rosterReadersByKind } from "./rosters.server";
import { keySignatureVerifier } from "./staff-keys.server";

export const ACK_DAYS = 7;
export const FEEDBACK_DAYS = 91; // three months

/** Ids are random, unguessable, not time-ordered: this many random bytes after the prefix. */
const ID_BYTES = 12;

/**
 * Who can read a tip about `districtId` (and `unitId`, when the resident chose one) right now:
 * the office keys and its signed rosters, minus recused members. Remembered while nothing it
 * depends on can have changed (routing-cache.server.ts, ADR 038).
 */
export async function routeTip(
  db: Db,
  env: Env,
  districtId: string,
  at = new Date(),
  unitId: string | null = null,
): Promise<RoutingResult> {
  return (await reportRoute(db, env, districtId, at, unitId)).route;
}

/** What accepting a report needs to know before it writes: its readers, unit and stationing. */
interface ReportRoute {
  route: RoutingResult;
  /** false: `unitId` is not a unit of the district (or the district is unknown). */
  unitOk: boolean;
  /** The stationing a team-routed tip belongs to (`stationingFor`); null otherwise. */
  stationingId: string | null;
}

/** `computeReportRoute`, remembered per district and unit (routing-cache.server.ts). */
function reportRoute(
  db: Db,
  env: Env,
  districtId: string,
  at: Date,
  unitId: string | null,
): Promise<ReportRoute> {
  return viaRoutingCache(
    db,
    env,
    `${districtId}\u0000${unitId ?? ""}`,
    at,
    (signedTimes) => computeReportRoute(db, env, districtId, at, unitId, signedTimes),
    (r) => r.unitOk,
  );
}

/** Routing, the unit check and the stationing, read afresh (every read is covered by ADR 038). */
async function computeReportRoute(
  db: Db,
  env: Env,
  districtId: string,
  at: Date,
  unitId: string | null,
  signedTimes: number[],
): Promise<ReportRoute> {
  const jurisdictionOf = async (staffId: string) =>
    (
      await preparedQuery(db, "cw_tip_staff_jurisdiction", (d) =>
        d
          .select({ j: staffUsers.jurisdictionId })
          .from(staffUsers)
          .where(eq(staffUsers.id, sql.placeholder("id")))
          .limit(1)
          .prepare("cw_tip_staff_jurisdiction"),
      ).execute({ id: staffId })
    )[0]?.j;
  const route = await recipientsFor(
    db,
    districtId,
    at,
    {
      verifyKeySignature: keySignatureVerifier(env, jurisdictionOf, at),
      rosterReaders: async (district, when) => {
        const readers = await rosterReadersByKind(db, district, when);
        signedTimes.push(...readers.signedTimes);
        return readers;
      },
    },
    unitId,
  );
  if (!route.ok && route.reason === "unknown_district") {
    return { route, unitOk: false, stationingId: null };
  }
  let unitOk = true;
  if (unitId) {
    const unit = (
      await preparedQuery(db, "cw_tip_unit", (d) =>
        d
          .select({ districtId: units.districtId })
          .from(units)
          .where(eq(units.id, sql.placeholder("id")))
          .limit(1)
          .prepare("cw_tip_unit"),
      ).execute({ id: unitId })
    )[0];
    unitOk = unit !== undefined && unit.districtId === districtId;
  }
  const stationingId =
    unitOk && route.ok && route.routedTo === "team"
      ? await stationingFor(db, route.stationings, unitId)
      : null;
  return { route, unitOk, stationingId };
}

export interface IncomingEnvelope {
  staffKeyId: string;
  envelope: Uint8Array;
}

export interface IncomingTip {
  targetDistrictId: string;
  unitId: string | null;
  category: Category | null;
  /** SHA-256 hex of the receipt-derived auth secret. */
  receiptAuthHash: string;
  tipsterPublicKey: Uint8Array;
  tipsterEnvelope: Uint8Array;
  payload: Uint8Array;
  envelopes: IncomingEnvelope[];
  identity: { ciphertext: Uint8Array; envelopes: IncomingEnvelope[] } | null;
  onlyOutsiders: boolean;
  submittedVia: "js" | "nojs";
}

/** The sealed parts of a tip as `acceptTip` takes them (the no-JS path and test fixtures seal). */
export function sealedParts(
  sealed: SealedTip,
): Pick<IncomingTip, "tipsterEnvelope" | "payload" | "envelopes" | "identity"> {
  const envelopes = (list: SealedTip["envelopes"]): IncomingEnvelope[] =>
    list.map((e) => ({ staffKeyId: e.recipientId, envelope: e.envelope }));
  return {
    tipsterEnvelope: sealed.tipsterEnvelope,
    payload: sealed.payload,
    envelopes: envelopes(sealed.envelopes),
    identity: sealed.identity
      ? { ciphertext: sealed.identity.ciphertext, envelopes: envelopes(sealed.identity.envelopes) }
      : null,
  };
}

export type AcceptTipResult =
  | {
      ok: true;
      tipId: string;
      routedTo: "team" | "office";
      acknowledgeBy: Date;
      feedbackBy: Date;
      /** true when this was an identical retry of a tip stored earlier (see findStoredCopy) */
      alreadyStored?: true;
    }
  | {
      ok: false;
      /** Stable codes the routes map to localized messages. */
      code:
        | "unknown_district"
        | "unknown_unit"
        | "no_reader"
        | "recipients_changed"
        | "duplicate_receipt"
        /** The proof-of-work token given to spend with the tip was spent already. */
        | "pow_replayed";
    };

function sameKeySet(expected: string[], envelopes: IncomingEnvelope[]): boolean {
  const got = envelopes.map((e) => e.staffKeyId);
  if (new Set(got).size !== got.length) return false;
  return got.length === expected.length && expected.every((id) => got.includes(id));
}

/**
 * The stationing a team-routed tip belongs to: the one whose units include the tip's unit when
 * several teams are stationed in the district (an assistance round sends one team per unit, e.g.
 * 雷波民族中学), otherwise the oldest — the team that can open it from its case page.
 */
async function stationingFor(
  db: Db,
  stationed: { stationingId: string }[],
  unitId: string | null,
): Promise<string | null> {
  if (unitId && stationed.length > 1) {
    const covering = await db
      .select({ id: stationingUnits.stationingId })
      .from(stationingUnits)
      .where(
        and(
          eq(stationingUnits.unitId, unitId),
          inArray(
            stationingUnits.stationingId,
            stationed.map((s) => s.stationingId),
          ),
        ),
      );
    const first = stationed.find((s) => covering.some((c) => c.id === s.stationingId));
    if (first) return first.stationingId;
  }
  return stationed[0]?.stationingId ?? null;
}

/** Thrown inside the tip's transaction to roll it back when its proof of work was spent. */
const POW_REPLAYED = new Error("proof of work spent already");

/**
 * Stores a tip (and its encrypted files) after re-checking its readers; resolves after COMMIT.
 * With `powToken`, that proof of work is spent in the same transaction (one durable commit per
 * report): a token spent meanwhile refuses the tip as `pow_replayed`, storing nothing. When the
 * tip is refused or was stored before (an identical retry), the token is NOT spent: the caller
 * spends it on its own.
 */
export async function acceptTip(
  db: Db,
  env: Env,
  tip: IncomingTip,
  now = new Date(),
  files: IncomingAttachment[] = [],
  powToken: PowToken | null = null,
): Promise<AcceptTipResult> {
  // Routing reads the district first: an unknown one is refused before anything else.
  const { route, unitOk, stationingId } = await reportRoute(
    db,
    env,
    tip.targetDistrictId,
    now,
    tip.unitId,
  );
  if (!route.ok && route.reason === "unknown_district")
    return { ok: false, code: "unknown_district" };
  if (tip.unitId && !unitOk) return { ok: false, code: "unknown_unit" };
  if (!route.ok) return { ok: false, code: "no_reader" };
  const expected = route.recipients.map((r) => r.staffKeyId);
  if (!sameKeySet(expected, tip.envelopes)) return { ok: false, code: "recipients_changed" };
  if (tip.identity && !sameKeySet(expected, tip.identity.envelopes)) {
    return { ok: false, code: "recipients_changed" };
  }
  const staffOfKey = new Map(route.recipients.map((r) => [r.staffKeyId, r.staffId]));

  // The tip's, its envelopes' and its first status's ids from one draw of random bytes (a draw
  // per id was ≈ 1 % of the server's CPU per report).
  const envelopeCount = tip.envelopes.length + (tip.identity?.envelopes.length ?? 0);
  const random = randomBytes(ID_BYTES * (envelopeCount + 2));
  const randomId = (prefix: string, n: number) =>
    prefix + random.toString("base64url", n * ID_BYTES, (n + 1) * ID_BYTES);
  const tipId = randomId("tip_", 0);
  const statusId = randomId("st_", envelopeCount + 1);
  // Stored to the day (app/shared/tipster-time.ts): the submission's day, deadlines at its end.
  const day = tipsterDay(now);
  const acknowledgeBy = shanghaiDayEnd(day, ACK_DAYS);
  const feedbackBy = shanghaiDayEnd(day, FEEDBACK_DAYS);
  const envelopeRows = [
    ...tip.envelopes.map((e) => ({ ...e, kind: "tip" as const })),
    ...(tip.identity?.envelopes ?? []).map((e) => ({ ...e, kind: "identity" as const })),
  ].map((e, i) => ({
    id: randomId("env_", 1 + i),
    tipId,
    staffKeyId: e.staffKeyId,
    staffId: staffOfKey.get(e.staffKeyId)!,
    kind: e.kind,
    envelope: Buffer.from(e.envelope),
    createdAt: day,
  }));
  try {
    // PostgreSQL: the whole write as one statement, one round trip (db/tip-insert-pg.ts, ADR 036).
    const storedPg = await storeTipPg(db, () => ({
      tip: {
        ...tip,
        id: tipId,
        stationingId,
        routedTo: route.routedTo,
        identityPayload: tip.identity?.ciphertext ?? null,
        acknowledgeBy,
        feedbackBy,
      },
      createdAt: day,
      statusId,
      envelopes: envelopeRows,
      files: files.map((f) => ({ ...f, id: "att_" + randomBytes(12).toString("base64url") })),
      pow: powToken && {
        id: powToken.id,
        expiresAt: new Date(powToken.expiresAtMs),
        pruneBefore: takePowPruneTurn(now.getTime()) ? now : null,
      },
    }));
    if (storedPg === false) throw POW_REPLAYED;
    if (storedPg === null)
      await withTx(db, async (tx) => {
        if (powToken && !(await spendPowToken(tx, powToken, now.getTime()))) throw POW_REPLAYED;
        // Each statement prepared once (`preparedQuery`: kept for every SQLite write transaction).
        await insertTip(tx).execute({
          id: tipId,
          targetDistrictId: tip.targetDistrictId,
          unitId: tip.unitId,
          stationingId,
          routedTo: route.routedTo,
          category: tip.category,
          receiptAuthHash: tip.receiptAuthHash,
          tipsterPublicKey: Buffer.from(tip.tipsterPublicKey),
          tipsterEnvelope: Buffer.from(tip.tipsterEnvelope),
          payload: Buffer.from(tip.payload),
          identityPayload: tip.identity ? Buffer.from(tip.identity.ciphertext) : null,
          onlyOutsiders: tip.onlyOutsiders,
          submittedVia: tip.submittedVia,
          status: "received",
          acknowledgeBy,
          feedbackBy,
          createdAt: day,
        });
        await insertEnvelopes(tx, envelopeRows);
        await insertReceivedStatus(tx).execute({
          id: statusId,
          tipId,
          createdAt: day,
        });
        await storeAttachments(tx, tipId, files, day);
      });
  } catch (err) {
    if (err === POW_REPLAYED) return { ok: false, code: "pow_replayed" };
    if (isUniqueViolation(err, tips.receiptAuthHash)) {
      return (await findStoredCopy(db, tip)) ?? { ok: false, code: "duplicate_receipt" };
    }
    throw err;
  }
  return { ok: true, tipId, routedTo: route.routedTo, acknowledgeBy, feedbackBy };
}

/** The tip's row; every column the report sets is a placeholder (the rest keep their defaults). */
const insertTip = (tx: Tx) =>
  preparedQuery(tx, "cw_tip_insert", (t) =>
    (t as Tx)
      .insert(tips)
      .values({
        id: sql.placeholder("id"),
        targetDistrictId: sql.placeholder("targetDistrictId"),
        unitId: sql.placeholder("unitId"),
        stationingId: sql.placeholder("stationingId"),
        routedTo: sql.placeholder("routedTo"),
        category: sql.placeholder("category"),
        receiptAuthHash: sql.placeholder("receiptAuthHash"),
        tipsterPublicKey: sql.placeholder("tipsterPublicKey"),
        tipsterEnvelope: sql.placeholder("tipsterEnvelope"),
        payload: sql.placeholder("payload"),
        identityPayload: sql.placeholder("identityPayload"),
        onlyOutsiders: sql.placeholder("onlyOutsiders"),
        submittedVia: sql.placeholder("submittedVia"),
        status: sql.placeholder("status"),
        acknowledgeBy: sql.placeholder("acknowledgeBy"),
        feedbackBy: sql.placeholder("feedbackBy"),
        createdAt: sql.placeholder("createdAt"),
      })
      .prepare("cw_tip_insert"),
  );

const insertReceivedStatus = (tx: Tx) =>
  preparedQuery(tx, "cw_tip_status_received", (t) =>
    (t as Tx)
      .insert(tipStatusHistory)
      .values({
        id: sql.placeholder("id"),
        tipId: sql.placeholder("tipId"),
        status: "received",
        createdAt: sql.placeholder("createdAt"),
      })
      .prepare("cw_tip_status_received"),
  );

/** Envelope rows per INSERT: a prepared statement per count up to this many. */
const ENVELOPES_PER_INSERT = 16;
const ENVELOPE_FIELDS = [
  "id",
  "tipId",
  "staffKeyId",
  "staffId",
  "kind",
  "envelope",
  "createdAt",
] as const;
type EnvelopeRow = Record<(typeof ENVELOPE_FIELDS)[number], unknown>;

async function insertEnvelopes(tx: Tx, rows: EnvelopeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ENVELOPES_PER_INSERT) {
    const batch = rows.slice(i, i + ENVELOPES_PER_INSERT);
    const name = `cw_tip_envelopes_${batch.length}`;
    const values: Record<string, unknown> = {};
    batch.forEach((row, k) => {
      for (const f of ENVELOPE_FIELDS) values[`${f}${k}`] = row[f];
    });
    await preparedQuery(tx, name, (t) =>
      (t as Tx)
        .insert(tipEnvelopes)
        .values(
          batch.map((_, k) => ({
            id: sql.placeholder(`id${k}`),
            tipId: sql.placeholder(`tipId${k}`),
            staffKeyId: sql.placeholder(`staffKeyId${k}`),
            staffId: sql.placeholder(`staffId${k}`),
            kind: sql.placeholder(`kind${k}`),
            envelope: sql.placeholder(`envelope${k}`),
            createdAt: sql.placeholder(`createdAt${k}`),
          })),
        )
        .prepare(name),
    ).execute(values);
  }
}

/**
 * A resident whose connection dropped during the upload sends the very same ciphertext again:
 * the first attempt may already be stored (only the answer was lost). If a stored tip has this
 * receipt hash AND byte-identical sealed content, the retry is answered exactly like the first
 * success — no second tip, no conflict. Only the sender of those bytes can produce the match (the
 * tipster envelope and payload are fresh random ciphertext per report), so this says nothing to
 * anyone else about which receipts exist; a different report under a taken receipt hash is still
 * refused as `duplicate_receipt`. The stored tip's files were committed with it (one transaction).
 */
export async function findStoredCopy(
  db: Db,
  tip: Pick<
    IncomingTip,
    "receiptAuthHash" | "targetDistrictId" | "tipsterPublicKey" | "tipsterEnvelope" | "payload"
  >,
): Promise<Extract<AcceptTipResult, { ok: true }> | null> {
  const stored = await findTipByReceiptHash(db, tip.receiptAuthHash);
  if (
    !stored ||
    stored.targetDistrictId !== tip.targetDistrictId ||
    !Buffer.from(tip.tipsterPublicKey).equals(stored.tipsterPublicKey) ||
    !Buffer.from(tip.tipsterEnvelope).equals(stored.tipsterEnvelope) ||
    !Buffer.from(tip.payload).equals(stored.payload)
  ) {
    return null;
  }
  return {
    ok: true,
    tipId: stored.id,
    routedTo: stored.routedTo,
    acknowledgeBy: stored.acknowledgeBy,
    feedbackBy: stored.feedbackBy,
    alreadyStored: true,
  };
}

/** The tipster's view key: only the SHA-256 of the receipt-derived auth secret finds a tip. */
export async function findTipByReceiptHash(db: Db, receiptAuthHash: string) {
  return (
    await db.select().from(tips).where(eq(tips.receiptAuthHash, receiptAuthHash)).limit(1)
  )[0];
}
