import resident from "./en/resident";
import staff from "./en/staff";
import tipster from "./en/tipster";
import submit from "./en/submit";
import auth from "./en/auth";
import cases from "./en/cases";
import outcomes from "./en/outcomes";
import trust from "./en/trust";
import office from "./en/office";
import type { Messages } from "./types";

const en: Messages = {
  meta: {
    siteName: "Crosswatch cross-district inspection reports",
    siteNameShort: "Crosswatch",
    tagline: "Only the inspection team from another district can read your report",
  },
  nav: {
    home: "Home",
    language: "Language",
    switchTo: "中文",
    switchToLabel: "切换到中文",
    skipToContent: "Skip to content",
    staff: "Staff sign-in",
  },
  home: {
    title: "Tell the visiting inspection team",
    intro:
      "In elevated cross-district inspection, a team from another district comes to inspect yours. Only members of the out-of-district team stationed in your district can open a report you send here; local cadres cannot.",
    introJs:
      "Your report is encrypted on your phone before it is sent, so the people running this site cannot read it either.",
    introNoJs:
      "JavaScript is not running in your browser: you can still report, but the server does the encryption, which is weaker than encrypting on your phone.",
    pickDistrict: "Choose the district your report is about",
    teamFrom: "Team from {home} stationed",
    until: "until {date}",
    noTeam: "No team stationed at the moment",
    jurisdictionFilter: "Region",
    allJurisdictions: "All regions",
    districtCount: "{count} districts",
    checkStatus: "Already reported? Check your case",
    safety: "How to report safely",
  },
  district: {
    title: "{district}",
    zone: "Zone: {zone}",
    stationedTeams: "Inspection teams stationed here",
    noTeamTitle: "No inspection team is stationed in {district} at the moment",
    noTeamBody:
      "While no team is stationed, reports go to the city inspection office, and again only staff from outside the district can open them.",
    team: "Team",
    comesFrom: "Comes from",
    mixedTeam: "Mixed team (visiting and local cadres)",
    window: "Stationed",
    windowValue: "{start} to {end}",
    authorisedBy: "Authorised by",
    authorisedByNote: "It authorised this inspection and cannot read any report.",
    round: "Inspection round",
    dutyPhone: "Duty phone",
    letterBox: "Letter box",
    inspects: "Inspects",
    unitsOfDistrict: "Units in this district",
    noUnits: "No units registered yet",
    back: "Back to the list of districts",
    report: "Report to the team stationed in {district}",
    wholeDistrict: "The whole district",
    notHome:
      "Team members whose home is {district}, if any, get no key: they cannot read reports about this district.",
  },
  roundMode: {
    zone: "In-zone circulation",
    rotation: "Whole-team rotation across counties",
    assistance: "Cross-city assistance (mixed teams)",
  },
  unitKind: {
    village: "Village",
    community: "Community",
    organisation: "Organisation",
    school: "School",
    court: "Court",
    enterprise: "Enterprise",
    other: "Other",
  },
  errors: {
    notFoundTitle: "Page not found",
    notFoundBody: "The address may be wrong, or this district is not on the platform.",
    badRequestTitle: "Bad request",
    badRequestBody:
      "The page address has an invalid parameter. Please choose again from the home page.",
    forbiddenTitle: "Not allowed",
    forbiddenBody: "You do not have permission to see this page.",
    unauthorizedTitle: "Please sign in",
    unauthorizedBody: "This page is for staff only. Please sign in first.",
    serverTitle: "Something went wrong",
    serverBody:
      "The server could not complete the request. Nothing you sent was lost. Please try again later.",
    backHome: "Back to the home page",
  },
  resident,
  submit,
  tipster,
  staff,
  auth,
  cases,
  outcomes,
  trust,
  office,
  demo: {
    banner:
      "Demo site: the data and accounts here are made up and their passwords are public. Do not send a real report here.",
  },
  footer: {
    about: "Crosswatch: anonymous if you wish, readable only by the visiting team.",
    privacy:
      "This site keeps no IP addresses and uses no trackers; it only remembers your language.",
  },
};

export default en;
