/**
 * Assistance-round sharing (DESIGN §5, issue 10 item 6). Assistance teams mix visiting cadres
 * with local ones on purpose; locals (home district = the tip's district) never get an envelope
 * when a tip is routed. A visiting member may share ONE tip with a named local member of the same
 * team, with a written reason — unless the resident ticked "only cadres from outside my district"
 * (`tips.only_outsiders`, ticked by default).
 *
 * The tip key is re-wrapped to the local member's box key in the sharer's browser
 * (crypto wrapTipKeyForRecipient, as grants do): the server never holds a tip key. It stores the
 * envelope with `granted_by` = the sharer and `share_reason` = the reason, in one transaction with
 * the audit row `tip.share.local`. `caseAccess` and the inbox let a local member open exactly the
 * tips shared with them (an envelope with a share reason); every member who can open the case —
 * the leader included — sees who shared it with whom, when and why.
 *
 * The server decides who may receive, never the browser:
 *  - the sharer must be able to open the tip as a visiting reader (not through a share);
 *  - the tip must not be "outsiders only";
 *  - the recipient's key must be active with a valid office signature;
 *  - the recipient must be a current member of the tip's stationed team, local to its district,
 *    and not recused from the district or the unit the tip is about.
 */
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { withTx, type Db } from "../../db/client";
import { alias } from "../../db/columns";
import { staffKeys, staffUsers, tipEnvelopes, tips, type Tip } from "../../db/schema";
import type { Env } from "../env.server";
import { appendAudit } from "./audit.server";
import { b64u, caseAccess, newRowId, teamMembersOfStationing } from "./cases.server";
import { verifiedActiveKey } from "./grants.server";
import { activeRecusals, isRecusedFrom } from "./recusals.server";
import { can } from "./permissions.server";
import { REASON_MAX, REASON_MIN } from "./reveal.server";
import type { StaffSession } from "./sessions.server";

export type ShareErrorCode =
  | "only_outsiders"
  | "no_access"
  | "not_local"
  | "not_member"
  | "recused"
  | "key_not_active"
  | "already_shared"
  | "bad_reason";

/** Coded refusals; handleCaseApi turns them into localized JSON errors (ERROR_STATUS). */
export class ShareError extends Error {
  constructor(readonly code: ShareErrorCode) {
    super(code);
  }
}

export interface ShareCandidate {
  staffId: string;
  name: string;
  staffKeyId: string;
  boxPublicKey: string;
  fingerprint: string;
}

export interface ShareRecord {
  to: { id: string; name: string };
  by: { id: string; name: string };
  reason: string;
  at: string;
}

/**
 * Local members of the tip's team the viewer could share it with now (without those who already
 * have it). Empty when the tip is outsiders-only or routed to the office.
 */
export async function shareCandidates(
  db: Db,
  env: Env,
  tip: Tip,
  now = new Date(),
): Promise<ShareCandidate[]> {
  if (tip.onlyOutsiders || !tip.stationingId) return [];
  const locals = (await teamMembersOfStationing(db, tip.stationingId)).filter(
    (m) => m.homeDistrictId === tip.targetDistrictId,
  );
  if (locals.length === 0) return [];
  const recs = await activeRecusals(
    db,
    locals.map((m) => m.id),
    now,
    tip.targetDistrictId,
  );
  const holding = new Set(
    (
      await db
        .select({ staffId: tipEnvelopes.staffId })
        .from(tipEnvelopes)
        .where(and(eq(tipEnvelopes.tipId, tip.id), eq(tipEnvelopes.kind, "tip")))
    ).map((r) => r.staffId),
  );
  const out: ShareCandidate[] = [];
  for (const m of locals) {
    if (holding.has(m.id) || isRecusedFrom(recs, m.id, tip)) continue;
    const key = (
      await db
        .select({ id: staffKeys.id })
        .from(staffKeys)
        .where(and(eq(staffKeys.staffId, m.id), eq(staffKeys.status, "active")))
        .limit(1)
    )[0];
    const verified = key ? await verifiedActiveKey(db, env, key.id, now) : null;
    if (!verified) continue;
    out.push({
      staffId: m.id,
      name: m.displayName,
      staffKeyId: verified.key.id,
      boxPublicKey: b64u(verified.key.boxPublicKey),
      fingerprint: verified.key.fingerprint,
    });
  }
  return out;
}

