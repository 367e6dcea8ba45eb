/**
 * The office's registry (issue 10 item 1): zones, districts, units and receiving bodies of its own
 * jurisdiction, imported from CSV and exported to CSV (format and row checks:
 * app/shared/registry-csv.ts).
 *
 * - `checkRegistryFile` is the preview: every bad row with its spreadsheet row number and reason,
 *   or what the import would add and change. Nothing is written.
 * - `importRegistryFile` checks the file again against the database as it is inside the write
 *   transaction and writes every row or none: one bad row (or a file-level problem) imports
 *   nothing. An import adds and renames; it never deletes, and never moves a unit (tips refer to
 *   units) or a receiving body (transferred clues and its signed roster name its district).
 * - Ids are global (a district id names one district in every jurisdiction's data), so a row whose
 *   id belongs to another office's registry is refused (`foreign_id`) instead of overwriting it.
 */
import { and, asc, count, eq, inArray, ne } from "drizzle-orm";
import { serializeOn, withTx, type Db, type Tx } from "../../db/client";
import { districts, receivingBodies, units, zones } from "../../db/schema";
import {
  parseRegistryCsv,
  registryCsv,
  type RegistryFileError,
  type RegistryRecord,
  type RegistryRowError,
} from "../shared/registry-csv";
import { appendAudit } from "./audit.server";
import type { StaffSession } from "./sessions.server";

/** The kinds this registry holds, in import order (districts name zones, units districts). */
export const OFFICE_REGISTRY_KINDS = ["zones", "districts", "units", "receiving_bodies"] as const;
export type OfficeRegistryKind = (typeof OFFICE_REGISTRY_KINDS)[number];
export const isOfficeRegistryKind = (k: string): k is OfficeRegistryKind =>
  (OFFICE_REGISTRY_KINDS as readonly string[]).includes(k);

/** One row as stored, in the CSV's column names (strings; empty for null). */
type Row = Record<string, string>;

export interface RegistrySummary {
  kind: OfficeRegistryKind;
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
}

export type RegistryCheck =
  | { ok: true; summary: RegistrySummary }
  | { ok: false; fileError: RegistryFileError }
  | { ok: false; rowErrors: RegistryRowError[]; rows: number };

/** Rows of `kind` in the jurisdiction, keyed by id, in the CSV's column names. */
async function existingRows(
  db: Db,
  jurisdictionId: string,
  kind: OfficeRegistryKind,
): Promise<Map<string, Row>> {
  const str = (v: string | number | null) => (v === null ? "" : String(v));
  if (kind === "zones") {
    const rows = await db
      .select()
      .from(zones)
      .where(eq(zones.jurisdictionId, jurisdictionId))
      .orderBy(asc(zones.sortOrder), asc(zones.id));
    return new Map(
      rows.map((z) => [
        z.id,
        { id: z.id, name_zh: z.nameZh, name_en: z.nameEn, sort_order: str(z.sortOrder) },
      ]),
    );
  }
  if (kind === "districts") {
    const rows = await db
      .select()
      .from(districts)
      .where(eq(districts.jurisdictionId, jurisdictionId))
      .orderBy(asc(districts.sortOrder), asc(districts.id));
    return new Map(
      rows.map((d) => [
        d.id,
        {
          id: d.id,
          zone_id: str(d.zoneId),
          kind: d.kind,
          name_zh: d.nameZh,
          name_en: d.nameEn,
          sort_order: str(d.sortOrder),
        },
      ]),
    );
  }
  if (kind === "receiving_bodies") {
    const rows = await db
      .select()
      .from(receivingBodies)
      .where(eq(receivingBodies.jurisdictionId, jurisdictionId))
      .orderBy(asc(receivingBodies.id));
    return new Map(
      rows.map((b) => [
        b.id,
        {
          id: b.id,
          district_id: str(b.districtId),
          kind: b.kind,
          name_zh: b.nameZh,
          name_en: b.nameEn,
        },
      ]),
    );
  }
  const rows = await db
    .select({
      id: units.id,
      districtId: units.districtId,
      kind: units.kind,
      nameZh: units.nameZh,
      nameEn: units.nameEn,
    })
    .from(units)
    .innerJoin(districts, eq(districts.id, units.districtId))
    .where(eq(districts.jurisdictionId, jurisdictionId))
    .orderBy(asc(districts.sortOrder), asc(units.districtId), asc(units.id));
  return new Map(
    rows.map((u) => [
      u.id,
      { id: u.id, district_id: u.districtId, kind: u.kind, name_zh: u.nameZh, name_en: u.nameEn },
    ]),
  );
}

