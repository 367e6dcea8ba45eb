/**
 * Look-back metrics, scorecards and the results board's small-cell suppression, on fixtures whose
 * expected figures are worked out by hand in the comments next to each assertion.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canFollow,
  CLUE_OUTCOMES,
  type ClueOutcome,
  formatRatio,
  isFinalOutcome,
  lookBackMetrics,
  type LookBackCheck,
  NEXT_CLUE_OUTCOMES,
  ratio,
  scorecard,
  type ScorecardFinding,
  type ScorecardTip,
} from "~/shared/outcome-metrics";
import { boardFigures, publishBoard, type BoardFinding } from "~/shared/results-board";
import { suppressSmallCells } from "~/shared/small-cells";

const repeat = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);

describe("look-back metrics", () => {
  it("a small round, counted by hand", () => {
    // 10 findings checked; the look-back confirms 8 as real problems → precision 8/10 = 80.0 %.
    // Rectification: 4 needed none; of the 6 that did, 4 verified, 1 partial, 1 not done
    // → 4/6 = 66.666… % → "66.7%".
    // Clues: 5 transferred; disciplinary action, judicial referral and closed are final, case
    // opened and pending are not → 3/5 = 60.0 %.
    const checks: LookBackCheck[] = [
      { problemConfirmed: true, rectification: "verified" },
      { problemConfirmed: true, rectification: "verified" },
      { problemConfirmed: true, rectification: "verified" },
      { problemConfirmed: true, rectification: "verified" },
      { problemConfirmed: true, rectification: "partial" },
      { problemConfirmed: true, rectification: "not_done" },
      { problemConfirmed: true, rectification: "not_required" },
      { problemConfirmed: true, rectification: "not_required" },
      { problemConfirmed: false, rectification: "not_required" },
      { problemConfirmed: false, rectification: "not_required" },
    ];
    const clueOutcomes: ClueOutcome[] = [
      "disciplinary_action",
      "judicial_referral",
      "closed",
      "case_opened",
      "pending",
    ];
    const m = lookBackMetrics({ checks, clueOutcomes });
    expect(m.precision).toEqual({ numerator: 8, denominator: 10, value: 0.8 });
    expect(m.rectificationRate).toMatchObject({ numerator: 4, denominator: 6 });
    expect(m.clueCompletion).toEqual({ numerator: 3, denominator: 5, value: 0.6 });
    expect(formatRatio("zh-CN", m.precision)).toBe("80.0%");
    expect(formatRatio("en", m.rectificationRate)).toBe("66.7%");
    expect(formatRatio("zh-CN", m.clueCompletion)).toBe("60.0%");
  });

  it("reproduces the Jiangsu look-back's 87.2 %, 95.1 % and 97.4 %", () => {
    // 250 findings checked, 218 confirmed: 218/250 = 0.872 → 87.2 %.
    // 205 of them needed rectification, 195 verified: 195/205 = 0.95122 → 95.1 %
    // (the other 10: 6 partial, 4 not done; 45 needed none).
    // 39 clues transferred, 38 with a final outcome: 38/39 = 0.97436 → 97.4 %.
    const checks: LookBackCheck[] = [
      ...repeat(195, { problemConfirmed: true, rectification: "verified" as const }),
      ...repeat(6, { problemConfirmed: true, rectification: "partial" as const }),
      ...repeat(4, { problemConfirmed: true, rectification: "not_done" as const }),
      ...repeat(13, { problemConfirmed: true, rectification: "not_required" as const }),
      ...repeat(32, { problemConfirmed: false, rectification: "not_required" as const }),
    ];
    const clueOutcomes: ClueOutcome[] = [
      ...repeat(20, "disciplinary_action" as const),
      ...repeat(6, "judicial_referral" as const),
      ...repeat(12, "closed" as const),
      "case_opened",
    ];
    const m = lookBackMetrics({ checks, clueOutcomes });
    expect([m.precision.numerator, m.precision.denominator]).toEqual([218, 250]);
    expect([m.rectificationRate.numerator, m.rectificationRate.denominator]).toEqual([195, 205]);
    expect([m.clueCompletion.numerator, m.clueCompletion.denominator]).toEqual([38, 39]);
    expect(
      [m.precision, m.rectificationRate, m.clueCompletion].map((r) => formatRatio("zh-CN", r)),
    ).toEqual(["87.2%", "95.1%", "97.4%"]);
  });

  it("nothing checked is shown as a dash, never as 0 % or 100 %", () => {
    const m = lookBackMetrics({ checks: [], clueOutcomes: [] });
    expect(m.precision.value).toBeNull();
    expect(formatRatio("en", m.clueCompletion)).toBe("—");
    expect(() => ratio(3, 2)).toThrow(RangeError);
    expect(() => ratio(-1, 2)).toThrow(RangeError);
  });
});

describe("scorecard", () => {
  const DAY = 86_400_000;
  const now = 100 * DAY;
  const f = (over: Partial<ScorecardFinding>): ScorecardFinding => ({
    category: "decision",
    keyMinority: false,
    immediateRectification: false,
    clueOutcomes: [],
    moneyReturnedFen: 0,
    beneficiaries: 0,
    ...over,
  });

  it("counts a hand-made district", () => {
    // 6 findings: 2 decision, 3 corruption, 1 livelihood (total 6).
    // Clues: findings 3, 4, 5 were transferred (3 clues); 3 and 4 are key-minority → 2/3 = 66.7 %.
    // Finding 4 went to two bodies: one closed, one still case_opened → not complete.
    // Complete: finding 3 (disciplinary action) and 5 (closed) → 2/3.
    // Immediate rectifications: findings 1 and 6 → 2.
    // Money: 27,700,000 fen refunded (finding 6) + 150,000,000 fen recovered (finding 3).
    // People helped: 2,300 + 0.
    const findings = [
      f({ immediateRectification: true }),
      f({}),
      f({
        category: "corruption",
        keyMinority: true,
        clueOutcomes: ["disciplinary_action"],
        moneyReturnedFen: 150_000_000,
      }),
      f({ category: "corruption", keyMinority: true, clueOutcomes: ["closed", "case_opened"] }),
      f({ category: "corruption", clueOutcomes: ["closed"] }),
      f({
        category: "livelihood",
        immediateRectification: true,
        moneyReturnedFen: 27_700_000,
        beneficiaries: 2300,
      }),
    ];
    // Tips (7-day and 3-month dates):
    //  a: acknowledged on day 3 of 7, answered on day 40 of 90 → both on time
    //  b: acknowledged on day 9 (late), answered day 95 (late)
    //  c: not acknowledged, 7-day date (day 50) passed → due, late; 3-month date (day 140) not yet
    //     passed and not answered → not yet due
    //  d: received day 98, not acknowledged, dates in the future → not due for either
    // Acknowledged on time: a / (a, b, c) = 1/3. Answered on time: a / (a, b) = 1/2.
    const tip = (ackBy: number, ackAt: number | null, fbBy: number, fbAt: number | null) => ({
      acknowledgeBy: ackBy * DAY,
      acknowledgedAt: ackAt === null ? null : ackAt * DAY,
      feedbackBy: fbBy * DAY,
      firstFeedbackAt: fbAt === null ? null : fbAt * DAY,
    });
    const tips: ScorecardTip[] = [
      tip(7, 3, 90, 40),
      tip(7, 9, 90, 95),
      tip(50, null, 140, null),
      tip(105, null, 188, null),
    ];
    const card = scorecard({ findings, tips, now });
    expect(card.problems).toEqual({ decision: 2, corruption: 3, livelihood: 1, total: 6 });
    expect(card.cluesTransferred).toBe(3);
    expect(card.keyMinorityShare).toMatchObject({ numerator: 2, denominator: 3 });
    expect(formatRatio("en", card.keyMinorityShare)).toBe("66.7%");
    expect(card.clueCompletion).toMatchObject({ numerator: 2, denominator: 3 });
    expect(card.immediateRectifications).toBe(2);
    expect(card.moneyReturnedFen).toBe(177_700_000);
    expect(card.beneficiaries).toBe(2300);
    expect(card.tipsReceived).toBe(4);
    expect(card.acknowledgedOnTime).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 });
    expect(card.answeredOnTime).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
  });
});

describe("small-cell suppression", () => {
  it("hides 1…minimum−1 and a complementary cell so no hidden value can be subtracted out", () => {
    // decision 7, corruption 1, livelihood 4, total 12; minimum 3.
    // Primary: corruption (1). Its sum would give 12 − 7 − 4 = 1, so the smallest other
    // non-zero member (livelihood, 4) is hidden too; 7 and the total stay.
    expect(suppressSmallCells([7, 1, 4, 12], [{ members: [0, 1, 2], total: 3 }], 3)).toEqual([
      false,
      true,
      true,
      false,
    ]);
    // 0, 2, 10 → 12: 2 is hidden, then 10 (0 points at nobody and stays).
    expect(suppressSmallCells([0, 2, 10, 12], [{ members: [0, 1, 2], total: 3 }], 3)).toEqual([
      false,
      true,
      true,
      false,
    ]);
    // 0, 2, 0 → 2: the total is small too; two hidden cells, nothing else needed.
    expect(suppressSmallCells([0, 2, 0, 2], [{ members: [0, 1, 2], total: 3 }], 3)).toEqual([
      false,
      true,
      false,
      true,
    ]);
    // 9, 0, 0 → 9 with one hidden member impossible; but 5 alone + zeros: 5,2,0 → 7 hides 2 and 5.
    expect(suppressSmallCells([5, 2, 0, 7], [{ members: [0, 1, 2], total: 3 }], 3)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("refuses sums that do not add up and bad counts", () => {
    expect(() => suppressSmallCells([1, 2, 4], [{ members: [0, 1], total: 2 }], 3)).toThrow();
    expect(() => suppressSmallCells([-1], [], 3)).toThrow();
    expect(() => suppressSmallCells([1], [], 0)).toThrow();
  });

  it("property: every small value hidden, and no sum is left with exactly one hidden cell", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat({ max: 12 }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 2, max: 6 }),
        (rows, minimum) => {
          // rows × 3 members, each row with its total in column 3, plus a column-sum row.
          const table = rows.map((r) => [...r, r[0]! + r[1]! + r[2]!]);
          const totals = [0, 1, 2, 3].map((c) => table.reduce((a, r) => a + r[c]!, 0));
          const all = [...table, totals];
          const values = all.flat();
          const at = (r: number, c: number) => r * 4 + c;
          const sums = [
            ...all.map((_, r) => ({ members: [0, 1, 2].map((c) => at(r, c)), total: at(r, 3) })),
            ...[0, 1, 2, 3].map((c) => ({
              members: table.map((_, r) => at(r, c)),
              total: at(table.length, c),
            })),
          ];
          const hidden = suppressSmallCells(values, sums, minimum);
          values.forEach((v, i) => {
            if (v > 0 && v < minimum) expect(hidden[i]).toBe(true);
          });
          for (const s of sums) {
            const n = [...s.members, s.total].filter((i) => hidden[i]).length;
            expect(n).not.toBe(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("results board", () => {
  const finding = (over: Partial<BoardFinding>): BoardFinding => ({
    category: "decision",
    immediateRectification: false,
    clueOutcomes: [],
    resolutions: [],
    ...over,
  });

  /** Every published cell with a value 1…minimum−1 (there must be none). */
  const smallShown = (board: ReturnType<typeof publishBoard>) =>
    [...board.rows.map((r) => r.figures), board.total]
      .flatMap((x) => [
        ...Object.values(x.problems),
        ...Object.values(x.clues),
        x.immediateRectifications,
        x.peopleHelped,
      ])
      .filter((v) => v !== null && v > 0 && v < board.minimum);

  it("a Tianjin round: large cells shown, small ones and their complements withheld", () => {
    // 津南: 6 decision, 5 corruption, 4 livelihood (15); 3 immediate; 4 clues (3 disciplinary,
    // 1 case opened); a ¥1.5 M recovery to the village collective (no individual beneficiaries).
    const jinnan = [
      ...repeat(6, finding({})),
      ...repeat(2, finding({ category: "corruption", clueOutcomes: ["disciplinary_action"] })),
      finding({
        category: "corruption",
        clueOutcomes: ["disciplinary_action"],
        resolutions: [{ kind: "recovery", amountFen: 150_000_000, beneficiaries: null }],
      }),
      finding({ category: "corruption", clueOutcomes: ["case_opened"] }),
      finding({ category: "corruption" }),
      ...repeat(3, finding({ category: "livelihood", immediateRectification: true })),
      finding({ category: "livelihood" }),
    ];
    // 北辰: 4 decision, 3 corruption, 3 livelihood; one refund of ¥800 to a single person.
    const beichen = [
      ...repeat(3, finding({})),
      finding({ resolutions: [{ kind: "refund", amountFen: 80_000, beneficiaries: 1 }] }),
      ...repeat(3, finding({ category: "corruption" })),
      ...repeat(3, finding({ category: "livelihood", immediateRectification: true })),
    ];
    // 西青: 5 decision, 3 corruption, 4 livelihood; 40 people refunded ¥12,000.
    const xiqing = [
      ...repeat(5, finding({})),
      ...repeat(3, finding({ category: "corruption" })),
      ...repeat(3, finding({ category: "livelihood", immediateRectification: true })),
      finding({
        category: "livelihood",
        resolutions: [{ kind: "refund", amountFen: 1_200_000, beneficiaries: 40 }],
      }),
    ];
    const figures = boardFigures(jinnan);
    expect(figures.problems).toEqual({ decision: 6, corruption: 5, livelihood: 4, total: 15 });
    expect(figures.clues).toMatchObject({ disciplinary_action: 3, case_opened: 1, total: 4 });
    const board = publishBoard(
      [
        { key: "jinnan", figures },
        { key: "beichen", figures: boardFigures(beichen) },
        { key: "xiqing", figures: boardFigures(xiqing) },
      ],
      3,
    );
    const [j, b, x] = board.rows.map((r) => r.figures);
    // No problem count is small: all shown. Round: decision 6 + 4 + 5 = 15, corruption
    // 5 + 3 + 3 = 11, livelihood 4 + 3 + 4 = 11, total 15 + 10 + 12 = 37.
    expect(j!.problems).toEqual({ decision: 6, corruption: 5, livelihood: 4, total: 15 });
    expect(board.total.problems).toEqual({
      decision: 15,
      corruption: 11,
      livelihood: 11,
      total: 37,
    });
    expect(board.total.immediateRectifications).toBe(9);
    // 津南's single case-opened clue (1 < 3) is withheld, and with it one more clue cell of that
    // row (3 disciplinary) so that 4 − 3 cannot give it away; the row total 4 stays.
    expect(j!.clues.case_opened).toBeNull();
    expect(j!.clues.disciplinary_action).toBeNull();
    expect(j!.clues.total).toBe(4);
    // The collective's recovery has no individual beneficiaries: shown.
    expect(j!.moneyReturnedFen).toBe(150_000_000);
    // 北辰's refund to one person is withheld with its amount…
    expect(b!.peopleHelped).toBeNull();
    expect(b!.moneyReturnedFen).toBeNull();
    // …and one more cell of the people-helped column, or 41 − 40 would give it away.
    const column = [j, b, x, board.total].map((f) => f!.peopleHelped);
    expect(column.filter((v) => v === null).length).toBeGreaterThanOrEqual(2);
    expect(smallShown(board)).toEqual([]);
  });

  it("a round with a single small finding: the refund of ¥277,000 to 2,300 students stays", () => {
    const board = publishBoard(
      [
        {
          key: "leibo",
          figures: boardFigures([
            finding({
              category: "livelihood",
              resolutions: [{ kind: "refund", amountFen: 27_700_000, beneficiaries: 2300 }],
            }),
          ]),
        },
      ],
      3,
    );
    const l = board.rows[0]!.figures;
    // One finding is a count of 1: hidden in the row and in the round total.
    expect(l.problems.livelihood).toBeNull();
    expect(l.problems.total).toBeNull();
    expect(board.total.problems.total).toBeNull();
    // 2,300 people helped points at nobody.
    expect(l.moneyReturnedFen).toBe(27_700_000);
    expect(l.peopleHelped).toBe(2300);
    expect(smallShown(board)).toEqual([]);
  });
});

