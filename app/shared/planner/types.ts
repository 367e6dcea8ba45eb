/**
 * Shapes of the rotation planner's input, plans and findings. Plain data (ids only), so the
 * server builds the input from the registry and the office page can re-check a plan the admin
 * changed by hand with the same code (`validatePlan`).
 */
export type RoundMode = "zone" | "rotation" | "assistance";
export type TeamRole = "leader" | "deputy_leader" | "liaison" | "member";
/** Team roles in the order pages list them (the same values as the database's TEAM_ROLES). */
export const TEAM_ROLE_LIST: readonly TeamRole[] = ["leader", "deputy_leader", "liaison", "member"];

export interface PlannerDistrict {
  id: string;
  /** null: the district belongs to no zone (e.g. the sending city of an assistance round). */
  zoneId: string | null;
  /** Units to inspect there (villages, communities, organisations…): drives team-size balance. */
  unitCount: number;
}

export interface PlannerMember {
  staffId: string;
  homeDistrictId: string;
  role: TeamRole;
}

/** A whole team with a home district (zone and rotation rounds). */
export interface CirculationTeam {
  id: string;
  homeDistrictId: string | null;
  members: PlannerMember[];
}

/** A recusal: from a whole district (unitId null) or from one unit in it. */
export interface PlannerRecusal {
  staffId: string;
  districtId: string;
  unitId: string | null;
}

/** A stationing of an earlier round: the team from `homeDistrictId` inspected `targetDistrictId`. */
export interface PastPairing {
  homeDistrictId: string;
  targetDistrictId: string;
  /** When that stationing started (ms); the newest one is where a rotation rolls on from. */
  startedAtMs: number;
}

export interface CirculationInput {
  mode: "zone" | "rotation";
  districts: PlannerDistrict[];
  /** Districts to inspect in this round, in the office's ring order (rotation rolls along it). */
  targets: string[];
  teams: CirculationTeam[];
  recusals: PlannerRecusal[];
  history: PastPairing[];
}

/** A cadre available for an assistance round. */
export interface PoolPerson {
  staffId: string;
  homeDistrictId: string;
  /** Home organisation (e.g. 内江市纪委); teams mix origins. Falls back to the home district. */
  homeOrganisation: string | null;
  canLead: boolean;
  canLiaise: boolean;
}

/** A mixed team of an assistance round, already aimed at its units. */
export interface AssistanceTeam {
  id: string;
  targetDistrictId: string;
  unitIds: string[];
}

export interface AssistanceInput {
  mode: "assistance";
  districts: PlannerDistrict[];
  teams: AssistanceTeam[];
  pool: PoolPerson[];
  recusals: PlannerRecusal[];
}

export type PlannerInput = CirculationInput | AssistanceInput;

export interface CirculationPlan {
  mode: "zone" | "rotation";
  stationings: { teamId: string; targetDistrictId: string }[];
}

export interface AssistancePlan {
  mode: "assistance";
  teams: { teamId: string; members: { staffId: string; role: TeamRole }[] }[];
}

export type Plan = CirculationPlan | AssistancePlan;

/** Seats every assistance team fills with one visiting and one local cadre each (DESIGN §2). */
export const ASSISTANCE_SEATS = [
  "leader_visiting",
  "deputy_local",
  "liaison_visiting",
  "liaison_local",
] as const;
export type AssistanceSeat = (typeof ASSISTANCE_SEATS)[number];

/** Why one team may not go to one district (zone and rotation rounds). */
export type PairingObstacle =
  "home" | "outside_zone" | "repeat" | "no_reader" | "team_without_home" | "district_without_zone";

/**
 * One broken rule in a plan. Errors block publishing; warnings are shown and may be accepted.
 * Every field is an id or a number, rendered by the office page's i18n.
 */
export type Violation =
  | { severity: "error"; code: "unknown_team"; teamId: string }
  | { severity: "error"; code: "unknown_district"; districtId: string }
  | { severity: "error"; code: "unknown_person"; staffId: string }
  | { severity: "error"; code: "target_uncovered"; districtId: string }
  | { severity: "error"; code: "target_twice"; districtId: string; teamIds: string[] }
  | { severity: "error"; code: "team_twice"; teamId: string }
  | { severity: "error"; code: "not_a_target"; teamId: string; districtId: string }
  | {
      severity: "error";
      code: "pairing";
      teamId: string;
      districtId: string;
      obstacle: PairingObstacle;
    }
  | { severity: "error"; code: "missing_seat"; teamId: string; seat: AssistanceSeat }
  /** Assistance: the office has not aimed this team at a district or unit. */
  | { severity: "error"; code: "team_untargeted"; teamId: string }
  | { severity: "error"; code: "person_twice"; staffId: string }
  /** Assistance: a member of the round's teams whose home organisation is not on record. */
  | { severity: "error"; code: "organisation_missing"; staffId: string }
  | { severity: "warning"; code: "person_unassigned"; staffId: string }
  | { severity: "error"; code: "person_recused"; teamId: string; staffId: string }
  | { severity: "error"; code: "leader_local"; teamId: string; staffId: string }
  | {
      severity: "warning";
      code: "member_home";
      teamId: string;
      staffId: string;
      districtId: string;
    }
  | {
      severity: "warning";
      code: "member_recused";
      teamId: string;
      staffId: string;
      districtId: string;
    }
  | { severity: "warning"; code: "mutual_pairing"; teamId: string; otherTeamId: string }
  | { severity: "warning"; code: "team_idle"; teamId: string }
  | {
      severity: "warning";
      code: "size_imbalance";
      teamId: string;
      districtId: string;
      members: number;
      expected: number;
    }
  | { severity: "warning"; code: "single_origin"; teamId: string; origin: string };

export type ViolationCode = Violation["code"];

/**
 * Why no plan exists, named as the constraint an office admin can act on. The planner returns
 * the first one it can prove (a Hall set: these districts, only these teams can take them).
 */
export type BlockingConstraint =
  | { code: "district_without_zone"; districtId: string }
  | { code: "team_without_home"; teamId: string }
  | { code: "unknown_district"; districtId: string }
  /** The zone has one district to inspect and every team of the zone lives there. */
  | { code: "zone_single_district"; zoneId: string; districtId: string }
  /** No team at all may inspect this district; `obstacles` says why for each team. */
  | {
      code: "no_eligible_team";
      districtId: string;
      obstacles: { teamId: string; obstacle: PairingObstacle }[];
    }
  /** These districts can only be inspected by fewer teams than there are districts. */
  | {
      code: "too_few_teams";
      zoneId: string | null;
      districtIds: string[];
      teamIds: string[];
    }
  /** Assistance: fewer people than the seats every team needs. */
  | { code: "pool_too_small"; needed: number; available: number }
  /** Assistance: not enough people who can fill this seat in these teams. */
  | { code: "seat_shortage"; seats: AssistanceSeat[]; teamIds: string[]; candidates: number }
  /** Assistance: this person can join no team (recused from every target, or every team full). */
  | { code: "person_unplaceable"; staffId: string }
  /** Assistance: these teams cannot all be staffed (combination of seats, sizes and recusals). */
  | { code: "teams_unstaffable"; teamIds: string[] };

export type PlanResult =
  | { ok: true; plan: Plan; cost: number; warnings: Violation[] }
  | { ok: false; blocking: BlockingConstraint };
