/**
 * Tianjin round 4 (统配巡, Aug 2020): 16 districts in 3 zones, 16 teams of 7 cadres circulating
 * inside their zone (小循环), 30 villages and 24 communities, 78 indicators. The 北辰 team is
 * stationed in 津南区 (韩城桥村 is the one real unit name; all other units, people, phone
 * numbers and letter boxes are invented).
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
  ZoneSeed,
} from "./types";

export const TIANJIN_ROUND_ID = "tj-r4";
/** The famous pairing: the 北辰 team stationed in 津南区. */
export const BEICHEN_TEAM_ID = "tj-r4-team-beichen";
/** A seconded 津南 cadre inside the 北辰 team: must never get keys for 津南 tips. */
export const JINNAN_LOCAL_STAFF_ID = "staff-tj-jinnan-local";
/** A 西青 team member recused from 北辰区, where that team is stationed. */
export const RECUSED_STAFF_ID = "staff-tj-xiqing-inspector3";

const zones: ZoneSeed[] = [
  { id: "tj-zone-inner", nameZh: "市内六区", nameEn: "Six inner-city districts" },
  { id: "tj-zone-ring", nameZh: "环城四区", nameEn: "Four ring districts" },
  {
    id: "tj-zone-outer",
    nameZh: "滨海新区和新五区",
    nameEn: "Binhai New Area and the five new districts",
  },
];

/** [pinyin slug, username prefix, 中文名, English name, zone]; order = team number. */
const DISTRICTS: Array<[string, string, string, string, string]> = [
  ["heping", "hp", "和平区", "Heping District", "tj-zone-inner"],
  ["hedong", "hd", "河东区", "Hedong District", "tj-zone-inner"],
  ["hexi", "hx", "河西区", "Hexi District", "tj-zone-inner"],
  ["nankai", "nk", "南开区", "Nankai District", "tj-zone-inner"],
  ["hebei", "hb", "河北区", "Hebei District", "tj-zone-inner"],
  ["hongqiao", "hq", "红桥区", "Hongqiao District", "tj-zone-inner"],
  ["dongli", "dl", "东丽区", "Dongli District", "tj-zone-ring"],
  ["xiqing", "xq", "西青区", "Xiqing District", "tj-zone-ring"],
  ["jinnan", "jn", "津南区", "Jinnan District", "tj-zone-ring"],
  ["beichen", "bc", "北辰区", "Beichen District", "tj-zone-ring"],
  ["binhai", "bh", "滨海新区", "Binhai New Area", "tj-zone-outer"],
  ["wuqing", "wq", "武清区", "Wuqing District", "tj-zone-outer"],
  ["baodi", "bd", "宝坻区", "Baodi District", "tj-zone-outer"],
  ["ninghe", "nh", "宁河区", "Ninghe District", "tj-zone-outer"],
  ["jinghai", "jh", "静海区", "Jinghai District", "tj-zone-outer"],
  ["jizhou", "jz", "蓟州区", "Jizhou District", "tj-zone-outer"],
];

/**
 * In-zone circulation (a derangement inside each zone): home slug → target slug.
 * Inner and outer zones rotate by one; the ring zone is arranged so 北辰 → 津南.
 */
export const TIANJIN_CIRCULATION: Record<string, string> = {
  heping: "hedong",
  hedong: "hexi",
  hexi: "nankai",
  nankai: "hebei",
  hebei: "hongqiao",
  hongqiao: "heping",
  dongli: "xiqing",
  xiqing: "beichen",
  beichen: "jinnan",
  jinnan: "dongli",
  binhai: "wuqing",
  wuqing: "baodi",
  baodi: "ninghe",
  ninghe: "jinghai",
  jinghai: "jizhou",
  jizhou: "binhai",
};

const districts: DistrictSeed[] = DISTRICTS.map(([slug, , nameZh, nameEn, zoneId]) => ({
  id: `tj-${slug}`,
  zoneId,
  kind: "district",
  nameZh,
  nameEn,
}));

