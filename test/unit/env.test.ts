import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "~/env.server";
import type { TrustConfig } from "~/shared/trusted-offices";

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
    [{ OFFICE_SIGNING_KEYS: "{}" }, "office keys are compiled into the build"],
  ])("rejects %o with a one-line message", (source, message) => {
    const run = () => parseEnv({ DATA_DIR: tmp(), ...source });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it("production mode needs every secret, a build with real office keys and the public origin, and writes nothing", () => {
    const dir = tmp();
    const officeKey = Buffer.alloc(32, 5).toString("base64url");
    const office = {
      jurisdictionId: "tianjin",
      nameZh: "天津市委巡察办",
      nameEn: "Tianjin inspection office",
      signPublicKey: officeKey,
      fingerprint: "-",
      districts: ["tj-jinnan"],
    };
    const demoBuild: TrustConfig = { demo: true, offices: [office] };
    const realBuild: TrustConfig = { demo: false, offices: [office] };
    expect(() => parseEnv({ DATA_DIR: dir, CROSSWATCH_MODE: "production" }, realBuild)).toThrow(
      "production mode needs SESSION_SECRET, POW_SECRET, RECEIPT_SALT",
    );
    expect(fs.readdirSync(dir)).toEqual([]);
    const secrets = { SESSION_SECRET: key(32), POW_SECRET: key(32), RECEIPT_SALT: key(16) };
    const production = { DATA_DIR: dir, CROSSWATCH_MODE: "production", ...secrets };
    expect(() => parseEnv(production, realBuild)).toThrow("PUBLIC_ORIGIN");
    const full = { ...production, PUBLIC_ORIGIN: "https://report.example.org" };
    expect(() => parseEnv(full, demoBuild)).toThrow("refuses a build that trusts demo office keys");
    expect(Buffer.from(parseEnv(full, realBuild).officeSigningKeys.tianjin!)).toEqual(
      Buffer.alloc(32, 5),
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
