/**
 * The staff side of a tip (a "case"): who may open it, what the case page gets, and every
 * triage write (status with a message to the tipster, messages, internal notes, assignment,
 * priority, labels, merge as duplicate). The server stores and serves ciphertext only; every
 * read and write appends an audit row in the same synchronous transaction.
 *
 * Access rule (ADR 008): a member may open a tip only when
 *  - they hold `tip:read:team`,
 *  - they hold a `tip` envelope for the tip under one of their non-revoked keys,
 *  - their home district is not the tip's district (defence in depth: routing and grants never
 *    make such envelopes) — unless a visiting teammate shared this one tip with them, with a
 *    reason, and the resident did not ask for outsiders only (shares.server.ts; `shared` is then
 *    true and the member may not share it on nor ask for the identity),
 *  - they are not recused from the tip's district, nor from the unit the tip is about
 *    (recusals.server.ts; a recusal made after the tip arrived closes it as well), and
 *  - a team-routed tip's stationing is one of their team's current stationings (leaving the team
 *    or the end of the stationing closes the inbox even though old envelopes remain).
 * Otherwise 403 (404 only when the tip does not exist), and no ciphertext leaves the server.
 */
import { randomBytes } from "node:crypto";
import { and, asc, eq, gt, inArray, isNull, lte, ne, sql } from "drizzle-orm";
import { withTx, type Db } from "../../db/client";
import {
  attachmentChunks,
  attachments,
  districts,
  identityReveals,
  messages,
  type PRIORITIES,
  PUBLIC_STATUSES,
  staffKeys,
  staffUsers,
  stationings,
  teamMembers,
  tipEnvelopes,
  tipLabels,
  tips,
  tipStatusHistory,
  units,
  type PublicStatus,
  type Tip,
} from "../../db/schema";
import { TAG } from "../../crypto/index";
import type { Env } from "../env.server";
import { activeRecusals, isRecused, isRecusedFrom } from "./recusals.server";
import { serverT } from "../i18n/messages.server";
import type { MessageKey } from "../i18n/types";
import { appendAudit } from "./audit.server";
import { assertCsrf } from "./csrf.server";
import { apiError, NO_STORE, readJson } from "./http.server";
import { requirePermission, type Permission } from "./permissions.server";
import type { StaffSession } from "./sessions.server";

export const b64u = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
export const newRowId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url")}`;

