/**
 * The report form's shared model: limits, categories and the exact JSON that goes inside the
 * sealed tip payload. Isomorphic (no crypto, no DOM, no Node APIs) so the browser (JavaScript
 * path) and the server (no-JavaScript path) build byte-for-byte the same payload shape, and staff
 * open both the same way. See docs/decisions/005-report-submission.md.
 */

import { parseYuan, type MoneyError } from "../../shared/money";
import { checkEvidenceFile, EVIDENCE_MIME_TYPES, REFUSAL_KEY } from "../../shared/file-types";

/** Same values as db/schema.ts (kept apart so the browser bundle carries no drizzle; a unit test checks they agree). */
export const CATEGORIES = ["decision", "corruption", "livelihood"] as const;
export const CORRUPTION_TYPES = [
  "abuse_of_power",
  "false_claims",
  "extortion",
  "favouritism",
  "squandering_assets",
] as const;
export type Category = (typeof CATEGORIES)[number];
export type CorruptionType = (typeof CORRUPTION_TYPES)[number];

export const REPORT_PAYLOAD_VERSION = 1;

/** Evidence limits, shown to the resident before they pick files. */
export const MAX_REPORT_FILES = 5;
export const MAX_REPORT_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_REPORT_TOTAL_BYTES = 20 * 1024 * 1024;
/**
 * Accepted evidence: JPEG/PNG photos and PDFs (WebP and HEIC metadata is not stripped yet),
 * decided by each file's contents (app/shared/file-types.ts), not its name.
 */
export const REPORT_FILE_TYPES = EVIDENCE_MIME_TYPES;

export const MAX_TEXT_CHARS = 10_000;
export const MAX_SHORT_CHARS = 500;
export const MAX_NAME_CHARS = 100;

/** A file listed inside the sealed payload: the key to open it and which stored file it is. */
export interface ReportFileRef {
  name: string;
  type: string;
  size: number;
  /** base64url attachment key */
  key: string;
  /** SHA-256 hex of the encrypted attachment header */
  ref: string;
}

export interface ReportFields {
  district: string;
  unit: string | null;
  category: Category;
  corruptionType: CorruptionType | null;
  text: string;
  /** free text: "last spring", "2024-03" */
  when: string;
  people: string;
  /** integer fen, or null */
  amountFen: number | null;
  /** the amount as the resident typed it ("1.5万"), kept so the team can search for it as written */
  amountText?: string;
}

export interface IdentityFields {
  name: string;
  phone: string;
  contact: string;
}

/** The tip payload JSON (docs/crypto.md §5.2 example shape, plus the report's fields). */
export function buildReportPayload(fields: ReportFields, files: ReportFileRef[]) {
  return {
    v: REPORT_PAYLOAD_VERSION,
    district: fields.district,
    unit: fields.unit,
    category: fields.category,
    corruptionType: fields.category === "corruption" ? fields.corruptionType : null,
    text: fields.text,
    when: fields.when,
    people: fields.people,
    amountFen: fields.amountFen,
    ...(fields.amountFen !== null && fields.amountText ? { amountText: fields.amountText } : {}),
    attachments: files.map((f) => ({ ...f })),
  };
}

/** The identity block (its own key; opened only after an approved reveal), or undefined. */
export function buildIdentityBlock(id: IdentityFields | null) {
  if (!id) return undefined;
  const name = id.name.trim();
  const phone = id.phone.trim();
  const contact = id.contact.trim();
  if (!name && !phone && !contact) return undefined;
  return { v: REPORT_PAYLOAD_VERSION, name, phone, contact };
}

/** The attachment format stores names of at most this many UTF-8 bytes (crypto/attachment.ts). */
export const MAX_FILE_NAME_BYTES = 255;

/**
 * A file name that fits the attachment format: names longer than 255 UTF-8 bytes (phones and
 * messaging apps make such names) are shortened, keeping the extension, rather than refusing the
 * photo for its name. Both paths call this before encrypting.
 */
