import type { Widen } from "../types";
import type zh from "../zh/staff";

const staff: Widen<typeof zh> = {
  title: "Workspace",
  signedInAs: "Signed in as {name}",
  roles: "Roles",
  homeDistrict: "Home district",
  none: "None",
  role: {
    inspector: "Inspector",
    team_leader: "Team leader",
    liaison: "Liaison",
    office_admin: "Inspection office admin",
    commission_receiver: "Discipline commission receiver",
    auditor: "Auditor",
  },
  nav: {
    label: "Workspace navigation",
    home: "Workspace",
    account: "My account",
    audit: "Audit log",
    adminStaff: "Staff",
    signOut: "Sign out",
  },
  team: "Team",
  stationedIn: "Stationed in {district} (until {date})",
  noTeam: "Not on a stationed team right now",
  links: "Shortcuts",
  audit: {
    title: "Audit log",
    intro:
      "Every staff read and write on tips, keys and accounts goes into a hash chain; editing any row is detected.",
    chainOk: "Chain intact: {rows} rows, head {head}",
    anchor:
      "Anchor (write it down off the server; checking against it later shows whether any row up to it was rewritten or the tail cut off):",
    chainBroken:
      "The chain breaks at row {seq}: {reason}. Report this to the inspection office and the discipline commission now.",
    reason: {
      hash: "its content no longer matches its hash (the row was edited)",
      prev_hash: "it does not link to the row before (a row was removed or replaced)",
      sequence: "row numbers skip (rows were removed)",
      anchor_hash:
        "its hash differs from the recorded anchor (rows up to {seq} were rewritten and the chain recomputed)",
      anchor_missing: "the anchored row is gone (the end of the chain was cut off)",
    },
    anchorCheck: "Check against a recorded anchor",
    anchorCheckHint:
      "Paste an anchor (rows:hash) from the office's records or a scorecard print-out.",
    anchorCheckButton: "Check",
    anchorHeld:
      "The chain holds the recorded anchor {rows}:{hash}…: rows 1–{rows} are unchanged since it was recorded, and the chain continues from it intact.",
    anchorInvalid:
      "That is not an anchor. An anchor is the number of rows, a colon and 64 hexadecimal digits.",
    filterActor: "Actor",
    filterAction: "Action",
    filterObject: "Object (type or id)",
    filter: "Filter",
    clear: "Clear",
    seq: "No.",
    at: "Time",
    actor: "Actor",
    action: "Action",
    object: "Object",
    detail: "Detail",
    system: "System",
    empty: "No matching rows.",
    page: "Page {page}",
    newer: "Newer",
    older: "Older",
  },
  admin: {
    title: "Staff",
    intro:
      "Staff accounts of your jurisdiction. An invitation link is shown once: hand it over in person or by phone through internal channels.",
    name: "Name",
    username: "Username",
    roles: "Roles",
    status: "Status",
    active: "Active",
    invited: "Invitation pending",
    disabled: "Disabled",
    locked: "Temporarily locked",
    actions: "Actions",
    disable: "Disable",
    reset: "Reset and re-invite",
    inviteTitle: "Invite a new member",
    displayName: "Name",
    role: "Role",
    homeDistrict: "Home district",
    noHome: "None (not a district cadre)",
    homeOrganisation: "Home organisation",
    organisationExample: "e.g. Weiyuan County inspection office",
    organisationHint:
      "The office the member is sent from. Required to join a team of an assistance round; the planner mixes teams by it.",
    saveOrganisation: "Save organisation",
    origin: "Home district: {district} · Home organisation: {organisation}",
    noHomeShort: "none",
    noOrganisation: "not recorded",
    organisationTooLong: "The organisation's name can be at most {max} characters.",
    organisationControl:
      "The organisation's name must not contain control or invisible formatting characters.",
    invite: "Create invitation link",
    inviteLink: "One-time invitation link (valid {hours} h, shown only this once):",
    usernameTaken: "That username is taken.",
    badInput: "Please check what you entered.",
    done: "Done.",
  },
};

export default staff;
