/**
 * Accounts are created by the inspection office only: the office admin invites a member (a
 * one-time link, shown once, valid 72 h; the database keeps only the SHA-256 of its token), the
 * member sets a password there and then enrols TOTP at /staff/login/totp. The admin can disable
 * a member or reset them (password, TOTP and recovery codes cleared, sessions revoked, a new
 * invitation issued). Everything here is audited in the same transaction.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import { isUniqueViolation, serializeOn, withTx, type Db, type Tx } from "../../db/client";
import {
  districts,
  invitations,
  recoveryCodes,
  staffRoles,
  staffUsers,
  STAFF_ROLES,
  type StaffRole,
  type StaffUser,
} from "../../db/schema";
import { checkHomeOrganisation } from "../shared/home-organisation";
import { appendAudit } from "./audit.server";
import { normaliseUsername } from "./auth.server";
import { hashPassword } from "./passwords.server";
import { createSession, revokeAllSessions, type StaffSession } from "./sessions.server";

export const INVITE_TTL_MS = 72 * 60 * 60 * 1000;
export const PASSWORD_MIN_LENGTH = 12;

const tokenHash = (token: string) => createHash("sha256").update(`invite:${token}`).digest("hex");

function newId(): string {
  return `staff-${randomBytes(12).toString("base64url")}`;
}

/** Issues a fresh one-time invitation for a member (older unused ones stop working). */
async function issueInvitation(
  tx: Tx,
  actorId: string,
  staffId: string,
  now: Date,
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx
    .update(invitations)
    .set({ usedAt: now })
    .where(and(eq(invitations.staffId, staffId), isNull(invitations.usedAt)));
  await tx.insert(invitations).values({
    id: tokenHash(token),
    staffId,
    createdBy: actorId,
    expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
    createdAt: now,
  });
  await appendAudit(tx, {
    actorId,
    action: "account.invite",
    objectType: "account",
    objectId: staffId,
    at: now,
  });
  return token;
}

export interface NewMember {
  username: string;
  displayName: string;
  role: StaffRole;
  homeDistrictId: string | null;
  /** The office the member is sent from (app/shared/home-organisation.ts); null: none yet. */
  homeOrganisation: string | null;
}

/** A home organisation the rule refuses (too long, control characters). */
export type BadOrganisation = { kind: "bad_organisation"; reason: "too_long" | "control" };

export type InviteResult =
  | { kind: "ok"; staffId: string; token: string }
  | { kind: "taken" }
  | { kind: "bad_district" }
  | BadOrganisation;

/** Creates the member in the admin's jurisdiction and returns the one-time token. */
export async function inviteMember(
  db: Db,
  admin: StaffSession,
  member: NewMember,
  now = new Date(),
): Promise<InviteResult> {
  const username = normaliseUsername(member.username);
  const organisation = checkHomeOrganisation(member.homeOrganisation);
  if (!organisation.ok) return { kind: "bad_organisation", reason: organisation.reason };
  try {
    return await createMember(db, admin, member, username, organisation.value, now);
  } catch (err) {
    // Two admins inviting one name at once (PostgreSQL, READ COMMITTED): both find it free, and
    // the unique index refuses the second insert. That answer is "taken", as for a name in use.
    if (isUniqueViolation(err, staffUsers.username)) return { kind: "taken" };
    throw err;
  }
}

async function createMember(
  db: Db,
  admin: StaffSession,
  member: NewMember,
  username: string,
  organisation: string | null,
  now: Date,
): Promise<InviteResult> {
  return withTx(db, async (tx) => {
    if ((await tx.select().from(staffUsers).where(eq(staffUsers.username, username)).limit(1))[0]) {
      return { kind: "taken" };
    }
    if (member.homeDistrictId) {
      const d = (
        await tx.select().from(districts).where(eq(districts.id, member.homeDistrictId)).limit(1)
      )[0];
      if (!d || d.jurisdictionId !== admin.staff.jurisdictionId) return { kind: "bad_district" };
    }
    const staffId = newId();
    await tx.insert(staffUsers).values({
      id: staffId,
      username,
      displayName: member.displayName.trim(),
      jurisdictionId: admin.staff.jurisdictionId,
      homeDistrictId: member.homeDistrictId,
      homeOrganisation: organisation,
      createdAt: now,
    });
    await tx.insert(staffRoles).values({ staffId, role: member.role });
    await appendAudit(tx, {
      actorId: admin.staff.id,
      action: "account.create",
      objectType: "account",
      objectId: staffId,
      detail: {
        role: member.role,
        homeDistrictId: member.homeDistrictId,
        homeOrganisation: organisation,
      },
      at: now,
    });
    return { kind: "ok", staffId, token: await issueInvitation(tx, admin.staff.id, staffId, now) };
  });
}

