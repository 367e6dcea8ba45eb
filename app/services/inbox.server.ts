/**
 * The staff inbox: every tip of my team's current stationings for which I hold an envelope (the
 * same rule as `caseAccess`; for a local member, the tips shared with them — shares.server.ts),
 * with the clear metadata the server has (received, unit, category, status, priority, assignee,
 * deadlines, unread tipster replies) and the ciphertext the browser needs to decrypt and search
 * the content. Filtering, sorting and paging happen in the browser, after decryption, so that
 * full-text search covers the content the server cannot read.
 *
 * Audit: one `inbox.read` row per load (with the count) and, when ciphertext is sent, the ids of
 * every tip whose ciphertext was delivered, in `tip.delivered` rows of up to
 * DELIVERED_PER_ROW ids each (the auditor's object filter finds a tip inside them).
 */
import { and, count, eq, inArray, isNull, ne } from "drizzle-orm";
import { withTx, type Db } from "../../db/client";
import {
  districts,
  messages,
  staffKeys,
  staffUsers,
  stationings,
  teams,
  tipEnvelopes,
  tipLabels,
  tips,
  units,
} from "../../db/schema";
import { appendAuditMany, type AuditEntry } from "./audit.server";
import { b64u, currentStationingIds, deadlines, teamMembersOfStationing } from "./cases.server";
import { activeRecusals, isRecusedFrom } from "./recusals.server";
import type { StaffSession } from "./sessions.server";

export interface InboxRow {
  id: string;
  receivedAt: string;
  unit: { zh: string; en: string } | null;
  category: string | null;
  status: string;
  priority: string;
  assignee: { id: string; name: string } | null;
  acknowledgeBy: string;
  feedbackBy: string;
  acknowledgeOverdue: boolean;
  feedbackOverdue: boolean;
  /** the team has answered (status change or reply): the feedback deadline is the next one */
  acknowledged: boolean;
  unread: number;
  labels: string[];
  /** base64url TIP_PAYLOAD_V1 and this member's KEY_ENVELOPE_V1 (with `ciphertext` only) */
  payload?: string;
  envelope?: string;
}

/** Tip ids per `tip.delivered` audit row (about 2 KB of detail). */
export const DELIVERED_PER_ROW = 100;

/** The columns the listing rule reads (see the header). */
interface ListedTip {
  targetDistrictId: string;
  unitId: string | null;
  stationingId: string | null;
  onlyOutsiders: boolean;
}

/** The inbox's listing rule, one function for both answers (see the header). */
async function listingRule(
  db: Db,
  session: StaffSession,
  now: Date,
): Promise<(row: { tip: ListedTip; shareReason: string | null }) => boolean> {
  const staffId = session.staff.id;
  const stationed = await currentStationingIds(db, staffId, now);
  // Recused from the district, or from the unit a tip is about: not listed (nor openable).
  const recused = await activeRecusals(db, [staffId], now);
  return ({ tip, shareReason }) =>
    // A local member sees exactly the tips a visiting teammate shared with them.
    (tip.targetDistrictId !== session.staff.homeDistrictId ||
      (shareReason !== null && !tip.onlyOutsiders)) &&
    (tip.stationingId === null || stationed.has(tip.stationingId)) &&
    (recused.length === 0 || !isRecusedFrom(recused, staffId, tip));
}

/** My envelopes of tips under a key that is not revoked (before the listing rule). */
const myEnvelopes = (staffId: string) =>
  and(
    eq(tipEnvelopes.staffId, staffId),
    eq(tipEnvelopes.kind, "tip"),
    ne(staffKeys.status, "revoked"),
  );

/** Newest first; ties by id (both answers list in this order). */
const newestFirst = (a: { at: number; id: string }, b: { at: number; id: string }) =>
  b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** One `inbox.read` row per load and, with ciphertext, `tip.delivered` rows naming every tip. */
