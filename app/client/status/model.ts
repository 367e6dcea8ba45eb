/**
 * What the status page shows, independent of who decrypted it (the browser on the JS path, the
 * server on the no-JS path), plus the shapes of decrypted message bodies. Isomorphic: no crypto,
 * no DOM, no Node APIs.
 */
import type { PublicStatus } from "../../../db/schema";

/** A file the tipster added, as listed inside the encrypted message that carries it. */
export interface EvidenceRef {
  name: string;
  type: string;
  size: number;
  /** base64url attachment key (readers of the message can open the file) */
  key: string;
  /** SHA-256 hex of the encrypted attachment header: which stored attachment this is */
  ref: string;
}

/**
 * A decrypted message body: `{ text, attachments? }` (tipster replies carry evidence keys, in the
 * same shape as the report payload's `attachments`).
 */
export interface MessageBody {
  text: string | null;
  files: EvidenceRef[];
}

export function readMessageBody(body: unknown): MessageBody {
  if (!body || typeof body !== "object") return { text: null, files: [] };
  const b = body as Record<string, unknown>;
  const files = Array.isArray(b.attachments)
    ? b.attachments.filter(
        (f): f is EvidenceRef =>
          !!f &&
          typeof f === "object" &&
          typeof (f as EvidenceRef).name === "string" &&
          typeof (f as EvidenceRef).key === "string",
      )
    : [];
  return { text: typeof b.text === "string" ? b.text : null, files };
}

export interface CaseView {
  summary: {
    status: PublicStatus;
    createdAt: string;
    acknowledgeBy: string;
    feedbackBy: string;
    acknowledgedAt: string | null;
    /** When staff first opened the identity block after an approved reveal; null otherwise. */
    identityRevealedAt: string | null;
    district: { nameZh: string; nameEn: string };
    unit: { nameZh: string; nameEn: string } | null;
  };
  /** What the resident reported; null when it could not be decrypted. */
  report: string | null;
  /** The report's other fields, as the resident gave them (payload v1 field names). */
  reportDetails: ReportDetails | null;
  /** Names of the files sent with the report (payload `attachments`). */
  reportFiles: string[];
  timeline: { id: string; status: PublicStatus; at: string; message: string | null }[];
  thread: {
    id: string;
    from: "team" | "me";
    at: string;
    /** null when the message could not be decrypted */
    text: string | null;
    files: string[];
  }[];
}

/** The payload fields besides the text that the resident filled in (empty strings: left blank). */
export interface ReportDetails {
  category: string | null;
  corruptionType: string | null;
  when: string;
  people: string;
  /** integer fen, or null when no amount was given */
  amountFen: number | null;
}

/** Reads the optional fields of a decrypted tip payload without trusting their types. */
export function readReportDetails(payload: Record<string, unknown> | null): ReportDetails | null {
  if (!payload) return null;
  const str = (k: string) => (typeof payload[k] === "string" ? (payload[k] as string) : "");
  const amount = payload.amountFen;
  return {
    category: str("category") || null,
    corruptionType: str("corruptionType") || null,
    when: str("when"),
    people: str("people"),
    amountFen: typeof amount === "number" && Number.isSafeInteger(amount) ? amount : null,
  };
}

export const MAX_REPLY_CHARS = 4_000;
export const MAX_EVIDENCE_FILES = 3;
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/** A case as the API sends it: ciphertexts in base64url, times in ISO 8601. */
export interface CaseWire {
  summary: CaseView["summary"];
  tipsterEnvelope: string;
  payload: string;
  history: { id: string; status: PublicStatus; at: string; message: string | null }[];
  messages: { id: string; kind: "to_tipster" | "from_tipster"; at: string; body: string }[];
  attachments: { id: string; messageId: string | null; header: string; chunkCount: number }[];
}

/** Decryption functions for one case; each returns null when its blob does not open. */
export interface CaseOpeners {
  payload(blob: string): unknown;
  fromTeam(blob: string): unknown;
  fromMe(blob: string): unknown;
}

/** The one place that turns a decrypted case into what the page shows (both paths use it). */
export function buildCaseView(wire: CaseWire, open: CaseOpeners): CaseView {
  const payload = open.payload(wire.payload) as Record<string, unknown> | null;
  return {
    summary: wire.summary,
    report: payload && typeof payload.text === "string" ? payload.text : null,
    reportDetails: readReportDetails(payload),
    reportFiles: readMessageBody(payload).files.map((f) => f.name),
    timeline: wire.history.map((h) => ({
      id: h.id,
      status: h.status,
      at: h.at,
      message: h.message ? readMessageBody(open.fromTeam(h.message)).text : null,
    })),
    thread: wire.messages.map((m) => {
      const body = readMessageBody(
        m.kind === "to_tipster" ? open.fromTeam(m.body) : open.fromMe(m.body),
      );
      return {
        id: m.id,
        from: m.kind === "to_tipster" ? ("team" as const) : ("me" as const),
        at: m.at,
        text: body.text,
        files: body.files.map((f) => f.name),
      };
    }),
  };
}
