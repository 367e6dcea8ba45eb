/**
 * Recusals (回避, DESIGN §5): a member recused from a district reads none of its tips; a member
 * recused from one unit reads none of the tips about that unit (a tip's unit is the one the
 * resident chose on the form; a unit named only inside the encrypted text cannot be honoured).
 *
 * One rule, used everywhere a tip can be reached: routing (no envelope), the inbox (not listed),
 * the case page and every case API (403 "recused"), and grants (no re-wrapped envelope). A
 * recusal counts from its creation until `withdrawnAt` (null = still in force).
 */
import { and, eq, gt, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "../../db/client";
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
export async function activeRecusals(
  db: Db,
  staffIds: readonly string[],
  at: Date,
  districtId?: string,
): Promise<ActiveRecusal[]> {
  if (staffIds.length === 0) return [];
  const out: ActiveRecusal[] = [];
  // Chunked IN lists keep both engines' parameter limits out of reach.
  for (let i = 0; i < staffIds.length; i += 500) {
    const chunk = [...new Set(staffIds.slice(i, i + 500))];
    out.push(
      ...(await db
        .select({
          staffId: recusals.staffId,
          districtId: recusals.districtId,
          unitId: recusals.unitId,
        })
        .from(recusals)
        .where(
          and(
            inArray(recusals.staffId, chunk),
            districtId === undefined ? undefined : eq(recusals.districtId, districtId),
            or(isNull(recusals.withdrawnAt), gt(recusals.withdrawnAt, at)),
          ),
        )),
    );
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
