/** Simplified Chinese strings of the cases area (source of truth; en/cases.ts must match). */
const cases = {
  title: "举报处理",
} as const;

export default cases;
