/**
 * The registry's CSV format (issue 10 item 1): zones, districts, units and receiving bodies of
 * one jurisdiction, one file per kind. Parsing and row checks are pure; the office service adds
 * what only the database knows (existing ids) and writes all rows in one transaction or none.
 *
 * Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
 * Every bad row is reported (row, column, code) — never only the first — and a file with any bad
 * row imports nothing.
 */
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { DISTRICT_KINDS, UNIT_KINDS } from "../../db/schema";
import { RECEIVING_BODY_KINDS } from "./receiving-body-kinds";

export const REGISTRY_KINDS = ["zones", "districts", "units", "receiving_bodies"] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** Columns per kind, in export order; `required` columns must be non-empty. */
export const REGISTRY_COLUMNS: Record<RegistryKind, { name: string; required: boolean }[]> = {
  zones: [
    { name: "id", required: true },
    { name: "name_zh", required: true },
    { name: "name_en", required: true },
    { name: "sort_order", required: false },
  ],
  districts: [
    { name: "id", required: true },
    { name: "zone_id", required: false },
    { name: "kind", required: true },
    { name: "name_zh", required: true },
    { name: "name_en", required: true },
    { name: "sort_order", required: false },
  ],
  units: [
    { name: "id", required: true },
    { name: "district_id", required: true },
    { name: "kind", required: true },
    { name: "name_zh", required: true },
    { name: "name_en", required: true },
  ],
  receiving_bodies: [
    { name: "id", required: true },
    { name: "district_id", required: false },
    { name: "kind", required: true },
    { name: "name_zh", required: true },
    { name: "name_en", required: true },
  ],
};

export const MAX_REGISTRY_ROWS = 5000;
export const MAX_REGISTRY_CSV_BYTES = 2 * 1024 * 1024;
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_NAME = 200;

export type RegistryRowErrorCode =
  | "required"
  | "bad_id"
  | "duplicate_id"
  | "bad_kind"
  | "too_long"
  | "bad_number"
  | "unknown_zone"
  | "unknown_district"
  | "moved_unit"
  | "moved_body"
  | "foreign_id"
  | "bad_row";

export interface RegistryRowError {
  /** spreadsheet row number (header = 1); 0 for problems with the file as a whole */
  row: number;
  column: string | null;
  code: RegistryRowErrorCode;
}

export type RegistryFileError =
  | { code: "empty" }
  | { code: "too_large" }
  | { code: "too_many_rows"; max: number }
  | { code: "unreadable"; row: number }
  | { code: "missing_columns"; columns: string[] }
  | { code: "unknown_columns"; columns: string[] };

export interface RegistryRecord {
  row: number;
  id: string;
  values: Record<string, string>;
}

/** What the database already holds for the importing jurisdiction. */
export interface RegistryContext {
  zoneIds: ReadonlySet<string>;
  districtIds: ReadonlySet<string>;
  /** existing unit id → its district (a unit may be renamed, not moved: tips refer to it) */
  unitDistricts: ReadonlyMap<string, string>;
  /** existing receiving body id → its district ("" = the whole jurisdiction); never moved */
  bodyDistricts?: ReadonlyMap<string, string>;
}

export type RegistryParseResult =
  | { ok: true; records: RegistryRecord[] }
  | { ok: false; fileError: RegistryFileError }
  | { ok: false; rowErrors: RegistryRowError[]; records: RegistryRecord[] };

