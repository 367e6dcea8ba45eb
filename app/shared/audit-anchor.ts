/**
 * An anchor is the chain's length and head hash, `<rows>:<hash>`, written down off the server (in
 * the office's and the commission's records, the scorecard print-out). The chain alone proves
 * only that its rows fit together: someone who can write the database can edit an old row and
 * recompute every later hash, or cut off the tail. Row <rows> of a chain that still has the
 * recorded hash proves rows 1…<rows> are exactly what they were when the anchor was taken
 * (every hash covers the one before); the walk then checks that the chain continues from it.
 */
export interface AuditAnchor {
  rows: number;
  hash: string;
}

const ANCHOR = /^\s*(\d{1,12}):([0-9a-fA-F]{64})\s*$/;

/** Parses `<rows>:<64 hex digits>`; null for anything else (rows must be ≥ 1). */
export function parseAuditAnchor(text: string): AuditAnchor | null {
  const m = ANCHOR.exec(text);
  if (!m) return null;
  const rows = Number(m[1]);
  if (!Number.isSafeInteger(rows) || rows < 1) return null;
  return { rows, hash: m[2]!.toLowerCase() };
}

export const formatAuditAnchor = (a: AuditAnchor): string => `${a.rows}:${a.hash}`;
