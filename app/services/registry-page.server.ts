/**
 * The registry page's loader data and form handling (/staff/admin/registry): reads the bounded
 * multipart form (a file or pasted text), checks CSRF, and runs the preview or the import.
 */
import type { Db } from "../../db/client";
import { DISTRICT_KINDS, RECEIVING_BODY_KINDS, UNIT_KINDS } from "../../db/schema";
import type { Env } from "../env.server";
import {
  decodeRegistryFile,
  MAX_REGISTRY_CSV_BYTES,
  REGISTRY_COLUMNS,
  type RegistryRowError,
} from "../shared/registry-csv";
import { assertCsrf } from "./csrf.server";
import { readBoundedMultipart } from "./multipart.server";
import {
  checkRegistryFile,
  importRegistryFile,
  isOfficeRegistryKind,
  OFFICE_REGISTRY_KINDS,
  registryCounts,
  type OfficeRegistryKind,
  type RegistrySummary,
} from "./registry.server";
import type { StaffSession } from "./sessions.server";

const KIND_VALUES: Record<OfficeRegistryKind, readonly string[]> = {
  zones: [],
  districts: DISTRICT_KINDS,
  units: UNIT_KINDS,
  receiving_bodies: RECEIVING_BODY_KINDS,
};

export async function registryPageData(db: Db, jurisdictionId: string) {
  return {
    counts: await registryCounts(db, jurisdictionId),
    kinds: OFFICE_REGISTRY_KINDS.map((kind) => ({
      kind,
      columns: REGISTRY_COLUMNS[kind],
      kindValues: [...KIND_VALUES[kind]],
    })),
  };
}

export interface RegistryActionData {
  kind?: OfficeRegistryKind;
  badInput?: true;
  fileError?: { code: string; row?: number; max?: number; columns?: string[] };
  rowErrors?: RegistryRowError[];
  /** a clean preview: what the import would do, and the text to send back to confirm */
  preview?: RegistrySummary;
  csv?: string;
  imported?: { added: number; changed: number; unchanged: number };
}

const LIMITS = {
  // One byte over the format's limit, so an oversize file or field is still seen as too large.
  maxFileBytes: MAX_REGISTRY_CSV_BYTES + 1,
  maxTotalFileBytes: MAX_REGISTRY_CSV_BYTES + 1,
  maxFiles: 1,
  maxFieldBytes: MAX_REGISTRY_CSV_BYTES + 1,
  maxFields: 8,
  maxBodyBytes: 3 * MAX_REGISTRY_CSV_BYTES,
};

export async function registryAction(
  db: Db,
  env: Env,
  session: StaffSession,
  request: Request,
): Promise<{ status: number; body: RegistryActionData }> {
  const read = await readBoundedMultipart(request, LIMITS);
  const form = new FormData();
  for (const [name, value] of read.form.fields) if (name === "csrf") form.append(name, value);
  assertCsrf(env, session.sessionId, request, form);
  if (!read.ok && read.code !== "body_too_large") return { status: 400, body: { badInput: true } };
  const field = (name: string) => read.form.fields.find(([n]) => n === name)?.[1];
  const kind = field("kind") ?? "";
  const intent = field("intent");
  if (!isOfficeRegistryKind(kind) || (intent !== "preview" && intent !== "import"))
    return { status: 400, body: { badInput: true } };

  const fail = (code: string) => ({ status: 400, body: { kind, fileError: { code } } });
  if (!read.ok || read.form.dropped.length > 0) return fail("too_large");
  const file = read.form.files.find((f) => f.field === "file");
  let text: string | null;
  if (file && file.data.byteLength > 0) text = decodeRegistryFile(file.data);
  else {
    const pasted = field("csv") ?? "";
    text = pasted.includes("\0") ? null : pasted;
  }
  if (text === null) return fail("not_text");
  if (text.trim() === "") return fail("no_file");

  const result =
    intent === "preview"
      ? await checkRegistryFile(db, session.staff.jurisdictionId, kind, text)
      : await importRegistryFile(db, session, kind, text);
  if (!result.ok) {
    if ("fileError" in result) {
      const e = result.fileError;
      return {
        status: 400,
        body: {
          kind,
          fileError: {
            code: e.code,
            row: "row" in e ? e.row : undefined,
            max: "max" in e ? e.max : undefined,
            columns: "columns" in e ? e.columns : undefined,
          },
        },
      };
    }
    return { status: 400, body: { kind, rowErrors: result.rowErrors } };
  }
  const { added, changed, unchanged } = result.summary;
  return intent === "preview"
    ? { status: 200, body: { kind, preview: result.summary, csv: text } }
    : { status: 200, body: { kind, imported: { added, changed, unchanged } } };
}
