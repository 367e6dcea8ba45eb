/**
 * Demo outcomes data (DESIGN §2): the receiving bodies of the registry and the plan of the
 * Tianjin round-4 findings whose scorecard reproduces the article — 830 decision problems,
 * 920 corruption-near-the-masses problems, 543 livelihood problems, 61 immediate rectifications,
 * key-minority share of transferred clues above 60 %. The plan is data; server/demo-outcomes.ts
 * creates the records through the services. Bodies' names follow the real naming pattern; the
 * receivers' accounts are invented.
 */
import type {
  CATEGORIES,
  CORRUPTION_TYPES,
  RECEIVING_BODY_KINDS,
  TRANSFER_OUTCOMES,
} from "../schema";
import { TIANJIN_CIRCULATION } from "./tianjin";

export interface BodySeed {
  id: string;
  jurisdictionId: string;
  districtId: string | null;
  kind: (typeof RECEIVING_BODY_KINDS)[number];
  nameZh: string;
  nameEn: string;
  /** receiver accounts (commission_receiver) of the body */
  receivers: { id: string; username: string }[];
}

const TJ: Array<[string, string, string, string]> = [
  ["heping", "hp", "和平区", "Heping"],
  ["hedong", "hd", "河东区", "Hedong"],
  ["hexi", "hx", "河西区", "Hexi"],
  ["nankai", "nk", "南开区", "Nankai"],
  ["hebei", "hb", "河北区", "Hebei"],
  ["hongqiao", "hq", "红桥区", "Hongqiao"],
  ["dongli", "dl", "东丽区", "Dongli"],
  ["xiqing", "xq", "西青区", "Xiqing"],
  ["jinnan", "jn", "津南区", "Jinnan"],
  ["beichen", "bc", "北辰区", "Beichen"],
  ["binhai", "bh", "滨海新区", "Binhai New Area"],
  ["wuqing", "wq", "武清区", "Wuqing"],
  ["baodi", "bd", "宝坻区", "Baodi"],
  ["ninghe", "nh", "宁河区", "Ninghe"],
  ["jinghai", "jh", "静海区", "Jinghai"],
  ["jizhou", "jz", "蓟州区", "Jizhou"],
];

export const JINNAN_COMMISSION_BODY_ID = "tj-jinnan-jw";
/** The 北辰 team (stationed in 津南区) files the 韩城桥村 finding. */
export const HANCHENGQIAO_TEAM_HOME = "beichen";
export const LEIBO_COMMISSION_BODY_ID = "sc-leibo-jw";

export const DEMO_BODIES: BodySeed[] = [
  ...TJ.map(([slug, prefix, zh, en]) => ({
    id: `tj-${slug}-jw`,
    jurisdictionId: "tianjin",
    districtId: `tj-${slug}`,
    kind: "commission" as const,
    nameZh: `${zh}纪委监委`,
    nameEn: `${en} Commission for Discipline Inspection and Supervision`,
    // 津南's receiver is the seed's jn.commission; the others get a demo receiver each.
    receivers:
      slug === "jinnan"
        ? [{ id: "staff-tj-jinnan-commission", username: "jn.commission" }]
        : [{ id: `staff-tj-${slug}-commission`, username: `${prefix}.commission` }],
  })),
  {
    id: "tj-audit",
    jurisdictionId: "tianjin",
    districtId: null,
    kind: "audit_office",
    nameZh: "天津市审计局",
    nameEn: "Tianjin Municipal Audit Bureau",
    receivers: [],
  },
  {
    id: LEIBO_COMMISSION_BODY_ID,
    jurisdictionId: "sichuan",
    districtId: "sc-leibo",
    kind: "commission",
    nameZh: "雷波县纪委监委",
    nameEn: "Leibo County Commission for Discipline Inspection and Supervision",
    receivers: [],
  },
  {
    id: "js-shuyang-jw",
    jurisdictionId: "jiangsu",
    districtId: "js-shuyang",
    kind: "commission",
    nameZh: "沭阳县纪委监委",
    nameEn: "Shuyang County Commission for Discipline Inspection and Supervision",
    receivers: [],
  },
];

