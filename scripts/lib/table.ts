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
