/**
 * The office revokes a member's key (issue 10 item 3: a member leaves, or a key may have leaked).
 *
 * - Routing drops the key at once: it only seals to `active` keys, and the database may always
 *   remove a reader that a signed roster lists (ADR 017).
 * - The signed rosters still list the key until the office re-signs them: `rostersListingKey`
 *   names every current published roster that does (newest serial per roster), so the page can
 *   say which ones are due; their drafts no longer list the key, and /staff/admin/rosters signs
 *   every due roster in one step.
 */
import { and, desc, eq, gt, inArray, ne } from "drizzle-orm";
import * as c from "../../crypto/index";
import { withTx, type Db } from "../../db/client";
import { rosters, staffKeys, staffUsers, stationings } from "../../db/schema";
import { appendAudit } from "./audit.server";
import type { StaffSession } from "./sessions.server";

export interface AffectedRoster {
  kind: c.RosterKind;
  rosterId: string;
  districtIds: string[];
}

/**
 * Current published rosters of the office (newest serial each) that list `boxPublicKey`. A team
 * roster counts only while its stationing runs: an ended stationing routes nothing any more and
 * has no draft to sign (its old signature stays valid for its window: docs/crypto.md §9).
 */
export async function rostersListingKey(
  db: Db,
  jurisdictionId: string,
  boxPublicKey: Uint8Array,
  now = new Date(),
): Promise<AffectedRoster[]> {
  const rows = await db
    .select({ kind: rosters.kind, rosterId: rosters.rosterId, roster: rosters.roster })
    .from(rosters)
    .where(and(eq(rosters.jurisdictionId, jurisdictionId), gt(rosters.validUntil, now)))
    .orderBy(desc(rosters.serial));
  const seen = new Set<string>();
  const hex = c.toHex(boxPublicKey);
  const out: AffectedRoster[] = [];
  for (const r of rows) {
    const id = `${r.kind}/${r.rosterId}`;
    if (seen.has(id)) continue; // only the newest serial of each roster counts
    seen.add(id);
    let decoded: c.Roster;
    try {
      decoded = c.decodeRoster(new Uint8Array(r.roster));
    } catch {
      continue;
    }
    if (decoded.readers.some((x) => c.toHex(x.boxPublicKey) === hex))
      out.push({ kind: r.kind, rosterId: r.rosterId, districtIds: [...decoded.districtIds] });
  }
  const teamIds = out.filter((r) => r.kind === "team").map((r) => r.rosterId);
  const running = new Set(
    teamIds.length === 0
      ? []
      : (
          await db
            .select({ id: stationings.id })
            .from(stationings)
            .where(and(inArray(stationings.id, teamIds), gt(stationings.endsAt, now)))
        ).map((s) => s.id),
  );
  return out.filter((r) => r.kind !== "team" || running.has(r.rosterId));
}

export class RevokeError extends Error {
  constructor(readonly code: "no_key") {
    super(code);
  }
}

/** Revokes an active or pending key of one of the office's own staff; audited. */
export async function revokeMemberKey(
  db: Db,
  session: StaffSession,
  keyId: string,
  now = new Date(),
): Promise<AffectedRoster[]> {
  const jurisdictionId = session.staff.jurisdictionId;
  const key = await withTx(db, async (tx) => {
    const [row] = await tx
      .select({ id: staffKeys.id, status: staffKeys.status, box: staffKeys.boxPublicKey })
      .from(staffKeys)
      .innerJoin(staffUsers, eq(staffUsers.id, staffKeys.staffId))
      .where(and(eq(staffKeys.id, keyId), eq(staffUsers.jurisdictionId, jurisdictionId)))
      .limit(1);
    if (!row || row.status === "revoked") throw new RevokeError("no_key");
    // Revoked once (one audit row, the first revocation's time): parallel revokes all read the
    // key as not revoked; the conditional UPDATE lets one of them through.
    const revoked = await tx
      .update(staffKeys)
      .set({ status: "revoked", revokedAt: now })
      .where(and(eq(staffKeys.id, row.id), ne(staffKeys.status, "revoked")))
      .returning({ id: staffKeys.id });
    if (revoked.length === 0) throw new RevokeError("no_key");
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "key.revoke",
      objectType: "key",
      objectId: row.id,
      detail: { by: "office" },
      at: now,
    });
    return row;
  });
  return await rostersListingKey(db, jurisdictionId, new Uint8Array(key.box), now);
}

/** The office's staff keys in use (active), for the keys page's revoke list. */
export async function activeKeysOf(db: Db, jurisdictionId: string) {
  const rows = await db
    .select({
      id: staffKeys.id,
      staffId: staffUsers.id,
      name: staffUsers.displayName,
      username: staffUsers.username,
      fingerprint: staffKeys.fingerprint,
      validUntil: staffKeys.validUntil,
    })
    .from(staffKeys)
    .innerJoin(staffUsers, eq(staffUsers.id, staffKeys.staffId))
    .where(and(eq(staffKeys.status, "active"), eq(staffUsers.jurisdictionId, jurisdictionId)))
    .orderBy(staffUsers.displayName, staffKeys.id);
  return rows.map((r) => ({ ...r, validUntilMs: r.validUntil?.getTime() ?? null }));
}
