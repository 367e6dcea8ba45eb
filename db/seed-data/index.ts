/** All demo jurisdictions, in the order they are seeded (Tianjin first: it is the seed marker). */
import { jiangsu } from "./jiangsu";
import { sichuan } from "./sichuan";
import { tianjin } from "./tianjin";
import type { JurisdictionSeed } from "./types";

export const DEMO_JURISDICTIONS: readonly JurisdictionSeed[] = [tianjin, sichuan, jiangsu];

export * from "./types";
export {
  BEICHEN_TEAM_ID,
  JINNAN_LOCAL_STAFF_ID,
  RECUSED_STAFF_ID,
  TIANJIN_ROUND_ID,
} from "./tianjin";
export { LEIBO_SCHOOL_UNIT_ID, SICHUAN_ROUND_ID } from "./sichuan";
export { JIANGSU_ROUND_ID, JIANGSU_STAGE_DAYS, SHUYANG_COURT_UNIT_ID } from "./jiangsu";
