import { describe, expect, it } from "vitest";
import { SubmitProgress } from "../../app/client/report/progress";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("SubmitProgress (one bar for the whole submission)", () => {
  it("weighs steps by their expected time: a 30 s upload outweighs 1 s of encryption", () => {
    const c = clock();
    const p = new SubmitProgress(
      [
        { id: "files", estimateMs: 1000 },
        { id: "upload", estimateMs: 30_000 },
        { id: "saving", estimateMs: 500 },
      ],
      c.now,
    );
    p.start("files");
    c.advance(1000);
    p.start("upload");
    // Encryption done: about 1/31.5 of the job, not a third.
    expect(p.snapshot().percent).toBe(3);
    expect(p.snapshot().step).toBe("upload");
  });

  it("re-estimates the upload from the measured speed and reports the time left", () => {
    const c = clock();
    const p = new SubmitProgress(
      [
        { id: "upload", estimateMs: 10_000 },
        { id: "saving", estimateMs: 0 },
      ],
      c.now,
    );
    p.setUploadBytes(3_000_000, 100);
    p.start("upload");
    c.advance(10_000);
    p.uploaded(500_000, 3_000_000); // 50 bytes/ms: slower than assumed
    const s = p.snapshot();
    expect(s.uploadRate).toBe(50);
    expect(s.remainingMs).toBeCloseTo(2_500_000 / 50 + 1, 0);
    expect(s.percent).toBe(Math.floor(s.fraction * 100));
  });

  it("never goes backwards and shows 100 % only when everything finished", () => {
    const c = clock();
    const p = new SubmitProgress(
      [
        { id: "pow", estimateMs: 1000 },
        { id: "upload", estimateMs: 1000 },
        { id: "saving", estimateMs: 100 },
      ],
      c.now,
    );
    p.start("pow");
    let last = 0;
    for (let i = 0; i < 50; i++) {
      c.advance(200); // the proof of work runs far longer than expected
      const s = p.snapshot();
      expect(s.fraction).toBeGreaterThanOrEqual(last);
      expect(s.fraction).toBeLessThan(1);
      last = s.fraction;
    }
    p.start("upload");
    p.setUploadBytes(1_000_000, 1000); // a fast link makes the rest shorter: still no step back
    expect(p.snapshot().fraction).toBeGreaterThanOrEqual(last);
    p.finish("saving");
    expect(p.snapshot()).toMatchObject({ fraction: 1, percent: 100, remainingMs: 0 });
  });
});
