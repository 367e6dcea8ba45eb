/**
 * Simplified Chinese: the source of truth for every user-facing string. `en.ts` must have the
 * same keys (the type system checks it). Placeholders are written {name}.
 */
import resident from "./zh/resident";
import staff from "./zh/staff";
import tipster from "./zh/tipster";
import submit from "./zh/submit";
import auth from "./zh/auth";
import cases from "./zh/cases";
import outcomes from "./zh/outcomes";
import trust from "./zh/trust";
import office from "./zh/office";

const zhCN = {
  meta: {
    siteName: "交叉巡察举报平台",
    siteNameShort: "交叉巡察",
    tagline: "只有外地来的巡察组能读到您的举报",
  },
  nav: {
    home: "首页",
    language: "语言",
    switchTo: "English",
    switchToLabel: "Switch to English",
    skipToContent: "跳到正文",
    staff: "工作人员入口",
  },
  home: {
    title: "向外地巡察组反映问题",
    intro:
      "提级交叉巡察由其他区县的巡察组进驻。您在这里提交的举报只有进驻您所在区县的外地巡察组成员能打开，本地干部看不到。",
    introJs: "举报在您的手机上加密后才发出，网站运营者也看不到内容。",
    introNoJs:
      "您的浏览器没有运行 JavaScript：举报仍可提交，但会在服务器上加密，比在手机上加密弱。",
    pickDistrict: "选择您要反映问题的区县",
    teamFrom: "{home}巡察组进驻",
    until: "至 {date}",
    noTeam: "目前没有巡察组进驻",
    jurisdictionFilter: "地区",
    allJurisdictions: "全部地区",
    districtCount: "{count} 个区县",
    checkStatus: "已经举报过？查询进展",
    safety: "如何安全地举报",
  },
  district: {
    title: "{district}",
    zone: "所属片区：{zone}",
    stationedTeams: "进驻的巡察组",
    noTeamTitle: "目前没有巡察组进驻{district}",
    noTeamBody: "没有巡察组进驻时，举报将由市巡察办接收，同样只有外地工作人员能打开。",
    team: "巡察组",
    comesFrom: "来自",
    mixedTeam: "混合编组（外地与本地干部）",
    window: "进驻时间",
    windowValue: "{start} 至 {end}",
    authorisedBy: "授权单位",
    authorisedByNote: "只负责授权本次巡察，读不到任何举报。",
    round: "巡察轮次",
    dutyPhone: "值班电话",
    letterBox: "意见箱",
    inspects: "巡察对象",
    unitsOfDistrict: "本区县的单位",
    noUnits: "暂无登记的单位",
    back: "返回区县列表",
    report: "向进驻{district}的巡察组举报",
    wholeDistrict: "全区县",
    notHome: "巡察组里家在{district}的成员（如有）拿不到钥匙，读不到关于本区县的举报。",
  },
  roundMode: {
    zone: "片区统筹交叉（统配巡）",
    rotation: "整建制交叉滚动（推磨）",
    assistance: "跨市州协作（混合编组）",
  },
  unitKind: {
    village: "村",
    community: "社区",
    organisation: "机关单位",
    school: "学校",
    court: "法院",
    enterprise: "企业",
    other: "其他",
  },
  errors: {
    notFoundTitle: "找不到这个页面",
    notFoundBody: "地址可能有误，或者这个区县不在平台上。",
    badRequestTitle: "请求有误",
    badRequestBody: "页面地址中的参数不正确，请从首页重新选择。",
    forbiddenTitle: "没有权限",
    forbiddenBody: "您没有查看这个页面的权限。",
    unauthorizedTitle: "请先登录",
    unauthorizedBody: "这个页面仅供工作人员使用，请先登录。",
    serverTitle: "出了点问题",
    serverBody: "服务器暂时无法完成请求，您的数据没有丢失。请稍后再试。",
    backHome: "返回首页",
  },
  resident,
  submit,
  tipster,
  staff,
  auth,
  cases,
  outcomes,
  trust,
  office,
  demo: {
    banner: "演示站点：这里的数据和账号都是虚构的，账号密码公开。请不要在这里提交真实举报。",
  },
  footer: {
    about: "交叉巡察举报平台：可匿名，只有外地巡察组能读到您的举报。",
    privacy: "本站不记录您的IP地址，不使用跟踪工具，只保存语言选择。",
  },
} as const;

export default zhCN;
