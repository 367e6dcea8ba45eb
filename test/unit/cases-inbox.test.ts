/** The inbox's in-browser filter/sort/search and the deadline flags. */
import { describe, expect, it } from "vitest";
import {
  applyFilters,
  DEFAULT_FILTERS,
  filtersFromParams,
  filterSorted,
  filtersToParams,
  InboxSearch,
  sortRows,
  type InboxFilters,
} from "~/components/cases/inbox-query";
import { deadlines } from "~/services/cases.server";

const DAY = 86_400_000;
const base = {
  unit: null,
  category: "corruption",
  assignee: null,
  feedbackBy: "2027-01-01T00:00:00.000Z",
  acknowledgeOverdue: false,
  feedbackOverdue: false,
  acknowledged: false,
  unread: 0,
  labels: [] as string[],
};
const rows = [
  {
    ...base,
    id: "tip_a",
    receivedAt: "2026-11-01T00:00:00.000Z",
    acknowledgeBy: "2026-11-08T00:00:00.000Z",
    status: "received",
    priority: "normal",
    haystack: "拆迁补偿款被截留",
    acknowledgeOverdue: true,
  },
  {
    ...base,
    id: "tip_b",
    receivedAt: "2026-11-20T00:00:00.000Z",
    acknowledgeBy: "2026-11-27T00:00:00.000Z",
    status: "accepted",
    priority: "urgent",
    haystack: "饭卡余额没有退",
    unread: 2,
    assignee: { id: "staff-a", name: "A" },
  },
  {
    ...base,
    id: "tip_c",
    receivedAt: "2026-11-10T00:00:00.000Z",
    acknowledgeBy: "2026-11-17T00:00:00.000Z",
    status: "received",
    priority: "low",
    haystack: "低保优亲厚友 拆迁",
  },
];
const q = (patch: Partial<InboxFilters & { search: string }> = {}) => {
  const { search = "", ...f } = patch;
  return { f: { ...DEFAULT_FILTERS, ...f }, search };
};
const queryInbox = (list: typeof rows, { f, search }: ReturnType<typeof q>) =>
  applyFilters(list, f, search, "staff-a");
const ids = (list: { id: string }[]) => list.map((r) => r.id);

describe("inbox filters", () => {
  it("sorts newest, oldest, by acknowledgement deadline and by priority", () => {
    expect(ids(queryInbox(rows, q()))).toEqual(["tip_b", "tip_c", "tip_a"]);
    expect(ids(queryInbox(rows, q({ sort: "oldest" })))).toEqual(["tip_a", "tip_c", "tip_b"]);
    expect(ids(queryInbox(rows, q({ sort: "deadline" })))).toEqual(["tip_a", "tip_c", "tip_b"]);
    expect(ids(queryInbox(rows, q({ sort: "priority" })))).toEqual(["tip_b", "tip_a", "tip_c"]);
  });

  it("searches decrypted text case-insensitively and combines filters", () => {
    expect(ids(queryInbox(rows, q({ search: "拆迁" })))).toEqual(["tip_c", "tip_a"]);
    expect(
      ids(queryInbox(rows, q({ search: "拆迁", status: "received", priority: "low" }))),
    ).toEqual(["tip_c"]);
    expect(ids(queryInbox(rows, q({ overdue: true })))).toEqual(["tip_a"]);
    expect(ids(queryInbox(rows, q({ unread: true })))).toEqual(["tip_b"]);
    expect(queryInbox(rows, q({ search: "没有这个词" }))).toEqual([]);
    expect(ids(queryInbox(rows, q({ mine: true })))).toEqual(["tip_b"]);
  });

  it("finds an amount however it is written: 680000 finds a tip whose amount was typed 68万", () => {
    const withAmount = rows.map((r) =>
      r.id === "tip_c"
        ? { ...r, content: { amountFen: 68_000_000 } as never, haystack: r.haystack + "\n68万" }
        : r,
    );
    for (const search of ["680000", "68万", "680,000元", "¥68万"]) {
      expect(ids(queryInbox(withAmount, q({ search }))), search).toEqual(["tip_c"]);
    }
  });

  it("keeps filters in the URL, and only those that differ from the defaults", () => {
    const f: InboxFilters = {
      ...DEFAULT_FILTERS,
      status: "accepted",
      overdue: true,
      mine: true,
      sort: "deadline",
      page: 3,
    };
    const params = filtersToParams(f);
    expect(params.toString()).toBe("status=accepted&overdue=1&mine=1&sort=deadline&page=3");
    expect(filtersFromParams(params)).toEqual(f);
    expect(filtersToParams(DEFAULT_FILTERS).toString()).toBe("");
    expect(filtersFromParams(new URLSearchParams("sort=evil&page=-2"))).toEqual(DEFAULT_FILTERS);
  });

  it("orders tips of the same day (times are kept to the day) by unread, priority, then id — the same order on every load", () => {
    const day = "2026-11-20T00:00:00.000Z";
    const c = rows[2]!;
    const sameDay = [
      { ...c, id: "tip_z", receivedAt: day, priority: "normal", unread: 0 },
      { ...c, id: "tip_y", receivedAt: day, priority: "normal", unread: 0 },
      { ...c, id: "tip_x", receivedAt: day, priority: "low", unread: 1 },
      { ...c, id: "tip_w", receivedAt: day, priority: "urgent", unread: 0 },
    ];
    const expected = ["tip_x", "tip_w", "tip_y", "tip_z"];
    for (const sort of ["newest", "oldest", "deadline"] as const) {
      expect(ids(queryInbox(sameDay, q({ sort }))), sort).toEqual(expected);
      expect(ids(queryInbox([...sameDay].reverse(), q({ sort }))), sort).toEqual(expected);
    }
    expect(ids(queryInbox(sameDay, q({ sort: "priority" })))).toEqual([
      "tip_w",
      "tip_y",
      "tip_z",
      "tip_x",
    ]);
  });

  it("does not reorder its input", () => {
    const copy = [...rows];
    queryInbox(rows, q({ sort: "oldest" }));
    expect(rows).toEqual(copy);
  });
});

