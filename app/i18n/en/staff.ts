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
};

export default staff;
