/**
 * The inbox's ciphertext as binary records (`GET /api/staff/inbox?format=records`, ADR 028 as
 * amended): what the inbox page downloads and its workers open, with no base64 and no JSON per
 * tip on either side (a quarter fewer bytes than the base64 lines of `format=ndjson`).
 *
 *   answer  = MAGIC record* end
 *   MAGIC   = "CWIR" 0x01                         (format name and version)
 *   record  = 0x01 idLen:u8 id:idLen ASCII payloadLen:u32 envelopeLen:u16 payload envelope
 *   end     = 0x02 count:u32                      (the number of records; nothing follows)
 *
 * Integers are big-endian; payload is TIP_PAYLOAD_V1, envelope this member's KEY_ENVELOPE_V1.
 * A reader that never sees the end record, or whose count differs, has a cut answer.
 * Shared by the server (encoding), the page (cutting the stream into runs of whole records) and
 * the decryption workers (reading a run); no DOM, no crypto.
 */

export interface CiphertextRecord {
  id: string;
  /** TIP_PAYLOAD_V1 (a view into the run it came in) */
  payload: Uint8Array;
  /** KEY_ENVELOPE_V1 of this member (a view into the run it came in) */
  envelope: Uint8Array;
}

export const RECORDS_MAGIC = Uint8Array.of(0x43, 0x57, 0x49, 0x52, 0x01);
export const RECORDS_CONTENT_TYPE = "application/vnd.crosswatch.inbox-records";
const TIP = 0x01;
const END = 0x02;
/** kind, id length · payload length (4), envelope length (2) */
const TIP_HEAD = 2;
const TIP_LENGTHS = 6;
const END_BYTES = 5;

export class InboxRecordsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InboxRecordsError";
  }
}

/** Encodes some tips' records into one buffer (the server writes one per chunk it reads). */
export function encodeTipRecords(
  rows: readonly { id: string; payload: Uint8Array; envelope: Uint8Array }[],
): Uint8Array {
  let size = 0;
  for (const r of rows) {
    if (r.id.length > 255 || !/^[\x21-\x7e]*$/.test(r.id)) throw new InboxRecordsError("bad id");
    if (r.envelope.length > 0xffff || r.payload.length > 0xffffffff) {
      throw new InboxRecordsError("record too large");
    }
    size += TIP_HEAD + r.id.length + TIP_LENGTHS + r.payload.length + r.envelope.length;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const r of rows) {
    out[at++] = TIP;
    out[at++] = r.id.length;
    for (let i = 0; i < r.id.length; i++) out[at++] = r.id.charCodeAt(i);
    view.setUint32(at, r.payload.length);
    view.setUint16(at + 4, r.envelope.length);
    at += TIP_LENGTHS;
    out.set(r.payload, at);
    at += r.payload.length;
    out.set(r.envelope, at);
    at += r.envelope.length;
  }
  return out;
}

/** The end record, with the number of tip records sent. */
export function encodeEndRecord(count: number): Uint8Array {
  const out = new Uint8Array(END_BYTES);
  out[0] = END;
  new DataView(out.buffer).setUint32(1, count);
  return out;
}

/** Bytes of the record starting at `at`, or 0 when `buf` does not hold all of it yet. */
function recordBytes(buf: Uint8Array, at: number, end: number): number {
  if (at >= end) return 0;
  const kind = buf[at];
  if (kind === END) return end - at >= END_BYTES ? END_BYTES : 0;
  if (kind !== TIP) throw new InboxRecordsError("bad record kind");
  if (end - at < TIP_HEAD) return 0;
  const lengthsAt = at + TIP_HEAD + buf[at + 1]!;
  if (end - lengthsAt < TIP_LENGTHS) return 0;
  const payload =
    buf[lengthsAt]! * 0x1000000 +
    ((buf[lengthsAt + 1]! << 16) | (buf[lengthsAt + 2]! << 8) | buf[lengthsAt + 3]!);
  const envelope = (buf[lengthsAt + 4]! << 8) | buf[lengthsAt + 5]!;
  const total = lengthsAt + TIP_LENGTHS + payload + envelope - at;
  return end - at >= total ? total : 0;
}