/** Invented units: [district slug, kind, pinyin slug, 中文名, English name]. */
const UNITS: Array<[string, "village" | "community", string, string, string]> = [
  ["heping", "community", "chunhuili", "春晖里社区", "Chunhuili Community"],
  ["heping", "community", "jinhua", "锦华社区", "Jinhua Community"],
  ["heping", "community", "chaoyangli", "朝阳里社区", "Chaoyangli Community"],
  ["hedong", "community", "heshun", "和顺社区", "Heshun Community"],
  ["hedong", "community", "chenguang", "晨光社区", "Chenguang Community"],
  ["hedong", "community", "donganli", "东安里社区", "Dong'anli Community"],
  ["hexi", "community", "liuyin", "柳荫社区", "Liuyin Community"],
  ["hexi", "community", "xinyue", "新月社区", "Xinyue Community"],
  ["hexi", "community", "anheli", "安和里社区", "Anheli Community"],
  ["nankai", "community", "shuxiang", "书香社区", "Shuxiang Community"],
  ["nankai", "community", "taoyuan", "桃源社区", "Taoyuan Community"],
  ["nankai", "community", "yucaili", "育才里社区", "Yucaili Community"],
  ["hebei", "community", "wanghai", "望海社区", "Wanghai Community"],
  ["hebei", "community", "changanli", "长安里社区", "Chang'anli Community"],
  ["hebei", "community", "runze", "润泽社区", "Runze Community"],
  ["hongqiao", "community", "yunhe", "运河社区", "Yunhe Community"],
  ["hongqiao", "community", "fenglin", "枫林社区", "Fenglin Community"],
  ["hongqiao", "community", "yongningli", "永宁里社区", "Yongningli Community"],
  ["dongli", "village", "dayangzhuang", "大杨庄村", "Dayangzhuang Village"],
  ["dongli", "village", "dongheyan", "东河沿村", "Dongheyan Village"],
  ["dongli", "village", "lijiatai", "李家台村", "Lijiatai Village"],
  ["dongli", "community", "lize", "丽泽社区", "Lize Community"],
  ["xiqing", "village", "xiliu", "西柳村", "Xiliu Village"],
  ["xiqing", "village", "wangjiabu", "王家堡村", "Wangjiabu Village"],
  ["xiqing", "village", "qingyang", "青杨村", "Qingyang Village"],
  ["xiqing", "community", "qingyuan", "青苑社区", "Qingyuan Community"],
  ["jinnan", "village", "hanchengqiao", "韩城桥村", "Hanchengqiao Village"],
  ["jinnan", "village", "nanwa", "南洼村", "Nanwa Village"],
  ["jinnan", "village", "shuanglin", "双林村", "Shuanglin Village"],
  ["jinnan", "community", "nanyuan", "南苑社区", "Nanyuan Community"],
  ["beichen", "village", "beicangzhuang", "北仓庄村", "Beicangzhuang Village"],
  ["beichen", "village", "chenguang", "辰光村", "Chenguang Village"],
  ["beichen", "village", "liujiamatou", "刘家码头村", "Liujiamatou Village"],
  ["beichen", "community", "chenxing", "辰兴社区", "Chenxing Community"],
  ["binhai", "village", "yugang", "渔港村", "Yugang Village"],
  ["binhai", "village", "yantan", "盐滩村", "Yantan Village"],
  ["binhai", "village", "xinhekou", "新河口村", "Xinhekou Village"],
  ["binhai", "community", "haiyun", "海韵社区", "Haiyun Community"],
  ["binhai", "community", "gangwan", "港湾社区", "Gangwan Community"],
  ["wuqing", "village", "liuhe", "柳河村", "Liuhe Village"],
  ["wuqing", "village", "yangzhuang", "杨庄村", "Yangzhuang Village"],
  ["wuqing", "village", "yunhewan", "运河湾村", "Yunhewan Village"],
  ["baodi", "village", "baofeng", "宝丰村", "Baofeng Village"],
  ["baodi", "village", "chaobai", "潮白村", "Chaobai Village"],
  ["baodi", "village", "gaojiazhuang", "高家庄村", "Gaojiazhuang Village"],
  ["ninghe", "village", "luwei", "芦苇村", "Luwei Village"],
  ["ninghe", "village", "weitang", "苇塘村", "Weitang Village"],
  ["ninghe", "village", "ningfeng", "宁丰村", "Ningfeng Village"],
  ["jinghai", "village", "jingan", "静安村", "Jing'an Village"],
  ["jinghai", "village", "datun", "大屯村", "Datun Village"],
  ["jinghai", "village", "liyuan", "梨园村", "Liyuan Village"],
  ["jizhou", "village", "shanqian", "山前村", "Shanqian Village"],
  ["jizhou", "village", "shimengou", "石门沟村", "Shimengou Village"],
  ["jizhou", "village", "taohuayu", "桃花峪村", "Taohuayu Village"],
];

const units: UnitSeed[] = UNITS.map(([district, kind, slug, nameZh, nameEn]) => ({
  id: `tj-${district}-${slug}`,
  districtId: `tj-${district}`,
  kind,
  nameZh,
  nameEn,
}));

const nextName = createNamePool(0);

const office: StaffSeed[] = [
  {
    id: "staff-tj-office",
    username: "tj.office",
    displayName: nextName(),
    homeDistrictId: null,
    roles: ["office_admin"],
    demoLogin: true,
    keyHolder: true,
    description: "天津市委巡察办 / Tianjin inspection office (office_admin)",
  },
  {
    id: "staff-tj-jinnan-commission",
    username: "jn.commission",
    displayName: nextName(),
    homeDistrictId: "tj-jinnan",
    roles: ["commission_receiver"],
    demoLogin: true,
    keyHolder: true,
    description: "津南区纪委监委 / Jinnan discipline commission (commission_receiver)",
  },
  {
    id: "staff-tj-auditor",
    username: "tj.auditor",
    displayName: nextName(),
    homeDistrictId: null,
    roles: ["auditor"],
    demoLogin: true,
    description: "Tianjin auditor (auditor)",
  },
];