async function idsOf(db: Db, table: typeof zones | typeof districts, jurisdictionId: string) {
  const rows = await db
    .select({ id: table.id })
    .from(table)
    .where(eq(table.jurisdictionId, jurisdictionId));
  return new Set(rows.map((r) => r.id));
}

/** Of `ids`, those another jurisdiction's registry already uses for this kind. */
async function foreignIds(
  db: Db,
  jurisdictionId: string,
  kind: OfficeRegistryKind,
  ids: string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows =
      kind === "zones"
        ? await db
            .select({ id: zones.id })
            .from(zones)
            .where(and(inArray(zones.id, chunk), ne(zones.jurisdictionId, jurisdictionId)))
        : kind === "districts"
          ? await db
              .select({ id: districts.id })
              .from(districts)
              .where(
                and(inArray(districts.id, chunk), ne(districts.jurisdictionId, jurisdictionId)),
              )
          : kind === "receiving_bodies"
            ? await db
                .select({ id: receivingBodies.id })
                .from(receivingBodies)
                .where(
                  and(
                    inArray(receivingBodies.id, chunk),
                    ne(receivingBodies.jurisdictionId, jurisdictionId),
                  ),
                )
            : await db
                .select({ id: units.id })
                .from(units)
                .innerJoin(districts, eq(districts.id, units.districtId))
                .where(and(inArray(units.id, chunk), ne(districts.jurisdictionId, jurisdictionId)));
    for (const r of rows) found.add(r.id);
  }
  return found;
}

interface Checked {
  result: RegistryCheck;
  records: RegistryRecord[];
  existing: Map<string, Row>;
}

/** A record's values as the row would be stored (empty optional cells keep or default). */
function storedValues(kind: OfficeRegistryKind, rec: RegistryRecord, old: Row | undefined): Row {
  const v = rec.values;
  if (kind === "zones")
    return {
      id: rec.id,
      name_zh: v.name_zh!,
      name_en: v.name_en!,
      sort_order: v.sort_order || old?.sort_order || "0",
    };
  if (kind === "districts")
    return {
      id: rec.id,
      zone_id: v.zone_id ?? "",
      kind: v.kind!,
      name_zh: v.name_zh!,
      name_en: v.name_en!,
      sort_order: v.sort_order || old?.sort_order || "0",
    };
  return {
    id: rec.id,
    district_id: v.district_id ?? "",
    kind: v.kind!,
    name_zh: v.name_zh!,
    name_en: v.name_en!,
  };
}

const sameRow = (a: Row, b: Row) => Object.keys(a).every((k) => a[k] === b[k]);

