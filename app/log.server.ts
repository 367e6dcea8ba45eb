/**
 * The server's one logger: one JSON object a line, `{"level","time","event",…}` — info and below
 * on stdout, warnings and errors on stderr (pino, ADR 019).
 *
 * What a line may carry: an event name (`server.listening`, `request.error`, `retention.run`),
 * counts, durations, our own random row ids, and an error's type, message and stack. Never a
 * request line, header, client address, user agent, receipt, auth secret, session token, body or
 * file name: callers pass no request data, and as a second line of defence every string that does
 * reach a line (an error message can quote input) is scrubbed of anything shaped like an IP
 * address, a 16-digit receipt or a browser user agent. `test/support/log-capture.ts` scans every
 * line the servers print during the integration and e2e runs for all of these and for the tests'
 * own canaries (tip texts, auth secrets, session tokens, file names).
 */
import { isIP } from "node:net";
import pino from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error" | "fatal";
export type LogFields = Record<string, unknown> & { msg?: string; err?: unknown };

/** Candidate address tokens: runs of hex digits, dots and colons (checked with net.isIP). */
const ADDRESS_TOKEN = /[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*/g;
/** A receipt: 16 digits, optionally grouped by four with spaces or hyphens. */
const RECEIPT = /(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d)/g;
/** Browser and HTTP client user agents. */
const USER_AGENT =
  /\b(?:Mozilla|HeadlessChrome|Chrome|Safari|AppleWebKit|undici|node-fetch)\/[^\s"']*/g;

/** Replaces IP addresses, receipts and user agents inside a string. */
export function scrub(text: string): string {
  return text
    .replace(ADDRESS_TOKEN, (token) => {
      // "::ffff:127.0.0.1" or a trailing dot from a sentence: test the token and its trimmed form.
      const trimmed = token.replace(/^[:.]+|[:.]+$/g, "");
      if (isIP(token) || isIP(trimmed)) return "[address]";
      return token;
    })
    .replace(RECEIPT, "[digits]")
    .replace(USER_AGENT, "[user-agent]");
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrub(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return errorFields(value);
  if (depth > 4) return "[nested]";
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrubValue(v, depth + 1));
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        scrubValue(v, depth + 1),
      ]),
    );
  }
  return String(value);
}

function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: scrub(String(err)) };
  const fields: Record<string, unknown> = {
    type: err.name,
    message: scrub(err.message),
    stack: err.stack ? scrub(err.stack) : undefined,
  };
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") fields.code = code;
  return fields;
}

/** Where lines go; replaceable in unit tests. */
export interface LogSink {
  write(level: LogLevel, line: Record<string, unknown>): void;
}

function pinoSink(): LogSink {
  const levelName = (process.env.LOG_LEVEL ?? "info").toLowerCase();
  const logger = pino(
    {
      level: ["debug", "info", "warn", "error", "fatal"].includes(levelName) ? levelName : "info",
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      messageKey: "msg",
    },
    // Synchronous: a fatal line is written before process.exit; info below, warn and up to stderr.
    pino.multistream(
      [
        { level: "debug", stream: pino.destination({ dest: 1, sync: true }) },
        { level: "warn", stream: pino.destination({ dest: 2, sync: true }) },
      ],
      { dedupe: true },
    ),
  );
  return { write: (level, line) => logger[level](line) };
}

let sink: LogSink | null = null;

/** For unit tests: capture lines instead of printing them. Returns the previous sink. */
export function setLogSink(next: LogSink | null): LogSink | null {
  const previous = sink;
  sink = next;
  return previous;
}

function emit(level: LogLevel, event: string, fields: LogFields = {}): void {
  const { err, ...rest } = fields;
  const line: Record<string, unknown> = { event, ...(scrubValue(rest) as object) };
  if (err !== undefined) line.err = errorFields(err);
  sink ??= pinoSink();
  sink.write(level, line);
}

export const log = {
  debug: (event: string, fields?: LogFields) => emit("debug", event, fields),
  info: (event: string, fields?: LogFields) => emit("info", event, fields),
  warn: (event: string, fields?: LogFields) => emit("warn", event, fields),
  error: (event: string, fields?: LogFields) => emit("error", event, fields),
  fatal: (event: string, fields?: LogFields) => emit("fatal", event, fields),
};
