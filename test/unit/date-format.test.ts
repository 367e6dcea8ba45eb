import { afterEach, describe, expect, it, vi } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatShortDate,
  formatShortDateTime,
} from "../../app/i18n/translate";

const TZ = "Asia/Shanghai";
const at = Date.UTC(2026, 10, 30, 16, 25, 0); // 2026-12-01 00:25 in Shanghai

describe("date formatting (China time)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows the Asia/Shanghai day and time in both languages", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const fresh = (o: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat(locale, { timeZone: TZ, ...o }).format(at);
      expect(formatDate(locale, at)).toBe(
        fresh({ year: "numeric", month: "long", day: "numeric" }),
      );
      expect(formatDateTime(locale, new Date(at))).toBe(
        fresh({
          year: "numeric",
          month: "short",
          day: "numeric",
          hour: "2-digit",
          minute: "2-digit",
        }),
      );
      expect(formatShortDate(locale, new Date(at).toISOString())).toBe(
        fresh({ month: "short", day: "numeric" }),
      );
      expect(formatShortDateTime(locale, at)).toBe(
        fresh({ month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }),
      );
    }
    expect(formatDate("zh-CN", at)).toBe("2026年12月1日");
    expect(formatDate("en", at)).toBe("December 1, 2026");
  });

  it("builds one formatter per language and format, not one per date (a page of 100 rows)", () => {
    formatShortDate("zh-CN", at); // the formatter may exist already
    const made = vi.spyOn(Intl, "DateTimeFormat");
    for (let i = 0; i < 100; i++) formatShortDate("zh-CN", at + i * 86_400_000);
    expect(made).not.toHaveBeenCalled();
  });
});
