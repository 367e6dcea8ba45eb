/**
 * The public results board's figures: per round and district, only from findings an office admin
 * approved (the caller passes only those), with small cells suppressed (./small-cells.ts).
 *
 * Published per district and for the round (the sum of the published districts):
 * problems by focus and their total, immediate rectifications, clues transferred by outcome and
 * their total, money returned (refunds and recoveries, fen) and people helped. Money and people
 * helped are not counts of cases, but a refund to one or two people points at them: people helped
 * is suppressed like a count (with its column sum), and the money of a row is withheld wherever its
 * people helped is.
 */
import {
  CLUE_OUTCOMES,
  type ClueOutcome,
  FOCUS_CATEGORIES,
  type FocusCategory,
} from "./outcome-metrics";
import { suppressSmallCells, type SumConstraint } from "./small-cells";

/** Resolution kinds whose amount is money given back (to people or to the collective). */
export const MONEY_RETURNING_KINDS = ["refund", "recovery"] as const;

export interface BoardFinding {
  readonly category: FocusCategory;
  readonly immediateRectification: boolean;
  readonly clueOutcomes: readonly ClueOutcome[];
  readonly resolutions: readonly {
    readonly kind: string;
    readonly amountFen: number | null;
    readonly beneficiaries: number | null;
  }[];
}

/** Raw (unsuppressed) figures: what the office previews and approves. */
export interface BoardFigures {
  readonly problems: Record<FocusCategory | "total", number>;
  readonly immediateRectifications: number;
  readonly clues: Record<ClueOutcome | "total", number>;
  readonly moneyReturnedFen: number;
  readonly peopleHelped: number;
}

export function boardFigures(findings: readonly BoardFinding[]): BoardFigures {
  const problems = { decision: 0, corruption: 0, livelihood: 0, total: 0 };
  const clues = {
    pending: 0,
    case_opened: 0,
    disciplinary_action: 0,
    judicial_referral: 0,
    closed: 0,
    total: 0,
  };
  let immediate = 0;
  let money = 0;
  let people = 0;
  for (const f of findings) {
    problems[f.category] += 1;
    problems.total += 1;
    if (f.immediateRectification) immediate += 1;
    for (const o of f.clueOutcomes) {
      clues[o] += 1;
      clues.total += 1;
    }
    for (const r of f.resolutions) {
      if ((MONEY_RETURNING_KINDS as readonly string[]).includes(r.kind)) money += r.amountFen ?? 0;
      people += r.beneficiaries ?? 0;
    }
  }
  return {
    problems,
    immediateRectifications: immediate,
    clues,
    moneyReturnedFen: money,
    peopleHelped: people,
  };
}

export function addFigures(list: readonly BoardFigures[]): BoardFigures {
  const sum = (pick: (f: BoardFigures) => number) => list.reduce((a, f) => a + pick(f), 0);
  const problems = Object.fromEntries(
    [...FOCUS_CATEGORIES, "total" as const].map((k) => [k, sum((f) => f.problems[k])]),
  ) as BoardFigures["problems"];
  const clues = Object.fromEntries(
    [...CLUE_OUTCOMES, "total" as const].map((k) => [k, sum((f) => f.clues[k])]),
  ) as BoardFigures["clues"];
  return {
    problems,
    immediateRectifications: sum((f) => f.immediateRectifications),
    clues,
    moneyReturnedFen: sum((f) => f.moneyReturnedFen),
    peopleHelped: sum((f) => f.peopleHelped),
  };
}

/** A published number; null = suppressed (shown as "fewer than {minimum}"). */
export type Shown = number | null;

export interface PublishedFigures {
  readonly problems: Record<FocusCategory | "total", Shown>;
  readonly immediateRectifications: Shown;
  readonly clues: Record<ClueOutcome | "total", Shown>;
  readonly moneyReturnedFen: Shown;
  readonly peopleHelped: Shown;
}

export interface PublishedBoard<K extends string> {
  readonly minimum: number;
  readonly total: PublishedFigures;
  readonly rows: readonly { readonly key: K; readonly figures: PublishedFigures }[];
}

/** The count cells of one row, in a fixed order; `sums` are index groups inside a row. */
const COUNT_FIELDS: readonly ((f: BoardFigures) => number)[] = [
  ...FOCUS_CATEGORIES.map((k) => (f: BoardFigures) => f.problems[k]),
  (f) => f.problems.total,
  (f) => f.immediateRectifications,
  ...CLUE_OUTCOMES.map((k) => (f: BoardFigures) => f.clues[k]),
  (f) => f.clues.total,
  (f) => f.peopleHelped,
];
const PROBLEMS_TOTAL = FOCUS_CATEGORIES.length;
const CLUES_FROM = PROBLEMS_TOTAL + 2;
const CLUES_TOTAL = CLUES_FROM + CLUE_OUTCOMES.length;
const PEOPLE = CLUES_TOTAL + 1;
const ROW_SUMS: readonly SumConstraint[] = [
  { members: FOCUS_CATEGORIES.map((_, i) => i), total: PROBLEMS_TOTAL },
  { members: CLUE_OUTCOMES.map((_, i) => CLUES_FROM + i), total: CLUES_TOTAL },
];

/**
 * Suppresses small cells over the whole table: rows (districts) plus the round-total row, with the
 * row sums above and, per column, the districts adding up to the round total.
 */
export function publishBoard<K extends string>(
  rows: readonly { readonly key: K; readonly figures: BoardFigures }[],
  minimum: number,
): PublishedBoard<K> {
  const all = [...rows.map((r) => r.figures), addFigures(rows.map((r) => r.figures))];
  const width = COUNT_FIELDS.length;
  const values = all.flatMap((f) => COUNT_FIELDS.map((pick) => pick(f)));
  const at = (row: number, col: number) => row * width + col;
  const sums: SumConstraint[] = [];
  all.forEach((_, r) =>
    ROW_SUMS.forEach((s) =>
      sums.push({ members: s.members.map((c) => at(r, c)), total: at(r, s.total) }),
    ),
  );
  const totalRow = rows.length;
  for (let c = 0; c < width; c++) {
    sums.push({ members: rows.map((_, r) => at(r, c)), total: at(totalRow, c) });
  }
  const hidden = suppressSmallCells(values, sums, minimum);
  const shown = (r: number, c: number): Shown => (hidden[at(r, c)] ? null : values[at(r, c)]!);
  const publish = (f: BoardFigures, r: number): PublishedFigures => {
    const problems = Object.fromEntries(
      [...FOCUS_CATEGORIES, "total" as const].map((k, c) => [k, shown(r, c)]),
    ) as PublishedFigures["problems"];
    const clues = Object.fromEntries(
      [...CLUE_OUTCOMES, "total" as const].map((k, c) => [k, shown(r, CLUES_FROM + c)]),
    ) as PublishedFigures["clues"];
    const people = shown(r, PEOPLE);
    return {
      problems,
      immediateRectifications: shown(r, PROBLEMS_TOTAL + 1),
      clues,
      // Money follows its people: withheld exactly where the number of people helped is.
      moneyReturnedFen: people === null ? null : f.moneyReturnedFen,
      peopleHelped: people,
    };
  };
  return {
    minimum,
    rows: rows.map((row, r) => ({ key: row.key, figures: publish(row.figures, r) })),
    total: publish(all[totalRow]!, totalRow),
  };
}
