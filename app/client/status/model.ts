/**
 * What the status page shows, independent of who decrypted it (the browser on the JS path, the
 * server on the no-JS path), plus the shapes of decrypted message bodies. Isomorphic: no crypto,
 * no DOM, no Node APIs.
 */
import type { PublicStatus } from "../../../db/schema";
import type { ApprovalWire } from "../../shared/approvals";

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

/** A team role as the reader panel names it; "office" for the inspection office. */
export type SignerRole = "leader" | "deputy_leader" | "liaison" | "member" | "office";

/**
 * Whether a message "from the team" is shown as genuine (docs/crypto.md §5.7.1):
 * - verified: signed by a key the office approved for that member, for this tip and this place
 *   in the case (reply or the note of this status); `fingerprint` is computed in the browser from
 *   the approved key, `role`/`team` are what the server says about the signer;
 * - unverified: shown as not genuine, its text withheld (`unsigned`: an old, unsigned message,
 *   whose text can still be opened on request; the others: no text at all);
 * - unchecked: the no-JavaScript page, where only the server could check — and the server is the
 *   party the signature protects against.
 */
export type SignatureView =
  | {
      state: "verified";
      fingerprint: string;
      role: SignerRole | null;
      team: { nameZh: string; nameEn: string } | null;
      writtenAt: string;
    }
  | {
      state: "unverified";
      reason: "unsigned" | "invalid" | "unknownSigner" | "wrongPlace" | "duplicate";
    }
  | { state: "unchecked" };

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
  timeline: {
    id: string;
    status: PublicStatus;
    at: string;
    message: string | null;
    /** null when there is no message */
    signature: SignatureView | null;
  }[];
  thread: {
    id: string;
    from: "team" | "me";
    at: string;
    /** null when the message could not be decrypted or is not shown as genuine */
    text: string | null;
    files: string[];
    /** team messages only */
    signature: SignatureView | null;
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

/**
 * Who wrote the team's messages, for checking their signatures: the office approvals of the
 * member's keys and what the server says about the member's place in the team.
 */
export interface SignerWire {
  role: SignerRole | null;
  team: { nameZh: string; nameEn: string } | null;
  approvals: ApprovalWire[];
}

/** A case as the API sends it: ciphertexts in base64url, times in ISO 8601. */
export interface CaseWire {
  summary: CaseView["summary"];
  tipsterEnvelope: string;
  payload: string;
  history: {
    id: string;
    status: PublicStatus;
    at: string;
    message: string | null;
    /** staff id of whoever changed the status */
    author: string | null;
  }[];
  messages: {
    id: string;
    kind: "to_tipster" | "from_tipster";
    at: string;
    body: string;
    author: string | null;
  }[];
  attachments: { id: string; messageId: string | null; header: string; chunkCount: number }[];
  /** by staff id: the authors of the team's messages (the JS path; empty without JavaScript) */
  signers: Record<string, SignerWire>;
}

/** Where a team message appears: in the thread, or as the note of a status change. */
export type TeamMessagePlace = { kind: "reply" } | { kind: "status"; status: PublicStatus };

/** Decryption functions for one case; each returns null when its blob does not open. */
export interface CaseOpeners {
  payload(blob: string): unknown;
  /** the body (null when withheld) and whether it is shown as genuine */
  fromTeam(blob: string, place: TeamMessagePlace): { body: unknown; signature: SignatureView };
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
    timeline: wire.history.map((h) => {
      const note = h.message
        ? open.fromTeam(h.message, { kind: "status", status: h.status })
        : null;
      return {
        id: h.id,
        status: h.status,
        at: h.at,
        message: note ? readMessageBody(note.body).text : null,
        signature: note ? note.signature : null,
      };
    }),
    thread: wire.messages.map((m) => {
      const team = m.kind === "to_tipster" ? open.fromTeam(m.body, { kind: "reply" }) : null;
      const body = readMessageBody(team ? team.body : open.fromMe(m.body));
      return {
        id: m.id,
        from: team ? ("team" as const) : ("me" as const),
        at: m.at,
        text: body.text,
        files: body.files.map((f) => f.name),
        signature: team ? team.signature : null,
      };
    }),
  };
}
