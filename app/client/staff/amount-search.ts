/**
 * Amounts in inbox search. A resident may type "68万", "680000" or "680,000元"; the payload keeps
 * the amount in integer fen (and, where the report page stores it, the text as typed). A search
 * for any way of writing the amount finds the tip: the row's search text carries the amount in
 * the usual spellings, and a query that reads as an amount also matches by value.
 */
import { parseYuan } from "../../shared/money";

/**
 * "68万" / "680,000元" / "¥1.5万" / "３万" → fen, read by the same rules as the report page
 * (app/shared/money.ts); null when the query is not an amount.
 */
export function queryAmountFen(query: string): number | null {
  const parsed = parseYuan(query);
  return parsed?.ok ? parsed.fen : null;
}

const trimZeros = (s: string) => (s.includes(".") ? s.replace(/\.?0+$/, "") : s);

/** The spellings of an amount that a search should find: 680000, 680,000.00, 68万 … */
export function amountSearchTerms(fen: number): string[] {
  if (!Number.isSafeInteger(fen) || fen < 0) return [];
  const yuan = Math.floor(fen / 100);
  const cents = fen % 100;
  const plain = cents ? `${yuan}.${String(cents).padStart(2, "0")}` : String(yuan);
  const grouped =
    yuan.toLocaleString("en-US") + (cents ? `.${String(cents).padStart(2, "0")}` : "");
  const terms = [plain, `${yuan}.${String(cents).padStart(2, "0")}`, grouped, `${grouped}元`];
  for (const [unit, power] of [
    ["万", 4],
    ["亿", 8],
  ] as const) {
    if (yuan < 10 ** power) continue;
    const scaled = trimZeros((fen / 10 ** (power + 2)).toFixed(power + 2));
    terms.push(`${scaled}${unit}`, `${scaled}${unit}元`);
  }
  return terms;
}