/** A member of the admin's own jurisdiction (404 otherwise: other offices' staff are invisible). */
async function memberOf(db: Db, admin: StaffSession, staffId: string): Promise<StaffUser> {
  const user = (await db.select().from(staffUsers).where(eq(staffUsers.id, staffId)).limit(1))[0];
  if (!user || user.jurisdictionId !== admin.staff.jurisdictionId) {
    throw new Response("Not found", { status: 404 });
  }
  if (user.id === admin.staff.id) throw new Response("Conflict", { status: 409 });
  return user;
}

export async function disableMember(
  db: Db,
  admin: StaffSession,
  staffId: string,
  now = new Date(),
) {
  await withTx(db, async (tx) => {
    const user = await memberOf(tx, admin, staffId);
    // Disabled once (the first time kept, one audit row): an account already disabled, by an
    // earlier request or a parallel one that read it as enabled, is left as it is.
    const disabled = await tx
      .update(staffUsers)
      .set({ disabledAt: now })
      .where(and(eq(staffUsers.id, user.id), isNull(staffUsers.disabledAt)))
      .returning({ id: staffUsers.id });
    if (disabled.length === 0) return;
    await revokeAllSessions(tx, user.id, now);
    await appendAudit(tx, {
      actorId: admin.staff.id,
      action: "account.disable",
      objectType: "account",
      objectId: user.id,
      at: now,
    });
  });
}

/**
 * Records (or clears, with nothing typed) the office a member of the admin's jurisdiction is sent
 * from, audited `account.organisation` with the old and new names. The admin's own entry too.
 */
export async function setHomeOrganisation(
  db: Db,
  admin: StaffSession,
  staffId: string,
  typed: string | null,
  now = new Date(),
): Promise<{ kind: "ok"; changed: boolean } | BadOrganisation> {
  const organisation = checkHomeOrganisation(typed);
  if (!organisation.ok) return { kind: "bad_organisation", reason: organisation.reason };
  return withTx(db, async (tx) => {
    // The old name is read under the account's lock: parallel changes (PostgreSQL, READ
    // COMMITTED) would each read the same old name, and the audit trail would skip values.
    await serializeOn(tx, `account:${staffId}`);
    const user = (await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId)).limit(1))[0];
    if (!user || user.jurisdictionId !== admin.staff.jurisdictionId) {
      throw new Response("Not found", { status: 404 });
    }
    if (user.homeOrganisation === organisation.value) return { kind: "ok", changed: false };
    await tx
      .update(staffUsers)
      .set({ homeOrganisation: organisation.value })
      .where(eq(staffUsers.id, user.id));
    await appendAudit(tx, {
      actorId: admin.staff.id,
      action: "account.organisation",
      objectType: "account",
      objectId: user.id,
      detail: { from: user.homeOrganisation, to: organisation.value },
      at: now,
    });
    return { kind: "ok", changed: true };
  });
}

/** Clears password, TOTP and recovery codes, revokes sessions, re-enables, re-invites. */
export async function resetMember(db: Db, admin: StaffSession, staffId: string, now = new Date()) {
  return withTx(db, async (tx) => {
    const user = await memberOf(tx, admin, staffId);
    await tx
      .update(staffUsers)
      .set({
        passwordHash: null,
        totpSecret: null,
        totpEnabledAt: null,
        failedLogins: 0,
        lockedUntil: null,
        disabledAt: null,
      })
      .where(eq(staffUsers.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.staffId, user.id));
    await revokeAllSessions(tx, user.id, now);
    await appendAudit(tx, {
      actorId: admin.staff.id,
      action: "account.reset",
      objectType: "account",
      objectId: user.id,
      at: now,
    });
    return await issueInvitation(tx, admin.staff.id, user.id, now);
  });
}

