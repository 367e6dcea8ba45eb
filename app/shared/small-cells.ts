/**
 * Small-cell suppression for published counts (the public results board): no published number
 * may be small enough to point at one tipster, and none may be recoverable from the others.
 *
 * 1. Primary: a count from 1 to `minimum − 1` is suppressed (0 is safe: it points at nobody).
 * 2. Complementary: wherever published numbers add up (the three focuses add up to a district's
 *    problems, districts add up to the round), one suppressed cell in a sum could be recovered by
 *    subtraction; so while some sum has exactly one suppressed cell, a second one in that sum is
 *    suppressed too: a member whose other sums already hide something (so the chain ends), else
 *    the smallest non-zero member, then a zero member, and the total only when no member is left.
 * Suppressed cells are shown as "fewer than {minimum}", which also covers a suppressed zero.
 */

/** `total` holds the sum of `members` (indices into the value list). */
export interface SumConstraint {
  readonly members: readonly number[];
  readonly total: number;
}

export function suppressSmallCells(
  values: readonly number[],
  sums: readonly SumConstraint[],
  minimum: number,
): boolean[] {
  if (!Number.isInteger(minimum) || minimum < 1) throw new RangeError("minimum must be ≥ 1");
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError("counts must be non-negative integers");
  }
  for (const s of sums) {
    const sum = s.members.reduce((acc, i) => acc + values[i]!, 0);
    if (sum !== values[s.total]) throw new RangeError("a sum constraint does not add up");
  }
  const hidden = values.map((v) => v > 0 && v < minimum);
  const groupsOf = values.map(() => [] as number[][]);
  const cellsOf = sums.map((s) => [...s.members, s.total]);
  cellsOf.forEach((cells) => cells.forEach((i) => groupsOf[i]!.push(cells)));
  // Hiding a cell in a sum with nothing hidden yet starts a new chain: prefer cells that do not.
  const newChains = (i: number) =>
    groupsOf[i]!.filter((cells) => cells.every((j) => !hidden[j])).length;
  const preference = (a: number, b: number) =>
    newChains(a) - newChains(b) ||
    Number(values[a] === 0) - Number(values[b] === 0) ||
    values[a]! - values[b]! ||
    a - b;
  let changed = true;
  while (changed) {
    changed = false;
    for (const cells of cellsOf) {
      if (cells.filter((i) => hidden[i]).length !== 1) continue;
      const total = cells[cells.length - 1]!;
      const open = cells
        .slice(0, -1)
        .filter((i) => !hidden[i])
        .sort(preference);
      const pick = open[0] ?? (hidden[total] ? undefined : total);
      if (pick === undefined) continue;
      hidden[pick] = true;
      changed = true;
    }
  }
  return hidden;
}