export function fitFileName(name: string): string {
  const enc = new TextEncoder();
  // Control characters have no place in a name shown to staff.
  const clean =
    Array.from(name)
      .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== "\u007f")
      .join("")
      .trim() || "file";
  if (enc.encode(clean).length <= MAX_FILE_NAME_BYTES) return clean;
  const dot = clean.lastIndexOf(".");
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : "";
  const stem = Array.from(ext ? clean.slice(0, dot) : clean);
  const budget = MAX_FILE_NAME_BYTES - enc.encode(`…${ext}`).length;
  let out = "";
  let bytes = 0;
  for (const ch of stem) {
    const n = enc.encode(ch).length;
    if (bytes + n > budget) break;
    out += ch;
    bytes += n;
  }
  return `${out}…${ext}`;
}

/** Size of one attachment's ciphertext on the wire: every chunk carries a 1-byte tag + 16-byte MAC. */
export const CHUNK_OVERHEAD = 17;
export const CHUNK_BYTES = 65536;

export function ciphertextSizeFor(plainSize: number): number {
  const chunks = plainSize === 0 ? 1 : Math.ceil(plainSize / CHUNK_BYTES);
  return plainSize + chunks * CHUNK_OVERHEAD;
}

/** Splits one file's concatenated ciphertext back into its chunks (all full but the last). */
export function splitChunks(data: Uint8Array): Uint8Array[] | null {
  const full = CHUNK_BYTES + CHUNK_OVERHEAD;
  if (data.length < CHUNK_OVERHEAD) return null;
  const out: Uint8Array[] = [];
  let at = 0;
  while (data.length - at > full) {
    out.push(data.subarray(at, at + full));
    at += full;
  }
  out.push(data.subarray(at));
  return out;
}

// ---------------------------------------------------------------- validation (both paths)

/** Form field names, shared by the form, the browser driver and the no-JS action. */
export type FormValues = Partial<
  Record<
    | "district"
    | "unit"
    | "category"
    | "corruptionType"
    | "text"
    | "when"
    | "people"
    | "amount"
    | "identity"
    | "name"
    | "phone"
    | "contact"
    | "onlyOutsiders",
    string
  >
>;

/** A problem with one field: an i18n key under `resident.errors` and its placeholders. */
export interface FieldProblem {
  field: keyof FormValues | "files";
  key:
    | "chooseDistrict"
    | "unitMissing"
    | "categoryMissing"
    | "textMissing"
    | "textTooLong"
    | "fieldTooLong"
    | "amountInvalid"
    | "amountPrecision"
    | "amountGrouping"
    | "amountTooLarge"
    | "tooManyFiles"
    | "fileTooLarge"
    | "filesTooLarge"
    | "fileType"
    | "fileExecutable"
    | "fileMismatch"
    | "fileEmpty";
  vars?: Record<string, string | number>;
}

export interface FileInfo {
  name: string;
  type: string;
  size: number;
  /** the file's first bytes (at least SNIFF_BYTES when it has them): its real type is read there */
  head: Uint8Array;
}

export type Validated =
  | {
      ok: true;
      fields: ReportFields;
      identity: IdentityFields | null;
      onlyOutsiders: boolean;
    }
  | { ok: false; problems: FieldProblem[] };

/** "10 MB" (the same in both languages). */
export const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

const isIn = <T extends string>(list: readonly T[], v: string | undefined): v is T =>
  v !== undefined && (list as readonly string[]).includes(v);