/**
 * Collects network chunks and hands out runs of whole records of at least `minBytes`, each in
 * its own exactly-sized buffer (so it can be posted to a worker without copying anything else).
 * Throws `InboxRecordsError` on a foreign answer (no MAGIC) or an unknown record kind.
 */
export class RecordRuns {
  private buf = new Uint8Array(0);
  /** bytes held in `buf` */
  private held = 0;
  /** bytes of whole records at the start of `buf` */
  private whole = 0;
  private magicSeen = false;
  private ended = false;

  constructor(private readonly minBytes = 0) {}

  /** Feeds one chunk; returns a run of whole records once `minBytes` of them are waiting. */
  push(chunk: Uint8Array): Uint8Array | null {
    this.append(chunk);
    if (!this.magicSeen) {
      if (this.held < RECORDS_MAGIC.length) return null;
      for (let i = 0; i < RECORDS_MAGIC.length; i++) {
        if (this.buf[i] !== RECORDS_MAGIC[i]) throw new InboxRecordsError("not inbox records");
      }
      this.magicSeen = true;
      this.buf.copyWithin(0, RECORDS_MAGIC.length, this.held);
      this.held -= RECORDS_MAGIC.length;
    }
    for (;;) {
      if (this.ended) {
        if (this.held > this.whole) throw new InboxRecordsError("bytes after the end record");
        break;
      }
      const n = recordBytes(this.buf, this.whole, this.held);
      if (n === 0) break;
      if (this.buf[this.whole] === END) this.ended = true;
      this.whole += n;
    }
    return this.whole > 0 && this.whole >= this.minBytes ? this.take() : null;
  }

  /** The whole records still waiting (at the end of the stream), or null. */
  flush(): Uint8Array | null {
    return this.whole > 0 ? this.take() : null;
  }

  /** Bytes not making a whole record: not 0 at the end (or no MAGIC at all) means a cut answer. */
  get rest(): number {
    return this.magicSeen ? this.held - this.whole : this.held + 1;
  }

  private append(chunk: Uint8Array) {
    if (this.held + chunk.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.held + chunk.length, this.buf.length * 2, 65536));
      grown.set(this.buf.subarray(0, this.held));
      this.buf = grown;
    }
    this.buf.set(chunk, this.held);
    this.held += chunk.length;
  }

  private take(): Uint8Array {
    const run = this.buf.slice(0, this.whole);
    this.buf.copyWithin(0, this.whole, this.held);
    this.held -= this.whole;
    this.whole = 0;
    return run;
  }
}

/**
 * Reads one run of whole records (as `RecordRuns` cut it): the tips, their payload and envelope
 * as views into `run`, and the end record's count when the run holds it. A run that does not
 * parse makes the whole answer unusable (throws).
 */
export function parseRecords(run: Uint8Array): {
  tips: CiphertextRecord[];
  end: number | null;
} {
  const tips: CiphertextRecord[] = [];
  let end: number | null = null;
  let at = 0;
  while (at < run.length) {
    if (end !== null) throw new InboxRecordsError("bytes after the end record");
    const n = recordBytes(run, at, run.length);
    if (n === 0) throw new InboxRecordsError("cut record");
    if (run[at] === END) {
      end =
        ((run[at + 1]! << 24) >>> 0) + ((run[at + 2]! << 16) | (run[at + 3]! << 8) | run[at + 4]!);
    } else {
      const idEnd = at + TIP_HEAD + run[at + 1]!;
      const envelopeBytes = (run[idEnd + 4]! << 8) | run[idEnd + 5]!;
      const payloadAt = idEnd + TIP_LENGTHS;
      const envelopeAt = at + n - envelopeBytes;
      tips.push({
        id: String.fromCharCode(...run.subarray(at + TIP_HEAD, idEnd)),
        payload: run.subarray(payloadAt, envelopeAt),
        envelope: run.subarray(envelopeAt, at + n),
      });
    }
    at += n;
  }
  return { tips, end };
}
