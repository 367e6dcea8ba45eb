/** 巡察办页面（登记册、轮次与排组、名单签发）；en/office.ts 必须一致。仅工作人员页面使用。 */
const office = {
  plan: {
    blocking: {
      district_without_zone: "{district}没有划入任何片区：片区统筹交叉时无法为它安排巡察组。",
      team_without_home: "{team}没有登记所在区县，无法整建制交叉。",
      unknown_district: "找不到区县 {district}。",
      zone_single_district:
        "{zone}只有{district}一个区县：片区内的巡察组都来自本区县，留在片区内就只能巡察自己的家乡。",
      no_eligible_team: "没有任何巡察组可以进驻{district}：{reasons}",
      too_few_teams:
        "{districts}只能由 {teamCount} 个巡察组（{teams}）进驻，但需要 {districtCount} 个。",
      too_few_teams_zone:
        "{zone}中，{districts}只能由 {teamCount} 个巡察组（{teams}）进驻，但需要 {districtCount} 个。",
      pool_too_small: "每个协作组需要 4 个固定岗位，共需 {needed} 人，名单中只有 {available} 人。",
      seat_shortage: "{seats}：{teams}需要 {needed} 人，符合条件的只有 {candidates} 人。",
      person_unplaceable: "{person}对所有协作组的巡察对象都已回避，无法编入任何一组。",
      teams_unstaffable: "{teams}无法同时配齐岗位和人数（岗位、人数与回避冲突）。",
    },
    obstacle: {
      home: "{team}来自本区县",
      outside_zone: "{team}不在同一片区",
      repeat: "{team}上一轮已巡察过这里",
      no_reader: "{team}的成员都来自本区县或已回避",
      team_without_home: "{team}没有登记所在区县",
      district_without_zone: "本区县不属于任何片区",
    },
    seat: {
      leader_visiting: "外地组长",
      deputy_local: "本地副组长",
      liaison_visiting: "外地联络员",
      liaison_local: "本地联络员",
    },
    violation: {
      unknown_team: "找不到巡察组 {team}",
      unknown_district: "找不到区县 {district}",
      unknown_person: "找不到人员 {person}",
      target_uncovered: "{district}没有巡察组进驻",
      target_twice: "{district}安排了多个巡察组：{teams}",
      team_twice: "{team}被安排了多次",
      not_a_target: "{district}不在本轮巡察范围内（{team}）",
      pairing: "{team} → {district}：{obstacle}",
      missing_seat: "{team}缺少{seat}",
      person_twice: "{person}被编入了多个组",
      person_unassigned: "{person}没有编入任何组",
      person_recused: "{person}已回避{team}的巡察对象",
      leader_local: "{team}的组长{person}是本地干部，组长须由外地干部担任",
      member_home: "{person}来自{district}，不会收到关于该区县的举报密钥",
      member_recused: "{person}已回避{district}，不会收到关于该区县的举报密钥",
      mutual_pairing: "{team}与{other}互相巡察",
      team_idle: "{team}本轮没有安排进驻",
      size_imbalance: "{team}有 {members} 人，按巡察对象数量应约 {expected} 人",
      single_origin: "{team}的外地干部都来自{origin}，建议混合编组",
    },
    and: "、",
    semicolon: "；",
  },
} as const;

export default office;