/** The one set of rules for a report form; `fieldLabel` names fields in "too long" messages. */
export function validateReport(
  v: FormValues,
  files: readonly FileInfo[],
  fieldLabel: (field: "when" | "people" | "name" | "phone" | "contact") => string,
): Validated {
  const problems: FieldProblem[] = [];
  const s = (k: keyof FormValues) => (v[k] ?? "").trim();
  const district = s("district");
  if (!district) problems.push({ field: "district", key: "chooseDistrict" });
  // "" is the resident's explicit "not sure / not listed"; no value at all means nothing was chosen.
  if (v.unit === undefined) problems.push({ field: "unit", key: "unitMissing" });
  const category = s("category");
  if (!isIn(CATEGORIES, category)) problems.push({ field: "category", key: "categoryMissing" });
  const text = s("text");
  if (!text) problems.push({ field: "text", key: "textMissing" });
  else if (text.length > MAX_TEXT_CHARS) {
    problems.push({ field: "text", key: "textTooLong", vars: { max: MAX_TEXT_CHARS } });
  }
  for (const f of ["when", "people"] as const) {
    if (s(f).length > MAX_SHORT_CHARS) {
      problems.push({
        field: f,
        key: "fieldTooLong",
        vars: { field: fieldLabel(f), max: MAX_SHORT_CHARS },
      });
    }
  }
  const named = s("identity") === "named";
  if (named) {
    for (const f of ["name", "phone", "contact"] as const) {
      const max = f === "contact" ? MAX_SHORT_CHARS : MAX_NAME_CHARS;
      if (s(f).length > max) {
        problems.push({ field: f, key: "fieldTooLong", vars: { field: fieldLabel(f), max } });
      }
    }
  }
  const amount = parseYuan(s("amount"));
  if (amount && !amount.ok) problems.push({ field: "amount", key: AMOUNT_PROBLEM[amount.error] });
  problems.push(...validateFiles(files));
  if (problems.length > 0) return { ok: false, problems };

  const corruptionType = s("corruptionType");
  return {
    ok: true,
    fields: {
      district,
      unit: s("unit") || null,
      category: category as Category,
      corruptionType:
        category === "corruption" && isIn(CORRUPTION_TYPES, corruptionType) ? corruptionType : null,
      text,
      when: s("when"),
      people: s("people"),
      amountFen: amount?.ok ? amount.fen : null,
      ...(amount?.ok ? { amountText: s("amount").slice(0, 40) } : {}),
    },
    identity: named ? { name: s("name"), phone: s("phone"), contact: s("contact") } : null,
    // The checkbox is ticked by default; an unticked box is simply absent from the form.
    onlyOutsiders: s("onlyOutsiders") === "yes",
  };
}

const AMOUNT_PROBLEM = {
  invalid: "amountInvalid",
  precision: "amountPrecision",
  grouping: "amountGrouping",
  tooLarge: "amountTooLarge",
} as const satisfies Record<MoneyError, FieldProblem["key"]>;

/** The evidence rules alone (count, type, size), for checking files as soon as they are picked. */
export function validateFiles(files: readonly FileInfo[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (files.length > MAX_REPORT_FILES) {
    problems.push({ field: "files", key: "tooManyFiles", vars: { max: MAX_REPORT_FILES } });
  }
  let total = 0;
  for (const f of files) {
    total += f.size;
    // A program is named as one whatever its size; otherwise the size comes first (a file too
    // large was not kept on the no-JS path, so only its first bytes were seen).
    const verdict = checkEvidenceFile(f, f.head);
    if (!verdict.ok && verdict.reason === "executable") {
      problems.push({ field: "files", key: REFUSAL_KEY.executable, vars: { name: f.name } });
    } else if (f.size > MAX_REPORT_FILE_BYTES) {
      problems.push({
        field: "files",
        key: "fileTooLarge",
        vars: { name: f.name, max: mb(MAX_REPORT_FILE_BYTES) },
      });
    } else if (!verdict.ok) {
      problems.push({ field: "files", key: REFUSAL_KEY[verdict.reason], vars: { name: f.name } });
    }
  }
  if (total > MAX_REPORT_TOTAL_BYTES) {
    problems.push({
      field: "files",
      key: "filesTooLarge",
      vars: { max: mb(MAX_REPORT_TOTAL_BYTES) },
    });
  }
  return problems;
}

// ---------------------------------------------------------------- receipt confirmation

/** Each control of "I wrote the code down" checked for what it checks (an i18n key or null). */
export interface ConfirmProblems {
  written: "mustTick" | null;
  last4: "last4Missing" | "last4Wrong" | null;
}

export function checkConfirmation(
  written: boolean,
  last4Input: string,
  receiptDigits: string,
): ConfirmProblems {
  const last4 = last4Input.normalize("NFKC").replace(/\s+/g, "");
  return {
    written: written ? null : "mustTick",
    last4: last4 === "" ? "last4Missing" : last4 !== receiptDigits.slice(-4) ? "last4Wrong" : null,
  };
}
