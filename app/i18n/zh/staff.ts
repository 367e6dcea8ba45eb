/** Simplified Chinese strings of the staff workspace (source of truth; en/staff.ts must match). */
const staff = {
  title: "工作台",
  signedInAs: "已登录：{name}",
  roles: "角色",
  homeDistrict: "家乡区县",
  none: "无",
  role: {
    inspector: "巡察组成员",
    team_leader: "组长",
    liaison: "联络员",
    office_admin: "巡察办管理员",
    commission_receiver: "纪委监委接收人",
    auditor: "审计员",
  },
} as const;

export default staff;
