/**
 * The staff page's filter (`/staff/admin/staff?q=…&home=…`): an office with 120 members needs to
 * find one. `q` matches name, username, home organisation and home district name (either
 * language), case- and width-insensitively; `home` is a district id of the office, `none` (no
 * home district) or empty (everyone). Parsing is strict: a value the form cannot produce is the
 * caller's 400, not a silent "show everything".
 */
export const STAFF_FILTER_MAX_LENGTH = 80;

export interface StaffFilter {
  q: string;
  home: string;
}

export type StaffFilterParse =
  { ok: true; filter: StaffFilter } | { ok: false; reason: "too_long" | "unknown_district" };

const fold = (s: string) => s.normalize("NFKC").toLowerCase();

export function parseStaffFilter(
  params: URLSearchParams,
  districtIds: readonly string[],
): StaffFilterParse {
  const q = (params.get("q") ?? "").trim();
  const home = (params.get("home") ?? "").trim();
  if (q.length > STAFF_FILTER_MAX_LENGTH) return { ok: false, reason: "too_long" };
  if (home && home !== "none" && !districtIds.includes(home))
    return { ok: false, reason: "unknown_district" };
  return { ok: true, filter: { q, home } };
}

export function filterMembers<
  M extends {
    displayName: string;
    username: string;
    homeDistrictId: string | null;
    homeOrganisation: string | null;
  },
>(members: readonly M[], filter: StaffFilter, districtNames: (id: string) => string[]): M[] {
  const words = fold(filter.q).split(/\s+/).filter(Boolean);
  return members.filter((m) => {
    if (
      filter.home === "none"
        ? m.homeDistrictId !== null
        : filter.home && m.homeDistrictId !== filter.home
    )
      return false;
    if (words.length === 0) return true;
    const text = fold(
      [
        m.displayName,
        m.username,
        m.homeOrganisation ?? "",
        ...(m.homeDistrictId ? districtNames(m.homeDistrictId) : []),
      ].join("\n"),
    );
    return words.every((w) => text.includes(w));
  });
}
