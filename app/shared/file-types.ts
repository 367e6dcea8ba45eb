/**
 * What an evidence file really is, decided by its first bytes ("magic numbers"), never by the
 * name or the type the sender's system claims. Shared by the browser (file choosers on the report
 * and status pages, before anything is encrypted; the staff case page, after decrypting) and the
 * server (the no-JavaScript paths, which see the plaintext in memory).
 *
 * The rule: a file is accepted when its contents are one of EVIDENCE_KINDS (JPEG, PNG, PDF),
 * whatever its name says, and is then handled as that kind (its type corrected, so metadata
 * stripping runs on what the file really is). A program renamed `fake.jpg` is refused with a
 * message that says so; anything else is refused as an unsupported type.
 *
 * Staff side: the name a tipster gave is shown and saved only after `safeFileName`, with the
 * extension of the detected kind; only images are shown inline; kinds that can carry code (PDF,
 * office documents) are marked `active` and get a warning before they leave the browser.
 */

/** Kinds we accept as evidence. */
export type EvidenceKind = "jpeg" | "png" | "pdf";

/** Kinds we recognise only to name them in a message or a warning. */
export type ForeignKind =
  | "executable"
  | "script"
  | "html"
  | "svg"
  | "office"
  | "zip"
  | "gif"
  | "webp"
  | "heic"
  | "text"
  | "unknown";

export type DetectedKind = EvidenceKind | ForeignKind;

export interface EvidenceType {
  mime: string;
  /** the extension a saved copy gets; the first of `extensions` */
  extensions: readonly string[];
  /** shown inline on the case page (decoded by the browser's image decoder, never run) */
  inline: boolean;
  /** can carry scripts or macros in the program that opens it: warn before opening */
  active: boolean;
}

export const EVIDENCE_TYPES: Record<EvidenceKind, EvidenceType> = {
  jpeg: { mime: "image/jpeg", extensions: ["jpg", "jpeg"], inline: true, active: false },
  png: { mime: "image/png", extensions: ["png"], inline: true, active: false },
  pdf: { mime: "application/pdf", extensions: ["pdf"], inline: false, active: true },
};

export const EVIDENCE_KINDS = Object.keys(EVIDENCE_TYPES) as EvidenceKind[];
export const EVIDENCE_MIME_TYPES = EVIDENCE_KINDS.map((k) => EVIDENCE_TYPES[k].mime);
/** For `<input type=file accept>`: types and extensions, so pickers offer the right files. */
export const EVIDENCE_ACCEPT = [
  ...EVIDENCE_MIME_TYPES,
  ...EVIDENCE_KINDS.flatMap((k) => EVIDENCE_TYPES[k].extensions.map((e) => `.${e}`)),
].join(",");

/** Kinds that can carry code when opened (for the staff warning), evidence or not. */
export const ACTIVE_KINDS: ReadonlySet<DetectedKind> = new Set([
  "pdf",
  "office",
  "zip",
  "executable",
  "script",
  "html",
  "svg",
]);

/** How many leading bytes `detectKind` looks at. */
export const SNIFF_BYTES = 64;

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** Leading text (after a UTF-8 BOM and whitespace), lower-cased, for markup detection. */
function leadingText(b: Uint8Array): string {
  let i = startsWith(b, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  let s = "";
  for (; i < b.length && s.length < 40; i++) s += String.fromCharCode(b[i]!);
  return s.toLowerCase();
}

/** The kind of a file from its first bytes (pass at least SNIFF_BYTES if the file has them). */
export function detectKind(head: Uint8Array): DetectedKind {
  const b = head;
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(b, ascii("%PDF-"))) return "pdf";
  // Programs: Windows PE/DOS ("MZ"), ELF, Mach-O (32/64, both byte orders, fat), WebAssembly,
  // Java class files share CAFEBABE with fat Mach-O.
  if (
    startsWith(b, ascii("MZ")) ||
    startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) ||
    startsWith(b, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(b, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(b, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(b, [0xcf, 0xfa, 0xed, 0xfe]) ||
    startsWith(b, [0xca, 0xfe, 0xba, 0xbe]) ||
    startsWith(b, [0x00, 0x61, 0x73, 0x6d]) ||
    startsWith(b, ascii("dex\n"))
  ) {
    return "executable";
  }
  if (startsWith(b, ascii("#!"))) return "script";
  // Office: legacy compound files (doc/xls/ppt) and RTF; OOXML/ODF are zip archives.
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "office";
  if (startsWith(b, ascii("{\\rtf"))) return "office";
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) {
    return "zip";
  }
  if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) return "gif";
  if (startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8)) return "webp";
  if (startsWith(b, ascii("ftyp"), 4)) {
    const brand = String.fromCharCode(...b.subarray(8, 12));
    if (/^(heic|heix|heim|heis|mif1|msf1|avif)$/.test(brand)) return "heic";
  }
  const text = leadingText(b);
  if (text.startsWith("<svg") || (text.startsWith("<?xml") && text.includes("svg"))) return "svg";
  if (/^<(!doctype html|html|head|body|script|iframe)/.test(text)) return "html";
  if (text.startsWith("<?xml")) return "text";
  return looksLikeText(b) ? "text" : "unknown";
}

function looksLikeText(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  for (const x of b) if (x < 0x09 || (x > 0x0d && x < 0x20)) return false;
  return true;
}

export function isEvidenceKind(kind: DetectedKind): kind is EvidenceKind {
  return kind in EVIDENCE_TYPES;
}

export interface FileClaim {
  name: string;
  /** the type the sender's system gave (may be empty or wrong) */
  type: string;
}

