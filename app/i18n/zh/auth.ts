/** Simplified Chinese strings of the auth area (source of truth; en/auth.ts must match). */
const auth = {
  title: "工作人员登录",
} as const;

export default auth;