/** Stationing ids of the teams `staffId` belongs to now, stationed now. */
export async function currentStationingIds(
  db: Db,
  staffId: string,
  now = new Date(),
): Promise<Set<string>> {
  const rows = await db
    .select({ id: stationings.id })
    .from(teamMembers)
    .innerJoin(stationings, eq(stationings.teamId, teamMembers.teamId))
    .where(
      and(
        eq(teamMembers.staffId, staffId),
        isNull(teamMembers.leftAt),
        lte(stationings.startsAt, now),
        gt(stationings.endsAt, now),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/** Members of the team behind a stationing (current members only). */
export async function teamMembersOfStationing(db: Db, stationingId: string) {
  return await db
    .select({
      id: staffUsers.id,
      displayName: staffUsers.displayName,
      homeDistrictId: staffUsers.homeDistrictId,
      role: teamMembers.role,
    })
    .from(stationings)
    .innerJoin(teamMembers, eq(teamMembers.teamId, stationings.teamId))
    .innerJoin(staffUsers, eq(staffUsers.id, teamMembers.staffId))
    .where(and(eq(stationings.id, stationingId), isNull(teamMembers.leftAt)));
}

/** Why a member may not open a tip (shown to them on the 403 page, in staff words). */
export type CaseRefusal = "home_district" | "recused" | "no_key" | "not_stationed";

export type CaseAccess =
  | { ok: true; tip: Tip; envelope: Buffer; staffKeyId: string; shared: boolean }
  | { ok: false; status: 404 }
  /** Retention deleted the case's contents (app/services/retention.server.ts). */
  | { ok: false; status: 410 }
  | { ok: false; status: 403; reason: CaseRefusal };

/** The access rule above; pure read, no audit (callers audit what they then do). */
export async function caseAccess(
  db: Db,
  session: StaffSession,
  tipId: string,
  now = new Date(),
): Promise<CaseAccess> {
  const tip = (await db.select().from(tips).where(eq(tips.id, tipId)).limit(1))[0];
  if (!tip) return { ok: false, status: 404 };
  // Retention deleted its contents: nothing is left to open (the reason is the same for all).
  if (tip.purgedAt) return { ok: false, status: 410 };
  const local =
    session.staff.homeDistrictId !== null && session.staff.homeDistrictId === tip.targetDistrictId;
  if (local && tip.onlyOutsiders) return { ok: false, status: 403, reason: "home_district" };
  // A recusal from the district, or from the unit the tip is about, closes the case to them.
  if (!local && (await isRecused(db, session.staff.id, tip, now))) {
    return { ok: false, status: 403, reason: "recused" };
  }
  const env = (
    await db
      .select({
        envelope: tipEnvelopes.envelope,
        staffKeyId: tipEnvelopes.staffKeyId,
        shareReason: tipEnvelopes.shareReason,
        grantedBy: tipEnvelopes.grantedBy,
      })
      .from(tipEnvelopes)
      .innerJoin(staffKeys, eq(staffKeys.id, tipEnvelopes.staffKeyId))
      .where(
        and(
          eq(tipEnvelopes.tipId, tipId),
          eq(tipEnvelopes.staffId, session.staff.id),
          eq(tipEnvelopes.kind, "tip"),
          ne(staffKeys.status, "revoked"),
        ),
      )
      .limit(1)
  )[0];
  // A local member opens only a tip a visiting teammate shared with them (never a routed one).
  const shared = env !== undefined && env.shareReason !== null && env.grantedBy !== null;
  if (local && !shared) return { ok: false, status: 403, reason: "home_district" };
  if (local && (await isRecused(db, session.staff.id, tip, now))) {
    return { ok: false, status: 403, reason: "recused" };
  }
  if (!env) return { ok: false, status: 403, reason: "no_key" };
  if (
    tip.stationingId &&
    !(await currentStationingIds(db, session.staff.id, now)).has(tip.stationingId)
  ) {
    return { ok: false, status: 403, reason: "not_stationed" };
  }
  return { ok: true, tip, envelope: env.envelope, staffKeyId: env.staffKeyId, shared: local };
}

/** The answer for a case whose contents retention deleted: the same wherever it is found out. */
function caseDeleted(): Response {
  return Response.json({ reason: "deleted" }, { status: 410 });
}

/**
 * Throws the localized-later 403/404 Response unless the member may open the tip. A 403 carries
 * the reason (JSON), so the case page can explain the rule; never any content of the tip. A
 * refusal of an existing tip is audited (`tip.access.refused`, with what was attempted): a member
 * probing tips they may not read leaves a trace. An unknown id is not (it names no tip).
 */
export async function requireCase(
  db: Db,
  session: StaffSession,
  tipId: string,
  attempted = "read",
) {
  const access = await caseAccess(db, session, tipId);
  if (!access.ok) {
    if (access.status === 404) throw new Response("Not Found", { status: 404 });
    if (access.status === 410) throw caseDeleted();
    await withTx(db, (tx) =>
      appendAudit(tx, {
        actorId: session.staff.id,
        action: "tip.access.refused",
        objectType: "tip",
        objectId: tipId,
        detail: { attempted, reason: access.reason },
      }),
    );
    throw Response.json({ reason: access.reason }, { status: 403 });
  }
  return access;
}

export function deadlines(
  tip: Pick<Tip, "acknowledgeBy" | "feedbackBy" | "acknowledgedAt" | "status">,
  now = new Date(),
) {
  const closed =
    tip.status === "resolved" || tip.status === "not_accepted" || tip.status === "merged";
  return {
    acknowledgeOverdue: !tip.acknowledgedAt && tip.acknowledgeBy.getTime() < now.getTime(),
    feedbackOverdue: !closed && tip.feedbackBy.getTime() < now.getTime(),
  };
}

/** Everything the case page needs, ciphertext as base64url. Audited as `tip.read`. */
export async function loadCase(db: Db, session: StaffSession, tipId: string, now = new Date()) {
  const access = await requireCase(db, session, tipId);
  const { tip } = access;
  {
    const unit = tip.unitId
      ? (await db.select().from(units).where(eq(units.id, tip.unitId)).limit(1))[0]
      : null;
    const district = (
      await db.select().from(districts).where(eq(districts.id, tip.targetDistrictId)).limit(1)
    )[0];
    const history = await db
      .select()
      .from(tipStatusHistory)
      .where(eq(tipStatusHistory.tipId, tip.id))
      .orderBy(asc(tipStatusHistory.createdAt));
    const thread = await db
      .select()
      .from(messages)
      .where(eq(messages.tipId, tip.id))
      .orderBy(asc(messages.createdAt));
    const files = await db
      .select({
        id: attachments.id,
        header: attachments.header,
        messageId: attachments.messageId,
        chunkCount: attachments.chunkCount,
        size: attachments.ciphertextSize,
      })
      .from(attachments)
      .where(and(eq(attachments.tipId, tip.id), eq(attachments.complete, true)));
    const labels = (
      await db.select({ label: tipLabels.label }).from(tipLabels).where(eq(tipLabels.tipId, tip.id))
    ).map((l) => l.label);
    const reveals = await db
      .select({
        id: identityReveals.id,
        requestedBy: identityReveals.requestedBy,
        requesterName: staffUsers.displayName,
        reason: identityReveals.reason,
        decision: identityReveals.decision,
        decidedAt: identityReveals.decidedAt,
        createdAt: identityReveals.createdAt,
      })
      .from(identityReveals)
      .innerJoin(staffUsers, eq(staffUsers.id, identityReveals.requestedBy))
      .where(eq(identityReveals.tipId, tip.id))
      .orderBy(asc(identityReveals.createdAt));
    const members = tip.stationingId ? await teamMembersOfStationing(db, tip.stationingId) : [];
    const memberRecusals = await activeRecusals(
      db,
      members.map((m) => m.id),
      now,
      tip.targetDistrictId,
    );
    // A GET changes nothing but the audit log: the tipster's messages are marked read by
    // `markThreadRead` (a POST the case page sends once it has decrypted them).
    await withTx(db, (tx) =>
      appendAudit(tx, {
        actorId: session.staff.id,
        action: "tip.read",
        objectType: "tip",
        objectId: tip.id,
        at: now,
      }),
    );
    return {
      tip: {
        id: tip.id,
        createdAt: tip.createdAt.toISOString(),
        status: tip.status,
        priority: tip.priority,
        category: tip.category,
        assigneeId: tip.assigneeId,
        mergedIntoId: tip.mergedIntoId,
        routedTo: tip.routedTo,
        submittedVia: tip.submittedVia,
        acknowledgeBy: tip.acknowledgeBy.toISOString(),
        feedbackBy: tip.feedbackBy.toISOString(),
        acknowledgedAt: tip.acknowledgedAt?.toISOString() ?? null,
        hasIdentity: tip.identityPayload !== null,
        identityRevealedAt: tip.identityRevealedAt?.toISOString() ?? null,
        unit: unit ? { zh: unit.nameZh, en: unit.nameEn } : null,
        district: district ? { zh: district.nameZh, en: district.nameEn } : null,
        ...deadlines(tip, now),
      },
      ciphertext: {
        payload: b64u(tip.payload),
        envelope: b64u(access.envelope),
        tipsterPublicKey: b64u(tip.tipsterPublicKey),
      },
      history: history.map((h) => ({
        id: h.id,
        status: h.status,
        at: h.createdAt.toISOString(),
        actorId: h.actorId,
        messageCopy: h.publicMessageCopy ? b64u(h.publicMessageCopy) : null,
        hasMessage: h.publicMessage !== null,
      })),
      thread: thread.map((m) => ({
        id: m.id,
        kind: m.kind,
        at: m.createdAt.toISOString(),
        author: m.authorStaffId,
        // Staff read the team copy of their own replies, the body of everything else.
        body: m.kind === "to_tipster" ? (m.teamCopy ? b64u(m.teamCopy) : null) : b64u(m.body),
        unread: m.kind === "from_tipster" && m.readByStaffAt === null,
      })),
      files: files.map((f) => ({ ...f, header: b64u(f.header) })),
      labels,
      reveals: reveals.map((r) => ({
        ...r,
        decidedAt: r.decidedAt?.toISOString() ?? null,
        createdAt: r.createdAt.toISOString(),
      })),
      /** Opened through a share (a local member of an assistance team): read and work, no more. */
      shared: access.shared,
      // Whom the tip may be assigned to: never a local member or one recused from it.
      members: members
        .filter(
          (m) =>
            m.homeDistrictId !== tip.targetDistrictId && !isRecusedFrom(memberRecusals, m.id, tip),
        )
        .map((m) => ({ id: m.id, name: m.displayName, role: m.role })),
    };
  }
}

/**
 * The member has read the tipster's messages on the case page (POST, after decrypting them):
 * marks them read for the team and audits it. Returns how many were unread.
 */
export async function markThreadRead(
  db: Db,
  session: StaffSession,
  tipId: string,
  now = new Date(),
): Promise<number> {
  const { tip } = await requireCase(db, session, tipId, "thread.read");
  return await withTx(db, async (tx) => {
    // Marked and counted in one statement: a read of the unread ones then an update by id lets
    // parallel requests (PostgreSQL, READ COMMITTED) each count, audit and re-mark the same ones.
    const unread = await tx
      .update(messages)
      .set({ readByStaffAt: now })
      .where(
        and(
          eq(messages.tipId, tip.id),
          eq(messages.kind, "from_tipster"),
          isNull(messages.readByStaffAt),
        ),
      )
      .returning({ id: messages.id });
    if (unread.length === 0) return 0;
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "tip.thread.read",
      objectType: "tip",
      objectId: tip.id,
      detail: { messages: unread.length },
      at: now,
    });
    return unread.length;
  });
}

/** The encrypted chunks of one attachment of a tip the member may open. Audited. */
export async function loadAttachment(
  db: Db,
  session: StaffSession,
  tipId: string,
  attachmentId: string,
) {
  await requireCase(db, session, tipId, "attachment.read");
  const file = (
    await db
      .select()
      .from(attachments)
      .where(and(eq(attachments.id, attachmentId), eq(attachments.tipId, tipId)))
      .limit(1)
  )[0];
  if (!file || !file.complete) throw new Response("Not Found", { status: 404 });
  const chunks = await db
    .select({ data: attachmentChunks.data })
    .from(attachmentChunks)
    .where(eq(attachmentChunks.attachmentId, file.id))
    .orderBy(asc(attachmentChunks.idx));
  await withTx(db, (tx) =>
    appendAudit(tx, {
      actorId: session.staff.id,
      action: "tip.attachment.read",
      objectType: "tip",
      objectId: tipId,
      detail: { attachment: file.id },
    }),
  );
  return { header: b64u(file.header), chunks: chunks.map((c) => b64u(c.data)) };
}

// ---------------------------------------------------------------- writes

export type CaseWriteError =
  "bad_transition" | "merge_target" | "not_member" | "message_required" | "bad_ciphertext";

export class CaseError extends Error {
  constructor(readonly code: CaseWriteError) {
    super(code);
  }
}

/**
 * Ciphertext shape checks: the tag byte and a bucket-sized body (crypto/ formats). Messages to
 * the tipster must be the signed format (0x45): an unsigned one would be shown as not genuine.
 */
const STAFF_MESSAGE_TAG_MAX = 64 * 1024 + 200;
function checkBlob(blob: Uint8Array | null | undefined, tag: number): void {
  if (!blob) return;
  if (blob.length < 48 || blob.length > STAFF_MESSAGE_TAG_MAX || blob[0] !== tag)
    throw new CaseError("bad_ciphertext");
}

export interface StatusChange {
  status: PublicStatus;
  /** sealStaffMessage(...).forTipster and .teamCopy; required for not_accepted and merged. */
  message?: { forTipster: Uint8Array; teamCopy: Uint8Array } | null;
  mergedIntoId?: string | null;
}

export async function setStatus(
  db: Db,
  session: StaffSession,
  tipId: string,
  change: StatusChange,
  now = new Date(),
) {
  const { tip } = await requireCase(db, session, tipId, "status.set");
  if (!(PUBLIC_STATUSES as readonly string[]).includes(change.status)) {
    throw new CaseError("bad_transition");
  }
  if (change.status === "received") throw new CaseError("bad_transition");
  if ((change.status === "not_accepted" || change.status === "merged") && !change.message) {
    throw new CaseError("message_required");
  }
  checkBlob(change.message?.forTipster, TAG.SIGNED_STAFF_MESSAGE_V1);
  checkBlob(change.message?.teamCopy, TAG.STAFF_MESSAGE_COPY_V1);
  let mergedIntoId: string | null = null;
  if (change.status === "merged") {
    if (!change.mergedIntoId || change.mergedIntoId === tip.id) throw new CaseError("merge_target");
    const target = await caseAccess(db, session, change.mergedIntoId, now);
    if (!target.ok || target.tip.targetDistrictId !== tip.targetDistrictId) {
      throw new CaseError("merge_target");
    }
    mergedIntoId = target.tip.id;
  }
  await withTx(db, async (tx) => {
    const changed = await tx
      .update(tips)
      .set({
        status: change.status,
        mergedIntoId,
        // The first status change acknowledges the tip; a later one keeps that time. In the
        // statement itself: `tip` was read before this transaction, and parallel first changes
        // would each write their own time over the first one's.
        acknowledgedAt: sql`coalesce(${tips.acknowledgedAt}, ${sql.param(now, tips.acknowledgedAt)})`,
        updatedAt: now,
      })
      // Not a case that retention purged since it was read (a reopening would leave a case
      // open with nothing in it): the purge claims the case by the same row (retention.server.ts).
      .where(and(eq(tips.id, tip.id), isNull(tips.purgedAt)))
      .returning({ id: tips.id });
    if (changed.length === 0) throw caseDeleted();
    await tx.insert(tipStatusHistory).values({
      id: newRowId("st"),
      tipId: tip.id,
      status: change.status,
      actorId: session.staff.id,
      publicMessage: change.message ? Buffer.from(change.message.forTipster) : null,
      publicMessageCopy: change.message ? Buffer.from(change.message.teamCopy) : null,
      createdAt: now,
    });
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "tip.status.set",
      objectType: "tip",
      objectId: tip.id,
      detail: { status: change.status, message: !!change.message, mergedInto: mergedIntoId },
      at: now,
    });
  });
}

