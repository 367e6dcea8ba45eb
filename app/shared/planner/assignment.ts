/**
 * Minimum-cost assignment of every row to a distinct column (Hungarian method, Kuhn–Munkres with
 * row-by-row augmentation and dual potentials, O(n²·m)). Rows are districts, columns teams.
 *
 * Forbidden pairs cost `null`. They are priced above any plan made of allowed pairs only, so the
 * optimum uses one only when no all-allowed assignment exists — the caller then asks the flow
 * network for the certificate (`min-cost-flow.ts`). Used instead of the flow network for the
 * dense district × team matrix because it is several times faster there (ADR: planner).
 */
export function minCostAssignment(
  costs: readonly (readonly (number | null)[])[],
  columns: number,
): { columnOf: number[]; cost: number } | null {
  const n = costs.length;
  const m = columns;
  if (n === 0) return { columnOf: [], cost: 0 };
  if (n > m) return null;
  let maxAllowed = 0;
  for (const row of costs) for (const c of row) if (c !== null && c > maxAllowed) maxAllowed = c;
  const forbidden = (maxAllowed + 1) * (n + 1);
  // 1-based arrays as in the textbook formulation; index 0 is the virtual start column.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const rowOfColumn = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    rowOfColumn[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOfColumn[j0]!;
      const r = costs[i0 - 1]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const c = r[j - 1] ?? null;
        const cur = (c === null ? forbidden : c) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[rowOfColumn[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (rowOfColumn[j0] !== 0);
    do {
      const j1 = way[j0]!;
      rowOfColumn[j0] = rowOfColumn[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const columnOf = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (rowOfColumn[j]! > 0) columnOf[rowOfColumn[j]! - 1] = j - 1;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const c = costs[i]![columnOf[i]!] ?? null;
    if (c === null) return null;
    cost += c;
  }
  return { columnOf, cost };
}
