/**
 * The report's browser side, loaded with `import()` only when the resident starts a report (so
 * first paint carries no crypto). All heavy work runs in Web Workers (app/client/worker), so the
 * page never freezes:
 *
 * - As soon as the resident starts writing, a worker makes the receipt and derives its keys
 *   (argon2id, the slowest step) and then checks the office's approval and roster of every reader
 *   the page shows (the signatures it verified are remembered for the seal), and a second worker
 *   solves a proof of work — the resident is typing meanwhile, so by the time they press "send"
 *   these are usually done.
 * - As soon as a file is chosen (and passes the page's checks), the worker strips its metadata
 *   (or makes the reduced copy the resident asked for) and encrypts it under a fresh random
 *   attachment key; only that key goes into the sealed report at "send". A file removed or
 *   replaced, or a change of the reduce choice, drops that ciphertext (`encryptAhead`).
 * - On "send": encrypt whatever files are not done yet, ask which of the page's readers may read
 *   a report about the chosen unit (a member recused from it drops out), check the office's
 *   approval and roster of every reader and seal the report to exactly them — then upload the
 *   ciphertext with real progress.
 * - A dropped connection loses nothing: the prepared request (same ciphertext, same receipt) is
 *   kept and sent again on retry; the server answers an identical retry of a stored report like
 *   the first success, so there is never a second receipt.
 *
 * The receipt never leaves this device.
 */
import { startWorker, WorkerCallError, type WorkClient } from "../worker/host";
import type { Ops, ReaderWire } from "../worker/entry";
import type { SignedRosterWire } from "../../shared/roster-trust";
import type { IdentityFields, ReportFields, ReportFileRef } from "./model";
import { DEFAULT_UPLOAD_BYTES_PER_MS, SubmitProgress, type StepId } from "./progress";

export { SubmitProgress };

export class ReportError extends Error {
  constructor(
    readonly code: "network" | "crypto" | "server" | "unverified",
    readonly serverMessage?: string,
    readonly serverCode?: string,
  ) {
    super(code);
  }
}

export interface SubmitInput {
  fields: ReportFields;
  identity: IdentityFields | null;
  onlyOutsiders: boolean;
  files: readonly File[];
  /** names of the photos to send as a reduced copy (the resident chose so) */
  reduce: ReadonlySet<File>;
  readers: readonly ReaderWire[];
  /** The office-signed rosters that must list every reader (ADR 017). */
  rosters: readonly SignedRosterWire[];
}

export interface SubmitOk {
  /** "1234 5678 9012 3456" */
  receipt: string;
  /** the stored tip's id from the 201 (what the acknowledgement stands for; not secret) */
  tipId: string;
  acknowledgeBy: string;
  feedbackBy: string;
}

/** Expected costs on a mid-range phone (measured: docs/benchmarks.md), until this device says. */
const EXPECTED_MS = {
  prepare: 1500,
  pow: 1000,
  /** per byte: metadata strip + secretbox at 4× throttling ≈ 10 MB/s */
  fileByte: 1 / 10_000,
  seal: 150,
  saving: 400,
};
/** A proof of work is used only while it has this much life left (its TTL is 10 minutes). */
const POW_FRESH_MS = 6 * 60 * 1000;

interface Prepared {
  receipt: string;
  authHash: string;
  tipsterPublicKey: string;
}

interface Solved {
  challenge: string;
  solution: string;
  at: number;
}

/** A sealed request, kept so that a retry sends exactly the same ciphertext. */
export interface PreparedRequest {
  receipt: string;
  meta: Record<string, unknown>;
  files: Blob[];
  bytes: number;
}

async function fetchChallenge(): Promise<string> {
  let res: Response;
  try {
    res = await fetch("/api/pow", { credentials: "omit", cache: "no-store" });
  } catch {
    throw new ReportError("network");
  }
  const json = (await res.json().catch(() => ({}))) as {
    challenge?: string;
    error?: { code?: string; message?: string };
  };
  if (!res.ok || !json.challenge) {
    throw new ReportError("server", json.error?.message, json.error?.code);
  }
  return json.challenge;
}