async function auditInboxRead(
  db: Db,
  staffId: string,
  ids: readonly string[],
  ciphertext: boolean,
  now: Date,
): Promise<void> {
  const entries: AuditEntry[] = [
    {
      actorId: staffId,
      action: "inbox.read",
      objectType: "tip",
      objectId: null,
      detail: { count: ids.length, ciphertext },
      at: now,
    },
  ];
  if (ciphertext) {
    for (let i = 0; i < ids.length; i += DELIVERED_PER_ROW) {
      const batch = ids.slice(i, i + DELIVERED_PER_ROW);
      entries.push({
        actorId: staffId,
        action: "tip.delivered",
        objectType: "tip",
        objectId: batch.length === 1 ? batch[0]! : null,
        detail: { count: batch.length, tips: batch.join(" ") },
        at: now,
      });
    }
  }
  // One read of the chain's head and multi-row inserts: the same rows as one append each.
  await withTx(db, (tx) => appendAuditMany(tx, entries));
}

export async function loadInbox(
  db: Db,
  session: StaffSession,
  opts: { ciphertext: boolean } = { ciphertext: true },
  now = new Date(),
): Promise<InboxRow[]> {
  const staffId = session.staff.id;
  const listed = await listingRule(db, session, now);
  const rows = (
    await db
      .select({ tip: tips, envelope: tipEnvelopes.envelope, shareReason: tipEnvelopes.shareReason })
      .from(tipEnvelopes)
      .innerJoin(tips, eq(tips.id, tipEnvelopes.tipId))
      .innerJoin(staffKeys, eq(staffKeys.id, tipEnvelopes.staffKeyId))
      .where(myEnvelopes(staffId))
  ).filter(listed);
  const ids = rows.map((r) => r.tip.id);

  const unitNames = new Map(
    (await db.select({ id: units.id, zh: units.nameZh, en: units.nameEn }).from(units)).map((u) => [
      u.id,
      { zh: u.zh, en: u.en },
    ]),
  );
  const staffNames = new Map(
    (await db.select({ id: staffUsers.id, name: staffUsers.displayName }).from(staffUsers)).map(
      (s) => [s.id, s.name],
    ),
  );
  const unread = new Map<string, number>();
  const labels = new Map<string, string[]>();
  // Chunked IN lists keep both engines' parameter limits out of reach with thousands of tips.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of await db
      .select({ tipId: messages.tipId, n: count() })
      .from(messages)
      .where(
        and(
          inArray(messages.tipId, chunk),
          eq(messages.kind, "from_tipster"),
          isNull(messages.readByStaffAt),
        ),
      )
      .groupBy(messages.tipId)) {
      unread.set(r.tipId, r.n);
    }
    for (const r of await db.select().from(tipLabels).where(inArray(tipLabels.tipId, chunk))) {
      labels.set(r.tipId, [...(labels.get(r.tipId) ?? []), r.label]);
    }
  }

  await auditInboxRead(db, staffId, ids, opts.ciphertext, now);

  return rows
    .map(({ tip, envelope }) => ({
      id: tip.id,
      receivedAt: tip.createdAt.toISOString(),
      unit: tip.unitId ? (unitNames.get(tip.unitId) ?? null) : null,
      category: tip.category,
      status: tip.status,
      priority: tip.priority,
      assignee: tip.assigneeId
        ? { id: tip.assigneeId, name: staffNames.get(tip.assigneeId) ?? "" }
        : null,
      acknowledgeBy: tip.acknowledgeBy.toISOString(),
      feedbackBy: tip.feedbackBy.toISOString(),
      ...deadlines(tip, now),
      acknowledged: tip.acknowledgedAt !== null,
      unread: unread.get(tip.id) ?? 0,
      labels: labels.get(tip.id) ?? [],
      ...(opts.ciphertext ? { payload: b64u(tip.payload), envelope: b64u(envelope) } : {}),
    }))
    .sort(
      (a, b) =>
        b.receivedAt.localeCompare(a.receivedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/** One tip's ciphertext for the inbox, as the streamed answers send it (base64url or bytes). */
export interface InboxCiphertext {
  id: string;
  /** TIP_PAYLOAD_V1 and this member's KEY_ENVELOPE_V1 */
  payload: Uint8Array;
  envelope: Uint8Array;
}

/** Tips per ciphertext query of the streamed answer. */
export const CIPHERTEXT_CHUNK = 250;

/**
 * The ciphertext of exactly the tips `loadInbox` lists, in its order, without the metadata (the
 * page's loader has sent that): what `GET /api/staff/inbox?format=records|ndjson` streams. The listing
 * rule and the audit (every id, as `loadInbox` with ciphertext writes it) run first, on the ids and
 * my envelopes alone; then `read` fetches the payloads of a run of those ids (by primary key), so
 * the answer can start before all of it has been read. A tip that is gone by then is left out.
 */
export async function openInboxCiphertext(
  db: Db,
  session: StaffSession,
  now = new Date(),
): Promise<{ ids: string[]; read(ids: readonly string[]): Promise<InboxCiphertext[]> }> {
  const staffId = session.staff.id;
  const listed = await listingRule(db, session, now);
  const mine = (
    await db
      .select({
        tip: {
          id: tips.id,
          targetDistrictId: tips.targetDistrictId,
          unitId: tips.unitId,
          stationingId: tips.stationingId,
          onlyOutsiders: tips.onlyOutsiders,
          createdAt: tips.createdAt,
        },
        envelope: tipEnvelopes.envelope,
        shareReason: tipEnvelopes.shareReason,
      })
      .from(tipEnvelopes)
      .innerJoin(tips, eq(tips.id, tipEnvelopes.tipId))
      .innerJoin(staffKeys, eq(staffKeys.id, tipEnvelopes.staffKeyId))
      .where(myEnvelopes(staffId))
  )
    .filter(listed)
    .map((r) => ({ at: r.tip.createdAt.getTime(), id: r.tip.id, envelope: r.envelope }))
    .sort(newestFirst);
  const envelopes = new Map(mine.map((r) => [r.id, r.envelope]));
  const ids = mine.map((r) => r.id);
  await auditInboxRead(db, staffId, ids, true, now);
  return {
    ids,
    async read(run) {
      if (run.length === 0) return [];
      const payloads = new Map(
        (
          await db
            .select({ id: tips.id, payload: tips.payload })
            .from(tips)
            .where(inArray(tips.id, [...run]))
        ).map((r) => [r.id, r.payload]),
      );
      const out: InboxCiphertext[] = [];
      for (const id of run) {
        const payload = payloads.get(id);
        const envelope = envelopes.get(id);
        if (payload && envelope) out.push({ id, payload, envelope });
      }
      return out;
    },
  };
}

/** What the inbox page says around the list: where my team is, and why some tips never show. */
export interface InboxContext {
  /** my teams' current stationings; `home`: the target is my own home district */
  stationings: {
    team: { zh: string; en: string };
    district: { zh: string; en: string };
    home: boolean;
  }[];
  /** whether I have a key that is not revoked (without one, no tip reaches me) */
  hasKey: boolean;
  /** members I may assign tips to (empty without tip:assign:team) */
  assignees: { id: string; name: string }[];
}

export async function inboxContext(
  db: Db,
  session: StaffSession,
  opts: { canAssign: boolean },
  now = new Date(),
): Promise<InboxContext> {
  const ids = [...(await currentStationingIds(db, session.staff.id, now))];
  const rows =
    ids.length === 0
      ? []
      : await db
          .select({
            id: stationings.id,
            targetDistrictId: stationings.targetDistrictId,
            teamZh: teams.nameZh,
            teamEn: teams.nameEn,
            districtZh: districts.nameZh,
            districtEn: districts.nameEn,
          })
          .from(stationings)
          .innerJoin(teams, eq(teams.id, stationings.teamId))
          .innerJoin(districts, eq(districts.id, stationings.targetDistrictId))
          .where(inArray(stationings.id, ids));
  const hasKey =
    (
      await db
        .select({ id: staffKeys.id })
        .from(staffKeys)
        .where(and(eq(staffKeys.staffId, session.staff.id), ne(staffKeys.status, "revoked")))
        .limit(1)
    ).length > 0;
  const assignees = new Map<string, string>();
  if (opts.canAssign) {
    for (const st of rows) {
      for (const m of await teamMembersOfStationing(db, st.id)) {
        // Never offer a member who cannot (and must not) read the stationing's tips.
        if (m.homeDistrictId !== st.targetDistrictId) assignees.set(m.id, m.displayName);
      }
    }
  }
  return {
    stationings: rows.map((r) => ({
      team: { zh: r.teamZh, en: r.teamEn },
      district: { zh: r.districtZh, en: r.districtEn },
      home: r.targetDistrictId === session.staff.homeDistrictId,
    })),
    hasKey,
    assignees: [...assignees].map(([id, name]) => ({ id, name })),
  };
}
