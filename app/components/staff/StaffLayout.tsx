/**
 * The staff workspace frame: who is signed in, the navigation, sign out. Every /staff page
 * (except sign-in and invitation pages) renders its content inside it. Loaders pass
 * `staffLayoutData(env, session)` (app/services/auth.server.ts) as `user`.
 *
 * To add a navigation entry, add a row to STAFF_NAV (shown only with its permission).
 */
import { NavLink } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";

export interface StaffLayoutUser {
  displayName: string;
  permissions: string[];
  csrf: string;
}

export interface StaffNavItem {
  href: string;
  label: MessageKey;
  /** Shown only to members holding this permission; omitted: every signed-in member. */
  permission?: string;
}

export const STAFF_NAV: StaffNavItem[] = [
  { href: "/staff", label: "staff.nav.home" },
  { href: "/staff/inbox", label: "cases.nav.inbox", permission: "tip:read:team" },
  { href: "/staff/findings", label: "outcomes.nav.findings", permission: "finding:write:team" },
  { href: "/staff/clues", label: "outcomes.nav.clues", permission: "transfer:receive:commission" },
  { href: "/staff/outcomes", label: "outcomes.nav.results", permission: "staff:manage:office" },
  { href: "/staff/keys", label: "cases.nav.keys", permission: "key:setup:own" },
  { href: "/staff/admin/keys", label: "cases.nav.adminKeys", permission: "key:sign:office" },
  {
    href: "/staff/admin/registry",
    label: "office.registry.nav",
    permission: "staff:manage:office",
  },
  { href: "/staff/admin/rounds", label: "office.rounds.nav", permission: "staff:manage:office" },
  { href: "/staff/admin/rosters", label: "office.rosters.nav", permission: "roster:sign:office" },
  {
    href: "/staff/admin/directory",
    label: "office.directory.nav",
    permission: "roster:sign:office",
  },
  { href: "/staff/admin/staff", label: "staff.nav.adminStaff", permission: "staff:manage:office" },
  { href: "/staff/audit", label: "staff.nav.audit", permission: "audit:read:all" },
  { href: "/staff/account", label: "staff.nav.account" },
];

export function StaffLayout({ user, children }: { user: StaffLayoutUser; children: ReactNode }) {
  const { t } = useI18n();
  const items = STAFF_NAV.filter((i) => !i.permission || user.permissions.includes(i.permission));
  // A key unlocked earlier in this sign-in session comes back after a reload or in a new tab.
  useEffect(() => {
    void import("~/client/staff/key-store").then((s) => s.bindKeySession(user.csrf));
  }, [user.csrf]);
  return (
    <div className="staff-frame">
      <nav className="staff-nav" aria-label={t("staff.nav.label")}>
        <ul>
          {items.map((i) => (
            <li key={i.href}>
              <NavLink to={i.href} end={i.href === "/staff"} prefetch="none">
                {t(i.label)}
              </NavLink>
            </li>
          ))}
        </ul>
        <form
          method="post"
          action="/staff/logout"
          className="staff-signout"
          onSubmit={() => {
            // Signing out forgets the unlocked key in every tab (the sign-in page does it again).
            void import("~/client/staff/key-store").then((s) => s.forgetKey());
          }}
        >
          <input type="hidden" name="csrf" value={user.csrf} />
          <span className="staff-who">{user.displayName}</span>
          <button type="submit" className="button button-quiet">
            {t("staff.nav.signOut")}
          </button>
        </form>
      </nav>
      <div className="staff-content">{children}</div>
    </div>
  );
}
