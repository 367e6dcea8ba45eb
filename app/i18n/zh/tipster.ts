/** Simplified Chinese strings of the tipster area (source of truth; en/tipster.ts must match). */
const tipster = {
  title: "状态查询",
} as const;

export default tipster;