/** Parses and checks a whole file. `text` may start with a UTF-8 BOM (Excel writes one). */
export function parseRegistryCsv(
  kind: RegistryKind,
  text: string,
  ctx: RegistryContext,
): RegistryParseResult {
  if (new TextEncoder().encode(text).length > MAX_REGISTRY_CSV_BYTES)
    return { ok: false, fileError: { code: "too_large" } };
  let table: string[][];
  try {
    table = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    return {
      ok: false,
      fileError: { code: "unreadable", row: typeof line === "number" ? line : 0 },
    };
  }
  if (table.length === 0) return { ok: false, fileError: { code: "empty" } };
  const header = table[0]!.map((h) => h.toLowerCase());
  const columns = REGISTRY_COLUMNS[kind];
  const missing = columns.filter((c) => c.required && !header.includes(c.name)).map((c) => c.name);
  if (missing.length > 0)
    return { ok: false, fileError: { code: "missing_columns", columns: missing } };
  const unknown = header.filter((h) => !columns.some((c) => c.name === h));
  if (unknown.length > 0)
    return { ok: false, fileError: { code: "unknown_columns", columns: unknown } };
  if (table.length - 1 > MAX_REGISTRY_ROWS)
    return { ok: false, fileError: { code: "too_many_rows", max: MAX_REGISTRY_ROWS } };
  if (table.length === 1) return { ok: false, fileError: { code: "empty" } };

  const errors: RegistryRowError[] = [];
  const records: RegistryRecord[] = [];
  const seen = new Set<string>();
  table.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const rowErrors: RegistryRowError[] = [];
    const add = (column: string | null, code: RegistryRowErrorCode) =>
      rowErrors.push({ row, column, code });
    if (cells.length !== header.length) add(null, "bad_row");
    const values: Record<string, string> = {};
    for (const c of columns) values[c.name] = unguard(cells[header.indexOf(c.name)] ?? "");
    for (const c of columns) {
      if (c.required && values[c.name] === "") add(c.name, "required");
    }
    const id = values.id!;
    if (id !== "" && !ID.test(id)) add("id", "bad_id");
    else if (id !== "" && seen.has(id)) add("id", "duplicate_id");
    seen.add(id);
    for (const name of ["name_zh", "name_en"]) {
      if ((values[name] ?? "").length > MAX_NAME) add(name, "too_long");
    }
    if (
      values.sort_order !== undefined &&
      values.sort_order !== "" &&
      !/^\d{1,6}$/.test(values.sort_order)
    )
      add("sort_order", "bad_number");
    const enumOk = (list: readonly string[]) => values.kind === "" || list.includes(values.kind!);
    if (kind === "districts") {
      if (!enumOk(DISTRICT_KINDS)) add("kind", "bad_kind");
      const zone = values.zone_id!;
      if (zone !== "" && !ctx.zoneIds.has(zone)) add("zone_id", "unknown_zone");
    }
    if (kind === "units") {
      if (!enumOk(UNIT_KINDS)) add("kind", "bad_kind");
      const d = values.district_id!;
      if (d !== "" && !ctx.districtIds.has(d)) add("district_id", "unknown_district");
      const was = ctx.unitDistricts.get(id);
      if (was !== undefined && d !== "" && was !== d) add("district_id", "moved_unit");
    }
    if (kind === "receiving_bodies") {
      if (!enumOk(RECEIVING_BODY_KINDS)) add("kind", "bad_kind");
      const d = values.district_id!;
      if (d !== "" && !ctx.districtIds.has(d)) add("district_id", "unknown_district");
      const was = ctx.bodyDistricts?.get(id);
      if (was !== undefined && was !== d) add("district_id", "moved_body");
    }
    errors.push(...rowErrors);
    if (rowErrors.length === 0) records.push({ row, id, values });
  });
  if (errors.length > 0) return { ok: false, rowErrors: errors, records };
  return { ok: true, records };
}

/**
 * The text of an uploaded file: UTF-8 (with or without a BOM), or GB18030 — what a spreadsheet
 * program on a Chinese system saves as "CSV" by default. Null when it is neither (a binary file).
 */
export function decodeRegistryFile(bytes: Uint8Array): string | null {
  for (const encoding of ["utf-8", "gb18030"]) {
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      continue; // not this encoding: try the next
    }
    // NUL never occurs in a text file (and PostgreSQL refuses it in text columns).
    return text.includes("\0") ? null : text;
  }
  return null;
}

/**
 * Spreadsheet programs run a cell that starts with = + - @ as a formula (CSV injection): export
 * prefixes such cells with an apostrophe, import removes it again.
 */
function guard(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
function unguard(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** CSV for export: the kind's columns, a BOM so spreadsheet programs read UTF-8 Chinese. */
export function registryCsv(
  kind: RegistryKind,
  rows: Record<string, string | number | null>[],
): string {
  const columns = REGISTRY_COLUMNS[kind].map((c) => c.name);
  return (
    "\uFEFF" +
    stringify(
      rows.map((r) =>
        columns.map((c) => guard(r[c] === null || r[c] === undefined ? "" : String(r[c]))),
      ),
      { header: true, columns, record_delimiter: "\r\n", quoted_match: /[\r\n]/ },
    )
  );
}