const teamStaff: StaffSeed[] = [];
const teams: TeamSeed[] = [];
const stationings: StationingSeed[] = [];

const CN_NUMERALS = "一二三四五六七八九十";
function cnNumber(n: number): string {
  if (n <= 10) return CN_NUMERALS[n - 1] ?? String(n);
  return `十${CN_NUMERALS[n - 11] ?? ""}`;
}

DISTRICTS.forEach(([slug, prefix, nameZh, nameEn], index) => {
  const n = index + 1;
  const teamId = `tj-r4-team-${slug}`;
  const home = `tj-${slug}`;
  const members: TeamSeed["members"] = [];
  const add = (s: Omit<StaffSeed, "displayName">, role: TeamSeed["members"][number]["role"]) => {
    teamStaff.push({ ...s, displayName: nextName() });
    members.push({ staffId: s.id, role });
  };
  const isBeichen = slug === "beichen";
  add(
    {
      id: `staff-tj-${slug}-leader`,
      username: `${prefix}.leader`,
      homeDistrictId: home,
      roles: ["team_leader"],
      ...(isBeichen && {
        demoLogin: true,
        keyHolder: true,
        description: "北辰组组长 / Beichen team leader (stationed in 津南区)",
      }),
    },
    "leader",
  );
  add(
    {
      id: `staff-tj-${slug}-liaison`,
      username: `${prefix}.liaison`,
      homeDistrictId: home,
      roles: ["liaison"],
    },
    "liaison",
  );
  for (let i = 1; i <= 5; i++) {
    if (isBeichen && i === 5) {
      add(
        {
          id: JINNAN_LOCAL_STAFF_ID,
          username: "bc.local",
          homeDistrictId: "tj-jinnan",
          roles: ["inspector"],
          demoLogin: true,
          keyHolder: true,
          description:
            "北辰组借调的津南干部 / seconded Jinnan cadre in the Beichen team (never reads 津南 tips)",
        },
        "member",
      );
      continue;
    }
    add(
      {
        id: `staff-tj-${slug}-inspector${i}`,
        username: `${prefix}.inspector${i}`,
        homeDistrictId: home,
        roles: ["inspector"],
        ...(isBeichen &&
          i === 1 && {
            demoLogin: true,
            keyHolder: true,
            description: "北辰组组员 / Beichen team inspector",
          }),
      },
      "member",
    );
  }
  teams.push({
    id: teamId,
    nameZh: `天津市第四轮第${cnNumber(n)}巡察组（${nameZh}）`,
    nameEn: `Tianjin round 4 inspection team ${n} (${nameEn})`,
    homeDistrictId: home,
    members,
  });

  const targetSlug = TIANJIN_CIRCULATION[slug];
  if (!targetSlug) throw new Error(`demo data: no circulation target for ${slug}`);
  const target = byId(districts, `tj-${targetSlug}`);
  stationings.push({
    id: `tj-r4-st-${slug}`,
    teamId,
    targetDistrictId: target.id,
    startDay: 0,
    lengthDays: 40,
    ...committeeOf(target),
    dutyPhone: `022-5816${String(n).padStart(2, "0")}${String(n * 3).padStart(2, "0")}`,
    letterBoxZh: `${target.nameZh}委大院东门外“第${cnNumber(n)}巡察组”意见箱；或寄天津市${target.nameZh}邮政信箱${700 + n}号`,
    letterBoxEn: `Team ${n} letter box outside the east gate of the ${target.nameEn} committee compound; or write to PO Box ${700 + n}, ${target.nameEn}, Tianjin`,
    unitIds: units.filter((u) => u.districtId === target.id).map((u) => u.id),
  });
});

export const tianjin: JurisdictionSeed = {
  jurisdiction: { id: "tianjin", nameZh: "天津市", nameEn: "Tianjin" },
  zones,
  districts,
  units,
  staff: [...office, ...teamStaff],
  rounds: [
    {
      id: TIANJIN_ROUND_ID,
      nameZh: "天津市第四轮提级交叉巡察（统配巡）",
      nameEn: "Tianjin round 4 cross-district inspection (zone circulation)",
      mode: "zone",
      indicatorCount: 78,
      lengthDays: 40,
      teams,
      stationings,
    },
  ],
  recusals: [
    {
      id: "recusal-tj-xiqing-inspector3-beichen",
      staffId: RECUSED_STAFF_ID,
      districtId: "tj-beichen",
      reason:
        "配偶在北辰区一街道任职（示例数据） / spouse works for a Beichen sub-district (demo data)",
    },
  ],
};
