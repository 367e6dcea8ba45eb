/**
 * Invented staff names for the demo data. Deterministic; any resemblance to a real cadre is
 * accidental.
 */
// prettier-ignore
const SURNAMES = [
  "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
  "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
];
// prettier-ignore
const GIVEN = [
  "建华", "志强", "秀英", "海燕", "立新", "晓东", "丽娟", "国栋", "文静", "红梅", "卫东", "春生",
  "玉兰", "振宇", "思远", "雅琴", "德明", "桂芳", "永刚", "淑珍", "宏伟", "晓燕", "子涵", "明轩",
  "慧敏", "俊杰", "凤霞", "家乐", "婉清", "成林", "雪梅", "浩然", "金凤", "长青", "瑞雪", "博文",
  "佳怡", "向阳", "翠萍", "鹏飞", "淑华", "天宇", "嘉欣", "少华", "秋月", "树森", "若楠", "泽民",
];

/**
 * A pool of unused invented names. Each data file makes its own pool with its own start, so the
 * names do not depend on import order; names are unique within a pool.
 */
export function createNamePool(start: number): () => string {
  const used = new Set<string>();
  let cursor = start;
  return () => {
    for (;;) {
      const s = SURNAMES[cursor % SURNAMES.length] ?? "王";
      const g = GIVEN[(cursor * 7 + Math.floor(cursor / SURNAMES.length)) % GIVEN.length] ?? "明";
      cursor += 1;
      const name = s + g;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
}