export interface DemoFindingPlan {
  /** the visiting team's home slug (its stationing is tj-r4-st-<home>) */
  home: string;
  target: string;
  category: (typeof CATEGORIES)[number];
  corruptionType: (typeof CORRUPTION_TYPES)[number] | null;
  keyMinority: boolean;
  immediate: boolean;
  /** a clue to the target district's commission, with the outcome its receiver records */
  clue: (typeof TRANSFER_OUTCOMES)[number] | null;
  /** a refund or recovery (fen, people) */
  money: { kind: "refund" | "recovery"; fen: number; people: number | null } | null;
}

/** Splits `total` over `n` parts as evenly as possible, larger parts first. */
function spread(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

const TOTALS = { decision: 830, corruption: 920, livelihood: 543 } as const;
const IMMEDIATE = 61;
/**
 * Clues per district: 80 in all, 50 about leading cadres (3 per district, a 4th in two); with the
 * 韩城桥村 clue (key minority) 51 / 81 = 63.0 %.
 */
const CLUES_PER_DISTRICT = 5;
const CLUE_OUTCOMES: (typeof TRANSFER_OUTCOMES)[number][] = [
  "disciplinary_action",
  "disciplinary_action",
  "judicial_referral",
  "closed",
  "case_opened",
];
const TYPES = [
  "abuse_of_power",
  "false_claims",
  "extortion",
  "favouritism",
  "squandering_assets",
] as const;

/**
 * The Tianjin round-4 findings, district by district (each district inspected by the team whose
 * home circulates into it). Counts are exact: see test/integration/outcomes-scorecard.test.ts.
 */
export function tianjinFindingPlan(): DemoFindingPlan[] {
  const homes = TJ.map(([slug]) => slug);
  const per = {
    decision: spread(TOTALS.decision, homes.length),
    corruption: spread(TOTALS.corruption, homes.length),
    livelihood: spread(TOTALS.livelihood, homes.length),
  };
  const immediate = spread(IMMEDIATE, homes.length);
  const plan: DemoFindingPlan[] = [];
  // The 韩城桥村 case (server/demo-outcomes.ts) is one of 津南's corruption problems.
  per.corruption[homes.indexOf(HANCHENGQIAO_TEAM_HOME)]! -= 1;
  homes.forEach((home, d) => {
    const target = TIANJIN_CIRCULATION[home]!;
    let fixedHere = immediate[d]!;
    let clues = CLUES_PER_DISTRICT;
    for (const category of ["decision", "corruption", "livelihood"] as const) {
      for (let i = 0; i < per[category][d]!; i++) {
        const isClue = category === "corruption" && clues > 0;
        const clueIndex = CLUES_PER_DISTRICT - clues;
        if (isClue) clues -= 1;
        const immediateHere = category === "livelihood" && fixedHere > 0;
        if (immediateHere) fixedHere -= 1;
        plan.push({
          home,
          target,
          category,
          corruptionType: category === "corruption" ? TYPES[i % TYPES.length]! : null,
          // 3 of the 5 clues of every district, and none of the rest, concern leading cadres;
          // with 2 more below, 50 of 80 clues are key-minority.
          keyMinority: isClue ? clueIndex < 3 || (clueIndex === 3 && d < 2) : i % 11 === 0,
          immediate: immediateHere,
          clue: isClue ? CLUE_OUTCOMES[clueIndex]! : null,
          money:
            category === "livelihood" && i === 0
              ? { kind: "refund", fen: (120_000 + d * 7_500) * 100, people: 40 + d * 9 }
              : category === "corruption" && i === 0
                ? { kind: "recovery", fen: (380_000 + d * 12_000) * 100, people: null }
                : null,
        });
      }
    }
  });
  return plan;
}

/** Invented, generic wording for the sealed bodies of the planned findings. */
export function plannedBody(p: DemoFindingPlan, n: number) {
  const titles = {
    decision: "重大决策部署落实不到位",
    corruption: "群众身边腐败和作风问题",
    livelihood: "民生实事推进缓慢",
  } as const;
  return {
    v: 1,
    title: `${titles[p.category]}（第 ${n} 项）`,
    narrative: "巡察组在走访和查阅台账时发现此问题，已与被巡察单位核实。",
    people: [],
  };
}
