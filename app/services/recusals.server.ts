/**
 * Recusals (回避, DESIGN §5): a member recused from a district reads none of its tips; a member
 * recused from one unit reads none of the tips about that unit (a tip's unit is the one the
 * resident chose on the form; a unit named only inside the encrypted text cannot be honoured).
 *
 * One rule, used everywhere a tip can be reached: routing (no envelope), the inbox (not listed),
 * the case page and every case API (403 "recused"), and grants (no re-wrapped envelope). A
 * recusal counts from its creation until `withdrawnAt` (null = still in force).
 */
import { and, eq, gt, inArray, isNull, or, sql, type SQLWrapper } from "drizzle-orm";
import { preparedQuery, type Db } from "../../db/client";
import { recusals } from "../../db/schema";

export interface ActiveRecusal {
  staffId: string;
  districtId: string;
  /** null: the whole district. */
  unitId: string | null;
}

/** What a recusal is matched against: the tip's district and its (plaintext) unit, if any. */
export interface RecusalTarget {
  targetDistrictId: string;
  unitId: string | null;
}

/** Recusals of `staffIds` in force at `at`, optionally only those for one district. */
/** IN lists up to this long get a prepared query per length. */
const PREPARED_LIST_MAX = 16;

export async function activeRecusals(
  db: Db,
  staffIds: readonly string[],
  at: Date,
  districtId?: string,
): Promise<ActiveRecusal[]> {
  if (staffIds.length === 0) return [];
  const out: ActiveRecusal[] = [];
  // Chunked IN lists keep both engines' parameter limits out of reach.
  const query = (
    d: Db,
    ids: readonly (string | ReturnType<typeof sql.placeholder>)[],
    district: string | ReturnType<typeof sql.placeholder> | undefined,
    when: Date | SQLWrapper,
  ) =>
    d
      .select({
        staffId: recusals.staffId,
        districtId: recusals.districtId,
        unitId: recusals.unitId,
      })
      .from(recusals)
      .where(
        and(
          inArray(recusals.staffId, ids),
          district === undefined ? undefined : eq(recusals.districtId, district),
          or(isNull(recusals.withdrawnAt), gt(recusals.withdrawnAt, when)),
        ),
      );
  for (let i = 0; i < staffIds.length; i += 500) {
    const chunk = [...new Set(staffIds.slice(i, i + 500))];
    const n = chunk.length;
    // Routing asks for one district's recusals of a few people at every report: prepared once
    // per handle and list length (`preparedQuery`; issue 13).
    const rows =
      districtId !== undefined && n <= PREPARED_LIST_MAX
        ? await preparedQuery(db, `cw_recusals_${n}`, (d) =>
            query(
              d,
              chunk.map((_, k) => sql.placeholder(`v${k}`)),
              sql.placeholder("district"),
              sql.param(sql.placeholder("at"), recusals.withdrawnAt),
            ).prepare(`cw_recusals_${n}`),
          ).execute({
            ...Object.fromEntries(chunk.map((v, k) => [`v${k}`, v])),
            district: districtId,
            at,
          })
        : await query(db, chunk, districtId, at);
    out.push(...rows);
  }
  return out;
}

/** true when one of `recs` keeps `staffId` from the tip (its district, or its unit). */
export function isRecusedFrom(
  recs: readonly ActiveRecusal[],
  staffId: string,
  tip: RecusalTarget,
): boolean {
  return recs.some(
    (r) =>
      r.staffId === staffId &&
      r.districtId === tip.targetDistrictId &&
      (r.unitId === null || r.unitId === tip.unitId),
  );
}

/** The single-member form of the rule, for case access and grants. */
export async function isRecused(
  db: Db,
  staffId: string,
  tip: RecusalTarget,
  at: Date,
): Promise<boolean> {
  return isRecusedFrom(await activeRecusals(db, [staffId], at, tip.targetDistrictId), staffId, tip);
}
