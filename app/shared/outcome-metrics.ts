/**
 * The numbers a round is judged by, computed from records — never typed in (DESIGN §6, issue 9
 * item 4, issue 10 item 8). Pure functions over plain rows, so the formulas are stated and tested
 * once (test/unit/outcome-metrics.test.ts) and every page shows the same figures.
 *
 * Look-back (回头看), each formula printed on the page next to its value:
 *   precision          = findings the look-back confirms as real problems ÷ findings checked
 *   rectification rate = findings whose rectification it verified ÷ checked findings that
 *                        required rectification
 *   clue completion    = transferred clues with a final outcome ÷ clues transferred
 * A clue's outcome is final when it is disciplinary action, a judicial referral or closed without
 * action; "case opened" means the receiving body is still working on it.
 */

export const FOCUS_CATEGORIES = ["decision", "corruption", "livelihood"] as const;
export type FocusCategory = (typeof FOCUS_CATEGORIES)[number];

export const CLUE_OUTCOMES = [
  "pending",
  "case_opened",
  "disciplinary_action",
  "judicial_referral",
  "closed",
] as const;
export type ClueOutcome = (typeof CLUE_OUTCOMES)[number];
export const FINAL_CLUE_OUTCOMES: readonly ClueOutcome[] = [
  "disciplinary_action",
  "judicial_referral",
  "closed",
];
export function isFinalOutcome(outcome: ClueOutcome): boolean {
  return FINAL_CLUE_OUTCOMES.includes(outcome);
}

/**
 * What a receiving body may record after a clue's current outcome: a case moves forward, never
 * back. A pending clue may be opened as a case, dealt with at once or closed without action; an
 * opened case ends in disciplinary action, a judicial referral or is closed; disciplinary action
 * may still be followed by a judicial referral; a judicial referral and a closed clue are done.
 */
export const NEXT_CLUE_OUTCOMES: Readonly<Record<ClueOutcome, readonly ClueOutcome[]>> = {
  pending: ["case_opened", "disciplinary_action", "judicial_referral", "closed"],
  case_opened: ["disciplinary_action", "judicial_referral", "closed"],
  disciplinary_action: ["judicial_referral"],
  judicial_referral: [],
  closed: [],
};
export function canFollow(current: ClueOutcome, next: ClueOutcome): boolean {
  return NEXT_CLUE_OUTCOMES[current].includes(next);
}

/** Look-back verdict on one finding's rectification; `not_required` when none was needed. */
export const RECTIFICATION_VERDICTS = ["verified", "partial", "not_done", "not_required"] as const;
export type RectificationVerdict = (typeof RECTIFICATION_VERDICTS)[number];

/** A share with its parts kept, so pages can print "87.2 % (218 / 250)". */
export interface Ratio {
  readonly numerator: number;
  readonly denominator: number;
  /** numerator ÷ denominator, or null when nothing was counted (shown as "—", never 0 %) */
  readonly value: number | null;
}

export function ratio(numerator: number, denominator: number): Ratio {
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || numerator < 0) {
    throw new RangeError("ratio parts must be non-negative integers");
  }
  if (numerator > denominator) throw new RangeError("numerator above denominator");
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

// ---------------------------------------------------------------- look-back
export interface LookBackCheck {
  /** the look-back confirmed the finding described a real problem */
  readonly problemConfirmed: boolean;
  readonly rectification: RectificationVerdict;
}

export interface LookBackMetrics {
  readonly precision: Ratio;
  readonly rectificationRate: Ratio;
  readonly clueCompletion: Ratio;
}

export function lookBackMetrics(input: {
  readonly checks: readonly LookBackCheck[];
  readonly clueOutcomes: readonly ClueOutcome[];
}): LookBackMetrics {
  const { checks, clueOutcomes } = input;
  const confirmed = checks.filter((c) => c.problemConfirmed).length;
  const needing = checks.filter((c) => c.rectification !== "not_required");
  const verified = needing.filter((c) => c.rectification === "verified").length;
  const final = clueOutcomes.filter(isFinalOutcome).length;
  return {
    precision: ratio(confirmed, checks.length),
    rectificationRate: ratio(verified, needing.length),
    clueCompletion: ratio(final, clueOutcomes.length),
  };
}

