/**
 * Accounts are created by the inspection office only: the office admin invites a member (a
 * one-time link, shown once, valid 72 h; the database keeps only the SHA-256 of its token), the
 * member sets a password there and then enrols TOTP at /staff/login/totp. The admin can disable
 * a member or reset them (password, TOTP and recovery codes cleared, sessions revoked, a new
 * invitation issued). Everything here is audited in the same transaction.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
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
function issueInvitation(db: Db, actorId: string, staffId: string, now: Date): string {
  const token = randomBytes(32).toString("base64url");
  db.update(invitations)
    .set({ usedAt: now })
    .where(and(eq(invitations.staffId, staffId), isNull(invitations.usedAt)))
    .run();
  db.insert(invitations)
    .values({
      id: tokenHash(token),
      staffId,
      createdBy: actorId,
      expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      createdAt: now,
    })
    .run();
  appendAudit(db, {
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
}

export type InviteResult =
  { kind: "ok"; staffId: string; token: string } | { kind: "taken" } | { kind: "bad_district" };

/** Creates the member in the admin's jurisdiction and returns the one-time token. */
export function inviteMember(
  db: Db,
  admin: StaffSession,
  member: NewMember,
  now = new Date(),
): InviteResult {
  const username = normaliseUsername(member.username);
  return db.transaction((): InviteResult => {
    if (db.select().from(staffUsers).where(eq(staffUsers.username, username)).get()) {
      return { kind: "taken" };
    }
    if (member.homeDistrictId) {
      const d = db.select().from(districts).where(eq(districts.id, member.homeDistrictId)).get();
      if (!d || d.jurisdictionId !== admin.staff.jurisdictionId) return { kind: "bad_district" };
    }
    const staffId = newId();
    db.insert(staffUsers)
      .values({
        id: staffId,
        username,
        displayName: member.displayName.trim(),
        jurisdictionId: admin.staff.jurisdictionId,
        homeDistrictId: member.homeDistrictId,
        createdAt: now,
      })
      .run();
    db.insert(staffRoles).values({ staffId, role: member.role }).run();
    appendAudit(db, {
      actorId: admin.staff.id,
      action: "account.create",
      objectType: "account",
      objectId: staffId,
      detail: { role: member.role, homeDistrictId: member.homeDistrictId },
      at: now,
    });
    return { kind: "ok", staffId, token: issueInvitation(db, admin.staff.id, staffId, now) };
  });
}

/** A member of the admin's own jurisdiction (404 otherwise: other offices' staff are invisible). */
function memberOf(db: Db, admin: StaffSession, staffId: string): StaffUser {
  const user = db.select().from(staffUsers).where(eq(staffUsers.id, staffId)).get();
  if (!user || user.jurisdictionId !== admin.staff.jurisdictionId) {
    throw new Response("Not found", { status: 404 });
  }
  if (user.id === admin.staff.id) throw new Response("Conflict", { status: 409 });
  return user;
}

export function disableMember(db: Db, admin: StaffSession, staffId: string, now = new Date()) {
  db.transaction(() => {
    const user = memberOf(db, admin, staffId);
    db.update(staffUsers).set({ disabledAt: now }).where(eq(staffUsers.id, user.id)).run();
    revokeAllSessions(db, user.id, now);
    appendAudit(db, {
      actorId: admin.staff.id,
      action: "account.disable",
      objectType: "account",
      objectId: user.id,
      at: now,
    });
  });
}

/** Clears password, TOTP and recovery codes, revokes sessions, re-enables, re-invites. */
export function resetMember(db: Db, admin: StaffSession, staffId: string, now = new Date()) {
  return db.transaction(() => {
    const user = memberOf(db, admin, staffId);
    db.update(staffUsers)
      .set({
        passwordHash: null,
        totpSecret: null,
        totpEnabledAt: null,
        failedLogins: 0,
        lockedUntil: null,
        disabledAt: null,
      })
      .where(eq(staffUsers.id, user.id))
      .run();
    db.delete(recoveryCodes).where(eq(recoveryCodes.staffId, user.id)).run();
    revokeAllSessions(db, user.id, now);
    appendAudit(db, {
      actorId: admin.staff.id,
      action: "account.reset",
      objectType: "account",
      objectId: user.id,
      at: now,
    });
    return issueInvitation(db, admin.staff.id, user.id, now);
  });
}

/** The member behind a live invitation token, or null (unknown, used, expired, disabled). */
export function findInvitation(db: Db, token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = db
    .select({ invitation: invitations, staff: staffUsers })
    .from(invitations)
    .innerJoin(staffUsers, eq(staffUsers.id, invitations.staffId))
    .where(eq(invitations.id, tokenHash(token)))
    .get();
  if (!row || row.invitation.usedAt || row.staff.disabledAt) return null;
  if (row.invitation.expiresAt.getTime() <= now.getTime()) return null;
  return row;
}

/**
 * Sets the password and uses up the invitation; returns a pending session (password done, no
 * second factor) so that the member goes straight on to TOTP enrolment.
 */
export async function acceptInvitation(db: Db, token: string, password: string, now = new Date()) {
  if (!findInvitation(db, token, now)) return null;
  const hash = await hashPassword(password);
  return db.transaction(() => {
    const found = findInvitation(db, token, now); // re-check inside the transaction
    if (!found) return null;
    const staffId = found.staff.id;
    db.update(invitations)
      .set({ usedAt: now })
      .where(eq(invitations.id, found.invitation.id))
      .run();
    db.update(staffUsers)
      .set({
        passwordHash: hash,
        totpSecret: null,
        totpEnabledAt: null,
        failedLogins: 0,
        lockedUntil: null,
      })
      .where(eq(staffUsers.id, staffId))
      .run();
    db.delete(recoveryCodes).where(eq(recoveryCodes.staffId, staffId)).run();
    revokeAllSessions(db, staffId, now);
    appendAudit(db, {
      actorId: staffId,
      action: "account.invite.accept",
      objectType: "account",
      objectId: staffId,
      at: now,
    });
    return createSession(db, staffId, { now, secondFactor: false });
  });
}

/** Staff of my jurisdiction with roles and a status, for the admin page. */
export function listMembers(db: Db, jurisdictionId: string, now = new Date()) {
  const users = db
    .select()
    .from(staffUsers)
    .where(eq(staffUsers.jurisdictionId, jurisdictionId))
    .orderBy(asc(staffUsers.username))
    .all();
  const roles = db.select().from(staffRoles).all();
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
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

export function districtsOf(db: Db, jurisdictionId: string) {
  return db
    .select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn })
    .from(districts)
    .where(eq(districts.jurisdictionId, jurisdictionId))
    .orderBy(asc(districts.sortOrder))
    .all();
}

export const INVITABLE_ROLES = STAFF_ROLES;
