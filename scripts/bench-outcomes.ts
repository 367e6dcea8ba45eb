/**
 * Outcomes part of `npm run bench`: `npx tsx scripts/bench-outcomes.ts`.
 * - sealing the demo's 2,293 Tianjin findings (two readers each) one by one (tweetnacl) and in one
 *   batch (sealFindingsMany, native X25519) — the batch is what the demo seed uses;
 * - opening 2,293 findings in one batch (a team or office list, in Node; the browser does the same
 *   as openTipsAsStaff, benchmarked in bench-crypto);
 * - computing a round's scorecard and its suppressed public board from 2,293 findings.
 * Prints each figure with its target and pass/fail (ratio ≤ 1 meets it). Informational only.
 */
import * as c from "../crypto/index";
import { scorecard, type ScorecardFinding } from "../app/shared/outcome-metrics";
import { boardFigures, publishBoard, type BoardFinding } from "../app/shared/results-board";
import { printBenchRows, type BenchRow } from "./lib/table";

const N = 2293;
const rows: BenchRow[] = [];
function row(name: string, ms: number, target: number | null) {
  rows.push({ name, measured: Math.round(ms), target, unit: "ms" });
}

const team = c.generateStaffKeys();
const office = c.generateStaffKeys();
const inputs = Array.from({ length: N }, (_, i) => ({
  findingId: `fd_bench_${i}`,
  body: { v: 1, title: `问题 ${i}`, narrative: "巡察组在走访时发现此问题。".repeat(4), people: [] },
  recipients: [
    { id: "team", boxPublicKey: team.boxPublicKey },
    { id: "office", boxPublicKey: office.boxPublicKey },
  ],
}));

// One by one, on a sample (tweetnacl only), scaled to N.
const sample = 200;
let t = performance.now();
for (let i = 0; i < sample; i++) c.sealFinding(inputs[i]!);
row(
  `seal ${N} findings one by one (tweetnacl, from ${sample})`,
  ((performance.now() - t) / sample) * N,
  null,
);

t = performance.now();
const sealed = await c.sealFindingsMany(inputs);
row(`seal ${N} findings in one batch (native X25519)`, performance.now() - t, 3000);

t = performance.now();
const opened = await c.openFindingsAsStaff(
  sealed.map((s, i) => ({
    findingId: inputs[i]!.findingId,
    body: s.body,
    envelope: s.envelopes[1]!.envelope,
  })),
  office.boxSecretKey,
);
row(`open ${N} findings in one batch (office list)`, performance.now() - t, 2000);
if (opened.some((r) => !r.ok)) throw new Error("bench: a finding did not open");

const categories = ["decision", "corruption", "livelihood"] as const;
const findings: (ScorecardFinding & BoardFinding & { district: number })[] = inputs.map((_, i) => ({
  district: i % 16,
  category: categories[i % 3]!,
  keyMinority: i % 3 === 0,
  immediateRectification: i % 37 === 0,
  clueOutcomes: i % 29 === 0 ? ["disciplinary_action"] : [],
  moneyReturnedFen: 0,
  beneficiaries: 0,
  resolutions: i % 50 === 0 ? [{ kind: "refund", amountFen: 100_000, beneficiaries: 12 }] : [],
}));
t = performance.now();
for (let d = 0; d < 16; d++) {
  scorecard({ findings: findings.filter((f) => f.district === d), tips: [], now: Date.now() });
}
scorecard({ findings, tips: [], now: Date.now() });
const board = publishBoard(
  Array.from({ length: 16 }, (_, d) => ({
    key: `d${d}`,
    figures: boardFigures(findings.filter((f) => f.district === d)),
  })),
  3,
);
row(
  `scorecard (round + 16 districts) and suppressed board, ${N} findings`,
  performance.now() - t,
  200,
);
void board;

printBenchRows("outcomes", rows);
