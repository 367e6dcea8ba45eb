/**
 * The inbox's binary records (app/shared/inbox-records.ts): however the network cuts the bytes
 * (inside a record's header, inside its lengths, one byte at a time), every tip comes out exactly
 * once, in order and byte for byte, with the end record's count; a cut or foreign answer shows.
 */
import { describe, expect, it } from "vitest";
import { concatBytes } from "../../crypto/bytes";
import {
  encodeEndRecord,
  encodeTipRecords,
  parseRecords,
  RecordRuns,
  RECORDS_MAGIC,
  type CiphertextRecord,
} from "~/shared/inbox-records";

let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));

const TIPS: CiphertextRecord[] = Array.from({ length: 57 }, (_, i) => ({
  id: `tip_${i}_${"x".repeat(i % 5)}`,
  // Lengths with every byte of the u32 and u16 fields in use somewhere.
  payload: bytes(i === 3 ? 70_000 : 10 + ((i * 37) % 400)),
  envelope: bytes(i === 5 ? 300 : 106),
}));

function body(tips: CiphertextRecord[], count = tips.length): Uint8Array {
  return concatBytes(
    RECORDS_MAGIC,
    encodeTipRecords(tips.slice(0, 20)),
    encodeTipRecords(tips.slice(20)),
    encodeEndRecord(count),
  );
}
const BODY = body(TIPS);
/** Compared as text: deep equality over Uint8Array views is slow element by element. */
const text = (tips: CiphertextRecord[]) =>
  tips.map(
    (t) =>
      `${t.id}:${Buffer.from(t.payload).toString("base64")}:${Buffer.from(t.envelope).toString("base64")}`,
  );
const EXPECTED = text(TIPS);

function readInChunks(data: Uint8Array, cuts: number[], minBytes: number) {
  const runs = new RecordRuns(minBytes);
  const got: CiphertextRecord[] = [];
  let end: number | null = null;
  const take = (run: Uint8Array | null) => {
    if (!run) return;
    const r = parseRecords(run);
    got.push(...r.tips);
    if (r.end !== null) end = r.end;
  };
  let at = 0;
  for (const cut of [...cuts, data.length]) {
    take(runs.push(data.slice(at, cut)));
    at = cut;
  }
  take(runs.flush());
  return { got, end, rest: runs.rest };
}

describe("inbox records", () => {
  it("gives every tip once, in order and byte for byte, for any cutting of the stream", () => {
    const cuttings: number[][] = [[], Array.from({ length: 600 }, (_, i) => i + 1)];
    for (let n = 0; n < 30; n++) {
      cuttings.push(
        Array.from({ length: 1 + Math.floor(random() * 80) }, () =>
          Math.floor(random() * BODY.length),
        ).sort((a, b) => a - b),
      );
    }
    for (const cuts of cuttings) {
      for (const minBytes of [0, 100, 4096, 1e9]) {
        const { got, end, rest } = readInChunks(BODY, cuts, minBytes);
        expect(text(got)).toEqual(EXPECTED);
        expect(end).toBe(TIPS.length);
        expect(rest).toBe(0);
      }
    }
  });

  it("shows a cut answer: no end record, part of a record left over, or nothing at all", () => {
    const cut = readInChunks(BODY.slice(0, BODY.length - 5), [], 0);
    expect(cut.end).toBeNull();
    expect(text(cut.got)).toEqual(EXPECTED);
    expect(cut.rest).toBe(0);
    const inside = readInChunks(BODY.slice(0, BODY.length - 50), [], 0);
    expect(inside.end).toBeNull();
    expect(inside.rest).toBeGreaterThan(0);
    expect(readInChunks(new Uint8Array(0), [], 0).rest).toBeGreaterThan(0);
    expect(readInChunks(RECORDS_MAGIC.slice(0, 3), [], 0).rest).toBeGreaterThan(0);
  });

  it("refuses a foreign answer, an unknown record kind, and bytes after the end record", () => {
    const json = new TextEncoder().encode('{"error":{"code":"forbidden"}}');
    expect(() => new RecordRuns().push(json)).toThrow(/not inbox records/);
    const badKind = body(TIPS);
    badKind[RECORDS_MAGIC.length] = 0x07;
    expect(() => new RecordRuns().push(badKind)).toThrow(/record kind/);
    const extra = new Uint8Array(BODY.length + 1);
    extra.set(BODY);
    expect(() => new RecordRuns().push(extra)).toThrow(/after the end/);
    const twoEnds = new Uint8Array([...encodeEndRecord(0), ...encodeEndRecord(0)]);
    expect(() => parseRecords(twoEnds)).toThrow(/after the end/);
    expect(() => parseRecords(encodeTipRecords(TIPS.slice(0, 1)).subarray(0, 30))).toThrow(/cut/);
  });

  it("refuses to encode what it could not frame", () => {
    const one = TIPS[0]!;
    expect(() => encodeTipRecords([{ ...one, id: "x".repeat(256) }])).toThrow();
    expect(() => encodeTipRecords([{ ...one, id: "tip é" }])).toThrow();
    expect(() => encodeTipRecords([{ ...one, envelope: new Uint8Array(0x10000) }])).toThrow();
  });
});
