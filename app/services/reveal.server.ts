/**
 * Identity reveal (DESIGN §4, ADR 008). A tip's identity block and the `identity` envelopes are
 * stored from submission on, but the server hands them out only to the member who asked, with a
 * written reason, after a team leader of the tip's team (another person) approved. Request,
 * decision and the first opening are audited; the first opening stamps tips.identityRevealedAt so
 * the tipster's case can say that the identity was opened.
 *
 * The gate is here, in the service every route calls, so it holds for the HTTP API and not only
 * in the UI.
 */
import { and, desc, eq, ne } from "drizzle-orm";
import type { Db } from "../../db/client";
import { identityReveals, staffKeys, tipEnvelopes, tips } from "../../db/schema";
import { appendAudit } from "./audit.server";
import { b64u, newRowId, requireCase } from "./cases.server";
import type { StaffSession } from "./sessions.server";

export const REASON_MIN = 10;
export const REASON_MAX = 2000;

export class RevealError extends Error {
  constructor(
    readonly code: "no_identity" | "bad_reason" | "not_pending" | "own_request" | "not_approved",
  ) {
    super(code);
  }
}

export function requestReveal(
  db: Db,
  session: StaffSession,
  tipId: string,
  reason: string,
  now = new Date(),
): string {
  const { tip } = requireCase(db, session, tipId);
  if (!tip.identityPayload) throw new RevealError("no_identity");
  const text = reason.trim();
  if (text.length < REASON_MIN || text.length > REASON_MAX) throw new RevealError("bad_reason");
  const id = newRowId("rev");
  db.transaction(() => {
    db.insert(identityReveals)
      .values({ id, tipId: tip.id, requestedBy: session.staff.id, reason: text, createdAt: now })
      .run();
    appendAudit(db, {
      actorId: session.staff.id,
      action: "identity.request",
      objectType: "tip",
      objectId: tip.id,
      detail: { reveal: id },
      at: now,
    });
  });
  return id;
}

/** A team leader of the tip's team decides; nobody approves their own request. */
export function decideReveal(
  db: Db,
  session: StaffSession,
  revealId: string,
  approve: boolean,
  now = new Date(),
) {
  const reveal = db.select().from(identityReveals).where(eq(identityReveals.id, revealId)).get();
  if (!reveal) throw new Response("Not Found", { status: 404 });
  requireCase(db, session, reveal.tipId);
  if (reveal.requestedBy === session.staff.id) throw new RevealError("own_request");
  db.transaction(() => {
    const fresh = db.select().from(identityReveals).where(eq(identityReveals.id, revealId)).get();
    if (fresh?.decision !== "pending") throw new RevealError("not_pending");
    db.update(identityReveals)
      .set({
        decision: approve ? "approved" : "rejected",
        decidedBy: session.staff.id,
        decidedAt: now,
      })
      .where(eq(identityReveals.id, revealId))
      .run();
    appendAudit(db, {
      actorId: session.staff.id,
      action: approve ? "identity.approve" : "identity.reject",
      objectType: "tip",
      objectId: reveal.tipId,
      detail: { reveal: revealId, requestedBy: reveal.requestedBy },
      at: now,
    });
  });
}

/** The identity ciphertext and the requester's own identity envelope, after approval only. */
export function openIdentityBlock(db: Db, session: StaffSession, tipId: string, now = new Date()) {
  const { tip } = requireCase(db, session, tipId);
  if (!tip.identityPayload) throw new RevealError("no_identity");
  const approved = db
    .select()
    .from(identityReveals)
    .where(
      and(
        eq(identityReveals.tipId, tip.id),
        eq(identityReveals.requestedBy, session.staff.id),
        eq(identityReveals.decision, "approved"),
      ),
    )
    .orderBy(desc(identityReveals.decidedAt))
    .get();
  if (!approved) throw new RevealError("not_approved");
  const envelope = db
    .select({ envelope: tipEnvelopes.envelope })
    .from(tipEnvelopes)
    .innerJoin(staffKeys, eq(staffKeys.id, tipEnvelopes.staffKeyId))
    .where(
      and(
        eq(tipEnvelopes.tipId, tip.id),
        eq(tipEnvelopes.staffId, session.staff.id),
        eq(tipEnvelopes.kind, "identity"),
        ne(staffKeys.status, "revoked"),
      ),
    )
    .get();
  if (!envelope) throw new RevealError("not_approved");
  return db.transaction(() => {
    if (!tip.identityRevealedAt) {
      db.update(tips).set({ identityRevealedAt: now }).where(eq(tips.id, tip.id)).run();
    }
    appendAudit(db, {
      actorId: session.staff.id,
      action: "identity.read",
      objectType: "tip",
      objectId: tip.id,
      detail: { reveal: approved.id },
      at: now,
    });
    return { ciphertext: b64u(tip.identityPayload!), envelope: b64u(envelope.envelope) };
  });
}