/** A staff → tipster message (both halves of sealStaffMessage) or an internal note. */
export async function addMessage(
  db: Db,
  session: StaffSession,
  tipId: string,
  msg:
    | { kind: "to_tipster"; forTipster: Uint8Array; teamCopy: Uint8Array }
    | { kind: "internal_note"; body: Uint8Array },
  now = new Date(),
): Promise<string> {
  const { tip } = await requireCase(db, session, tipId, msg.kind);
  const body = msg.kind === "to_tipster" ? msg.forTipster : msg.body;
  checkBlob(body, msg.kind === "to_tipster" ? TAG.SIGNED_STAFF_MESSAGE_V1 : TAG.INTERNAL_NOTE_V1);
  if (msg.kind === "to_tipster") checkBlob(msg.teamCopy, TAG.STAFF_MESSAGE_COPY_V1);
  const id = newRowId("msg");
  await withTx(db, async (tx) => {
    await tx.insert(messages).values({
      id,
      tipId: tip.id,
      kind: msg.kind,
      authorStaffId: session.staff.id,
      body: Buffer.from(body),
      teamCopy: msg.kind === "to_tipster" ? Buffer.from(msg.teamCopy) : null,
      createdAt: now,
    });
    if (msg.kind === "to_tipster" && !tip.acknowledgedAt) {
      await tx.update(tips).set({ acknowledgedAt: now, updatedAt: now }).where(eq(tips.id, tip.id));
    }
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: msg.kind === "to_tipster" ? "tip.message.send" : "tip.note.add",
      objectType: "tip",
      objectId: tip.id,
      detail: { message: id },
      at: now,
    });
  });
  return id;
}

