/** Simplified Chinese strings of the resident area (source of truth; en/resident.ts must match). */
const resident = {
  title: "举报",
} as const;

export default resident;
