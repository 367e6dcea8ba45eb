/**
 * Configuration, parsed once with zod. Bad configuration is a one-line message and a non-zero
 * exit (see server/index.ts), never a stack trace.
 *
 * Demo mode (the default for `npm start`) generates missing secrets once and keeps them in
 * `<DATA_DIR>/secrets.json`; production mode refuses to start without them.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { z } from "zod";
import { parseRetention, RetentionConfigError, type RetentionPolicy } from "./shared/retention";
import { TRUST, type TrustConfig } from "./shared/trusted-offices";

const base64Key = (minBytes: number) =>
  z.string().refine((s) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(s) && decodeB64(s).length >= minBytes, {
    message: `must be base64 of at least ${minBytes} random bytes`,
  });

function decodeB64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
}

const port = z.coerce
  .number({ message: "must be a number" })
  .int({ message: "must be a whole number" })
  .min(0, { message: "must be between 0 and 65535" })
  .max(65535, { message: "must be between 0 and 65535" });

const raw = z.object({
  CROSSWATCH_MODE: z.enum(["demo", "production"], { message: "must be demo or production" }),
  PORT: port,
  HOST: z.string().min(1, { message: "must not be empty" }),
  DATA_DIR: z.string().min(1, { message: "must not be empty" }),
  DATABASE_PATH: z.string().min(1, { message: "must not be empty" }),
  /** postgres://user:password@host:port/db selects PostgreSQL; unset = SQLite at DATABASE_PATH. */
  DATABASE_URL: z
    .string()
    .refine((u) => /^postgres(ql)?:\/\/[^/\s]+\/[^\s]+$/i.test(u), {
      message: "must be a postgres://user@host:port/database URL (unset it to use SQLite)",
    })
    .optional(),
  PUBLIC_ORIGIN: z
    .string()
    .url({ message: "must be a URL such as https://report.example.org" })
    .refine((u) => /^https?:\/\//.test(u), { message: "must start with http:// or https://" })
    .optional(),
  SESSION_SECRET: base64Key(32).optional(),
  POW_SECRET: base64Key(32).optional(),
  RECEIPT_SALT: base64Key(16).optional(),
  SHUTDOWN_GRACE_MS: z.coerce
    .number({ message: "must be a number" })
    .int()
    .min(0)
    .max(120_000, { message: "must be at most 120000" }),
  /** Public results board: counts from 1 to this minus one are withheld (small cells). */
  RESULTS_MIN_CELL: z.coerce
    .number({ message: "must be a number" })
    .int({ message: "must be a whole number" })
    .min(2, { message: "must be at least 2" })
    .max(50, { message: "must be at most 50" }),
  /** Days after which a transferred clue without a final outcome is flagged to the office. */
  CLUE_OVERDUE_DAYS: z.coerce
    .number({ message: "must be a number" })
    .int({ message: "must be a whole number" })
    .min(1, { message: "must be at least 1" })
    .max(3650, { message: "must be at most 3650" }),
  /** Demo mode only: how much outcome data the demo seeds (full, cases, off). */
  CROSSWATCH_DEMO_OUTCOMES: z.enum(["full", "cases", "off"], {
    message: "must be full, cases or off",
  }),
  /** First staff login lockout in ms (doubles per further failure); short only for tests. */
  LOGIN_LOCKOUT_BASE_MS: z.coerce
    .number({ message: "must be a number" })
    .int()
    .min(100, { message: "must be at least 100" })
    .max(3_600_000, { message: "must be at most 3600000" }),
  /** Which peers may tell us the client address in X-Forwarded-For (see parseTrustProxy). */
  TRUST_PROXY: z.string().optional(),
  /** Base proof-of-work difficulty in bits: demo mode only (benchmarks, tests). */
  POW_DIFFICULTY: z.coerce
    .number({ message: "must be a number" })
    .int({ message: "must be a whole number" })
    .min(1, { message: "must be between 1 and 24" })
    .max(24, { message: "must be between 1 and 24" })
    .optional(),
});

/** The names Express's `trust proxy` understands besides addresses and CIDR ranges. */
const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * TRUST_PROXY: unset, "off" or "false" = never read X-Forwarded-For (the client address is the
 * TCP peer); otherwise a comma-separated list of `loopback`, `linklocal`, `uniquelocal`, IP
 * addresses and CIDR ranges (10.0.0.0/8, fd00::/8) whose requests carry a trusted
 * X-Forwarded-For. Returns the list for Express's `trust proxy`, or false.
 */
