/** The two solvers under the planner, against exhaustive search on small random instances. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { minCostAssignment } from "~/shared/planner/assignment";
import { FlowNetwork } from "~/shared/planner/min-cost-flow";

function bruteAssignment(costs: (number | null)[][], m: number): number | null {
  let best: number | null = null;
  const used = new Array<boolean>(m).fill(false);
  const go = (i: number, sum: number) => {
    if (i === costs.length) {
      if (best === null || sum < best) best = sum;
      return;
    }
    for (let j = 0; j < m; j++) {
      const c = costs[i]![j];
      if (used[j] || c === null || c === undefined) continue;
      used[j] = true;
      go(i + 1, sum + c);
      used[j] = false;
    }
  };
  go(0, 0);
  return best;
}

const matrix = fc
  .record({ n: fc.integer({ min: 0, max: 6 }), m: fc.integer({ min: 1, max: 7 }) })
  .chain(({ n, m }) =>
    fc
      .array(fc.array(fc.option(fc.nat(50), { freq: 3 }), { minLength: m, maxLength: m }), {
        minLength: n,
        maxLength: n,
      })
      .map((costs) => ({ costs, m })),
  );

describe("minCostAssignment (Hungarian method)", () => {
  it("matches exhaustive search: same optimum, null exactly when impossible", () => {
    fc.assert(
      fc.property(matrix, ({ costs, m }) => {
        const result = minCostAssignment(costs, m);
        const best = bruteAssignment(costs, m);
        expect(result?.cost ?? null).toBe(best);
        if (!result) return;
        expect(new Set(result.columnOf).size).toBe(costs.length);
        result.columnOf.forEach((j, i) => expect(costs[i]![j]).not.toBeNull());
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe("FlowNetwork (successive shortest paths)", () => {
  it("finds the maximum flow at minimum cost and a cut of the same size", () => {
    // s → a, s → b (cap 2 each); a → t cheap but cap 1; a → b; b → t (cap 2).
    const net = new FlowNetwork(4);
    const [s, a, b, t] = [0, 1, 2, 3];
    net.addArc(s, a, 2, 0);
    net.addArc(s, b, 2, 0);
    const at = net.addArc(a, t, 1, 1);
    const ab = net.addArc(a, b, 1, 1);
    net.addArc(b, t, 2, 5);
    expect(net.solve(s, t)).toEqual({ flow: 3, cost: 1 + 5 + 5 });
    expect(net.flowOn(at)).toBe(1);
    expect(net.flowOn(ab)).toBe(0);
    // The source side of the min cut: s, a, b (arcs a→t and b→t, capacity 3, are cut).
    expect(net.residualReach(s)).toEqual([true, true, true, false]);
  });

  it("agrees with the assignment solver on random bipartite instances", () => {
    fc.assert(
      fc.property(matrix, ({ costs, m }) => {
        const n = costs.length;
        const net = new FlowNetwork(2 + n + m);
        costs.forEach((row, i) => {
          net.addArc(0, 2 + i, 1);
          row.forEach((c, j) => c !== null && net.addArc(2 + i, 2 + n + j, 1, c));
        });
        for (let j = 0; j < m; j++) net.addArc(2 + n + j, 1, 1);
        const { flow, cost } = net.solve(0, 1);
        const best = bruteAssignment(costs, m);
        expect(flow === n).toBe(best !== null);
        if (best !== null) expect(cost).toBe(best);
      }),
      { numRuns: 500, seed: 8 },
    );
  });
});