async function check(
  db: Db,
  jurisdictionId: string,
  kind: OfficeRegistryKind,
  text: string,
): Promise<Checked> {
  const existing = await existingRows(db, jurisdictionId, kind);
  const unitDistricts = new Map<string, string>();
  if (kind === "units") for (const [id, r] of existing) unitDistricts.set(id, r.district_id!);
  const bodyDistricts = new Map<string, string>();
  if (kind === "receiving_bodies")
    for (const [id, r] of existing) bodyDistricts.set(id, r.district_id!);
  const parsed = parseRegistryCsv(kind, text, {
    zoneIds: await idsOf(db, zones, jurisdictionId),
    districtIds: await idsOf(db, districts, jurisdictionId),
    unitDistricts,
    bodyDistricts,
  });
  if (!parsed.ok && "fileError" in parsed) return { result: parsed, records: [], existing };
  const rowCount = parsed.ok
    ? parsed.records.length
    : parsed.records.length + new Set(parsed.rowErrors.map((e) => e.row)).size;
  const foreign = await foreignIds(
    db,
    jurisdictionId,
    kind,
    parsed.records.filter((r) => !existing.has(r.id)).map((r) => r.id),
  );
  const rowErrors: RegistryRowError[] = [
    ...(parsed.ok ? [] : parsed.rowErrors),
    ...parsed.records
      .filter((r) => foreign.has(r.id))
      .map((r) => ({ row: r.row, column: "id", code: "foreign_id" as const })),
  ].sort((a, b) => a.row - b.row);
  if (rowErrors.length > 0)
    return { result: { ok: false, rowErrors, rows: rowCount }, records: [], existing };

  let added = 0;
  let changed = 0;
  for (const rec of parsed.records) {
    const old = existing.get(rec.id);
    if (!old) added++;
    else if (!sameRow(storedValues(kind, rec, old), old)) changed++;
  }
  return {
    result: {
      ok: true,
      summary: {
        kind,
        rows: parsed.records.length,
        added,
        changed,
        unchanged: parsed.records.length - added - changed,
      },
    },
    records: parsed.records,
    existing,
  };
}

/** The preview: what importing `text` would do, or every reason it would import nothing. */
export async function checkRegistryFile(
  db: Db,
  jurisdictionId: string,
  kind: OfficeRegistryKind,
  text: string,
): Promise<RegistryCheck> {
  return (await check(db, jurisdictionId, kind, text)).result;
}

const INSERT_CHUNK = 200;

async function write(
  tx: Tx,
  jurisdictionId: string,
  kind: OfficeRegistryKind,
  records: RegistryRecord[],
  existing: Map<string, Row>,
): Promise<void> {
  const fresh: Row[] = [];
  const changed: Row[] = [];
  for (const rec of records) {
    const old = existing.get(rec.id);
    const row = storedValues(kind, rec, old);
    if (!old) fresh.push(row);
    else if (!sameRow(row, old)) changed.push(row);
  }
  for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
    const chunk = fresh.slice(i, i + INSERT_CHUNK);
    if (kind === "zones")
      await tx.insert(zones).values(
        chunk.map((r) => ({
          id: r.id!,
          jurisdictionId,
          nameZh: r.name_zh!,
          nameEn: r.name_en!,
          sortOrder: Number(r.sort_order),
        })),
      );
    else if (kind === "districts")
      await tx.insert(districts).values(
        chunk.map((r) => ({
          id: r.id!,
          jurisdictionId,
          zoneId: r.zone_id || null,
          kind: r.kind as (typeof districts.$inferInsert)["kind"],
          nameZh: r.name_zh!,
          nameEn: r.name_en!,
          sortOrder: Number(r.sort_order),
        })),
      );
    else if (kind === "receiving_bodies")
      await tx.insert(receivingBodies).values(
        chunk.map((r) => ({
          id: r.id!,
          jurisdictionId,
          districtId: r.district_id || null,
          kind: r.kind as (typeof receivingBodies.$inferInsert)["kind"],
          nameZh: r.name_zh!,
          nameEn: r.name_en!,
        })),
      );
    else
      await tx.insert(units).values(
        chunk.map((r) => ({
          id: r.id!,
          districtId: r.district_id!,
          kind: r.kind as (typeof units.$inferInsert)["kind"],
          nameZh: r.name_zh!,
          nameEn: r.name_en!,
        })),
      );
  }
  for (const r of changed) {
    if (kind === "zones")
      await tx
        .update(zones)
        .set({ nameZh: r.name_zh!, nameEn: r.name_en!, sortOrder: Number(r.sort_order) })
        .where(and(eq(zones.id, r.id!), eq(zones.jurisdictionId, jurisdictionId)));
    else if (kind === "districts")
      await tx
        .update(districts)
        .set({
          zoneId: r.zone_id || null,
          kind: r.kind as (typeof districts.$inferInsert)["kind"],
          nameZh: r.name_zh!,
          nameEn: r.name_en!,
          sortOrder: Number(r.sort_order),
        })
        .where(and(eq(districts.id, r.id!), eq(districts.jurisdictionId, jurisdictionId)));
    else if (kind === "receiving_bodies")
      await tx
        .update(receivingBodies)
        .set({
          kind: r.kind as (typeof receivingBodies.$inferInsert)["kind"],
          nameZh: r.name_zh!,
          nameEn: r.name_en!,
        })
        // Never moved (the check refuses it): only kind and names change.
        .where(
          and(eq(receivingBodies.id, r.id!), eq(receivingBodies.jurisdictionId, jurisdictionId)),
        );
    else
      await tx
        .update(units)
        .set({
          kind: r.kind as (typeof units.$inferInsert)["kind"],
          nameZh: r.name_zh!,
          nameEn: r.name_en!,
        })
        // A unit is never moved (the check refuses it); the district pins it to this office.
        .where(and(eq(units.id, r.id!), eq(units.districtId, r.district_id!)));
  }
}

