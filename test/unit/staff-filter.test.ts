import { describe, expect, it } from "vitest";
import { filterMembers, parseStaffFilter } from "../../app/shared/staff-filter";

const members = [
  {
    id: "a",
    displayName: "赵金凤",
    username: "bc.leader",
    homeDistrictId: "tj-beichen",
    homeOrganisation: "北辰区委巡察办",
  },
  {
    id: "b",
    displayName: "吴晓东",
    username: "XQ.Member",
    homeDistrictId: "tj-xiqing",
    homeOrganisation: null,
  },
  {
    id: "c",
    displayName: "王建华",
    username: "tj.office",
    homeDistrictId: null,
    homeOrganisation: "天津市委巡察办",
  },
];
const names = (id: string) =>
  ({ "tj-beichen": ["北辰区", "Beichen District"], "tj-xiqing": ["西青区", "Xiqing District"] })[
    id
  ] ?? [];
const ids = (q: string, home = "") => filterMembers(members, { q, home }, names).map((m) => m.id);

describe("staff page filter", () => {
  it("matches name, username, organisation and district name in either language", () => {
    expect(ids("")).toEqual(["a", "b", "c"]);
    expect(ids("金凤")).toEqual(["a"]);
    expect(ids("xq.member")).toEqual(["b"]);
    expect(ids("巡察办")).toEqual(["a", "c"]);
    expect(ids("beichen")).toEqual(["a"]);
    expect(ids("西青")).toEqual(["b"]);
    // Every word must match; full-width letters fold to ASCII.
    expect(ids("ＢＣ 北辰")).toEqual(["a"]);
    expect(ids("bc 西青")).toEqual([]);
  });

  it("narrows by home district, or to members without one", () => {
    expect(ids("", "tj-xiqing")).toEqual(["b"]);
    expect(ids("", "none")).toEqual(["c"]);
    expect(ids("巡察办", "tj-beichen")).toEqual(["a"]);
  });

  it("refuses what its form cannot send", () => {
    const p = (s: string) => parseStaffFilter(new URLSearchParams(s), ["tj-beichen"]);
    expect(p("q=%20北辰%20&home=tj-beichen")).toEqual({
      ok: true,
      filter: { q: "北辰", home: "tj-beichen" },
    });
    expect(p("home=none")).toMatchObject({ ok: true });
    expect(p("home=tj-heping")).toEqual({ ok: false, reason: "unknown_district" });
    expect(p(`q=${"x".repeat(81)}`)).toEqual({ ok: false, reason: "too_long" });
  });
});
