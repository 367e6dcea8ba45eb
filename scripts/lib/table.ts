/** Prints a benchmark result table: a title, then aligned columns under a dashed header rule. */
export function printTable(title: string, header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const print = (cols: string[]) =>
    console.log(
      cols
        .map((col, i) => col.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
  console.log(`\n${title}\n`);
  print(header);
  print(widths.map((w) => "-".repeat(w)));
  lines.forEach(print);
}

/** One measured row of a benchmark: printed with its target (null: informational). */
export interface BenchRow {
  name: string;
  measured: number;
  target: number | null;
  unit: string;
  note?: string;
}

/**
 * Prints BenchRows as `name  measured  target  ratio  pass  note` (ratio = measured / target;
 * ≤ 1.00 meets a target, so pass/fail is spelled out for every row that has one).
 */
export function printBenchRows(title: string, rows: readonly BenchRow[]): void {
  const fmt = (n: number) =>
    Number.isInteger(n) || Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1);
  printTable(
    `${title} (ratio = measured / target; ≤ 1.00 meets the target)`,
    ["name", "measured", "target", "ratio", "pass", "note"],
    rows.map((r) => [
      r.name,
      `${fmt(r.measured)} ${r.unit}`.trim(),
      r.target === null ? "—" : `≤ ${fmt(r.target)} ${r.unit}`.trim(),
      r.target === null || r.target === 0 ? "—" : (r.measured / r.target).toFixed(2),
      r.target === null ? "—" : r.measured <= r.target ? "pass" : "FAIL",
      r.note ?? "",
    ]),
  );
}