describe("inbox search as you type", () => {
  /** Rows whose `haystack` reads are counted: what a keystroke scans. */
  function counted(n: number) {
    let reads = 0;
    const list = Array.from({ length: n }, (_, i) => {
      const text = i % 10 === 0 ? `饭卡余额没有退 ${i}` : i % 3 === 0 ? `饭堂 ${i}` : `拆迁 ${i}`;
      const row = {
        ...base,
        id: `tip_${String(i).padStart(4, "0")}`,
        receivedAt: `2026-11-${String(1 + (i % 28)).padStart(2, "0")}T00:00:00.000Z`,
        acknowledgeBy: "2026-12-08T00:00:00.000Z",
        status: i % 2 ? "received" : "accepted",
        priority: "normal",
        content: { amountFen: i === 7 ? 6_800_000 : null },
      };
      Object.defineProperty(row, "haystack", {
        get: () => (reads++, text.toLowerCase()),
        enumerable: true,
      });
      return row as typeof row & { haystack: string };
    });
    return { list, reads: () => reads, reset: () => (reads = 0) };
  }

  it("gives what a full filter gives, for growing, shrinking and amount queries", () => {
    const { list } = counted(300);
    const sorted = sortRows(list as never[], "newest");
    const search = new InboxSearch();
    const f = { ...DEFAULT_FILTERS, status: "received" };
    for (const text of [
      "",
      "饭",
      "饭卡",
      "饭卡余",
      "饭",
      "拆",
      "拆迁 1",
      "68万",
      "68万元",
      "x",
      "",
    ]) {
      expect(ids(search.run(sorted, f, text, "staff-a")), text).toEqual(
        ids(filterSorted(sorted, f, text, "staff-a")),
      );
    }
  });

  it("scans only the last matches when more letters are typed, and nothing when paging", () => {
    const { list, reads, reset } = counted(1000);
    const sorted = sortRows(list as never[], "newest");
    const search = new InboxSearch();
    search.run(sorted, DEFAULT_FILTERS, "饭", "staff-a");
    const afterFan = search.run(sorted, DEFAULT_FILTERS, "饭", "staff-a").length;
    expect(afterFan).toBeLessThan(500);
    reset();
    const narrowed = search.run(sorted, DEFAULT_FILTERS, "饭卡", "staff-a");
    expect(narrowed.length).toBe(100);
    expect(reads()).toBe(afterFan);
    reset();
    search.run(sorted, { ...DEFAULT_FILTERS, page: 3 }, "饭卡", "staff-a");
    expect(reads()).toBe(0);
    // A shorter query or another filter scans everything again.
    search.run(sorted, DEFAULT_FILTERS, "饭", "staff-a");
    expect(reads()).toBe(1000);
  });
});

describe("deadlines", () => {
  const now = new Date("2026-12-01T00:00:00Z");
  const tip = (p: Partial<Parameters<typeof deadlines>[0]>) => ({
    acknowledgeBy: new Date(now.getTime() - DAY),
    feedbackBy: new Date(now.getTime() + 30 * DAY),
    acknowledgedAt: null,
    status: "received" as const,
    ...p,
  });
  it("flags an unacknowledged tip past 7 days, not an acknowledged one", () => {
    expect(deadlines(tip({}), now).acknowledgeOverdue).toBe(true);
    expect(deadlines(tip({ acknowledgedAt: new Date(now.getTime() - 2 * DAY) }), now)).toEqual({
      acknowledgeOverdue: false,
      feedbackOverdue: false,
    });
  });
  it("flags feedback past 3 months unless the case is closed", () => {
    const late = { feedbackBy: new Date(now.getTime() - DAY), acknowledgedAt: now };
    expect(deadlines(tip(late), now).feedbackOverdue).toBe(true);
    for (const status of ["resolved", "not_accepted", "merged"] as const) {
      expect(deadlines(tip({ ...late, status }), now).feedbackOverdue).toBe(false);
    }
  });
});