/**
 * The readers of a report about one unit of the district (DESIGN §5): the page's readers minus
 * those the server says are recused from that unit. The answer can only remove readers: what is
 * kept are the page's own reader entries (with the approvals it showed), checked by the worker
 * against the page's rosters as before.
 */
async function readersForUnit(
  district: string,
  unit: string,
  shown: readonly ReaderWire[],
): Promise<ReaderWire[]> {
  let res: Response;
  try {
    res = await fetch(
      `/api/report/readers?district=${encodeURIComponent(district)}&unit=${encodeURIComponent(unit)}`,
      { credentials: "omit", cache: "no-store" },
    );
  } catch {
    throw new ReportError("network");
  }
  const json = (await res.json().catch(() => ({}))) as {
    panel?: { readers: { staffKeyId: string; boxPublicKey: string }[] } | null;
    error?: { code?: string; message?: string };
  };
  if (!res.ok || !json.panel) {
    if (res.status >= 500 || !json.error) throw new ReportError("network");
    throw new ReportError("server", json.error.message, json.error.code);
  }
  const keep = json.panel.readers;
  const readers = shown.filter((s) =>
    keep.some((r) => r.staffKeyId === s.staffKeyId && r.boxPublicKey === s.boxPublicKey),
  );
  if (readers.length === 0) throw new ReportError("server", undefined, "no_reader");
  return readers;
}

const asReportError = (err: unknown): ReportError =>
  err instanceof ReportError
    ? err
    : err instanceof WorkerCallError && err.code === "unverified"
      ? new ReportError("unverified")
      : new ReportError("crypto");

/** The page's readers, checked ahead of "send" (`readers.check`). */
export interface ReadersAhead {
  district: string;
  readers: readonly ReaderWire[];
  rosters: readonly SignedRosterWire[];
}

type Encrypted = Ops["file.encrypt"]["out"];

/** A file encrypted (or being encrypted) before "send", for the reduce choice it was made with. */
interface Ahead {
  reduce: boolean;
  result: Promise<Encrypted>;
  settled: boolean;
}

/**
 * One resident's report on this page: started when they begin writing, so that the receipt's
 * keys and a proof of work are ready before they press "send".
 */
export class ReportSession {
  private work: Promise<WorkClient>;
  private powWork: Promise<WorkClient>;
  private receipt: Promise<Prepared> | null = null;
  private solved: Promise<Solved> | null = null;
  private prepareMs: number | null = null;
  private ahead = new Map<File, Ahead>();

  constructor(
    private readonly salt: string,
    readers?: ReadersAhead,
  ) {
    this.work = startWorker();
    this.powWork = startWorker({ lanes: "none" });
    this.prepareReceipt();
    this.solveAhead();
    if (readers && readers.readers.length > 0) {
      // After the receipt in the same worker (the seal's worker: it remembers what it verified).
      // A failure here is ignored: the seal runs every check again and reports it.
      void this.work
        .then((w) =>
          w.call("readers.check", {
            district: readers.district,
            readers: [...readers.readers],
            rosters: [...readers.rosters],
            nowMs: Date.now(),
          }),
        )
        .catch(() => undefined);
    }
  }

  /**
   * The files chosen now (those that passed the page's checks): encrypts each one not yet done
   * for its reduce choice, and drops every other ciphertext made ahead — a file removed or
   * replaced, or whose reduce choice changed, is never sent.
   */
  encryptAhead(files: readonly File[], reduce: ReadonlySet<File>): void {
    for (const [file, a] of this.ahead) {
      if (!files.includes(file) || a.reduce !== reduce.has(file)) this.ahead.delete(file);
    }
    for (const file of files) {
      if (this.ahead.has(file)) continue;
      const entry: Ahead = {
        reduce: reduce.has(file),
        result: this.encrypt(file, reduce.has(file)),
        settled: false,
      };
      entry.result.then(
        () => (entry.settled = true),
        () => this.ahead.get(file) === entry && this.ahead.delete(file),
      );
      this.ahead.set(file, entry);
    }
  }

