/** Small builders shared by the demo data files. */
import type { DistrictSeed } from "./types";

/** The district's party committee, which authorises a stationing (e.g. 津南区委). */
export function committeeOf(d: Pick<DistrictSeed, "nameZh" | "nameEn">): {
  authorisedByZh: string;
  authorisedByEn: string;
} {
  return { authorisedByZh: `${d.nameZh}委`, authorisedByEn: `CPC ${d.nameEn} Committee` };
}

/** Look up by id or fail loudly: a typo in the demo data must not produce a half seed. */
export function byId<T extends { id: string }>(rows: readonly T[], id: string): T {
  const row = rows.find((r) => r.id === id);
  if (!row) throw new Error(`demo data: unknown id ${id}`);
  return row;
}
