import type { Widen } from "../types";
import type zh from "../zh/office";

const office: Widen<typeof zh> = {
  plan: {
    blocking: {
      district_without_zone: "{district} belongs to no zone: a zone round cannot give it a team.",
      team_without_home: "{team} has no home district, so it cannot move as a whole team.",
      unknown_district: "District {district} does not exist.",
      zone_single_district:
        "Zone {zone} has one district, {district}: every team of the zone comes from there, so no team can stay in the zone without inspecting its own home.",
      no_eligible_team: "No team may be stationed in {district}: {reasons}",
      too_few_teams:
        "{districts} can only be inspected by {teamCount} teams ({teams}), but they need {districtCount}.",
      too_few_teams_zone:
        "In zone {zone}, {districts} can only be inspected by {teamCount} teams ({teams}), but they need {districtCount}.",
      pool_too_small:
        "Each assistance team has 4 fixed seats, {needed} people in all; the pool has {available}.",
      seat_shortage: "{seats}: {teams} need {needed} people, only {candidates} qualify.",
      person_unplaceable:
        "{person} is recused from the units of every assistance team and cannot join any.",
      teams_unstaffable:
        "{teams} cannot all be staffed at once (seats, team sizes and recusals conflict).",
    },
    obstacle: {
      home: "{team} comes from this district",
      outside_zone: "{team} is in another zone",
      repeat: "{team} inspected it last time",
      no_reader: "every member of {team} lives here or is recused",
      team_without_home: "{team} has no home district",
      district_without_zone: "the district belongs to no zone",
    },
    seat: {
      leader_visiting: "visiting leader",
      deputy_local: "local deputy leader",
      liaison_visiting: "visiting liaison",
      liaison_local: "local liaison",
    },
    violation: {
      unknown_team: "Team {team} does not exist",
      unknown_district: "District {district} does not exist",
      unknown_person: "Person {person} does not exist",
      target_uncovered: "No team is stationed in {district}",
      target_twice: "{district} has several teams: {teams}",
      team_twice: "{team} is placed more than once",
      not_a_target: "{district} is not inspected in this round ({team})",
      pairing: "{team} → {district}: {obstacle}",
      missing_seat: "{team} has no {seat}",
      person_twice: "{person} is in more than one team",
      person_unassigned: "{person} is in no team",
      person_recused: "{person} is recused from the units of {team}",
      leader_local: "{person}, leader of {team}, is local; the leader must come from outside",
      member_home: "{person} lives in {district} and gets no key for tips about it",
      member_recused: "{person} is recused from {district} and gets no key for tips about it",
      mutual_pairing: "{team} and {other} inspect each other",
      team_idle: "{team} is not stationed anywhere this round",
      size_imbalance: "{team} has {members} members; its units call for about {expected}",
      single_origin: "All visiting members of {team} come from {origin}; mix origins",
    },
    and: ", ",
    semicolon: "; ",
  },
};

export default office;
