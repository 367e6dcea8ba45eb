/**
 * Jiangsu rotation round (推磨式, 整建制交叉、跨县区滚动) among 宿迁's five counties and
 * districts, paired with audit (巡审联动): each whole team inspects one neighbour for 40 days,
 * then rolls on to the next. 沭阳县人民法院 is the unit from the article; other units, people,
 * phone numbers and letter boxes are invented.
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

export const JIANGSU_ROUND_ID = "js-r1";
export const SHUYANG_COURT_UNIT_ID = "js-shuyang-court";
/** Days each stage lasts; the round has two stages. */
export const JIANGSU_STAGE_DAYS = 40;

/** [slug, username prefix, kind, 中文名, English name]; order = the rotation ring. */
const COUNTIES: Array<[string, string, "county" | "district", string, string]> = [
  ["shuyang", "shy", "county", "沭阳县", "Shuyang County"],
  ["siyang", "siy", "county", "泗阳县", "Siyang County"],
  ["sihong", "sih", "county", "泗洪县", "Sihong County"],
  ["suyu", "suy", "district", "宿豫区", "Suyu District"],
  ["sucheng", "suc", "district", "宿城区", "Sucheng District"],
];

const districts: DistrictSeed[] = COUNTIES.map(([slug, , kind, nameZh, nameEn]) => ({
  id: `js-${slug}`,
  zoneId: "js-zone-suqian",
  kind,
  nameZh,
  nameEn,
}));

const units: UnitSeed[] = [
  {
    id: SHUYANG_COURT_UNIT_ID,
    districtId: "js-shuyang",
    kind: "court",
    nameZh: "沭阳县人民法院",
    nameEn: "Shuyang County People's Court",
  },
  {
    id: "js-shuyang-qiaotou",
    districtId: "js-shuyang",
    kind: "village",
    nameZh: "桥头村",
    nameEn: "Qiaotou Village",
  },
  {
    id: "js-siyang-water",
    districtId: "js-siyang",
    kind: "organisation",
    nameZh: "泗阳县水务局",
    nameEn: "Siyang County Water Affairs Bureau",
  },
  {
    id: "js-sihong-hubin",
    districtId: "js-sihong",
    kind: "village",
    nameZh: "湖滨村",
    nameEn: "Hubin Village",
  },
  {
    id: "js-suyu-housing",
    districtId: "js-suyu",
    kind: "organisation",
    nameZh: "宿豫区住房和城乡建设局",
    nameEn: "Suyu District Housing and Urban-Rural Development Bureau",
  },
  {
    id: "js-sucheng-xiangyang",
    districtId: "js-sucheng",
    kind: "community",
    nameZh: "向阳社区",
    nameEn: "Xiangyang Community",
  },
];

const nextName = createNamePool(401);

const staff: StaffSeed[] = [
  {
    id: "staff-js-office",
    username: "js.office",
    displayName: nextName(),
    homeDistrictId: null,
    roles: ["office_admin"],
    demoLogin: true,
    keyHolder: true,
    description: "宿迁市委巡察办 / Suqian inspection office (office_admin)",
  },
];
const teams: TeamSeed[] = [];
const stationings: StationingSeed[] = [];

COUNTIES.forEach(([slug, prefix, , nameZh, nameEn], index) => {
  const n = index + 1;
  const teamId = `js-r1-team-${slug}`;
  const home = `js-${slug}`;
  const members: TeamSeed["members"] = [];
  const add = (s: Omit<StaffSeed, "displayName">, role: TeamSeed["members"][number]["role"]) => {
    staff.push({ ...s, displayName: nextName() });
    members.push({ staffId: s.id, role });
  };
  add(
    {
      id: `staff-js-${slug}-leader`,
      username: `${prefix}.leader`,
      homeDistrictId: home,
      roles: ["team_leader"],
    },
    "leader",
  );
  add(
    {
      id: `staff-js-${slug}-liaison`,
      username: `${prefix}.liaison`,
      homeDistrictId: home,
      roles: ["liaison"],
    },
    "liaison",
  );
  for (let i = 1; i <= 3; i++) {
    add(
      {
        id: `staff-js-${slug}-inspector${i}`,
        username: `${prefix}.inspector${i}`,
        homeDistrictId: home,
        roles: ["inspector"],
      },
      "member",
    );
  }
  teams.push({
    id: teamId,
    nameZh: `宿迁市提级交叉巡察第${n}组（${nameZh}）`,
    nameEn: `Suqian cross-county inspection team ${n} (${nameEn})`,
    homeDistrictId: home,
    members,
  });
  // Stage s (1, 2): the team rolls s places along the ring, never home, never the same pair twice.
  for (const stage of [1, 2]) {
    const target = byId(districts, districts[(index + stage) % districts.length]?.id ?? "");
    stationings.push({
      id: `js-r1-st-${slug}-${stage}`,
      teamId,
      targetDistrictId: target.id,
      startDay: (stage - 1) * JIANGSU_STAGE_DAYS,
      lengthDays: JIANGSU_STAGE_DAYS,
      ...committeeOf(target),
      dutyPhone: `0527-8${String(10000000 + n * 101010 + stage).slice(1)}`,
      letterBoxZh: `${target.nameZh}委大院门口“第${n}组”意见箱`,
      letterBoxEn: `Team ${n} letter box at the gate of the ${target.nameEn} committee compound`,
      unitIds: units.filter((u) => u.districtId === target.id).map((u) => u.id),
    });
  }
});

export const jiangsu: JurisdictionSeed = {
  jurisdiction: { id: "jiangsu", nameZh: "江苏省", nameEn: "Jiangsu" },
  zones: [{ id: "js-zone-suqian", nameZh: "宿迁市", nameEn: "Suqian City" }],
  districts,
  units,
  staff,
  rounds: [
    {
      id: JIANGSU_ROUND_ID,
      nameZh: "宿迁市提级交叉巡察（推磨式·巡审联动）",
      nameEn: "Suqian cross-county inspection (rotation, paired with audit)",
      mode: "rotation",
      indicatorCount: null,
      lengthDays: 2 * JIANGSU_STAGE_DAYS,
      teams,
      stationings,
    },
  ],
  recusals: [],
};
