/**
 * Database-backed, revocable staff sessions. The cookie holds a random token; the database holds
 * only its SHA-256, so a database thief cannot ride a session. Idle and absolute timeouts.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { withTx, type Db, type Tx } from "../../db/client";
import { sessions, staffRoles, staffUsers, type StaffRole, type StaffUser } from "../../db/schema";

export const SESSION_COOKIE = "cw_staff";
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 60 * 1000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface NewSession {
  token: string;
  id: string;
  expiresAt: Date;
}

/** Inserts a session row (inside the caller's transaction, which audits it). */
export async function createSession(
  tx: Tx,
  staffId: string,
  opts: { now?: Date; secondFactor?: boolean } = {},
): Promise<NewSession> {
  const now = opts.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const id = hashToken(token);
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  await tx.insert(sessions).values({
    id,
    staffId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    secondFactorAt: opts.secondFactor ? now : null,
  });
  return { token, id, expiresAt };
}

export interface StaffSession {
  sessionId: string;
  staff: StaffUser;
  roles: StaffRole[];
  secondFactor: boolean;
}

export function tokenFromRequest(request: Request): string | undefined {
  const cookie = request.headers.get("Cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9_-]{20,100})(?:;|$)`).exec(
    cookie,
  );
  return match?.[1];
}

/** The live session behind a request, or null (expired, idle, revoked, disabled, unknown). */
export async function getStaffSession(
  db: Db,
  request: Request,
  now = new Date(),
): Promise<StaffSession | null> {
  const token = tokenFromRequest(request);
  if (!token) return null;
  const row = (
    await db
      .select({ session: sessions, staff: staffUsers })
      .from(sessions)
      .innerJoin(staffUsers, eq(staffUsers.id, sessions.staffId))
      .where(and(eq(sessions.id, hashToken(token)), isNull(sessions.revokedAt)))
      .limit(1)
  )[0];
  if (!row) return null;
  const { session, staff } = row;
  const t = now.getTime();
  if (session.expiresAt.getTime() <= t) return null;
  if (session.lastSeenAt.getTime() + SESSION_IDLE_MS <= t) return null;
  if (staff.disabledAt) return null;
  if (t - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await withTx(db, (tx) =>
      tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, session.id)),
    );
  }
  const roles = (
    await db
      .select({ role: staffRoles.role })
      .from(staffRoles)
      .where(eq(staffRoles.staffId, staff.id))
  ).map((r) => r.role);
  return { sessionId: session.id, staff, roles, secondFactor: session.secondFactorAt !== null };
}

/** For staff pages: a fully signed-in session (second factor done) or a 401. */
export async function requireStaff(db: Db, request: Request): Promise<StaffSession> {
  const session = await getStaffSession(db, request);
  if (!session || !session.secondFactor) throw new Response("Unauthorized", { status: 401 });
  return session;
}

export async function revokeSession(tx: Tx, sessionId: string, now = new Date()): Promise<void> {
  await tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, sessionId));
}

export async function revokeAllSessions(tx: Tx, staffId: string, now = new Date()): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.staffId, staffId), isNull(sessions.revokedAt)));
  // Every browser's device token of the account stops counting too (auth.server.ts).
  await tx
    .update(staffUsers)
    .set({ deviceEpoch: sql`${staffUsers.deviceEpoch} + 1` })
    .where(eq(staffUsers.id, staffId));
}