export type EvidenceVerdict =
  | { ok: true; kind: EvidenceKind; mime: string }
  | {
      ok: false;
      /** executable: a program (or script); mismatch: claims to be evidence but is something else */
      reason: "executable" | "mismatch" | "unsupported" | "empty";
      detected: DetectedKind;
    };

const claimsEvidence = (claim: FileClaim) => {
  const ext = extensionOf(claim.name);
  return (
    EVIDENCE_MIME_TYPES.includes(claim.type) ||
    EVIDENCE_KINDS.some((k) => EVIDENCE_TYPES[k].extensions.includes(ext))
  );
};

/** The upload check (report and status pages, both paths). */
export function checkEvidenceFile(claim: FileClaim, head: Uint8Array): EvidenceVerdict {
  if (head.length === 0) return { ok: false, reason: "empty", detected: "unknown" };
  const detected = detectKind(head);
  if (isEvidenceKind(detected)) {
    return { ok: true, kind: detected, mime: EVIDENCE_TYPES[detected].mime };
  }
  if (detected === "executable" || detected === "script") {
    return { ok: false, reason: "executable", detected };
  }
  return { ok: false, reason: claimsEvidence(claim) ? "mismatch" : "unsupported", detected };
}

/** The lower-cased extension of a file name, without the dot ("" when there is none). */
export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

/** The extension a saved copy gets: the evidence kind's, "txt" for plain text, else "bin". */
export function savedExtension(kind: DetectedKind): string {
  if (isEvidenceKind(kind)) return EVIDENCE_TYPES[kind].extensions[0]!;
  return kind === "text" ? "txt" : "bin";
}

/** The type a decrypted copy is handed to the browser with: never one it would render or run. */
export function savedMime(kind: DetectedKind): string {
  if (isEvidenceKind(kind)) return EVIDENCE_TYPES[kind].mime;
  return kind === "text" ? "text/plain;charset=utf-8" : "application/octet-stream";
}

/** Longest base name we keep, in characters (well under every file system's 255-byte limit). */
const MAX_BASE_CHARS = 80;

/**
 * A name safe to show and to save: no directories, no control or bidirectional-override
 * characters (which can disguise "gpj.exe" as "exe.jpg"), no characters Windows forbids, no
 * leading dots, at most 80 characters, and always the extension of what the file really is
 * (`kind`, see savedExtension), so a saved copy opens in the program for its real type and a
 * program never gets an extension a system would run.
 */
export function safeFileName(
  name: string,
  kind: DetectedKind | null,
  fallback = "evidence",
): string {
  let base = (name.split(/[\\/]/).pop() ?? "")
    .normalize("NFC")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
    .replace(/[<>:"|?*]/g, "_")
    .trim();
  // The claimed extension goes; the real kind's comes back ("invoice.pdf.exe" of unknown
  // contents is saved as "invoice.pdf.bin", which no system runs).
  // kind null: not decrypted yet, so only the claimed extension is known (shown, never saved).
  const claimed = /\.([a-z0-9]{1,5})$/i.exec(base)?.[1]?.toLowerCase() ?? "bin";
  const ext = kind === null ? claimed : savedExtension(kind);
  base = base.replace(/\.[a-z0-9]{1,5}$/i, "").replace(/^[.\s]+|[.\s]+$/g, "");
  if (!base) base = fallback;
  const chars = Array.from(base);
  if (chars.length > MAX_BASE_CHARS) base = chars.slice(0, MAX_BASE_CHARS).join("");
  return `${base}.${ext}`;
}

/** A chosen file's name, claimed type, size and first bytes, for `checkEvidenceFile`. */
export async function fileWithHead(file: File) {
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  return { name: file.name, type: file.type, size: file.size, head };
}

/** The type to encrypt a file under: its real evidence type, or the claim when it is none. */
export function realType(head: Uint8Array, claimed: string): string {
  const kind = detectKind(head);
  return isEvidenceKind(kind) ? EVIDENCE_TYPES[kind].mime : claimed;
}

/** The first file of a list that is not acceptable evidence, and why (null when all are). */
export function firstRefusedFile(
  files: readonly (FileClaim & { head: Uint8Array })[],
): { name: string; problem: "fileExecutable" | "fileMismatch" | "fileType" | "fileEmpty" } | null {
  for (const f of files) {
    const verdict = checkEvidenceFile(f, f.head);
    if (!verdict.ok) return { name: f.name, problem: REFUSAL_KEY[verdict.reason] };
  }
  return null;
}

/** The message key (resident.errors.* / tipster.errors.*) for each refusal. */
export const REFUSAL_KEY = {
  executable: "fileExecutable",
  mismatch: "fileMismatch",
  unsupported: "fileType",
  empty: "fileEmpty",
} as const;

/**
 * Whether a file's contents differ from what its name or claimed type says (staff side: flag it).
 * A claim of an evidence type must match the kind found; a file with no recognisable claim is a
 * mismatch only when its contents are a program, a script or markup that a browser would run.
 */
export function claimMismatch(claim: FileClaim, kind: DetectedKind): boolean {
  const byType = EVIDENCE_KINDS.find((k) => EVIDENCE_TYPES[k].mime === claim.type);
  const ext = extensionOf(claim.name);
  const byExt = EVIDENCE_KINDS.find((k) => EVIDENCE_TYPES[k].extensions.includes(ext));
  if (byType && byType !== kind) return true;
  if (byExt && byExt !== kind) return true;
  if (!byType && !byExt) return ACTIVE_KINDS.has(kind) && kind !== "pdf" && kind !== "office";
  return false;
}
