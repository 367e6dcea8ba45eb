/**
 * Rotation planner speed, part of `npm run bench` (`npm run bench -- planner`).
 *
 * Times `planRound` (pure, no database) on Tianjin's 16 districts in 3 zones (the seed, with
 * round 4 as history) and on synthetic registries of 200 districts: 20 zones of 10 (zone
 * circulation) and one ring of 200 (rotation), each team 7 cadres, one earlier round as history.
 * Targets: 16 districts in ≤ 10 ms, 200 districts in ≤ 500 ms ("well under a second").
 * Median of several runs after one warm-up; prints `name  measured  target  ratio  pass`.
 */
import { planRound, type CirculationInput } from "../app/shared/planner";
import { tianjin } from "../db/seed-data/tianjin";
import { nextRoundInput } from "../test/support/planner-input";
import { printTable } from "./lib/table";

function synthetic(
  mode: "zone" | "rotation",
  districtCount: number,
  zoneSize: number,
): CirculationInput {
  const districts = Array.from({ length: districtCount }, (_, i) => ({
    id: `d${i}`,
    zoneId: `z${Math.floor(i / zoneSize)}`,
    unitCount: 2 + ((i * 7) % 5),
  }));
  const teams = districts.map((d, i) => ({
    id: `t${i}`,
    homeDistrictId: d.id,
    members: Array.from({ length: 7 }, (_, k) => ({
      staffId: `t${i}m${k}`,
      // Every tenth team has a member seconded from the next district (left out there).
      homeDistrictId: k === 6 && i % 10 === 0 ? `d${(i + 1) % districtCount}` : d.id,
      role: k === 0 ? ("leader" as const) : ("member" as const),
    })),
  }));
  // Last round: every team one along its ring.
  const history = districts.map((d, i) => {
    const zoneStart = Math.floor(i / zoneSize) * zoneSize;
    const size = Math.min(zoneSize, districtCount - zoneStart);
    return {
      homeDistrictId: d.id,
      targetDistrictId: `d${zoneStart + ((i - zoneStart + 1) % size)}`,
      startedAtMs: 0,
    };
  });
  const recusals = districts
    .filter((_, i) => i % 13 === 0)
    .map((_, j) => ({
      staffId: `t${j * 13}m3`,
      districtId: `d${(j * 13 + 2) % districtCount}`,
      unitId: null,
    }));
  return { mode, districts, targets: districts.map((d) => d.id), teams, recusals, history };
}

function time(input: CirculationInput, runs: number): number {
  const first = planRound(input);
  if (!first.ok) throw new Error(`bench input has no plan: ${JSON.stringify(first.blocking)}`);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    planRound(input);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const cases: { name: string; input: CirculationInput; target: number; runs: number }[] = [
  {
    name: "plan Tianjin, 16 districts in 3 zones",
    input: nextRoundInput(tianjin, "zone"),
    target: 10,
    runs: 50,
  },
  {
    name: "plan 200 districts, 20 zones (zone)",
    input: synthetic("zone", 200, 10),
    target: 500,
    runs: 9,
  },
  {
    name: "plan 200 districts, one ring (rotation)",
    input: synthetic("rotation", 200, 200),
    target: 500,
    runs: 5,
  },
];

const lines = cases.map((c) => {
  const ms = time(c.input, c.runs);
  return [
    c.name,
    `${ms.toFixed(2)} ms`,
    `${c.target} ms`,
    (ms / c.target).toFixed(3),
    ms <= c.target ? "pass" : "FAIL",
  ];
});
printTable(
  "rotation planner (median; ratio = measured / target, ≤ 1 meets it)",
  ["name", "measured", "target", "ratio", "pass"],
  lines,
);
