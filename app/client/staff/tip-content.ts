/**
 * The fields a resident filled in, read from a decrypted tip payload (docs/crypto.md, payload
 * fields): what happened, when, the people and positions involved, the amount, the kind of
 * corruption and the evidence files. Every one is shown to the team and searchable in the inbox.
 */
import type { JsonObject } from "../../../crypto/index";
import { amountSearchTerms } from "./amount-search";

export interface TipContent {
  text: string;
  when: string;
  people: string;
  /** integer fen, or null when the resident gave no amount */
  amountFen: number | null;
  /** the amount as the resident typed it, when the report page kept it */
  amountText: string;
  corruptionType: string | null;
  fileCount: number;
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

export function tipContent(payload: JsonObject): TipContent {
  const fen = payload.amountFen;
  return {
    text: str(payload.text),
    when: str(payload.when),
    people: str(payload.people),
    amountFen: typeof fen === "number" && Number.isSafeInteger(fen) && fen >= 0 ? fen : null,
    amountText: str(payload.amountText),
    corruptionType: str(payload.corruptionType) || null,
    fileCount: Array.isArray(payload.attachments) ? payload.attachments.length : 0,
  };
}

/** Everything a search should find a tip by, lower-cased. */
export function contentHaystack(c: TipContent): string {
  return [
    c.text,
    c.when,
    c.people,
    c.amountText,
    ...(c.amountFen === null ? [] : amountSearchTerms(c.amountFen)),
  ]
    .join("\n")
    .toLowerCase();
}

/** A tip as the inbox holds it once opened. */
export interface Decrypted {
  /** null when the payload could not be opened */
  content: TipContent | null;
  /** lower-cased searchable content */
  haystack: string;
}

export const UNOPENED: Decrypted = Object.freeze({ content: null, haystack: "" });

/** The inbox's view of an opened payload: its fields and its search text. */
export function decryptedFrom(payload: JsonObject): Decrypted {
  const content = tipContent(payload);
  return { content, haystack: contentHaystack(content) };
}