/** The member behind a live invitation token, or null (unknown, used, expired, disabled). */
export async function findInvitation(db: Db, token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = (
    await db
      .select({ invitation: invitations, staff: staffUsers })
      .from(invitations)
      .innerJoin(staffUsers, eq(staffUsers.id, invitations.staffId))
      .where(eq(invitations.id, tokenHash(token)))
      .limit(1)
  )[0];
  if (!row || row.invitation.usedAt || row.staff.disabledAt) return null;
  if (row.invitation.expiresAt.getTime() <= now.getTime()) return null;
  return row;
}

/**
 * Sets the password and uses up the invitation; returns a pending session (password done, no
 * second factor) so that the member goes straight on to TOTP enrolment.
 */
export async function acceptInvitation(db: Db, token: string, password: string, now = new Date()) {
  if (!(await findInvitation(db, token, now))) return null;
  const hash = await hashPassword(password);
  return withTx(db, async (tx) => {
    const found = await findInvitation(tx, token, now); // re-check inside the transaction
    if (!found) return null;
    const staffId = found.staff.id;
    // The token is used up by a conditional UPDATE whose row count is checked: the re-check above
    // is a plain read, and parallel accepts on PostgreSQL (READ COMMITTED) all pass it.
    const used = await tx
      .update(invitations)
      .set({ usedAt: now })
      .where(and(eq(invitations.id, found.invitation.id), isNull(invitations.usedAt)))
      .returning({ id: invitations.id });
    if (used.length === 0) return null;
    await tx
      .update(staffUsers)
      .set({
        passwordHash: hash,
        totpSecret: null,
        totpEnabledAt: null,
        failedLogins: 0,
        lockedUntil: null,
      })
      .where(eq(staffUsers.id, staffId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.staffId, staffId));
    await revokeAllSessions(tx, staffId, now);
    await appendAudit(tx, {
      actorId: staffId,
      action: "account.invite.accept",
      objectType: "account",
      objectId: staffId,
      at: now,
    });
    return await createSession(tx, staffId, { now, secondFactor: false });
  });
}

/**
 * Staff of my jurisdiction with roles and a status, for the admin page. With `auditActorId` the
 * read is audited (`account.list`): reading the staff list is a read on accounts.
 */
export async function listMembers(
  db: Db,
  jurisdictionId: string,
  opts: { now?: Date; auditActorId?: string } = {},
) {
  const now = opts.now ?? new Date();
  const users = await db
    .select()
    .from(staffUsers)
    .where(eq(staffUsers.jurisdictionId, jurisdictionId))
    .orderBy(asc(staffUsers.username));
  const roles = await db
    .select({ staffId: staffRoles.staffId, role: staffRoles.role })
    .from(staffRoles)
    .innerJoin(staffUsers, eq(staffUsers.id, staffRoles.staffId))
    .where(eq(staffUsers.jurisdictionId, jurisdictionId));
  if (opts.auditActorId) {
    const actorId = opts.auditActorId;
    await withTx(db, (tx) =>
      appendAudit(tx, {
        actorId,
        action: "account.list",
        objectType: "account",
        objectId: null,
        detail: { jurisdictionId, count: users.length },
      }),
    );
  }
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    homeDistrictId: u.homeDistrictId,
    homeOrganisation: u.homeOrganisation,
    roles: roles.filter((r) => r.staffId === u.id).map((r) => r.role),
    status: u.disabledAt
      ? ("disabled" as const)
      : !u.passwordHash
        ? ("invited" as const)
        : u.lockedUntil && u.lockedUntil.getTime() > now.getTime()
          ? ("locked" as const)
          : ("active" as const),
  }));
}

export async function districtsOf(db: Db, jurisdictionId: string) {
  return await db
    .select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn })
    .from(districts)
    .where(eq(districts.jurisdictionId, jurisdictionId))
    .orderBy(asc(districts.sortOrder), asc(districts.id));
}

export const INVITABLE_ROLES = STAFF_ROLES;
