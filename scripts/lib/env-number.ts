/** A positive number from the environment variable `name`, or `fallback` (benchmarks' counts). */
export function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