/** Every share of a tip, oldest first (for the case page). */
export async function sharesOf(db: Db, tipId: string): Promise<ShareRecord[]> {
  const to = alias(staffUsers, "share_to");
  const by = alias(staffUsers, "share_by");
  const rows = await db
    .select({
      toId: to.id,
      toName: to.displayName,
      byId: by.id,
      byName: by.displayName,
      reason: tipEnvelopes.shareReason,
      at: tipEnvelopes.createdAt,
    })
    .from(tipEnvelopes)
    .innerJoin(to, eq(to.id, tipEnvelopes.staffId))
    .innerJoin(by, eq(by.id, tipEnvelopes.grantedBy))
    .where(
      and(
        eq(tipEnvelopes.tipId, tipId),
        eq(tipEnvelopes.kind, "tip"),
        isNotNull(tipEnvelopes.shareReason),
      ),
    )
    .orderBy(asc(tipEnvelopes.createdAt), asc(tipEnvelopes.id));
  return rows.map((r) => ({
    to: { id: r.toId, name: r.toName },
    by: { id: r.byId, name: r.byName },
    reason: r.reason ?? "",
    at: r.at.toISOString(),
  }));
}

/** Stores the envelope the sharer's browser made for the local member, audited. */
export async function shareTip(
  db: Db,
  env: Env,
  session: StaffSession,
  input: { tipId: string; staffKeyId: string; envelope: Uint8Array; reason: string },
  now = new Date(),
): Promise<ShareRecord> {
  // Who asks first: nobody who cannot open the tip learns anything about it, not even a 400.
  const access = await caseAccess(db, session, input.tipId, now);
  if (!access.ok || access.shared) throw new ShareError("no_access");
  const reason = input.reason.trim();
  if (reason.length < REASON_MIN || reason.length > REASON_MAX) throw new ShareError("bad_reason");
  const { tip } = access;
  if (tip.onlyOutsiders) throw new ShareError("only_outsiders");
  const recipient = await verifiedActiveKey(db, env, input.staffKeyId, now);
  if (!recipient) throw new ShareError("key_not_active");
  if (recipient.staff.homeDistrictId !== tip.targetDistrictId) throw new ShareError("not_local");
  if (
    !tip.stationingId ||
    !(await teamMembersOfStationing(db, tip.stationingId)).some((m) => m.id === recipient.staff.id)
  )
    throw new ShareError("not_member");
  const recs = await activeRecusals(db, [recipient.staff.id], now, tip.targetDistrictId);
  if (isRecusedFrom(recs, recipient.staff.id, tip)) throw new ShareError("recused");

  await withTx(db, async (tx) => {
    const held = await tx
      .select({ id: tipEnvelopes.id })
      .from(tipEnvelopes)
      .where(
        and(
          eq(tipEnvelopes.tipId, tip.id),
          eq(tipEnvelopes.staffId, recipient.staff.id),
          eq(tipEnvelopes.kind, "tip"),
        ),
      )
      .limit(1);
    if (held.length > 0) throw new ShareError("already_shared");
    const res = await tx
      .insert(tipEnvelopes)
      .values({
        id: newRowId("env"),
        tipId: tip.id,
        staffKeyId: recipient.key.id,
        staffId: recipient.staff.id,
        kind: "tip",
        envelope: Buffer.from(input.envelope),
        grantedBy: session.staff.id,
        shareReason: reason,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: tipEnvelopes.id });
    if (res.length === 0) throw new ShareError("already_shared");
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "tip.share.local",
      objectType: "tip",
      objectId: tip.id,
      // The reason stays with the envelope (shown on the case page, deleted with the case).
      detail: { to: recipient.staff.id, key: recipient.key.id },
      at: now,
    });
  });
  return {
    to: { id: recipient.staff.id, name: recipient.staff.displayName },
    by: { id: session.staff.id, name: session.staff.displayName },
    reason,
    at: now.toISOString(),
  };
}

/**
 * What the case page shows about sharing, for a member who could open the case (loadCase):
 * the resident's choice, every share (leader and team see who, to whom, when, why), and whom
 * this member may share the tip with (nobody when they opened it through a share).
 */
export async function caseSharing(
  db: Db,
  env: Env,
  session: StaffSession,
  opened: { tipId: string; shared: boolean },
  now = new Date(),
) {
  const tip = (await db.select().from(tips).where(eq(tips.id, opened.tipId)).limit(1))[0];
  if (!tip) throw new Response("Not Found", { status: 404 });
  return {
    onlyOutsiders: tip.onlyOutsiders,
    shares: await sharesOf(db, tip.id),
    shareTo:
      !opened.shared && can(session.roles, "tip:share:local")
        ? await shareCandidates(db, env, tip, now)
        : [],
  };
}
