/**
 * Shapes of the demo data (DESIGN §2). Data files describe *what* exists; `db/seed.ts` turns
 * them into rows. Times are day offsets from the round's start, which the seed places around
 * `now` so the demo portal is always live (docs/decisions/004-demo-data.md).
 */
import type { DISTRICT_KINDS, ROUND_MODES, STAFF_ROLES, TEAM_ROLES, UNIT_KINDS } from "../schema";

export type DistrictKind = (typeof DISTRICT_KINDS)[number];
export type UnitKind = (typeof UNIT_KINDS)[number];
export type RoundMode = (typeof ROUND_MODES)[number];
export type StaffRoleName = (typeof STAFF_ROLES)[number];
export type TeamRoleName = (typeof TEAM_ROLES)[number];

export interface Named {
  id: string;
  nameZh: string;
  nameEn: string;
}

export type ZoneSeed = Named;

export interface DistrictSeed extends Named {
  zoneId: string | null;
  kind: DistrictKind;
}

export interface UnitSeed extends Named {
  districtId: string;
  kind: UnitKind;
}

export interface StaffSeed {
  id: string;
  username: string;
  displayName: string;
  homeDistrictId: string | null;
  /** The office the member is sent from; every member of an assistance round's team has one. */
  homeOrganisation?: string;
  roles: StaffRoleName[];
  /** Gets the demo password (all others wait for an invitation: passwordHash null). */
  demoLogin?: boolean;
  /** Should get a staff key once the crypto module can make one (see `SeedOptions.makeStaffKeys`). */
  keyHolder?: boolean;
  /** One line for the demo-login list printed by the CLI / server. */
  description?: string;
}

export interface TeamMemberSeed {
  staffId: string;
  role: TeamRoleName;
}

export interface TeamSeed extends Named {
  /** Where the team comes from; null for a mixed (assistance) team. */
  homeDistrictId: string | null;
  members: TeamMemberSeed[];
}

export interface StationingSeed {
  id: string;
  teamId: string;
  targetDistrictId: string;
  /** Days after the round start. */
  startDay: number;
  lengthDays: number;
  authorisedByZh: string;
  authorisedByEn: string;
  dutyPhone: string;
  letterBoxZh: string;
  letterBoxEn: string;
  unitIds: string[];
}

export interface RoundSeed extends Named {
  mode: RoundMode;
  indicatorCount: number | null;
  lengthDays: number;
  teams: TeamSeed[];
  stationings: StationingSeed[];
}

export interface RecusalSeed {
  id: string;
  staffId: string;
  districtId: string;
  reason: string;
}

export interface JurisdictionSeed {
  jurisdiction: Named;
  zones: ZoneSeed[];
  districts: DistrictSeed[];
  units: UnitSeed[];
  /** Office, commission and audit staff plus every team member. */
  staff: StaffSeed[];
  rounds: RoundSeed[];
  recusals: RecusalSeed[];
}