export function parseTrustProxy(value: string | undefined): false | string[] {
  const text = (value ?? "").trim();
  if (text === "" || text === "off" || text === "false") return false;
  const entries = text.split(",").map((e) => e.trim());
  for (const entry of entries) {
    if (PROXY_NAMES.has(entry)) continue;
    const [address, prefix, extra] = entry.split("/");
    const family = net.isIP(address ?? "");
    const maxPrefix = family === 4 ? 32 : 128;
    const prefixOk =
      prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (!family || !prefixOk || extra !== undefined) {
      throw new ConfigError(
        `TRUST_PROXY: "${entry}" is not loopback, linklocal, uniquelocal, an IP address or a CIDR range`,
      );
    }
  }
  return entries;
}

export interface Env {
  mode: "demo" | "production";
  port: number;
  host: string;
  dataDir: string;
  databasePath: string;
  /** Set: PostgreSQL at this URL (may hold a password: never print it). Null: SQLite file. */
  databaseUrl: string | null;
  publicOrigin: string;
  /** Smallest count the public results board shows (RESULTS_MIN_CELL, default 3). */
  resultsMinimumCell: number;
  /** CLUE_OVERDUE_DAYS (default 60). */
  clueOverdueDays: number;
  demoOutcomes: "full" | "cases" | "off";
  sessionSecret: Uint8Array;
  powSecret: Uint8Array;
  receiptSalt: Uint8Array;
  /**
   * jurisdiction id → Ed25519 public key of that office, from the build (app/shared/
   * trusted-offices.ts), never from the environment or the database.
   */
  officeSigningKeys: Record<string, Uint8Array>;
  shutdownGraceMs: number;
  /** Staff login lockout after the free attempts; doubles per failure (app/services/lockout). */
  loginLockoutBaseMs?: number;
  /** Proxies whose X-Forwarded-For names the client (Express `trust proxy`), or false. */
  trustProxy: false | string[];
  /** Base proof-of-work difficulty override (demo mode only); null = the protocol default. */
  powDifficulty: number | null;
  /** How long closed cases are kept, per state (RETENTION_DAYS; app/shared/retention.ts). */
  retention: RetentionPolicy;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Secrets = { SESSION_SECRET: string; POW_SECRET: string; RECEIPT_SALT: string };

function firstIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "invalid configuration";
  const key = issue.path.join(".") || "configuration";
  return `${key} ${issue.message}`;
}

/** Reads or creates the demo secrets file. Only ever called in demo mode. */
function demoSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, "secrets.json");
  if (fs.existsSync(file)) {
    const parsed = z
      .object({
        SESSION_SECRET: base64Key(32),
        POW_SECRET: base64Key(32),
        RECEIPT_SALT: base64Key(16),
      })
      .safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    if (!parsed.success) throw new ConfigError(`${file} is damaged: ${firstIssue(parsed.error)}`);
    return parsed.data;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = {
    SESSION_SECRET: randomBytes(32).toString("base64"),
    POW_SECRET: randomBytes(32).toString("base64"),
    RECEIPT_SALT: randomBytes(16).toString("base64"),
  };
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  return secrets;
}

/**
 * Parses the environment. Throws ConfigError with a one-line message on anything invalid.
 * `source` and the build's trust configuration are injectable for tests.
 */
