/**
 * Grants: when a member joins a stationed team after tips arrived, a teammate's browser opens
 * its own envelopes and re-wraps each tip key to the newcomer's public key
 * (crypto wrapTipKeyForRecipient), then uploads the batch here. The server decides who may
 * receive envelopes, never the browser:
 *  - the recipient key must be active and its office signature must verify now;
 *  - the recipient must be a current member of the tip's team, not recused from the district or
 *    from the unit the tip is about;
 *  - the recipient's home district must not be the tip's district — the whole batch is refused;
 *  - the granter must be able to open each tip themselves.
 * One transaction; one audit row per tip (`tip.grant`).
 */
import { and, eq, inArray } from "drizzle-orm";
import { withTx, type Db } from "../../db/client";
import { staffKeys, staffUsers, tipEnvelopes, tips } from "../../db/schema";
import type { Env } from "../env.server";
import { appendAudit } from "./audit.server";
import {
  b64u,
  caseAccess,
  currentStationingIds,
  newRowId,
  teamMembersOfStationing,
} from "./cases.server";
import { activeRecusals, isRecused, isRecusedFrom } from "./recusals.server";
import type { StaffSession } from "./sessions.server";
import { keySignatureVerifier } from "./staff-keys.server";

export class GrantError extends Error {
  constructor(
    readonly code: "home_district" | "not_member" | "recused" | "key_not_active" | "no_access",
  ) {
    super(code);
  }
}

/** The key row and its member when the key is active, office-signed (verified now) and enabled. */
export async function verifiedActiveKey(db: Db, env: Env, staffKeyId: string, now: Date) {
  const row = (
    await db
      .select({ key: staffKeys, staff: staffUsers })
      .from(staffKeys)
      .innerJoin(staffUsers, eq(staffUsers.id, staffKeys.staffId))
      .where(eq(staffKeys.id, staffKeyId))
      .limit(1)
  )[0];
  if (!row || row.key.status !== "active" || !row.key.officeSignature || !row.key.validUntil) {
    return null;
  }
  const verify = keySignatureVerifier(env, () => row.staff.jurisdictionId, now);
  const ok = await verify({
    ...row.key,
    officeSignature: row.key.officeSignature,
    validUntil: row.key.validUntil,
    homeDistrictId: row.staff.homeDistrictId,
  });
  return ok && !row.staff.disabledAt ? row : null;
}

/**
 * Teammates (active, verified keys; not local to the district; not recused) who lack envelopes
 * for tips I can open, with my envelopes for those tips so my browser can re-wrap them.
 */
export async function pendingGrants(db: Db, env: Env, session: StaffSession, now = new Date()) {
  const out: {
    staffId: string;
    name: string;
    staffKeyId: string;
    boxPublicKey: string;
    tips: { tipId: string; envelope: string }[];
  }[] = [];
  for (const stationingId of await currentStationingIds(db, session.staff.id, now)) {
    const myTips = await db
      .select({ tip: tips, envelope: tipEnvelopes.envelope })
      .from(tipEnvelopes)
      .innerJoin(tips, eq(tips.id, tipEnvelopes.tipId))
      .where(
        and(
          eq(tipEnvelopes.staffId, session.staff.id),
          eq(tipEnvelopes.kind, "tip"),
          eq(tips.stationingId, stationingId),
        ),
      );
    if (myTips.length === 0) continue;
    const district = myTips[0]!.tip.targetDistrictId;
    const team = await teamMembersOfStationing(db, stationingId);
    const recs = await activeRecusals(
      db,
      team.map((m) => m.id),
      now,
      district,
    );
    for (const m of team) {
      if (m.id === session.staff.id || m.homeDistrictId === district) continue;
      const key = (
        await db
          .select()
          .from(staffKeys)
          .where(and(eq(staffKeys.staffId, m.id), eq(staffKeys.status, "active")))
          .limit(1)
      )[0];
      if (!key || !(await verifiedActiveKey(db, env, key.id, now))) continue;
      const held = new Set(
        (
          await db
            .select({ tipId: tipEnvelopes.tipId })
            .from(tipEnvelopes)
            .where(and(eq(tipEnvelopes.staffKeyId, key.id), eq(tipEnvelopes.kind, "tip")))
        ).map((r) => r.tipId),
      );
      // Never a tip the member is recused from (its district or its unit).
      const missing = myTips.filter(
        (t) => !held.has(t.tip.id) && !isRecusedFrom(recs, m.id, t.tip),
      );
      if (missing.length === 0) continue;
      out.push({
        staffId: m.id,
        name: m.displayName,
        staffKeyId: key.id,
        boxPublicKey: b64u(key.boxPublicKey),
        tips: missing.map((t) => ({ tipId: t.tip.id, envelope: b64u(t.envelope) })),
      });
    }
  }
  await withTx(db, (tx) =>
    appendAudit(tx, {
      actorId: session.staff.id,
      action: "grant.list",
      objectType: "tip",
      objectId: null,
      detail: { members: out.length, envelopes: out.reduce((n, g) => n + g.tips.length, 0) },
      at: now,
    }),
  );
  return out;
}

export async function applyGrant(
  db: Db,
  env: Env,
  session: StaffSession,
  input: { staffKeyId: string; envelopes: { tipId: string; envelope: Uint8Array }[] },
  now = new Date(),
): Promise<number> {
  const recipient = await verifiedActiveKey(db, env, input.staffKeyId, now);
  if (!recipient) throw new GrantError("key_not_active");
  const tipRows = await db
    .select()
    .from(tips)
    .where(
      inArray(
        tips.id,
        input.envelopes.map((e) => e.tipId),
      ),
    );
  const byId = new Map(tipRows.map((t) => [t.id, t]));
  for (const e of input.envelopes) {
    const tip = byId.get(e.tipId);
    if (!tip || !(await caseAccess(db, session, e.tipId, now)).ok)
      throw new GrantError("no_access");
    if (recipient.staff.homeDistrictId === tip.targetDistrictId) {
      throw new GrantError("home_district");
    }
    if (!tip.stationingId) throw new GrantError("not_member");
    const member = (await teamMembersOfStationing(db, tip.stationingId)).some(
      (m) => m.id === recipient.staff.id,
    );
    if (!member) throw new GrantError("not_member");
    if (await isRecused(db, recipient.staff.id, tip, now)) {
      throw new GrantError("recused");
    }
  }
  let added = 0;
  await withTx(db, async (tx) => {
    for (const e of input.envelopes) {
      const res = await tx
        .insert(tipEnvelopes)
        .values({
          id: newRowId("env"),
          tipId: e.tipId,
          staffKeyId: recipient.key.id,
          staffId: recipient.staff.id,
          kind: "tip",
          envelope: Buffer.from(e.envelope),
          grantedBy: session.staff.id,
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: tipEnvelopes.id });
      if (res.length === 0) continue;
      added++;
      await appendAudit(tx, {
        actorId: session.staff.id,
        action: "tip.grant",
        objectType: "tip",
        objectId: e.tipId,
        detail: { to: recipient.staff.id, key: recipient.key.id },
        at: now,
      });
    }
  });
  return added;
}
