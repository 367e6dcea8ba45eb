/**
 * Planner findings as sentences an office admin can act on, in the page's language: the named
 * blocking constraint ("zone 滨海 has one district: …") and each violation of a hand-edited plan.
 */
import type { T } from "../../i18n/translate";
import type { MessageKey } from "../../i18n/types";
import type { BlockingConstraint, PairingObstacle, Violation } from "./types";

/** Display names by id (the caller picks the locale); unknown ids are shown as they are. */
export interface PlanNames {
  district(id: string): string;
  team(id: string): string;
  zone(id: string): string;
  person(id: string): string;
}

function list(t: T, items: string[]): string {
  return items.join(t("office.plan.and"));
}

function obstacleText(t: T, names: PlanNames, teamId: string, o: PairingObstacle): string {
  return t(`office.plan.obstacle.${o}` as MessageKey, { team: names.team(teamId) });
}

export function describeBlocking(t: T, names: PlanNames, b: BlockingConstraint): string {
  const k = (code: string) => `office.plan.blocking.${code}` as MessageKey;
  switch (b.code) {
    case "district_without_zone":
    case "unknown_district":
      return t(k(b.code), { district: names.district(b.districtId) });
    case "team_without_home":
      return t(k(b.code), { team: names.team(b.teamId) });
    case "zone_single_district":
      return t(k(b.code), { zone: names.zone(b.zoneId), district: names.district(b.districtId) });
    case "no_eligible_team":
      return t(k(b.code), {
        district: names.district(b.districtId),
        reasons: b.obstacles
          .map((o) => obstacleText(t, names, o.teamId, o.obstacle))
          .join(t("office.plan.semicolon")),
      });
    case "too_few_teams":
      return t(k(b.zoneId === null ? "too_few_teams" : "too_few_teams_zone"), {
        zone: b.zoneId === null ? "" : names.zone(b.zoneId),
        districts: list(t, b.districtIds.map(names.district)),
        districtCount: b.districtIds.length,
        teams: list(t, b.teamIds.map(names.team)),
        teamCount: b.teamIds.length,
      });
    case "pool_too_small":
      return t(k(b.code), { needed: b.needed, available: b.available });
    case "seat_shortage":
      return t(k(b.code), {
        seats: list(
          t,
          b.seats.map((s) => t(`office.plan.seat.${s}` as MessageKey)),
        ),
        teams: list(t, b.teamIds.map(names.team)),
        needed: b.teamIds.length * b.seats.length,
        candidates: b.candidates,
      });
    case "person_unplaceable":
      return t(k(b.code), { person: names.person(b.staffId) });
    case "teams_unstaffable":
      return t(k(b.code), { teams: list(t, b.teamIds.map(names.team)) });
  }
}

export function describeViolation(t: T, names: PlanNames, v: Violation): string {
  const key = `office.plan.violation.${v.code}` as MessageKey;
  const vars: Record<string, string | number> = {};
  if ("teamId" in v) vars.team = names.team(v.teamId);
  if ("districtId" in v) vars.district = names.district(v.districtId);
  if ("staffId" in v) vars.person = names.person(v.staffId);
  if ("teamIds" in v) vars.teams = list(t, v.teamIds.map(names.team));
  if ("otherTeamId" in v) vars.other = names.team(v.otherTeamId);
  if ("members" in v) vars.members = v.members;
  if ("expected" in v) vars.expected = v.expected;
  // An origin is a home organisation or, without one, a home district id (shown by its name).
  if ("origin" in v) vars.origin = names.district(v.origin);
  if ("seat" in v) vars.seat = t(`office.plan.seat.${v.seat}` as MessageKey);
  if (v.code === "pairing") vars.obstacle = obstacleText(t, names, v.teamId, v.obstacle);
  return t(key, vars);
}
