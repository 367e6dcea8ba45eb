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
import { and, desc, eq, isNull, ne } from "drizzle-orm";
import { withTx, type Db } from "../../db/client";
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

export async function requestReveal(
  db: Db,
  session: StaffSession,
  tipId: string,
  reason: string,
  now = new Date(),
): Promise<string> {
  const { tip, shared } = await requireCase(db, session, tipId, "identity.request");
  // A local member reads a tip shared with them, never the resident's identity.
  if (shared) throw new Response("Forbidden", { status: 403 });
  if (!tip.identityPayload) throw new RevealError("no_identity");
  const text = reason.trim();
  if (text.length < REASON_MIN || text.length > REASON_MAX) throw new RevealError("bad_reason");
  const id = newRowId("rev");
  await withTx(db, async (tx) => {
    await tx
      .insert(identityReveals)
      .values({ id, tipId: tip.id, requestedBy: session.staff.id, reason: text, createdAt: now });
    await appendAudit(tx, {
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
export async function decideReveal(
  db: Db,
  session: StaffSession,
  revealId: string,
  approve: boolean,
  now = new Date(),
) {
  const reveal = (
    await db.select().from(identityReveals).where(eq(identityReveals.id, revealId)).limit(1)
  )[0];
  if (!reveal) throw new Response("Not Found", { status: 404 });
  if ((await requireCase(db, session, reveal.tipId, "identity.decide")).shared)
    throw new Response("Forbidden", { status: 403 });
  if (reveal.requestedBy === session.staff.id) throw new RevealError("own_request");
  await withTx(db, async (tx) => {
    const fresh = (
      await tx.select().from(identityReveals).where(eq(identityReveals.id, revealId)).limit(1)
    )[0];
    if (fresh?.decision !== "pending") throw new RevealError("not_pending");
    // Decided once: the read above does not hold the row, and parallel decisions (PostgreSQL,
    // READ COMMITTED) all find it pending; only the one whose UPDATE still finds it so counts.
    const decided = await tx
      .update(identityReveals)
      .set({
        decision: approve ? "approved" : "rejected",
        decidedBy: session.staff.id,
        decidedAt: now,
      })
      .where(and(eq(identityReveals.id, revealId), eq(identityReveals.decision, "pending")))
      .returning({ id: identityReveals.id });
    if (decided.length === 0) throw new RevealError("not_pending");
    await appendAudit(tx, {
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
export async function openIdentityBlock(
  db: Db,
  session: StaffSession,
  tipId: string,
  now = new Date(),
) {
  const { tip, shared } = await requireCase(db, session, tipId, "identity.open");
  // A local member reads a tip shared with them, never the resident's identity.
  if (shared) throw new Response("Forbidden", { status: 403 });
  if (!tip.identityPayload) throw new RevealError("no_identity");
  const approved = (
    await db
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
      .limit(1)
  )[0];
  if (!approved) throw new RevealError("not_approved");
  const envelope = (
    await db
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
      .limit(1)
  )[0];
  if (!envelope) throw new RevealError("not_approved");
  return withTx(db, async (tx) => {
    if (!tip.identityRevealedAt) {
      // The first opening's time stays: the tip was read before this transaction, so a parallel
      // first opening may have set it since.
      await tx
        .update(tips)
        .set({ identityRevealedAt: now })
        .where(and(eq(tips.id, tip.id), isNull(tips.identityRevealedAt)));
    }
    await appendAudit(tx, {
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
