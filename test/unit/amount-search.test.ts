import { describe, expect, it } from "vitest";
import { amountSearchTerms, queryAmountFen } from "~/client/staff/amount-search";

describe("amounts in inbox search", () => {
  it("reads the ways people write an amount", () => {
    expect(queryAmountFen("680000")).toBe(68_000_000);
    expect(queryAmountFen("68万")).toBe(68_000_000);
    expect(queryAmountFen("680,000元")).toBe(68_000_000);
    expect(queryAmountFen("¥1.5万")).toBe(1_500_000);
    expect(queryAmountFen("１．５万")).toBe(1_500_000);
    expect(queryAmountFen("1.5亿")).toBe(15_000_000_000);
    expect(queryAmountFen("1234.56")).toBe(123_456);
    expect(queryAmountFen("补偿款")).toBeNull();
    expect(queryAmountFen("1.23456万")).toBe(1_234_560);
    expect(queryAmountFen("1.2345678万")).toBeNull();
    expect(queryAmountFen("10-20万")).toBeNull();
    expect(queryAmountFen("")).toBeNull();
  });
  it("spells an amount the ways a search may ask for it", () => {
    expect(amountSearchTerms(68_000_000)).toEqual(
      expect.arrayContaining(["680000", "680,000", "680000.00", "68万", "68万元"]),
    );
    expect(amountSearchTerms(1_500_000)).toEqual(expect.arrayContaining(["15000", "1.5万"]));
    expect(amountSearchTerms(150_000_000)).toEqual(expect.arrayContaining(["150万", "1500000"]));
    expect(amountSearchTerms(123_456)).toEqual(expect.arrayContaining(["1234.56", "1,234.56"]));
    expect(amountSearchTerms(123_456).some((t) => t.includes("万"))).toBe(false);
  });
});