/**
 * Imports `text` into the office's registry: every row, or — when any row or the file is bad —
 * none, with every reason. Audited as `registry.import` (counts only, never names).
 */
export async function importRegistryFile(
  db: Db,
  session: StaffSession,
  kind: OfficeRegistryKind,
  text: string,
  now = new Date(),
): Promise<RegistryCheck> {
  const jurisdictionId = session.staff.jurisdictionId;
  return await withTx(db, async (tx) => {
    // Checked again inside the transaction, under the office's registry lock: what the preview
    // saw may have changed since, and two imports at once (PostgreSQL, READ COMMITTED) would
    // otherwise both find a row new and both insert it (a 500 on the primary key).
    await serializeOn(tx, `registry:${jurisdictionId}`);
    const { result, records, existing } = await check(tx, jurisdictionId, kind, text);
    if (!result.ok) return result;
    await write(tx, jurisdictionId, kind, records, existing);
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "registry.import",
      objectType: "registry",
      objectId: `${jurisdictionId}/${kind}`,
      detail: {
        rows: result.summary.rows,
        added: result.summary.added,
        changed: result.summary.changed,
      },
      at: now,
    });
    return result;
  });
}

/** The office's rows of `kind` as a CSV file (the import format). */
export async function exportRegistry(
  db: Db,
  jurisdictionId: string,
  kind: OfficeRegistryKind,
): Promise<string> {
  return registryCsv(kind, [...(await existingRows(db, jurisdictionId, kind)).values()]);
}

/** How many rows of each kind the office's registry holds (the page's overview). */
export async function registryCounts(
  db: Db,
  jurisdictionId: string,
): Promise<Record<OfficeRegistryKind, number>> {
  const [z] = await db
    .select({ n: count() })
    .from(zones)
    .where(eq(zones.jurisdictionId, jurisdictionId));
  const [d] = await db
    .select({ n: count() })
    .from(districts)
    .where(eq(districts.jurisdictionId, jurisdictionId));
  const [u] = await db
    .select({ n: count() })
    .from(units)
    .innerJoin(districts, eq(districts.id, units.districtId))
    .where(eq(districts.jurisdictionId, jurisdictionId));
  const [b] = await db
    .select({ n: count() })
    .from(receivingBodies)
    .where(eq(receivingBodies.jurisdictionId, jurisdictionId));
  return {
    zones: z?.n ?? 0,
    districts: d?.n ?? 0,
    units: u?.n ?? 0,
    receiving_bodies: b?.n ?? 0,
  };
}
