/** Staff pages live under /staff; public pages never receive the staff-only strings. */
export function isStaffPath(pathname: string): boolean {
  return pathname === "/staff" || pathname.startsWith("/staff/");
}
