import { describe, expect, it } from "vitest";
import {
  checkHomeOrganisation,
  HOME_ORGANISATION_MAX_LENGTH,
} from "../../app/shared/home-organisation";

describe("checkHomeOrganisation", () => {
  it("trims and NFC-normalises a name; nothing typed is null", () => {
    expect(checkHomeOrganisation("  威远县委巡察办 ")).toEqual({
      ok: true,
      value: "威远县委巡察办",
    });
    expect(checkHomeOrganisation("Cafe\u0301 office")).toEqual({ ok: true, value: "Café office" });
    expect(checkHomeOrganisation("   ")).toEqual({ ok: true, value: null });
    expect(checkHomeOrganisation(undefined)).toEqual({ ok: true, value: null });
  });

  it("refuses control and invisible formatting characters anywhere in the name", () => {
    for (const bad of [
      "内江\u0000市委",
      "内江\n市委",
      "内江\u007f",
      "\u202e办察巡委县远威",
      "内\u200b江",
    ])
      expect(checkHomeOrganisation(bad)).toEqual({ ok: false, reason: "control" });
  });

  it("counts characters, not UTF-16 units, against the limit", () => {
    const max = "巡".repeat(HOME_ORGANISATION_MAX_LENGTH);
    expect(checkHomeOrganisation(max)).toEqual({ ok: true, value: max });
    expect(checkHomeOrganisation(`${max}办`)).toEqual({ ok: false, reason: "too_long" });
    const astral = "𠀀".repeat(HOME_ORGANISATION_MAX_LENGTH); // 2 UTF-16 units each
    expect(checkHomeOrganisation(astral).ok).toBe(true);
  });
});
