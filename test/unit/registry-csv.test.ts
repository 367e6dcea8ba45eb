/**
 * Registry CSV (issue 10 item 1): every bad row reported with its spreadsheet row number and
 * reason, nothing half-accepted; export and import round-trip, including Chinese names, commas,
 * quotes, line breaks and formula-looking names.
 */
import { describe, expect, it } from "vitest";
import {
  decodeRegistryFile,
  parseRegistryCsv,
  registryCsv,
  type RegistryContext,
} from "~/shared/registry-csv";

const ctx: RegistryContext = {
  zoneIds: new Set(["tj-zone-ring"]),
  districtIds: new Set(["tj-jinnan", "tj-beichen"]),
  unitDistricts: new Map([["tj-jinnan-hanchengqiao", "tj-jinnan"]]),
};

function unitsFile(n: number, bad: Record<number, string>): string {
  const lines = ["id,district_id,kind,name_zh,name_en"];
  for (let i = 0; i < n; i++) {
    lines.push(bad[i] ?? `tj-jinnan-v${i},tj-jinnan,village,第${i}村,Village ${i}`);
  }
  return lines.join("\n") + "\n";
}

describe("registry CSV import", () => {
  it("reports all 3 bad rows of 100 with their row numbers and accepts none of the file", () => {
    const text = unitsFile(100, {
      6: "tj-jinnan-v6,tj-nowhere,village,六村,Village 6", // row 8: unknown district
      41: "tj-jinnan-v41,tj-jinnan,castle,四十一村,Village 41", // row 43: bad kind
      98: "tj-jinnan-v98,tj-jinnan,village,,Village 98", // row 100: no Chinese name
    });
    const result = parseRegistryCsv("units", text, ctx);
    expect(result.ok).toBe(false);
    if (result.ok || !("rowErrors" in result)) throw new Error("expected row errors");
    expect(result.rowErrors).toEqual([
      { row: 8, column: "district_id", code: "unknown_district" },
      { row: 43, column: "kind", code: "bad_kind" },
      { row: 100, column: "name_zh", code: "required" },
    ]);
    expect(result.records).toHaveLength(97);
  });

  it("accepts a clean file and reports several problems of one row together", () => {
    const ok = parseRegistryCsv("units", unitsFile(3, {}), ctx);
    expect(ok.ok && ok.records.map((r) => r.row)).toEqual([2, 3, 4]);
    const bad = parseRegistryCsv(
      "units",
      "id,district_id,kind,name_zh,name_en\nBad Id,tj-beichen,,x,y\ntj-jinnan-hanchengqiao,tj-beichen,village,韩城桥村,Hanchengqiao\n",
      ctx,
    );
    expect(!bad.ok && "rowErrors" in bad && bad.rowErrors).toEqual([
      { row: 2, column: "kind", code: "required" },
      { row: 2, column: "id", code: "bad_id" },
      { row: 3, column: "district_id", code: "moved_unit" },
    ]);
  });

  it("finds duplicate ids, ragged rows and unknown zones", () => {
    const r = parseRegistryCsv(
      "districts",
      "id,zone_id,kind,name_zh,name_en,sort_order\n" +
        "tj-a,tj-zone-ring,district,甲区,A,1\n" +
        "tj-a,tj-zone-ring,district,甲区,A,2\n" +
        "tj-b,tj-zone-x,county,乙县,B,x\n" +
        "tj-c,,district,丙区\n",
      ctx,
    );
    expect(!r.ok && "rowErrors" in r && r.rowErrors).toEqual([
      { row: 3, column: "id", code: "duplicate_id" },
      { row: 4, column: "sort_order", code: "bad_number" },
      { row: 4, column: "zone_id", code: "unknown_zone" },
      { row: 5, column: null, code: "bad_row" },
      { row: 5, column: "name_en", code: "required" },
    ]);
  });

  it("refuses files it cannot use as a whole, saying why", () => {
    expect(parseRegistryCsv("units", "", ctx)).toEqual({ ok: false, fileError: { code: "empty" } });
    expect(parseRegistryCsv("units", "id,district_id,kind,name_zh,name_en\n", ctx)).toEqual({
      ok: false,
      fileError: { code: "empty" },
    });
    expect(parseRegistryCsv("units", "id,kind,name_zh,name_en\nx,village,a,b\n", ctx)).toEqual({
      ok: false,
      fileError: { code: "missing_columns", columns: ["district_id"] },
    });
    expect(parseRegistryCsv("zones", "id,name_zh,name_en,colour\nz,甲,A,red\n", ctx)).toEqual({
      ok: false,
      fileError: { code: "unknown_columns", columns: ["colour"] },
    });
    const broken = parseRegistryCsv("zones", 'id,name_zh,name_en\nz,"甲,A\n', ctx);
    expect(!broken.ok && "fileError" in broken && broken.fileError.code).toBe("unreadable");
  });

  it("round-trips export → import with a BOM, quotes, commas, line breaks and formula-like names", () => {
    const rows = [
      {
        id: "js-court",
        district_id: "tj-jinnan",
        kind: "court",
        name_zh: "沭阳县人民法院",
        name_en: 'The "People\'s" Court, Shuyang',
      },
      {
        id: "js-x",
        district_id: "",
        kind: "commission",
        name_zh: "多行\n名称",
        name_en: '=HYPERLINK("x")',
      },
    ];
    const text = registryCsv("receiving_bodies", rows);
    expect(text.startsWith("\uFEFFid,district_id,kind,name_zh,name_en\r\n")).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    const back = parseRegistryCsv("receiving_bodies", text, ctx);
    if (!back.ok) throw new Error(JSON.stringify(back));
    expect(back.records.map((r) => r.values)).toEqual(rows);
  });

  it("reads uploads saved as UTF-8 (with or without BOM) or GB18030, and refuses binary files", () => {
    // 津南区 in GB18030, as a spreadsheet program on a Chinese system saves "CSV".
    const gb = Uint8Array.from([0xbd, 0xf2, 0xc4, 0xcf, 0xc7, 0xf8]);
    expect(decodeRegistryFile(gb)).toBe("津南区");
    expect(decodeRegistryFile(new TextEncoder().encode("\uFEFFid,名称"))).toBe("id,名称");
    expect(decodeRegistryFile(new TextEncoder().encode("id\0x"))).toBeNull();
    expect(decodeRegistryFile(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xff]))).toBeNull();
  });
});
