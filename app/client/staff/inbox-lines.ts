/**
 * The streamed inbox answer (`GET /api/staff/inbox?format=ndjson`, ADR 028) read as it arrives:
 * `LineRuns` cuts the byte stream into runs of whole lines (a network chunk may end anywhere,
 * inside a line or inside a UTF-8 sequence), and `parseLines` reads one run. Shared by the page
 * and the decryption workers; no DOM, no crypto.
 */

export interface CiphertextLine {
  id: string;
  /** base64url TIP_PAYLOAD_V1 */
  payload: string;
  /** base64url KEY_ENVELOPE_V1 of this member */
  envelope: string;
}

const NEWLINE = 0x0a;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Collects network chunks and hands out runs of whole lines of at least `minBytes`. */
export class LineRuns {
  private carry: Uint8Array = new Uint8Array(0);
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(private readonly minBytes = 0) {}

  /** Feeds one chunk; returns a run of whole lines once `minBytes` of them are waiting. */
  push(chunk: Uint8Array): Uint8Array | null {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < 0) {
      this.carry = concat(this.carry, chunk);
      return null;
    }
    const whole = concat(this.carry, chunk.subarray(0, last + 1));
    this.carry = chunk.slice(last + 1);
    this.pending.push(whole);
    this.pendingBytes += whole.length;
    return this.pendingBytes >= this.minBytes ? this.take() : null;
  }

  /** The whole lines still waiting (at the end of the stream), or null. */
  flush(): Uint8Array | null {
    return this.pendingBytes > 0 ? this.take() : null;
  }

  /** Bytes after the last newline: not empty at the end means the answer was cut. */
  get rest(): number {
    return this.carry.length;
  }

  private take(): Uint8Array {
    const parts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/**
 * Reads one run of lines: the tips, and the end line's count when the run holds it. A line that
 * is not one of the two shapes makes the whole answer unusable (throws).
 */
export function parseLines(run: Uint8Array): { tips: CiphertextLine[]; end: number | null } {
  const tips: CiphertextLine[] = [];
  let end: number | null = null;
  for (const line of new TextDecoder().decode(run).split("\n")) {
    if (line === "") continue;
    const v = JSON.parse(line) as Partial<CiphertextLine> & { end?: unknown; count?: unknown };
    if (
      typeof v.id === "string" &&
      typeof v.payload === "string" &&
      typeof v.envelope === "string"
    ) {
      tips.push({ id: v.id, payload: v.payload, envelope: v.envelope });
    } else if (v.end === true && typeof v.count === "number" && end === null) {
      end = v.count;
    } else {
      throw new Error("bad inbox line");
    }
  }
  return { tips, end };
}
