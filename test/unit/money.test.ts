/** Amounts as residents write them (app/shared/money.ts): exact parsing to fen, and formatting. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_AMOUNT_FEN,
  formatFen,
  formatFenCompact,
  parseYuan,
  type MoneyParse,
} from "../../app/shared/money";

const fen = (n: number): MoneyParse => ({ ok: true, fen: n });
const err = (error: string) => ({ ok: false, error });

/** Whole yuan and fen written the plain way: "1500000.05". */
const plain = (f: number) => `${Math.floor(f / 100)}.${String(f % 100).padStart(2, "0")}`;
const grouped = (f: number) =>
  `${new Intl.NumberFormat("en-US").format(Math.floor(f / 100))}.${String(f % 100).padStart(2, "0")}`;
const fullWidth = (s: string) =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))).replace(/,/g, "，");
const anyFen = fc.integer({ min: 0, max: MAX_AMOUNT_FEN });

describe("parseYuan", () => {
  it("reads what residents write", () => {
    expect(parseYuan("")).toBeNull();
    expect(parseYuan("   ")).toBeNull();
    expect(parseYuan("1.5万")).toEqual(fen(1_500_000));
    expect(parseYuan("15000元")).toEqual(fen(1_500_000));
    expect(parseYuan("1,500,000")).toEqual(fen(150_000_000));
    expect(parseYuan("１５０００")).toEqual(fen(1_500_000));
    expect(parseYuan("3.5亿")).toEqual(fen(35_000_000_000));
    expect(parseYuan("3.5亿元")).toEqual(fen(35_000_000_000));
    expect(parseYuan("1亿2000万")).toEqual(fen(12_000_000_000));
    expect(parseYuan("2万5000")).toEqual(fen(2_500_000));
    expect(parseYuan("5千")).toEqual(fen(500_000));
    expect(parseYuan("￥ 15,000.50")).toEqual(fen(1_500_050));
    expect(parseYuan("¥15000")).toEqual(fen(1_500_000));
    expect(parseYuan("人民币 150 万元")).toEqual(fen(150_000_000));
    expect(parseYuan("15 000")).toEqual(fen(1_500_000));
    expect(parseYuan("1,500.5 元")).toEqual(fen(150_050));
    expect(parseYuan("0.01")).toEqual(fen(1));
    expect(parseYuan("1.23456万")).toEqual(fen(1_234_560));
    expect(parseYuan("277000 yuan")).toEqual(fen(27_700_000));
    expect(parseYuan("CNY 15,000.00")).toEqual(fen(1_500_000));
  });

  it("refuses what could mean two different numbers, and says why", () => {
    expect(parseYuan("1.234")).toEqual(err("precision"));
    expect(parseYuan("1.500")).toEqual(err("precision"));
    expect(parseYuan("1.2345678万")).toEqual(err("precision"));
    expect(parseYuan("1,50")).toEqual(err("grouping"));
    expect(parseYuan("15,00,000")).toEqual(err("grouping"));
    expect(parseYuan("1.500,00")).toEqual(err("grouping"));
    expect(parseYuan("10-20万")).toEqual(err("invalid"));
    expect(parseYuan("150多万")).toEqual(err("invalid"));
    expect(parseYuan("-5")).toEqual(err("invalid"));
    expect(parseYuan("abc")).toEqual(err("invalid"));
    expect(parseYuan("万")).toEqual(err("invalid"));
    expect(parseYuan("元")).toEqual(err("invalid"));
    expect(parseYuan("1万1万")).toEqual(err("invalid"));
    expect(parseYuan("2000万1亿")).toEqual(err("invalid"));
    expect(parseYuan("2万15000")).toEqual(err("invalid"));
    expect(parseYuan("1.2.3")).toEqual(err("invalid"));
    expect(parseYuan("101亿")).toEqual(err("tooLarge"));
    expect(parseYuan("99999999999")).toEqual(err("tooLarge"));
  });

  it("reads every amount back from its plain, grouped, full-width and formatted forms", () => {
    fc.assert(
      fc.property(anyFen, (f) => {
        expect(parseYuan(plain(f))).toEqual(fen(f));
        expect(parseYuan(`${grouped(f)}元`)).toEqual(fen(f));
        expect(parseYuan(fullWidth(plain(f)))).toEqual(fen(f));
        expect(parseYuan(formatFen("zh-CN", f))).toEqual(fen(f));
        expect(parseYuan(formatFen("en", f))).toEqual(fen(f));
      }),
    );
  });

  it("reads amounts written in 万 and 亿 exactly, with no floating-point drift", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 * 100 }), (f) => {
        // f fen = f / 10^6 万 (yuan ÷ 10^4, fen ÷ 10^2)
        const s = String(f).padStart(7, "0");
        const wan = `${s.slice(0, -6)}.${s.slice(-6)}万`;
        expect(parseYuan(wan)).toEqual(fen(f));
      }),
    );
  });

  it("ignores spaces anywhere", () => {
    fc.assert(
      fc.property(anyFen, fc.array(fc.nat(), { maxLength: 5 }), (f, cuts) => {
        let s = grouped(f);
        for (const c of cuts) {
          const at = c % (s.length + 1);
          s = `${s.slice(0, at)} ${s.slice(at)}`;
        }
        expect(parseYuan(s)).toEqual(fen(f));
      }),
    );
  });

  it("never throws and never returns anything but null, an integer in range, or a reason", () => {
    const alphabet = fc.constantFrom(..."0123456789,.万亿千元¥￥ -多１，．".split(""));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(alphabet).map((a) => a.join("")),
        ),
        (s) => {
          const r = parseYuan(s);
          if (r === null) {
            expect(s.normalize("NFKC").trim()).toBe("");
          } else if (r.ok) {
            expect(Number.isSafeInteger(r.fen)).toBe(true);
            expect(r.fen).toBeGreaterThanOrEqual(0);
            expect(r.fen).toBeLessThanOrEqual(MAX_AMOUNT_FEN);
          } else {
            expect(["invalid", "precision", "grouping", "tooLarge"]).toContain(r.error);
          }
        },
      ),
    );
  });
});

describe("formatFen / formatFenCompact", () => {
  it("shows the exact amount with the currency for each language", () => {
    expect(formatFen("zh-CN", 1_500_000)).toBe("¥15,000.00");
    expect(formatFen("en", 1_500_000)).toBe("CNY 15,000.00");
    expect(formatFen("zh-CN", 27_700_000)).toBe("¥277,000.00");
    expect(formatFen("zh-CN", 5)).toBe("¥0.05");
    expect(formatFen("en", 0)).toBe("CNY 0.00");
  });

  it("shows large amounts in 万 / 亿 (zh-CN) and million / billion (en)", () => {
    expect(formatFenCompact("zh-CN", 850_000)).toBe("8,500 元");
    expect(formatFenCompact("zh-CN", 150_000_000)).toBe("150 万元");
    expect(formatFenCompact("zh-CN", 32_000_000_000)).toBe("3.2 亿元");
    expect(formatFenCompact("en", 150_000_000)).toBe("CNY 1.5 million");
  });
});