export interface TriageChange {
  priority?: (typeof PRIORITIES)[number];
  /** null: unassign */
  assigneeId?: string | null;
  /** the whole set of labels (replaces them) */
  labels?: string[];
  /** labels to add to, or take off, whatever the tip has (bulk actions) */
  addLabels?: string[];
  removeLabels?: string[];
}

export async function triage(
  db: Db,
  session: StaffSession,
  tipId: string,
  change: TriageChange,
  opts: { canAssign: boolean },
  now = new Date(),
) {
  const { tip } = await requireCase(db, session, tipId, "triage");
  if (change.assigneeId !== undefined) {
    if (!opts.canAssign) throw new Response("Forbidden", { status: 403 });
    if (change.assigneeId !== null) {
      const members = tip.stationingId ? await teamMembersOfStationing(db, tip.stationingId) : [];
      const member = members.find((m) => m.id === change.assigneeId);
      // Never assign to a member who cannot (and must not) read the tip.
      if (
        !member ||
        member.homeDistrictId === tip.targetDistrictId ||
        (await isRecused(db, member.id, tip, now))
      ) {
        throw new CaseError("not_member");
      }
    }
  }
  await withTx(db, async (tx) => {
    const set: Partial<typeof tips.$inferInsert> = { updatedAt: now };
    if (change.priority) set.priority = change.priority;
    if (change.assigneeId !== undefined) set.assigneeId = change.assigneeId;
    await tx.update(tips).set(set).where(eq(tips.id, tip.id));
    const clean = (list: string[]) => [...new Set(list.map((l) => l.trim()).filter(Boolean))];
    if (change.labels) {
      await tx.delete(tipLabels).where(eq(tipLabels.tipId, tip.id));
      const unique = clean(change.labels);
      if (unique.length > 0) {
        await tx.insert(tipLabels).values(unique.map((label) => ({ tipId: tip.id, label })));
      }
    }
    const added = clean(change.addLabels ?? []);
    if (added.length > 0) {
      await tx
        .insert(tipLabels)
        .values(added.map((label) => ({ tipId: tip.id, label })))
        .onConflictDoNothing();
    }
    const removed = clean(change.removeLabels ?? []);
    if (removed.length > 0) {
      await tx
        .delete(tipLabels)
        .where(and(eq(tipLabels.tipId, tip.id), inArray(tipLabels.label, removed)));
    }
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "tip.triage",
      objectType: "tip",
      objectId: tip.id,
      detail: {
        priority: change.priority ?? null,
        assignee: change.assigneeId === undefined ? null : (change.assigneeId ?? "none"),
        labels: change.labels ? change.labels.length : null,
        ...(added.length > 0 ? { labelsAdded: added.length } : {}),
        ...(removed.length > 0 ? { labelsRemoved: removed.length } : {}),
      },
      at: now,
    });
  });
}

