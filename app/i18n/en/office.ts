import type { Widen } from "../types";
import type zh from "../zh/office";

const office: Widen<typeof zh> = {
  registry: {
    nav: "Registry",
    title: "Registry: zones, districts and units",
    intro:
      "This office's zones, districts and inspected units (villages, communities, organisations, schools…). Import them from CSV: preview first; if any row of a file has a problem, nothing of the file is imported and every row is listed with its number and the reason. An import adds and renames; it never deletes, and never moves a unit to another district (tips refer to units).",
    overview: "Registered now",
    kind: "Kind",
    count: "Rows",
    export: "Export",
    exportLink: "Download {kind} CSV",
    kinds: { zones: "Zones", districts: "Districts", units: "Units" },
    importTitle: "Import a CSV file",
    order:
      "Import zones first, then districts, then units: districts refer to zones, units to districts.",
    file: "CSV file (UTF-8 or GB18030, header in the first row)",
    paste: "Or paste the CSV text",
    preview: "Preview",
    columns: "{kind} columns: {columns} (* = required)",
    kindValues: "Kind may be: {values}",
    summary:
      "{rows} rows, all checked: {added} new, {changed} changed, {unchanged} unchanged. Confirm to import them in one step.",
    confirm: "Import {rows} rows",
    imported: "{kind} imported: {added} new, {changed} changed, {unchanged} unchanged.",
    nothingImported:
      "One row of this file has a problem: nothing was imported. Correct it and upload the file again.|{count} rows of this file have problems: nothing was imported. Correct them and upload the file again.",
    moreErrors: "One more problem is not listed.|{count} more problems are not listed.",
    row: "Row",
    column: "Column",
    reason: "Reason",
    wholeFile: "Whole file",
    badInput: "The form was incomplete: choose the kind and the file again.",
    fileErrors: {
      empty: "The file is empty: it needs a header and at least one row.",
      too_large: "The file is too large: at most 2 MB.",
      too_many_rows: "Too many rows: at most {max} per import.",
      unreadable: "Row {row} cannot be read (an unclosed quote?).",
      missing_columns: "Required columns are missing: {columns}.",
      unknown_columns: "Columns not recognised: {columns}.",
      not_text: "This is not a text CSV file. Use “Save as CSV” in your spreadsheet program.",
      no_file: "Choose a CSV file or paste its text.",
    },
    errors: {
      required: "required but empty",
      bad_id:
        "ids use lower-case letters, digits and hyphens, start with a letter or digit, at most 63 characters",
      duplicate_id: "this id appears more than once in the file",
      bad_kind: "not one of the allowed kinds",
      too_long: "longer than 200 characters",
      bad_number: "must be a whole number from 0 to 999999",
      unknown_zone: "no such zone in the registry",
      unknown_district: "no such district in this office's registry",
      moved_unit: "this unit is registered in another district and cannot be moved",
      foreign_id: "this id is already used in another office's registry",
      bad_row: "the number of cells differs from the header",
    },
  },
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
