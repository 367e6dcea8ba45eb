/** Planner inputs built from the demo data files (DESIGN §2), without a database. */
import type {
  AssistanceInput,
  CirculationInput,
  PastPairing,
  PlannerDistrict,
  PoolPerson,
} from "~/shared/planner";
import type { JurisdictionSeed } from "../../db/seed-data/types";

export function districtsOf(j: JurisdictionSeed): PlannerDistrict[] {
  return j.districts.map((d) => ({
    id: d.id,
    zoneId: d.zoneId,
    unitCount: j.units.filter((u) => u.districtId === d.id).length,
  }));
}

/** The next round of a zone/rotation jurisdiction: same teams, the seeded round as history. */
export function nextRoundInput(j: JurisdictionSeed, mode: "zone" | "rotation"): CirculationInput {
  const round = j.rounds[0]!;
  const staffHome = new Map(j.staff.map((s) => [s.id, s.homeDistrictId]));
  const teamHome = new Map(round.teams.map((t) => [t.id, t.homeDistrictId]));
  const history: PastPairing[] = round.stationings.map((s) => ({
    homeDistrictId: teamHome.get(s.teamId)!,
    targetDistrictId: s.targetDistrictId,
    startedAtMs: s.startDay * 86_400_000,
  }));
  return {
    mode,
    districts: districtsOf(j),
    targets: j.districts.filter((d) => d.zoneId !== null).map((d) => d.id),
    teams: round.teams.map((t) => ({
      id: t.id,
      homeDistrictId: t.homeDistrictId,
      members: t.members.map((m) => ({
        staffId: m.staffId,
        homeDistrictId: staffHome.get(m.staffId)!,
        role: m.role,
      })),
    })),
    recusals: j.recusals.map((r) => ({
      staffId: r.staffId,
      districtId: r.districtId,
      unitId: null,
    })),
    history,
  };
}

/** The Sichuan assistance round as a pool: everyone who served in its three teams. */
export function assistanceInput(j: JurisdictionSeed): AssistanceInput {
  const round = j.rounds[0]!;
  const inTeams = new Set(round.teams.flatMap((t) => t.members.map((m) => m.staffId)));
  const pool: PoolPerson[] = j.staff
    .filter((s) => inTeams.has(s.id))
    .map((s) => ({
      staffId: s.id,
      homeDistrictId: s.homeDistrictId!,
      homeOrganisation: s.homeOrganisation ?? null,
      canLead: s.roles.includes("team_leader"),
      canLiaise: s.roles.includes("liaison"),
    }));
  return {
    mode: "assistance",
    districts: districtsOf(j),
    teams: round.stationings.map((s) => ({
      id: s.teamId,
      targetDistrictId: s.targetDistrictId,
      unitIds: s.unitIds,
    })),
    pool,
    recusals: [],
  };
}
