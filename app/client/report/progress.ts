/**
 * One progress bar for the whole submission, weighted by real work.
 *
 * Every step has an expected duration (key derivation, proof of work and encryption from what
 * this device measured or is known to cost, the upload from its size and the measured upload
 * speed). The bar shows time done ÷ (time done + time still expected), so a 30-second upload
 * weighs thirty times a one-second encryption, and a step's share grows or shrinks as real
 * measurements replace estimates. It never moves backwards, and the text beside it is computed
 * from the same snapshot, so the two always agree. Pure (no DOM): unit-tested.
 */

export type StepId = "prepare" | "files" | "seal" | "pow" | "upload" | "saving";

/** Until the upload has been measured: ≈ 800 kbit/s, a slow mobile uplink. */
export const DEFAULT_UPLOAD_BYTES_PER_MS = 100;
/** Speed is trusted once this much has been sent over at least this long. */
const MIN_MEASURED_BYTES = 32 * 1024;
const MIN_MEASURED_MS = 800;

export interface Snapshot {
  /** 0..1, never decreasing during one submission */
  fraction: number;
  /** whole percent shown in the bar and the text */
  percent: number;
  step: StepId;
  /** expected milliseconds left, or null while nothing is known yet */
  remainingMs: number | null;
  /** measured upload speed in bytes per ms, once known */
  uploadRate: number | null;
}

interface Step {
  id: StepId;
  estimateMs: number;
  startedAt: number | null;
  doneMs: number | null;
}

export class SubmitProgress {
  private readonly steps: Step[];
  private shown = 0;
  private upload = { loaded: 0, total: 0, startedAt: 0, rate: null as number | null };

  constructor(
    plan: readonly { id: StepId; estimateMs: number }[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.steps = plan.map((p) => ({
      id: p.id,
      estimateMs: Math.max(1, p.estimateMs),
      startedAt: null,
      doneMs: null,
    }));
  }

  /** Marks `id` as running (and every earlier step as done). */
  start(id: StepId): void {
    const t = this.now();
    for (const s of this.steps) {
      if (s.id === id) {
        s.startedAt ??= t;
        if (id === "upload") this.upload.startedAt = t;
        return;
      }
      if (s.doneMs === null) s.doneMs = s.startedAt === null ? 0 : t - s.startedAt;
    }
  }

  finish(id: StepId): void {
    const s = this.steps.find((x) => x.id === id);
    if (!s || s.doneMs !== null) return;
    this.start(id);
    s.doneMs = this.now() - s.startedAt!;
  }

  /** Upload progress from the browser: re-estimates the rest from the measured speed. */
  uploaded(loaded: number, total: number): void {
    const t = this.now();
    this.upload.loaded = loaded;
    this.upload.total = total;
    const elapsed = t - this.upload.startedAt;
    if (loaded >= MIN_MEASURED_BYTES && elapsed >= MIN_MEASURED_MS) {
      this.upload.rate = loaded / elapsed;
    }
  }

  /** Sets the upload's size before it starts (estimate at the default or measured speed). */
  setUploadBytes(total: number, rate = this.upload.rate ?? DEFAULT_UPLOAD_BYTES_PER_MS): void {
    const s = this.steps.find((x) => x.id === "upload");
    if (s) s.estimateMs = Math.max(1, total / rate);
    this.upload.total = total;
  }

  snapshot(): Snapshot {
    const t = this.now();
    let done = 0;
    let remaining = 0;
    let current: Step = this.steps[this.steps.length - 1]!;
    let found = false;
    for (const s of this.steps) {
      if (s.doneMs !== null) {
        done += s.doneMs;
        continue;
      }
      if (!found) {
        current = s;
        found = true;
      }
      if (s.startedAt === null) {
        remaining += s.estimateMs;
        continue;
      }
      const elapsed = t - s.startedAt;
      done += elapsed;
      remaining += this.stepRemaining(s, elapsed);
    }
    const raw = done + remaining > 0 ? done / (done + remaining) : 0;
    const allDone = this.steps.every((s) => s.doneMs !== null);
    // Never backwards; never "100 %" until the server has answered.
    this.shown = allDone ? 1 : Math.min(0.99, Math.max(this.shown, raw));
    return {
      fraction: this.shown,
      percent: Math.floor(this.shown * 100),
      step: current.id,
      remainingMs: allDone ? 0 : remaining,
      uploadRate: this.upload.rate,
    };
  }

  private stepRemaining(s: Step, elapsed: number): number {
    if (s.id === "upload" && this.upload.total > 0) {
      const left = this.upload.total - this.upload.loaded;
      if (this.upload.rate) return left / this.upload.rate;
      // Not measured yet: the estimate, scaled by what is left.
      return Math.max(s.estimateMs - elapsed, (left / this.upload.total) * s.estimateMs * 0.1);
    }
    // Running longer than expected: keep a little time ahead instead of stalling at the end.
    return Math.max(s.estimateMs - elapsed, s.estimateMs * 0.1);
  }
}