  private async encrypt(file: File, reduce: boolean): Promise<Encrypted> {
    const w = await this.work;
    return w.call("file.encrypt", { file, name: file.name, type: file.type, reduce });
  }

  /** The ciphertext made ahead for this file and choice (used once), or a fresh encryption. */
  private takeEncrypted(file: File, reduce: boolean): Promise<Encrypted> {
    const a = this.ahead.get(file);
    this.ahead.delete(file);
    return a && a.reduce === reduce ? a.result : this.encrypt(file, reduce);
  }

  /** A fresh receipt (and its keys) — also after a possibly-stored attempt was abandoned. */
  prepareReceipt(): void {
    const started = performance.now();
    this.receipt = this.work
      .then((w) => w.call("receipt.prepare", { salt: this.salt }))
      .then((r) => {
        this.prepareMs = performance.now() - started;
        return r;
      });
    this.receipt.catch(() => undefined);
  }

  private solveAhead(): void {
    this.solved = (async () => {
      const challenge = await fetchChallenge();
      const at = Date.now();
      const { solution } = await (await this.powWork).call("pow.solve", { challenge });
      return { challenge, solution, at };
    })();
    this.solved.catch(() => undefined);
  }

  /** A proof of work with enough life left, solving a new one if needed. */
  private async pow(): Promise<Solved> {
    const ahead = await this.solved?.catch(() => null);
    if (ahead && Date.now() - ahead.at < POW_FRESH_MS) {
      this.solved = null; // single use
      return ahead;
    }
    this.solveAhead();
    return this.solved!;
  }

  /** The progress plan for a submission of these files (estimates, refined as it runs). */
  plan(files: readonly File[], prepared: PreparedRequest | null): SubmitProgress {
    const fileBytes = files.reduce((n, f) => n + f.size, 0);
    // Files already encrypted ahead cost nothing more.
    const toEncrypt = files
      .filter((f) => !this.ahead.get(f)?.settled)
      .reduce((n, f) => n + f.size, 0);
    const steps: { id: StepId; estimateMs: number }[] = [];
    if (!prepared) {
      steps.push({ id: "prepare", estimateMs: this.prepareMs === null ? EXPECTED_MS.prepare : 1 });
      steps.push({ id: "files", estimateMs: toEncrypt * EXPECTED_MS.fileByte });
      steps.push({ id: "seal", estimateMs: EXPECTED_MS.seal });
      steps.push({ id: "pow", estimateMs: EXPECTED_MS.pow });
    }
    steps.push({
      id: "upload",
      estimateMs: (prepared?.bytes ?? fileBytes) / DEFAULT_UPLOAD_BYTES_PER_MS,
    });
    steps.push({ id: "saving", estimateMs: EXPECTED_MS.saving });
    return new SubmitProgress(steps);
  }

