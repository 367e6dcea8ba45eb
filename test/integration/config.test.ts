import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseFor, spawnServer } from "../support/server";

/** Runs the server with a configuration and returns how it ended. */
async function run(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-config-"));
  const proc = spawnServer({ DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: "0", ...env });
  let stdout = "";
  let stderr = "";
  proc.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => proc.on("exit", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr, dataDir };
}

/** One structured log line (level fatal, an event, the reason in `msg`), no stack trace. */
function expectOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0]!) as { level: string; event: string; msg: string };
  expect(line.level).toBe("fatal");
  expect(line.event).toMatch(/^[a-z]+\.[a-z_]+$/);
  expect(line.msg).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |\\n\s+at /);
}

describe("bad configuration", () => {
  it("PORT=abc exits non-zero with one line", async () => {
    const r = await run({ PORT: "abc" });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /^invalid configuration: PORT must be a number$/);
  });

  it("PORT out of range exits non-zero with one line", async () => {
    const r = await run({ PORT: "70000" });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /PORT must be between 0 and 65535/);
  });

  it("an unknown mode exits non-zero with one line", async () => {
    const r = await run({ CROSSWATCH_MODE: "staging" });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /CROSSWATCH_MODE must be demo or production/);
  });

  it("production mode refuses to start without secrets and never seeds", async () => {
    const r = await run({ CROSSWATCH_MODE: "production" });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /production mode needs SESSION_SECRET, POW_SECRET, RECEIPT_SALT/);
    expect(fs.existsSync(path.join(r.dataDir, "secrets.json"))).toBe(false);
  });

  it("a malformed secret exits non-zero with one line", async () => {
    const r = await run({ SESSION_SECRET: "short" });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /SESSION_SECRET must be base64 of at least 32 random bytes/);
  });

  it("a bad PUBLIC_ORIGIN exits non-zero with one line", async () => {
    const r = await run({ PUBLIC_ORIGIN: "not a url" });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /PUBLIC_ORIGIN must be a URL/);
  });

  it("an unusable database path exits non-zero with one line", async () => {
    // The database "directory" is a plain file: the path cannot be created.
    const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-file-")), "file");
    fs.writeFileSync(blocker, "not a directory");
    const r = await run({ DATABASE_PATH: path.join(blocker, "nope.db") });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /^cannot open database/);
  });

  it("an occupied port exits non-zero with one line", async () => {
    const net = await import("node:net");
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await run({ PORT: String(port) });
      expect(r.code).not.toBe(0);
      expectOneLine(r.stderr, /port \d+ is already in use/);
    } finally {
      blocker.close();
    }
  });
});

describe("demo mode", () => {
  it("refuses to seed a database that holds a real staff account: one line, nothing added", async () => {
    const { closeDb, openDb, withTx } = await import("../../db/client");
    const { jurisdictions, staffUsers } = await import("../../db/schema");
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-real-"));
    const database = await databaseFor(dataDir);
    const db = await openDb(database);
    await withTx(db, async (tx) => {
      await tx
        .insert(jurisdictions)
        .values({ id: "real-office", nameZh: "某省", nameEn: "Office" });
      await tx.insert(staffUsers).values({
        id: "staff-real",
        username: "real.inspector",
        displayName: "真实巡察员",
        jurisdictionId: "real-office",
        createdAt: new Date(),
      });
    });
    await closeDb(db);
    // CROSSWATCH_MODE unset: demo is the default, and it must not touch this database.
    const r = await run(
      database.startsWith("postgres")
        ? { DATA_DIR: dataDir, DATABASE_URL: database }
        : { DATA_DIR: dataDir, DATABASE_PATH: database },
    );
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /demo data goes only into an empty database/);
    const after = await openDb(database, { migrate: false });
    try {
      expect(await after.$count(staffUsers)).toBe(1);
      expect(await after.$count(jurisdictions)).toBe(1);
    } finally {
      await closeDb(after);
    }
  });
});

describe("production mode", () => {
  // A production build is made with CROSSWATCH_OFFICES_FILE (scripts/office-trust.ts); the test
  // build trusts generated demo keys, which production must never run with.
  it("refuses a build that trusts demo office keys, and writes or seeds nothing", async () => {
    const key = (n: number) => Buffer.alloc(n, 9).toString("base64");
    const r = await run({
      CROSSWATCH_MODE: "production",
      SESSION_SECRET: key(32),
      POW_SECRET: key(32),
      RECEIPT_SALT: key(16),
      PUBLIC_ORIGIN: "https://report.example.org",
    });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /production mode refuses a build that trusts demo office keys/);
    expect(r.stdout).not.toContain("demo data created");
    expect(fs.readdirSync(r.dataDir)).toEqual([]);
  });

  it("no longer reads office keys from the environment", async () => {
    const r = await run({ OFFICE_SIGNING_KEYS: JSON.stringify({ tianjin: "x" }) });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /OFFICE_SIGNING_KEYS is not read any more/);
  });
});
