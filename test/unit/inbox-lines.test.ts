/**
 * The streamed inbox answer read in runs of whole lines (app/client/staff/inbox-lines.ts): however
 * the network cuts the bytes (inside a line, inside a UTF-8 character, one byte at a time), every
 * tip comes out exactly once and in order, the end line's count is read, and a cut answer shows.
 */
import { describe, expect, it } from "vitest";
import { LineRuns, parseLines, type CiphertextLine } from "~/client/staff/inbox-lines";

const TIPS: CiphertextLine[] = Array.from({ length: 57 }, (_, i) => ({
  id: `tip_${i}_韩城桥`,
  payload: "Q".repeat(50 + ((i * 37) % 400)),
  envelope: `E${i}`,
}));
const BODY = new TextEncoder().encode(
  TIPS.map((t) => `${JSON.stringify(t)}\n`).join("") +
    `${JSON.stringify({ end: true, count: TIPS.length })}\n`,
);

function readInChunks(cuts: number[], minBytes: number) {
  const runs = new LineRuns(minBytes);
  const got: CiphertextLine[] = [];
  let end: number | null = null;
  const take = (run: Uint8Array | null) => {
    if (!run) return;
    const r = parseLines(run);
    got.push(...r.tips);
    if (r.end !== null) end = r.end;
  };
  let at = 0;
  for (const cut of [...cuts, BODY.length]) {
    take(runs.push(BODY.slice(at, cut)));
    at = cut;
  }
  take(runs.flush());
  return { got, end, rest: runs.rest };
}

describe("LineRuns + parseLines", () => {
  it("gives every tip once, in order, for any cutting of the stream", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const cuttings: number[][] = [
      [],
      Array.from({ length: BODY.length - 1 }, (_, i) => i + 1),
      // Inside the first multi-byte character of every line.
      [...new TextDecoder().decode(BODY).matchAll(/韩/g)].map((m) => {
        const before = new TextEncoder().encode(new TextDecoder().decode(BODY).slice(0, m.index));
        return before.length + 1;
      }),
    ];
    for (let n = 0; n < 20; n++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
        Math.floor(random() * BODY.length),
      ).sort((a, b) => a - b);
      cuttings.push(cuts);
    }
    for (const cuts of cuttings) {
      for (const minBytes of [0, 100, 4096, 1e9]) {
        const { got, end, rest } = readInChunks(cuts, minBytes);
        expect(got).toEqual(TIPS);
        expect(end).toBe(TIPS.length);
        expect(rest).toBe(0);
      }
    }
  });

  it("shows a cut answer: no end line, or part of a line left over", () => {
    const runs = new LineRuns();
    const cut = BODY.slice(0, BODY.length - 10);
    const run = runs.push(cut);
    const { tips, end } = parseLines(run!);
    expect(end).toBeNull();
    expect(tips).toEqual(TIPS);
    expect(runs.rest).toBeGreaterThan(0);
  });

  it("refuses a line of another shape", () => {
    const bad = new TextEncoder().encode('{"id":"tip_1","payload":"x"}\n');
    expect(() => parseLines(bad)).toThrow();
    expect(() => parseLines(new TextEncoder().encode("not json\n"))).toThrow();
    expect(() =>
      parseLines(new TextEncoder().encode('{"end":true,"count":1}\n{"end":true,"count":1}\n')),
    ).toThrow();
  });
});