  /** Encrypts and seals the report; the result can be sent (and re-sent) as it is. */
  async prepare(input: SubmitInput, progress: SubmitProgress): Promise<PreparedRequest> {
    try {
      // Asked at once: the answer travels while the receipt and the files are finished.
      const unitReaders = input.fields.unit
        ? readersForUnit(input.fields.district, input.fields.unit, input.readers)
        : Promise.resolve([...input.readers]);
      unitReaders.catch(() => undefined);
      // Each file's ciphertext: made ahead (encryptAhead) or started now; either way used once.
      const encrypted = input.files.map((f) => this.takeEncrypted(f, input.reduce.has(f)));
      encrypted.forEach((p) => p.catch(() => undefined));
      progress.start("prepare");
      const receipt = await this.receipt!;
      progress.start("files");
      const w = await this.work;
      const refs: ReportFileRef[] = [];
      const headers: { header: string }[] = [];
      const blobs: Blob[] = [];
      for (const pending of encrypted) {
        const enc = await pending;
        refs.push(enc.ref);
        headers.push({ header: enc.header });
        blobs.push(enc.data);
      }
      progress.start("seal");
      const readers = await unitReaders;
      const sealed: Ops["tip.seal"]["out"] = await w.call("tip.seal", {
        fields: input.fields,
        identity: input.identity,
        refs,
        readers,
        rosters: [...input.rosters],
        tipsterPublicKey: receipt.tipsterPublicKey,
        nowMs: Date.now(),
      });
      progress.start("pow");
      const pow = await this.pow();
      const meta = {
        district: input.fields.district,
        unit: input.fields.unit,
        category: input.fields.category,
        receiptAuthHash: receipt.authHash,
        tipsterPublicKey: receipt.tipsterPublicKey,
        tipsterEnvelope: sealed.tipsterEnvelope,
        payload: sealed.payload,
        envelopes: sealed.envelopes,
        identity: sealed.identity,
        onlyOutsiders: input.onlyOutsiders,
        pow: { challenge: pow.challenge, solution: pow.solution },
        files: headers,
      };
      const bytes = JSON.stringify(meta).length + blobs.reduce((n, b) => n + b.size, 0);
      return { receipt: receipt.receipt, meta, files: blobs, bytes };
    } catch (err) {
      throw asReportError(err);
    }
  }

  /**
   * Uploads a prepared request. An expired proof of work is replaced once and the same
   * ciphertext sent again; network failures throw `network` with `prepared` intact for a retry.
   */
  async send(prepared: PreparedRequest, progress: SubmitProgress): Promise<SubmitOk> {
    progress.setUploadBytes(prepared.bytes);
    progress.start("upload");
    try {
      return await this.upload(prepared, progress);
    } catch (err) {
      if (!(err instanceof ReportError) || err.serverCode !== "pow_expired") throw err;
      const pow = await this.pow();
      prepared.meta = {
        ...prepared.meta,
        pow: { challenge: pow.challenge, solution: pow.solution },
      };
      return this.upload(prepared, progress);
    }
  }

  private upload(prepared: PreparedRequest, progress: SubmitProgress): Promise<SubmitOk> {
    const form = new FormData();
    form.append("meta", JSON.stringify(prepared.meta));
    prepared.files.forEach((b, i) => form.append("file", b, `f${i}`));
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/report");
      xhr.withCredentials = false;
      xhr.responseType = "json";
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) progress.uploaded(e.loaded, e.total);
      };
      xhr.upload.onload = () => progress.start("saving");
      xhr.onerror = () => reject(new ReportError("network"));
      xhr.ontimeout = () => reject(new ReportError("network"));
      xhr.onabort = () => reject(new ReportError("network"));
      xhr.onload = () => {
        const json = (xhr.response ?? {}) as {
          tipId?: string;
          acknowledgeBy?: string;
          feedbackBy?: string;
          error?: { code?: string; message?: string };
        };
        if (xhr.status === 201 && json.tipId && json.acknowledgeBy && json.feedbackBy) {
          progress.finish("saving");
          resolve({
            receipt: prepared.receipt,
            tipId: json.tipId,
            acknowledgeBy: json.acknowledgeBy,
            feedbackBy: json.feedbackBy,
          });
        } else if (xhr.status === 0 || xhr.status >= 500) {
          // Nothing was stored: the same sealed request can go again (a 503 says why).
          reject(new ReportError("network", json.error?.message, json.error?.code));
        } else {
          reject(new ReportError("server", json.error?.message, json.error?.code));
        }
      };
      xhr.send(form);
    });
  }

  close(): void {
    void this.work.then((w) => w.close());
    void this.powWork.then((w) => w.close());
  }
}
