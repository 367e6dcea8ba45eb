/**
 * Money as people write it, and money as we show it. Isomorphic (browser and server run the same
 * rules): amounts are integer fen everywhere; parsing is exact (string arithmetic, no floats).
 *
 * Parsing accepts what residents actually type — "15000", "15000元", "1,500,000", "1.5万",
 * "3.5亿", "1亿2000万", "￥15,000.50", full-width digits "１５０００", spaces anywhere — and
 * refuses what could mean two different numbers (commas not in groups of three, more decimals
 * than fen, ranges like "10-20万", words like "多"), naming the problem so the page can say it.
 *
 * Formatting: `formatFen` is the exact amount ("¥15,000.00" / "CNY 15,000.00"), for echoing
 * what was parsed and for anything a person checks to the fen; `formatFenCompact` is for reading
 * at a glance on the results board and scorecards ("150 万元" / "CNY 1.5 million").
 */

export type MoneyLocale = "zh-CN" | "en";

/** Largest amount accepted: 10 billion yuan (larger than any village's books). */
export const MAX_AMOUNT_FEN = 10_000_000_000 * 100;

export type MoneyError =
  /** not a number we can read (letters, two numbers, a range, a sign, "多") */
  | "invalid"
  /** more decimals than fen (e.g. "1.234" or "1.234567万") */
  | "precision"
  /** commas that are not thousands groups ("1,50", "15,00,000") */
  | "grouping"
  /** above MAX_AMOUNT_FEN */
  | "tooLarge";

export type MoneyParse = { ok: true; fen: number } | { ok: false; error: MoneyError };

/** Multipliers in the order they may appear ("1亿2000万" — never "2000万1亿"). */
const UNITS = [
  ["亿", 8],
  ["万", 4],
  ["千", 3],
] as const;

const CURRENCY_PREFIX = /^(?:¥|RMB|CNY|人民币)/i;
const CURRENCY_SUFFIX = /(?:元整|元|块钱|块|圆|人民币|RMB|CNY|yuan)$/i;

/**
 * Parses one amount in yuan. Returns null for an empty field (the amount is optional), the amount
 * in integer fen, or the reason it was refused.
 */
export function parseYuan(input: string): MoneyParse | null {
  // NFKC turns full-width digits, "，", "．" and "￥" into their ASCII forms.
  let s = input.normalize("NFKC").replace(/\s+/g, "");
  if (s === "") return null;
  s = s.replace(CURRENCY_PREFIX, "").replace(CURRENCY_SUFFIX, "");
  // "1.5万元" lost its 元 above; "¥1.5万" lost its ¥. Nothing else may remain but digits,
  // separators and the multipliers.
  if (s === "" || !/^[0-9.,亿万千]+$/.test(s)) return { ok: false, error: "invalid" };

  // Split into "number + multiplier" groups, multipliers in descending order, each at most once;
  // whatever follows the last multiplier is plain yuan ("2万5000" = 25,000).
  let fen = 0n;
  let rest = s;
  let lastPower: number | null = null;
  for (const [unit, power] of UNITS) {
    const at = rest.indexOf(unit);
    if (at < 0) continue;
    const part = parsePlain(rest.slice(0, at), power);
    if (!part.ok) return part;
    fen += part.fen;
    rest = rest.slice(at + 1);
    lastPower = power;
  }
  if (/[亿万千]/.test(rest)) return { ok: false, error: "invalid" }; // "1万1万", "2000万1亿"
  if (rest !== "") {
    const part = parsePlain(rest, 0);
    if (!part.ok) return part;
    // The remainder must be smaller than the multiplier before it ("2万15000" is two numbers).
    if (lastPower !== null && part.fen >= 10n ** BigInt(lastPower) * 100n) {
      return { ok: false, error: "invalid" };
    }
    fen += part.fen;
  }
  if (fen > BigInt(MAX_AMOUNT_FEN)) return { ok: false, error: "tooLarge" };
  return { ok: true, fen: Number(fen) };
}

/** "1,500.25" × 10^power yuan → fen, exactly. */
function parsePlain(
  text: string,
  power: number,
): { ok: true; fen: bigint } | { ok: false; error: MoneyError } {
  if (text === "" || !/^[0-9.,]+$/.test(text)) return { ok: false, error: "invalid" };
  const dots = text.split(".").length - 1;
  if (dots > 1) return { ok: false, error: "invalid" };
  const [whole = "", frac = ""] = text.split(".");
  if (whole === "") return { ok: false, error: "invalid" };
  if (frac.includes(",")) return { ok: false, error: "grouping" };
  if (whole.includes(",")) {
    // Thousands groups only: 1-3 digits, then groups of exactly three.
    if (!/^\d{1,3}(,\d{3})+$/.test(whole)) return { ok: false, error: "grouping" };
  } else if (!/^\d+$/.test(whole)) {
    return { ok: false, error: "invalid" };
  }
  if (frac !== "" && !/^\d+$/.test(frac)) return { ok: false, error: "invalid" };
  const digits = whole.replace(/,/g, "").replace(/^0+(?=\d)/, "");
  if (digits.length > 15) return { ok: false, error: "tooLarge" };
  // value = digits.frac × 10^power yuan = (digits.frac) × 10^(power+2) fen
  const shift = power + 2;
  // "1.500" is refused, not read as 1.50: in some countries it means fifteen hundred.
  if (frac.length > shift) return { ok: false, error: "precision" };
  const fracPadded = (frac + "0".repeat(shift)).slice(0, shift);
  return { ok: true, fen: BigInt(digits) * 10n ** BigInt(shift) + BigInt(fracPadded || "0") };
}

/** The exact amount: "¥15,000.00" (zh-CN) or "CNY 15,000.00" (en). */
export function formatFen(locale: MoneyLocale, fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, "0");
  const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }).format(yuan);
  return locale === "en" ? `${sign}CNY ${grouped}.${cents}` : `${sign}¥${grouped}.${cents}`;
}

/**
 * Money at a glance (the results board, scorecards): "27.7 万元", "1,034 万元", "1.5 亿元" in
 * zh-CN; "CNY 277,000", "CNY 10.34 million" in English. At most two decimals, trailing zeros
 * dropped; amounts under 10,000 yuan (zh) or 1 million (en) are written out in yuan.
 */
export function formatFenCompact(locale: MoneyLocale, fen: number): string {
  const yuan = fen / 100;
  const num = (n: number, digits = 2) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
  if (locale === "zh-CN") {
    if (Math.abs(yuan) >= 1e8) return `${num(yuan / 1e8)} 亿元`;
    if (Math.abs(yuan) >= 1e4) return `${num(yuan / 1e4)} 万元`;
    return `${num(yuan)} 元`;
  }
  if (Math.abs(yuan) >= 1e9) return `CNY ${num(yuan / 1e9)} billion`;
  if (Math.abs(yuan) >= 1e6) return `CNY ${num(yuan / 1e6)} million`;
  return `CNY ${num(yuan)}`;
}
