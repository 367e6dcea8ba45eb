/**
 * The inbox's filters, sort and page: read from and written to the URL (so a reload, the Back
 * button or a shared link keep them), and applied to the rows in the browser. The free-text
 * search is deliberately not in the URL: it is made of tip content (names, amounts) and would
 * land in the browser history and the server's request line (ADR 018).
 */
import { queryAmountFen } from "~/client/staff/amount-search";
import type { TipContent } from "~/client/staff/tip-content";
import type { InboxRow } from "~/services/inbox.server";

export const SORTS = ["newest", "oldest", "deadline", "priority"] as const;
export type InboxSort = (typeof SORTS)[number];

export interface InboxFilters {
  status: string;
  priority: string;
  overdue: boolean;
  unread: boolean;
  mine: boolean;
  sort: InboxSort;
  page: number;
}

export const DEFAULT_FILTERS: InboxFilters = {
  status: "",
  priority: "",
  overdue: false,
  unread: false,
  mine: false,
  sort: "newest",
  page: 1,
};

export function filtersFromParams(p: URLSearchParams): InboxFilters {
  const sort = p.get("sort") ?? "";
  const page = Number(p.get("page"));
  return {
    status: p.get("status") ?? "",
    priority: p.get("priority") ?? "",
    overdue: p.get("overdue") === "1",
    unread: p.get("unread") === "1",
    mine: p.get("mine") === "1",
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as InboxSort) : "newest",
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** Only what differs from the defaults, so a plain inbox has a plain URL. */
export function filtersToParams(f: InboxFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.status) p.set("status", f.status);
  if (f.priority) p.set("priority", f.priority);
  if (f.overdue) p.set("overdue", "1");
  if (f.unread) p.set("unread", "1");
  if (f.mine) p.set("mine", "1");
  if (f.sort !== "newest") p.set("sort", f.sort);
  if (f.page > 1) p.set("page", String(f.page));
  return p;
}

/** A row as the page holds it: clear metadata, plus the decrypted content once unlocked. */
export type InboxViewRow = InboxRow & {
  /** undefined: not decrypted yet; null: could not be opened */
  content?: TipContent | null;
  /** lower-cased content and metadata for search */
  haystack?: string;
};

const PRIORITY_RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** Code-unit order: the ISO timestamps compared here sort the same as by locale, ≈50× faster. */
const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function comparator<T extends InboxViewRow>(sort: InboxSort): (a: T, b: T) => number {
  const rank = (r: T) => PRIORITY_RANK[r.priority] ?? 9;
  // Tipster times are kept to the day (threat model), so many tips share `receivedAt`. Within a
  // day: unread replies first, then priority, then the tip id (random) — a fixed order that says
  // nothing about the order of arrival, so paging and reloads do not reshuffle the list.
  const tie = (a: T, b: T) => b.unread - a.unread || rank(a) - rank(b) || cmp(a.id, b.id);
  const by: Record<InboxSort, (a: T, b: T) => number> = {
    newest: (a, b) => cmp(b.receivedAt, a.receivedAt) || tie(a, b),
    oldest: (a, b) => cmp(a.receivedAt, b.receivedAt) || tie(a, b),
    deadline: (a, b) => cmp(a.acknowledgeBy, b.acknowledgeBy) || tie(a, b),
    priority: (a, b) => rank(a) - rank(b) || cmp(b.receivedAt, a.receivedAt) || tie(a, b),
  };
  return by[sort];
}

/** The rows in the chosen order (a new array). */
export function sortRows<T extends InboxViewRow>(rows: readonly T[], sort: InboxSort): T[] {
  return [...rows].sort(comparator<T>(sort));
}

function passesFilters(r: InboxViewRow, f: InboxFilters, me: string): boolean {
  return (
    (!f.status || r.status === f.status) &&
    (!f.priority || r.priority === f.priority) &&
    (!f.overdue || r.acknowledgeOverdue || r.feedbackOverdue) &&
    (!f.unread || r.unread > 0) &&
    (!f.mine || r.assignee?.id === me)
  );
}

/** The rows of `sorted` (already in order) that the filters and the search text keep. */
export function filterSorted<T extends InboxViewRow>(
  sorted: readonly T[],
  f: InboxFilters,
  search: string,
  me: string,
): T[] {
  const needle = search.trim().toLowerCase();
  const amount = needle ? queryAmountFen(needle) : null;
  return sorted.filter(
    (r) =>
      (!needle ||
        (r.haystack ?? "").includes(needle) ||
        (amount !== null && r.content?.amountFen === amount)) &&
      passesFilters(r, f, me),
  );
}

export function applyFilters<T extends InboxViewRow>(
  rows: T[],
  f: InboxFilters,
  search: string,
  me: string,
): T[] {
  return filterSorted(sortRows(rows, f.sort), f, search, me);
}

/**
 * Search as you type over rows sorted once (`sortRows`): when the new text contains the last one
 * (more letters typed) and nothing else changed, only the last matches are scanned again — a row
 * whose text lacks "饭" cannot contain "饭卡". A query that reads as an amount also matches rows by
 * value (not by text), so it, a shorter query, other filters or new rows start a full scan. Paging
 * never rescans.
 */
export class InboxSearch<T extends InboxViewRow> {
  private last: { sorted: readonly T[]; key: string; needle: string; out: T[] } | null = null;

  run(sorted: readonly T[], f: InboxFilters, search: string, me: string): T[] {
    const key = [f.status, f.priority, f.overdue, f.unread, f.mine, me].join("\u0000");
    const needle = search.trim().toLowerCase();
    const last = this.last;
    let out: T[];
    if (last && last.sorted === sorted && last.key === key && last.needle === needle) {
      out = last.out;
    } else if (
      last &&
      last.sorted === sorted &&
      last.key === key &&
      needle.includes(last.needle) &&
      queryAmountFen(needle) === null
    ) {
      out = last.out.filter((r) => (r.haystack ?? "").includes(needle));
    } else {
      out = filterSorted(sorted, f, search, me);
    }
    this.last = { sorted, key, needle, out };
    return out;
  }
}
