/**
 * Writes app/shared/generated/trusted-offices.json — the office keys and district coverage that
 * the build compiles into the server and the client bundle (DESIGN §4; ADR 016). Run by
 * scripts/build.mjs before every build, and with `--if-missing` before a typecheck or unit run.
 *
 * - Production: CROSSWATCH_OFFICES_FILE names a JSON file
 *     { "offices": [ { "jurisdictionId", "nameZh", "nameEn", "signPublicKey", "districts": [] } ] }
 *   where signPublicKey is the office admin's Ed25519 public key (base64 or base64url, 32 bytes),
 *   compared with the admin in person before it goes into the file.
 * - Demo (no CROSSWATCH_OFFICES_FILE): one key per demo jurisdiction, generated once and kept in
 *   <build>/demo-office-keys.json (secret seeds, mode 0600) so rebuilding keeps demo data valid;
 *   the demo server gives each office admin that key (server/demo.ts). Never for production:
 *   the generated file says `demo: true` and production mode refuses to start with it.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import * as c from "../crypto/index";
import { DEMO_JURISDICTIONS } from "../db/seed-data/index";
import type { TrustConfig, TrustedOffice } from "../app/shared/trusted-offices";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const TRUST_FILE = path.join(root, "app/shared/generated/trusted-offices.json");

export function demoOfficeKeysFile(buildDir: string): string {
  return path.join(path.resolve(root, buildDir), "demo-office-keys.json");
}

function keyBytes(text: string): Uint8Array {
  const url = text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return c.base64urlDecode(url);
}

const officesFile = z.object({
  offices: z
    .array(
      z.object({
        jurisdictionId: z.string().min(1).max(255),
        nameZh: z.string().min(1),
        nameEn: z.string().min(1),
        signPublicKey: z.string().refine(
          (k) => {
            try {
              return keyBytes(k).length === 32;
            } catch {
              return false;
            }
          },
          { message: "must be a 32-byte Ed25519 public key in base64" },
        ),
        districts: z.array(z.string().min(1).max(255)).min(1),
      }),
    )
    .min(1),
});

function office(o: Omit<TrustedOffice, "fingerprint" | "signPublicKey">, key: Uint8Array) {
  return {
    ...o,
    signPublicKey: c.base64urlEncode(key),
    fingerprint: c.fingerprint(key),
  };
}

function fromFile(file: string): TrustConfig {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`CROSSWATCH_OFFICES_FILE ${file}: ${(e as Error).message}`);
  }
  const parsed = officesFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`CROSSWATCH_OFFICES_FILE ${issue.path.join(".")}: ${issue.message}`);
  }
  const seenOffice = new Set<string>();
  const seenDistrict = new Map<string, string>();
  for (const o of parsed.data.offices) {
    if (seenOffice.has(o.jurisdictionId))
      throw new Error(`CROSSWATCH_OFFICES_FILE: office ${o.jurisdictionId} listed twice`);
    seenOffice.add(o.jurisdictionId);
    for (const d of o.districts) {
      const other = seenDistrict.get(d);
      if (other)
        throw new Error(
          `CROSSWATCH_OFFICES_FILE: district ${d} is in both ${other} and ${o.jurisdictionId}`,
        );
      seenDistrict.set(d, o.jurisdictionId);
    }
  }
  return {
    demo: false,
    offices: parsed.data.offices.map(({ signPublicKey, ...o }) =>
      office(o, keyBytes(signPublicKey)),
    ),
  };
}

/** The demo offices' secret Ed25519 seeds (hex), made once per build directory. */
export function readOrCreateDemoSeeds(buildDir: string): Record<string, string> {
  const file = demoOfficeKeysFile(buildDir);
  let seeds: Record<string, string> = {};
  try {
    seeds = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  } catch {
    seeds = {};
  }
  let changed = false;
  for (const j of DEMO_JURISDICTIONS) {
    if (!/^[0-9a-f]{64}$/.test(seeds[j.jurisdiction.id] ?? "")) {
      seeds[j.jurisdiction.id] = randomBytes(32).toString("hex");
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(seeds, null, 2) + "\n", { mode: 0o600 });
  }
  return seeds;
}

/** Ed25519 public key of a 32-byte seed, through the crypto module's key generation. */
export function signPublicKeyOfSeed(seedHex: string): Uint8Array {
  return c.generateStaffKeys(c.fixedRandom(c.concatBytes(new Uint8Array(32), c.fromHex(seedHex))))
    .signPublicKey;
}

function demo(buildDir: string): TrustConfig {
  const seeds = readOrCreateDemoSeeds(buildDir);
  return {
    demo: true,
    offices: DEMO_JURISDICTIONS.map((j) =>
      office(
        {
          jurisdictionId: j.jurisdiction.id,
          nameZh: `${j.jurisdiction.nameZh}巡察办（演示密钥）`,
          nameEn: `${j.jurisdiction.nameEn} inspection office (demo key)`,
          districts: j.districts.map((d) => d.id),
        },
        signPublicKeyOfSeed(seeds[j.jurisdiction.id]!),
      ),
    ),
  };
}

export function writeTrustConfig(
  env: Record<string, string | undefined> = process.env,
): TrustConfig {
  const buildDir = env.CROSSWATCH_BUILD_DIR || "build";
  const config = env.CROSSWATCH_OFFICES_FILE
    ? fromFile(env.CROSSWATCH_OFFICES_FILE)
    : demo(buildDir);
  const text = JSON.stringify(config, null, 2) + "\n";
  fs.mkdirSync(path.dirname(TRUST_FILE), { recursive: true });
  const old = fs.existsSync(TRUST_FILE) ? fs.readFileSync(TRUST_FILE, "utf8") : null;
  if (old !== text) fs.writeFileSync(TRUST_FILE, text);
  return config;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--if-missing") && fs.existsSync(TRUST_FILE)) process.exit(0);
  try {
    const config = writeTrustConfig();
    const what = config.demo ? "demo keys" : "CROSSWATCH_OFFICES_FILE";
    console.log(`office-trust: ${config.offices.length} offices from ${what}`);
  } catch (e) {
    console.error(`office-trust: ${(e as Error).message}`);
    process.exit(1);
  }
}
