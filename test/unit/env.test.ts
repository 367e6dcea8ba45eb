import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "~/env.server";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-env-"));
const key = (n: number) => Buffer.alloc(n, 7).toString("base64");

describe("parseEnv", () => {
  it("defaults to demo mode on port 3000 with a database under the data directory", () => {
    const dir = tmp();
    const env = parseEnv({ DATA_DIR: dir });
    expect(env.mode).toBe("demo");
    expect(env.port).toBe(3000);
    expect(env.databasePath).toBe(path.join(dir, "crosswatch.db"));
  });

  it("generates demo secrets once and keeps them", () => {
    const dir = tmp();
    const a = parseEnv({ DATA_DIR: dir });
    const b = parseEnv({ DATA_DIR: dir });
    expect(Buffer.from(a.sessionSecret).equals(Buffer.from(b.sessionSecret))).toBe(true);
    expect(a.sessionSecret.length).toBe(32);
    expect(fs.statSync(path.join(dir, "secrets.json")).mode & 0o077).toBe(0);
  });

  it.each([
    [{ PORT: "abc" }, "PORT must be a number"],
    [{ PORT: "" }, "PORT must be a number"],
    [{ PORT: "3.5" }, "PORT must be a whole number"],
    [{ PORT: "-1" }, "PORT must be between 0 and 65535"],
    [{ CROSSWATCH_MODE: "prod" }, "CROSSWATCH_MODE must be demo or production"],
    [{ POW_SECRET: "c2hvcnQ=" }, "POW_SECRET must be base64 of at least 32 random bytes"],
    [{ OFFICE_SIGNING_KEYS: "{" }, "OFFICE_SIGNING_KEYS must be a JSON object"],
  ])("rejects %o with a one-line message", (source, message) => {
    const run = () => parseEnv({ DATA_DIR: tmp(), ...source });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it("production mode needs every secret, the office keys and the public origin, and writes nothing", () => {
    const dir = tmp();
    expect(() => parseEnv({ DATA_DIR: dir, CROSSWATCH_MODE: "production" })).toThrow(
      "production mode needs SESSION_SECRET, POW_SECRET, RECEIPT_SALT",
    );
    expect(fs.readdirSync(dir)).toEqual([]);
    const secrets = { SESSION_SECRET: key(32), POW_SECRET: key(32), RECEIPT_SALT: key(16) };
    expect(() => parseEnv({ DATA_DIR: dir, CROSSWATCH_MODE: "production", ...secrets })).toThrow(
      "OFFICE_SIGNING_KEYS",
    );
    const full = parseEnv({
      DATA_DIR: dir,
      CROSSWATCH_MODE: "production",
      ...secrets,
      OFFICE_SIGNING_KEYS: JSON.stringify({ tianjin: key(32) }),
      PUBLIC_ORIGIN: "https://report.example.org",
    });
    expect(full.officeSigningKeys.tianjin?.length).toBe(32);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
