/**
 * Clean logs, proven (issue 12): every server the integration and e2e tests start (through
 * `spawnServer`) has its stdout and stderr captured into CROSSWATCH_LOG_CAPTURE_DIR, and every line
 * is scanned for
 *  - structure: one JSON object with a string `level` and `event`;
 *  - client addresses (anything `net.isIP` accepts, IPv4 or IPv6, loopback included);
 *  - user agents (`Mozilla/…`, `HeadlessChrome/…`, `undici/…`);
 *  - receipt digits (16 digits, grouped or not);
 *  - canaries the tests register as they make them: tip texts, auth secrets and session tokens
 *    (in every encoding the server could print), attachment file names.
 * A server's lines are scanned when it exits (the test that started it fails on a hit, see
 * `assertCleanLogs`), and the global teardown (`global-log-capture.ts`) scans every captured file
 * again against every canary registered by any worker, prints the totals and fails the run.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { isIP } from "node:net";
import path from "node:path";

export const CAPTURE_DIR_ENV = "CROSSWATCH_LOG_CAPTURE_DIR";
const CANARIES_FILE = "canaries.jsonl";

export type CanaryKind = "tip-text" | "auth-secret" | "session-token" | "file-name" | "receipt";
export interface Canary {
  kind: CanaryKind;
  value: string;
}
export type HitKind = "unstructured" | "address" | "user-agent" | "receipt-digits" | CanaryKind;
export interface Hit {
  kind: HitKind;
  file: string;
  line: number;
  /** The offending text, shortened. */
  match: string;
}
export interface ScanResult {
  lines: number;
  hits: Hit[];
}

export function captureDir(): string | null {
  const dir = process.env[CAPTURE_DIR_ENV];
  return dir ? dir : null;
}

// Canaries registered in this worker (also appended to the shared file for the final scan).
const localCanaries: Canary[] = [];

/** Every form in which a secret could show up in a log line. */
function forms(kind: CanaryKind, value: string | Uint8Array): string[] {
  if (typeof value === "string") {
    const out = [value];
    if (kind === "receipt") out.push(value.replace(/\D/g, ""));
    return out;
  }
  const b = Buffer.from(value);
  return [b.toString("base64url"), b.toString("base64"), b.toString("hex")];
}

/**
 * Remembers a value that must never appear in a server log line. Short values (under 8
 * characters) would match by chance and are refused: register the full text.
 */
export function registerCanary(kind: CanaryKind, value: string | Uint8Array): void {
  for (const v of forms(kind, value)) {
    if (v.length < 8) throw new Error(`canary too short to scan for: ${kind}`);
    const canary = { kind, value: v };
    localCanaries.push(canary);
    const dir = captureDir();
    if (dir) fs.appendFileSync(path.join(dir, CANARIES_FILE), JSON.stringify(canary) + "\n");
  }
}

export function readCanaries(dir: string): Canary[] {
  const file = path.join(dir, CANARIES_FILE);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Canary);
}

const ADDRESS_TOKEN = /[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*/g;
const USER_AGENT = /\b(?:Mozilla|HeadlessChrome|Chrome|AppleWebKit|undici|node-fetch)\/\d/;
const RECEIPT = /(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d)/;

const short = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);

/** All string values of a parsed JSON line (escaped text decoded). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object")
    for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** Scans log text line by line; `file` only labels the hits. */
export function scanLogText(text: string, canaries: readonly Canary[], file = "-"): ScanResult {
  const hits: Hit[] = [];
  const lines = text.split("\n");
  let count = 0;
  lines.forEach((raw, i) => {
    if (raw.trim() === "") return;
    count++;
    const hit = (kind: HitKind, match: string) =>
      hits.push({ kind, file, line: i + 1, match: short(match) });
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const structured =
      !!parsed &&
      typeof parsed === "object" &&
      typeof (parsed as { level?: unknown }).level === "string" &&
      typeof (parsed as { event?: unknown }).event === "string";
    if (!structured) hit("unstructured", raw);
    const texts = [raw, ...(structured ? strings(parsed) : [])];
    for (const t of texts) {
      for (const token of t.match(ADDRESS_TOKEN) ?? []) {
        const trimmed = token.replace(/^[:.]+|[:.]+$/g, "");
        if (isIP(token) || isIP(trimmed)) hit("address", token);
      }
      const ua = USER_AGENT.exec(t);
      if (ua) hit("user-agent", ua[0]);
      const digits = RECEIPT.exec(t);
      if (digits) hit("receipt-digits", digits[0]);
      for (const c of canaries) if (t.includes(c.value)) hit(c.kind, c.value);
    }
  });
  // One finding per kind and line is enough (the raw and decoded texts often repeat each other).
  const seen = new Set<string>();
  return {
    lines: count,
    hits: hits.filter((h) => {
      const key = `${h.kind}:${h.line}:${h.match}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  };
}

/** Scans one finished server's output against the canaries known so far; throws on a hit. */
export function assertCleanLogs(text: string, label: string): ScanResult {
  const dir = captureDir();
  const canaries = [...localCanaries, ...(dir ? readCanaries(dir) : [])];
  const result = scanLogText(text, canaries, label);
  if (result.hits.length > 0) throw new Error(describeHits(result.hits));
  return result;
}

export function describeHits(hits: Hit[]): string {
  return [
    `server logs are not clean: ${hits.length} finding(s)`,
    ...hits.slice(0, 20).map((h) => `  ${h.kind} in ${h.file}:${h.line}: ${h.match}`),
  ].join("\n");
}

/**
 * Keeps everything a spawned server prints in the capture directory (one file per process),
 * written as it arrives so that a server killed with SIGKILL still leaves its lines behind.
 */
export function captureServerOutput(proc: ChildProcess, label: string): string | null {
  const dir = captureDir();
  if (!dir) return null;
  fs.mkdirSync(dir, { recursive: true });
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, "_").slice(-60);
  const file = path.join(dir, `${safe}-${randomBytes(4).toString("hex")}.log`);
  const fd = fs.openSync(file, "a");
  let closed = false;
  const write = (d: Buffer) => {
    if (!closed) fs.writeSync(fd, d);
  };
  proc.stdout?.on("data", write);
  proc.stderr?.on("data", write);
  proc.on("close", () => {
    closed = true;
    fs.closeSync(fd);
  });
  return file;
}

/** Which test file started the server: the first stack frame under test/ outside test/support. */
export function callerLabel(): string {
  const stack = new Error().stack ?? "";
  const frame = stack
    .split("\n")
    .map((l) => /\/test\/((?:integration|e2e|unit)\/[^:)]+)/.exec(l)?.[1])
    .find(Boolean);
  return frame ?? "server";
}

/** The final scan over every captured file (global teardown, and `npm run scan-logs`). */
export function scanCaptureDir(dir: string): ScanResult & { files: number } {
  const canaries = readCanaries(dir);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".log")) : [];
  let lines = 0;
  const hits: Hit[] = [];
  for (const f of files) {
    const r = scanLogText(fs.readFileSync(path.join(dir, f), "utf8"), canaries, f);
    lines += r.lines;
    hits.push(...r.hits);
  }
  return { files: files.length, lines, hits };
}