// ---------------------------------------------------------------- scorecard
export interface ScorecardFinding {
  readonly category: FocusCategory;
  readonly keyMinority: boolean;
  readonly immediateRectification: boolean;
  /** outcomes of the finding's clue transfers (empty when never transferred) */
  readonly clueOutcomes: readonly ClueOutcome[];
  /** refunds and recoveries of the finding's resolutions */
  readonly moneyReturnedFen: number;
  readonly beneficiaries: number;
}

export interface ScorecardTip {
  readonly acknowledgeBy: number;
  readonly acknowledgedAt: number | null;
  readonly feedbackBy: number;
  /** first answer the tipster could read (a status note or a message), ms */
  readonly firstFeedbackAt: number | null;
}

export interface Scorecard {
  readonly problems: Readonly<Record<FocusCategory, number>> & { readonly total: number };
  /** key-minority clues ÷ clues transferred */
  readonly keyMinorityShare: Ratio;
  readonly immediateRectifications: number;
  readonly cluesTransferred: number;
  /** transferred clues with a final outcome ÷ clues transferred */
  readonly clueCompletion: Ratio;
  readonly moneyReturnedFen: number;
  readonly beneficiaries: number;
  readonly tipsReceived: number;
  /** acknowledged by the 7-day date ÷ tips whose 7-day date has passed or that were acknowledged */
  readonly acknowledgedOnTime: Ratio;
  /** answered by the 3-month date ÷ tips whose 3-month date has passed or that were answered */
  readonly answeredOnTime: Ratio;
}

/**
 * One scorecard over a set of findings and tips (a round, one district of it, or one team).
 * "Clues" are findings handed to a receiving body: a finding transferred twice (e.g. to the
 * commission and to an audit office) counts once, complete when every transfer has a final outcome.
 */
export function scorecard(input: {
  readonly findings: readonly ScorecardFinding[];
  readonly tips: readonly ScorecardTip[];
  readonly now: number;
}): Scorecard {
  const problems = { decision: 0, corruption: 0, livelihood: 0, total: 0 };
  let keyMinorityClues = 0;
  let clues = 0;
  let complete = 0;
  let immediate = 0;
  let money = 0;
  let beneficiaries = 0;
  for (const f of input.findings) {
    problems[f.category] += 1;
    problems.total += 1;
    if (f.immediateRectification) immediate += 1;
    money += f.moneyReturnedFen;
    beneficiaries += f.beneficiaries;
    if (f.clueOutcomes.length > 0) {
      clues += 1;
      if (f.keyMinority) keyMinorityClues += 1;
      if (f.clueOutcomes.every(isFinalOutcome)) complete += 1;
    }
  }
  let ackDue = 0;
  let ackOnTime = 0;
  let answerDue = 0;
  let answerOnTime = 0;
  for (const t of input.tips) {
    if (t.acknowledgedAt !== null || t.acknowledgeBy <= input.now) {
      ackDue += 1;
      if (t.acknowledgedAt !== null && t.acknowledgedAt <= t.acknowledgeBy) ackOnTime += 1;
    }
    if (t.firstFeedbackAt !== null || t.feedbackBy <= input.now) {
      answerDue += 1;
      if (t.firstFeedbackAt !== null && t.firstFeedbackAt <= t.feedbackBy) answerOnTime += 1;
    }
  }
  return {
    problems,
    keyMinorityShare: ratio(keyMinorityClues, clues),
    immediateRectifications: immediate,
    cluesTransferred: clues,
    clueCompletion: ratio(complete, clues),
    moneyReturnedFen: money,
    beneficiaries,
    tipsReceived: input.tips.length,
    acknowledgedOnTime: ratio(ackOnTime, ackDue),
    answeredOnTime: ratio(answerOnTime, answerDue),
  };
}

/** Groups rows by a key and computes one scorecard per group (districts, teams), key order kept. */
export function scorecardsBy<K extends string>(input: {
  readonly findings: readonly (ScorecardFinding & { readonly group: K })[];
  readonly tips: readonly (ScorecardTip & { readonly group: K })[];
  readonly groups: readonly K[];
  readonly now: number;
}): { group: K; card: Scorecard }[] {
  return input.groups.map((group) => ({
    group,
    card: scorecard({
      findings: input.findings.filter((f) => f.group === group),
      tips: input.tips.filter((t) => t.group === group),
      now: input.now,
    }),
  }));
}

// ---------------------------------------------------------------- percentages
/** "87.2 %" style with one decimal (zh-CN and en both write 87.2%); null → "—". */
export function formatRatio(locale: string, r: Ratio): string {
  if (r.value === null) return "—";
  return new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(r.value);
}
