import type { Widen } from "../types";
import type zh from "../zh/office";

const office: Widen<typeof zh> = {
  rosters: {
    nav: "Sign rosters",
    title: "Sign stationing rosters",
    intro:
      "Tips are encrypted only to the people on rosters this office signed. Check each one: the team, the district, the dates and every reader. Then enter your key passphrase to sign: the signature is made in this browser with the office key, and the server only stores signed rosters.",
    officeKey: "Office signing key this build trusts, fingerprint: {fingerprint}",
    passphrase: "Your key passphrase",
    signAll: "Sign every roster that is due ({count})",
    sign: "Sign this roster",
    working: "Signing…",
    signed:
      "{count} roster signed. New tips are encrypted to its readers from now on.|{count} rosters signed. New tips are encrypted to their readers from now on.",
    noneDue: "Every roster is up to date; nothing to sign.",
    kindTeam: "Team stationing",
    kindOffice: "Office fallback",
    window: "Valid",
    windowValue: "{start} to {end}",
    districts: "Districts",
    readers: "Readers",
    reader: "Name",
    role: "Role",
    home: "Home district",
    noHome: "not recorded",
    leftOut: "Left out: {list}",
    leftOutItem: "{name} ({why})",
    districtCount: "{count} district|{count} districts",
    upToDate: "Up to date (version {serial})",
    due: "Due for signing",
    dueFirst: "Never signed",
    noReaders: "Nobody to list",
    nobody: "Nobody can be listed: fix the team, recusals or keys first, then sign.",
    roles: {
      leader: "Leader",
      deputy_leader: "Deputy leader",
      liaison: "Liaison",
      member: "Member",
      office: "Office",
      receiver: "Receiver",
    },
    why: {
      home: "lives in the district",
      recused: "recused",
      no_key: "no approved key",
    },
    errors: {
      wrong: "Wrong passphrase.",
      not_office_key:
        "Your key is not the office signing key this build trusts; you cannot sign rosters.",
      mismatch:
        "The roster to sign does not say what this page shows; nothing was signed. Reload the page and check again.",
      noKey: "You have no usable key yet.",
    },
  },
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