/** Tip ids among `ids` the member holds; used by the inbox and by grants. */
export async function heldTipIds(db: Db, staffId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ tipId: tipEnvelopes.tipId })
    .from(tipEnvelopes)
    .where(
      and(
        eq(tipEnvelopes.staffId, staffId),
        eq(tipEnvelopes.kind, "tip"),
        inArray(tipEnvelopes.tipId, ids),
      ),
    );
  return new Set(rows.map((r) => r.tipId));
}

// ---------------------------------------------------------------- HTTP helpers (api.staff.*)

/** `{ error: { code, message } }` with a localized message, never a stack trace (http.server). */
export function caseApiError(status: number, code: string, message: string): Response {
  return apiError(status, code, message, { Pragma: "no-cache" });
}

export function caseApiOk(body: unknown): Response {
  return Response.json(body, { headers: { ...NO_STORE, Pragma: "no-cache" } });
}

/** Reads a JSON body of at most `maxBytes` (streamed, bounded); undefined for anything else. */
export const readCaseJson = readJson;

/** Error classes of the cases services carry a `code` mapped to `cases.errors.<code>`. */
export const ERROR_STATUS: Record<string, number> = {
  storage_unavailable: 503,
  bad_transition: 400,
  merge_target: 400,
  not_member: 400,
  message_required: 400,
  bad_ciphertext: 400,
  bad_key: 400,
  has_key: 409,
  no_key: 409,
  not_pending: 409,
  bad_signature: 400,
  no_office_key: 409,
  other_jurisdiction: 403,
  own_key: 403,
  bad_validity: 400,
  no_identity: 409,
  bad_reason: 400,
  own_request: 403,
  not_approved: 403,
  home_district: 403,
  recused: 403,
  key_not_active: 409,
  no_access: 403,
  only_outsiders: 403,
  not_local: 400,
  already_shared: 409,
  roster_malformed: 400,
  roster_bad_signature: 400,
  roster_other_office: 403,
  roster_unknown_stationing: 400,
  roster_unknown_body: 400,
  roster_stale: 409,
  roster_unknown_reader: 400,
};