describe("money at a glance", () => {
  it("writes 万/亿 in Chinese and millions in English, exact below that", async () => {
    const { formatFenCompact } = await import("~/i18n/translate");
    expect(formatFenCompact("zh-CN", 27_700_000)).toBe("27.7 万元");
    expect(formatFenCompact("zh-CN", 1_034_000_000)).toBe("1,034 万元");
    expect(formatFenCompact("zh-CN", 15_000_000_000)).toBe("1.5 亿元");
    expect(formatFenCompact("zh-CN", 80_000)).toBe("800 元");
    expect(formatFenCompact("en", 27_700_000)).toBe("CNY 277,000");
    expect(formatFenCompact("en", 1_034_000_000)).toBe("CNY 10.34 million");
  });

  it("public pages get only the public part of the outcomes strings", async () => {
    const { messagesForPath } = await import("~/i18n/messages.server");
    const pub = messagesForPath("zh-CN", "/results");
    expect(Object.keys(pub.outcomes).sort()).toEqual(
      ["board", "dash", "focus", "focusShort", "outcome", "suppressed"].sort(),
    );
    expect(Object.keys(messagesForPath("zh-CN", "/staff/outcomes").outcomes)).toContain("findings");
  });
});

describe("clue outcomes move forward only", () => {
  it("offers after each outcome exactly the steps that can follow it", () => {
    expect(NEXT_CLUE_OUTCOMES.case_opened).toEqual([
      "disciplinary_action",
      "judicial_referral",
      "closed",
    ]);
    expect(NEXT_CLUE_OUTCOMES.disciplinary_action).toEqual(["judicial_referral"]);
    // Never back to pending or to the outcome it has; nothing after a referral or a closing.
    for (const from of CLUE_OUTCOMES) {
      expect(canFollow(from, "pending")).toBe(false);
      expect(canFollow(from, from)).toBe(false);
      // A final outcome is never followed by one that is not final (completion cannot drop).
      for (const to of NEXT_CLUE_OUTCOMES[from]) {
        if (isFinalOutcome(from)) expect(isFinalOutcome(to)).toBe(true);
      }
    }
    expect(NEXT_CLUE_OUTCOMES.judicial_referral).toEqual([]);
    expect(NEXT_CLUE_OUTCOMES.closed).toEqual([]);
    expect(canFollow("disciplinary_action", "case_opened")).toBe(false);
    expect(canFollow("pending", "case_opened")).toBe(true);
  });
});
