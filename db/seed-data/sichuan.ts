/**
 * Sichuan assistance round (协作巡): 11 cadres from 内江 form 3 mixed teams with local 雷波县
 * cadres, dual leaders and liaisons, one unit per team (雷波县公安局, 统计局, 雷波民族中学).
 * Locals keep their home district 雷波县, so routing gives them no envelope (DESIGN §5).
 * Every member records the office they are sent from (home organisation), by which the planner
 * mixes teams: the 内江 cadres come from the city's and its five counties' inspection offices
 * (plain generic office names; the article names none), the locals from 雷波县's.
 * People, phone numbers and letter boxes are invented.
 */
import { byId, committeeOf } from "./helpers";
import { createNamePool } from "./names";
import type {
  DistrictSeed,
  JurisdictionSeed,
  StaffSeed,
  StationingSeed,
  TeamSeed,
  UnitSeed,
} from "./types";

export const SICHUAN_ROUND_ID = "sc-r1";
export const LEIBO_SCHOOL_UNIT_ID = "sc-leibo-minzu-school";

const districts: DistrictSeed[] = [
  {
    id: "sc-leibo",
    zoneId: "sc-zone-liangshan",
    kind: "county",
    nameZh: "雷波县",
    nameEn: "Leibo County",
  },
  // The sending city: home of the visiting cadres, not inspected in this round.
  { id: "sc-neijiang", zoneId: null, kind: "city", nameZh: "内江市", nameEn: "Neijiang City" },
];

const units: UnitSeed[] = [
  {
    id: "sc-leibo-police",
    districtId: "sc-leibo",
    kind: "organisation",
    nameZh: "雷波县公安局",
    nameEn: "Leibo County Public Security Bureau",
  },
  {
    id: "sc-leibo-statistics",
    districtId: "sc-leibo",
    kind: "organisation",
    nameZh: "雷波县统计局",
    nameEn: "Leibo County Statistics Bureau",
  },
  {
    id: LEIBO_SCHOOL_UNIT_ID,
    districtId: "sc-leibo",
    kind: "school",
    nameZh: "雷波民族中学",
    nameEn: "Leibo Minzu Middle School",
  },
];

const nextName = createNamePool(211);
const leibo = byId(districts, "sc-leibo");

const staff: StaffSeed[] = [
  {
    id: "staff-sc-office",
    username: "sc.office",
    displayName: nextName(),
    homeDistrictId: null,
    homeOrganisation: "四川省委巡视办",
    roles: ["office_admin"],
    demoLogin: true,
    keyHolder: true,
    description: "四川省委巡视办 / Sichuan inspection office (office_admin)",
  },
];
const teams: TeamSeed[] = [];
const stationings: StationingSeed[] = [];

/** The 内江 offices the visiting cadres come from, dealt in turn: every team mixes several. */
const NEIJIANG_OFFICES = [
  "内江市委巡察办",
  "威远县委巡察办",
  "资中县委巡察办",
  "隆昌市委巡察办",
  "东兴区委巡察办",
  "市中区委巡察办",
];
const LEIBO_OFFICE = "雷波县委巡察办";
let visitorCount = 0;

/** Visiting 内江 cadres per team (4 + 4 + 3 = 11), and the unit each team inspects. */
const TEAM_PLAN: Array<{ visitors: number; unitId: string }> = [
  { visitors: 4, unitId: "sc-leibo-police" },
  { visitors: 4, unitId: "sc-leibo-statistics" },
  { visitors: 3, unitId: LEIBO_SCHOOL_UNIT_ID },
];

TEAM_PLAN.forEach(({ visitors, unitId }, index) => {
  const n = index + 1;
  const teamId = `sc-r1-team-${n}`;
  const members: TeamSeed["members"] = [];
  const add = (s: Omit<StaffSeed, "displayName">, role: TeamSeed["members"][number]["role"]) => {
    staff.push({ ...s, displayName: nextName() });
    members.push({ staffId: s.id, role });
  };
  // Visiting cadres from 内江: leader, liaison, then inspectors.
  for (let i = 0; i < visitors; i++) {
    const [slug, role, staffRole] =
      i === 0
        ? (["leader", "leader", "team_leader"] as const)
        : i === 1
          ? (["liaison", "liaison", "liaison"] as const)
          : ([`inspector${i - 1}`, "member", "inspector"] as const);
    // The 内江 leader of the school's team works the 雷波民族中学 case in the demo.
    const schoolLeader = unitId === LEIBO_SCHOOL_UNIT_ID && i === 0;
    add(
      {
        id: `staff-sc-nj-t${n}-${slug}`,
        username: `nj.t${n}.${slug}`,
        homeDistrictId: "sc-neijiang",
        homeOrganisation: NEIJIANG_OFFICES[visitorCount++ % NEIJIANG_OFFICES.length]!,
        roles: [staffRole],
        ...(schoolLeader && {
          demoLogin: true,
          keyHolder: true,
          description: "内江—雷波第3协作组组长 / Neijiang leader of the 雷波民族中学 team",
        }),
      },
      role,
    );
  }
  // Local 雷波 cadres: the second (deputy) leader and the second liaison.
  add(
    {
      id: `staff-sc-lb-t${n}-deputy`,
      username: `lb.t${n}.deputy`,
      homeDistrictId: "sc-leibo",
      homeOrganisation: LEIBO_OFFICE,
      roles: ["team_leader"],
    },
    "deputy_leader",
  );
  add(
    {
      id: `staff-sc-lb-t${n}-liaison`,
      username: `lb.t${n}.liaison`,
      homeDistrictId: "sc-leibo",
      homeOrganisation: LEIBO_OFFICE,
      roles: ["liaison"],
    },
    "liaison",
  );
  const unit = byId(units, unitId);
  teams.push({
    id: teamId,
    nameZh: `四川省提级交叉巡察第${n}协作组（内江—雷波·${unit.nameZh}）`,
    nameEn: `Sichuan assistance team ${n} (Neijiang–Leibo, ${unit.nameEn})`,
    homeDistrictId: null,
    members,
  });
  stationings.push({
    id: `sc-r1-st-${n}`,
    teamId,
    targetDistrictId: leibo.id,
    startDay: 0,
    lengthDays: 40,
    ...committeeOf(leibo),
    dutyPhone: `0834-87260${n}${n}`,
    letterBoxZh: `${unit.nameZh}门口“第${n}协作组”意见箱`,
    letterBoxEn: `Team ${n} letter box at the entrance of ${unit.nameEn}`,
    unitIds: [unitId],
  });
});

export const sichuan: JurisdictionSeed = {
  jurisdiction: { id: "sichuan", nameZh: "四川省", nameEn: "Sichuan" },
  zones: [{ id: "sc-zone-liangshan", nameZh: "凉山州", nameEn: "Liangshan Prefecture" }],
  districts,
  units,
  staff,
  rounds: [
    {
      id: SICHUAN_ROUND_ID,
      nameZh: "四川省提级交叉巡察（协作巡·内江干部赴雷波县）",
      nameEn: "Sichuan cross-district inspection (assistance: Neijiang cadres in Leibo County)",
      mode: "assistance",
      indicatorCount: null,
      lengthDays: 40,
      teams,
      stationings,
    },
  ],
  recusals: [],
};