/**
 * Runs one staff API call: signed in (401), permission (403), CSRF for writes (403), then `fn`.
 * Thrown Responses and the services' coded errors become localized JSON errors.
 */
export async function handleCaseApi(
  args: { request: Request; context: { db: Db; env: Env } },
  permission: Permission,
  fn: (session: StaffSession) => unknown,
): Promise<Response> {
  const { request, context } = args;
  const { t } = serverT(request);
  try {
    const session = await requirePermission(context.db, request, permission);
    if (request.method !== "GET" && request.method !== "HEAD") {
      assertCsrf(context.env, session.sessionId, request);
    }
    const result = await fn(session);
    return result instanceof Response ? result : caseApiOk(result ?? { ok: true });
  } catch (err) {
    if (err instanceof Response) {
      const status = err.status;
      const code = status === 401 ? "unauthorized" : status === 404 ? "not_found" : "forbidden";
      return caseApiError(status, code, t(`cases.errors.${code}`));
    }
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code in ERROR_STATUS) {
      return caseApiError(ERROR_STATUS[code]!, code, t(`cases.errors.${code}` as MessageKey));
    }
    throw err;
  }
}

export function badRequest(request: Request): Response {
  return caseApiError(400, "bad_request", serverT(request).t("cases.errors.bad_request"));
}
