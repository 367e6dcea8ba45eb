import { describe, expect, it } from "vitest";
import en from "~/i18n/en";
import zhCN from "~/i18n/zh-CN";
import { makeT } from "~/i18n/translate";
import { formatFen } from "~/i18n/translate";

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === "string") out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) =>
  [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe("dictionaries", () => {
  const zh = leaves(zhCN as unknown as Tree);
  const e = leaves(en as unknown as Tree);

  it("English has exactly the Chinese keys", () => {
    expect([...e.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  it("no string is empty and both languages use the same placeholders", () => {
    for (const [key, zhText] of zh) {
      const enText = e.get(key)!;
      expect(zhText.trim(), key).not.toBe("");
      expect(enText.trim(), key).not.toBe("");
      expect(placeholders(enText), key).toEqual(placeholders(zhText));
    }
  });

  it("English strings contain no Chinese, except the names of the other language", () => {
    for (const [key, text] of e) {
      if (key === "nav.switchTo" || key === "nav.switchToLabel") continue;
      expect(text, key).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe("translate", () => {
  it("picks the English singular or plural form by count", () => {
    const t = makeT(en);
    expect(t("tipster.files", { count: 1 })).toBe("1 file attached");
    expect(t("tipster.files", { count: 3 })).toBe("3 files attached");
    for (const [key, text] of leaves(en as unknown as Tree)) {
      expect(text, key).not.toMatch(/\(s\)/);
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    const t = makeT(zhCN);
    expect(t("home.until", { date: "2026年12月1日" })).toBe("至 2026年12月1日");
    expect(t("home.until")).toBe("至 {date}");
  });

  it("formats integer fen as yuan", () => {
    expect(formatFen("zh-CN", 27_700_000)).toBe("¥277,000.00");
  });
});