export function parseEnv(
  source: Record<string, string | undefined> = process.env,
  trust: TrustConfig = TRUST,
): Env {
  const dataDir = source.DATA_DIR || "./data";
  const parsed = raw.safeParse({
    CROSSWATCH_MODE: source.CROSSWATCH_MODE || "demo",
    PORT: source.PORT ?? "3000",
    HOST: source.HOST ?? "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_PATH: source.DATABASE_PATH || path.join(dataDir, "crosswatch.db"),
    DATABASE_URL: source.DATABASE_URL || undefined,
    PUBLIC_ORIGIN: source.PUBLIC_ORIGIN || undefined,
    SESSION_SECRET: source.SESSION_SECRET || undefined,
    POW_SECRET: source.POW_SECRET || undefined,
    RECEIPT_SALT: source.RECEIPT_SALT || undefined,
    SHUTDOWN_GRACE_MS: source.SHUTDOWN_GRACE_MS ?? "10000",
    LOGIN_LOCKOUT_BASE_MS: source.LOGIN_LOCKOUT_BASE_MS || "60000",
    RESULTS_MIN_CELL: source.RESULTS_MIN_CELL || "3",
    CLUE_OVERDUE_DAYS: source.CLUE_OVERDUE_DAYS || "60",
    CROSSWATCH_DEMO_OUTCOMES: source.CROSSWATCH_DEMO_OUTCOMES || "full",
    TRUST_PROXY: source.TRUST_PROXY || undefined,
    POW_DIFFICULTY: source.POW_DIFFICULTY || undefined,
  });
  if (!parsed.success) throw new ConfigError(firstIssue(parsed.error));
  const v = parsed.data;
  if (source.OFFICE_SIGNING_KEYS) {
    throw new ConfigError(
      "OFFICE_SIGNING_KEYS is not read any more: office keys are compiled into the build (CROSSWATCH_OFFICES_FILE when building)",
    );
  }
  if (source.PORT !== undefined && source.PORT.trim() === "") {
    throw new ConfigError("PORT must be a number");
  }

  let secrets: Secrets;
  if (v.SESSION_SECRET && v.POW_SECRET && v.RECEIPT_SALT) {
    secrets = {
      SESSION_SECRET: v.SESSION_SECRET,
      POW_SECRET: v.POW_SECRET,
      RECEIPT_SALT: v.RECEIPT_SALT,
    };
  } else if (v.CROSSWATCH_MODE === "production") {
    const missing = (["SESSION_SECRET", "POW_SECRET", "RECEIPT_SALT"] as const).filter(
      (k) => !v[k],
    );
    throw new ConfigError(`production mode needs ${missing.join(", ")} (base64 random bytes)`);
  } else {
    const stored = demoSecrets(v.DATA_DIR);
    secrets = {
      SESSION_SECRET: v.SESSION_SECRET ?? stored.SESSION_SECRET,
      POW_SECRET: v.POW_SECRET ?? stored.POW_SECRET,
      RECEIPT_SALT: v.RECEIPT_SALT ?? stored.RECEIPT_SALT,
    };
  }

  if (v.CROSSWATCH_MODE === "production" && trust.demo) {
    throw new ConfigError(
      "production mode refuses a build that trusts demo office keys: build with CROSSWATCH_OFFICES_FILE",
    );
  }
  const officeSigningKeys = Object.fromEntries(
    trust.offices.map((o) => [o.jurisdictionId, decodeB64(o.signPublicKey)]),
  );
  if (v.CROSSWATCH_MODE === "production" && v.POW_DIFFICULTY !== undefined) {
    // A low difficulty would switch off flood protection: only demo runs (benchmarks) may set it.
    throw new ConfigError(
      "POW_DIFFICULTY is for demo mode only; production uses the built-in difficulty",
    );
  }
  const trustProxy = parseTrustProxy(v.TRUST_PROXY);
  let retention: RetentionPolicy;
  try {
    retention = parseRetention(source.RETENTION_DAYS);
  } catch (err) {
    if (err instanceof RetentionConfigError) throw new ConfigError(err.message);
    throw err;
  }
  if (v.CROSSWATCH_MODE === "production" && !v.PUBLIC_ORIGIN) {
    throw new ConfigError("production mode needs PUBLIC_ORIGIN (e.g. https://report.example.org)");
  }

  return {
    mode: v.CROSSWATCH_MODE,
    port: v.PORT,
    host: v.HOST,
    dataDir: v.DATA_DIR,
    databasePath: v.DATABASE_PATH,
    databaseUrl: v.DATABASE_URL ?? null,
    publicOrigin: v.PUBLIC_ORIGIN ?? `http://localhost:${v.PORT}`,
    resultsMinimumCell: v.RESULTS_MIN_CELL,
    clueOverdueDays: v.CLUE_OVERDUE_DAYS,
    demoOutcomes: v.CROSSWATCH_DEMO_OUTCOMES,
    sessionSecret: decodeB64(secrets.SESSION_SECRET),
    powSecret: decodeB64(secrets.POW_SECRET),
    receiptSalt: decodeB64(secrets.RECEIPT_SALT),
    officeSigningKeys,
    shutdownGraceMs: v.SHUTDOWN_GRACE_MS,
    loginLockoutBaseMs: v.LOGIN_LOCKOUT_BASE_MS,
    trustProxy,
    powDifficulty: v.POW_DIFFICULTY ?? null,
    retention,
  };
}

/** What to open: the PostgreSQL URL when configured, else the SQLite file. */
export function databaseTarget(env: Pick<Env, "databaseUrl" | "databasePath">): string {
  return env.databaseUrl ?? env.databasePath;
}

/** The database for messages: host, port and name of a PostgreSQL URL (never its password). */
export function describeDatabase(env: Pick<Env, "databaseUrl" | "databasePath">): string {
  if (!env.databaseUrl) return env.databasePath;
  try {
    const u = new URL(env.databaseUrl);
    return `PostgreSQL ${u.host}${u.pathname}`;
  } catch {
    return "PostgreSQL";
  }
}
