import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETENTION,
  describeRetention,
  parseRetention,
  RetentionConfigError,
} from "../../app/shared/retention";

describe("RETENTION_DAYS", () => {
  it("defaults to two years for resolved cases and one for the other closed states", () => {
    expect(parseRetention(undefined)).toEqual({ resolved: 730, not_accepted: 365, merged: 365 });
    expect(parseRetention("")).toEqual(parseRetention(DEFAULT_RETENTION));
  });

  it("takes one number for every closed state, per-state periods and off", () => {
    expect(parseRetention("400")).toEqual({ resolved: 400, not_accepted: 400, merged: 400 });
    expect(parseRetention("off")).toEqual({});
    expect(parseRetention(" resolved = 1095 , not_accepted=off ")).toEqual({ resolved: 1095 });
    expect(parseRetention("merged=0")).toEqual({ merged: 0 });
    expect(describeRetention({ resolved: 1095 })).toBe("resolved 1095 days");
    expect(describeRetention({})).toMatch(/^off/);
  });

  it("refuses open states, unknown names, repeats and nonsense with one line", () => {
    const cases: [string, RegExp][] = [
      ["under_review=30", /open cases are never deleted/],
      ["received=1", /not a closed state/],
      ["resolved=30,resolved=40", /named twice/],
      ["resolved=-1", /whole number/],
      ["resolved=1.5", /whole number/],
      ["resolved=99999", /whole number of days from 0 to 18250/],
      ["resolved", /whole number/],
      ["resolved=1=2", /state=days/],
      ["forever", /whole number/],
    ];
    for (const [value, message] of cases) {
      expect(() => parseRetention(value), value).toThrowError(RetentionConfigError);
      expect(() => parseRetention(value), value).toThrowError(message);
      expect(() => parseRetention(value)).not.toThrowError(/\n/);
    }
  });
});
