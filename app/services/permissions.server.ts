/**
 * Permission strings per role, checked in this one place (Epic Stack style: "tip:read:team").
 * A route asks for a permission; which roles grant it is decided here only.
 */
import type { StaffRole } from "../../db/schema";
import type { Db } from "../../db/client";
import { requireStaff, type StaffSession } from "./sessions.server";

export const PERMISSIONS = [
  "tip:read:team", // read tips of my team's current stationings (still needs a key envelope)
  "tip:triage:team", // status, priority, labels, merge, messages to the tipster, internal notes
  "tip:assign:team", // assign a tip to a team member
  "tip:share:local", // share one tip with a local member of an assistance team (audited)
  "identity:request:team", // ask to open a tip's identity block
  "identity:approve:team", // approve that request (team leader)
  "key:setup:own", // create, unlock, re-wrap my own key
  "key:grant:team", // re-wrap existing tips' keys to a newcomer of my team
  "key:sign:office", // approve (sign) a member's key
  "roster:sign:office", // sign and publish who may read which district's tips (ADR 017)
  "staff:manage:office", // invite, disable, reset staff; rounds, teams, stationings
  "finding:read", // open the findings area (which findings: findingAccess decides)
  "finding:write:team",
  "transfer:receive:commission", // see clues transferred to my commission and record outcomes
  "audit:read:all",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  inspector: [
    "tip:read:team",
    "tip:triage:team",
    "tip:share:local",
    "identity:request:team",
    "key:setup:own",
    "key:grant:team",
    "finding:read",
    "finding:write:team",
  ],
  liaison: [
    "tip:read:team",
    "tip:triage:team",
    "tip:assign:team",
    "tip:share:local",
    "identity:request:team",
    "key:setup:own",
    "key:grant:team",
    "finding:read",
    "finding:write:team",
  ],
  team_leader: [
    "tip:read:team",
    "tip:triage:team",
    "tip:assign:team",
    "tip:share:local",
    "identity:request:team",
    "identity:approve:team",
    "key:setup:own",
    "key:grant:team",
    "finding:read",
    "finding:write:team",
  ],
  office_admin: [
    "key:setup:own",
    "key:sign:office",
    "roster:sign:office",
    "staff:manage:office",
    "tip:read:team",
    "finding:read",
  ],
  commission_receiver: ["key:setup:own", "finding:read", "transfer:receive:commission"],
  auditor: ["audit:read:all"],
};

export function permissionsOf(roles: readonly StaffRole[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []));
}

export function can(roles: readonly StaffRole[], permission: Permission): boolean {
  return permissionsOf(roles).has(permission);
}

/** A signed-in staff member holding `permission`; 401 when signed out, 403 otherwise. */
export async function requirePermission(
  db: Db,
  request: Request,
  permission: Permission,
): Promise<StaffSession> {
  const session = await requireStaff(db, request);
  if (!can(session.roles, permission)) throw new Response("Forbidden", { status: 403 });
  return session;
}
