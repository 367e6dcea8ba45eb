/**
 * Demo mode: seed an empty database with the demo data (DESIGN §2), give the demo staff real,
 * office-signed keys wrapped under the demo passphrase, and print the demo logins.
 * Production mode never calls this.
 *
 * Each jurisdiction's office signing key is its office admin's own Ed25519 key; its public half is
 * written to DATA_DIR/secrets.json as OFFICE_SIGNING_KEYS, i.e. into configuration, not the
 * database.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import {
  fingerprint,
  generateStaffKeys,
  signStaffKeyApproval,
  wrapStaffKeys,
  type StaffKeys,
} from "../crypto/index";
import { approvalTuple } from "../app/services/staff-keys.server";
import type { Env } from "../app/env.server";
import type { Db } from "../db/client";
import { demoLogins, seed, type KeyHolder, type NewStaffKey } from "../db/seed";
import { enableDemoTotp } from "../app/services/auth.server";
import { DEMO_TOTP_SECRET } from "../app/services/totp.server";
import { log } from "../app/log.server";
import { seedDemoOutcomes } from "./demo-outcomes";

export const DEMO_PASSWORD = "crosswatch-demo";
/** Unlocks every demo staff key in the browser. */
export const DEMO_KEY_PASSPHRASE = "crosswatch-demo-key";

const secretsFile = (env: Env) => path.join(env.dataDir, "secrets.json");

function readSecrets(env: Env): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(secretsFile(env), "utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function makeDemoKeys(
  holders: KeyHolder[],
  ctx: { now: Date; validUntil: Date },
  env: Env,
): Promise<NewStaffKey[]> {
  const keys = new Map<string, StaffKeys>(holders.map((h) => [h.staffId, generateStaffKeys()]));
  // The office admin of each jurisdiction signs for it (the admin holding no home district).
  const officeOf = new Map<string, StaffKeys>();
  for (const h of holders) {
    if (h.homeDistrictId === null && h.username.endsWith(".office")) {
      officeOf.set(h.jurisdictionId, keys.get(h.staffId)!);
    }
  }
  const rows: NewStaffKey[] = [];
  for (const h of holders) {
    const k = keys.get(h.staffId)!;
    const office = officeOf.get(h.jurisdictionId);
    const wrapped = await wrapStaffKeys(k, DEMO_KEY_PASSPHRASE);
    const signature = office
      ? signStaffKeyApproval(
          approvalTuple(h.staffId, k.boxPublicKey, h.homeDistrictId, ctx.validUntil),
          office.signSecretKey,
        )
      : null;
    rows.push({
      id: `key-${randomUUID()}`,
      staffId: h.staffId,
      boxPublicKey: Buffer.from(k.boxPublicKey),
      signPublicKey: Buffer.from(k.signPublicKey),
      wrappedSecretKey: Buffer.from(wrapped),
      fingerprint: fingerprint(k.boxPublicKey),
      status: signature ? "active" : "pending",
      signedHomeDistrictId: signature ? h.homeDistrictId : null,
      validUntil: signature ? ctx.validUntil : null,
      officeSignature: signature ? Buffer.from(signature) : null,
      signedBy: signature ? holders.find((o) => keys.get(o.staffId) === office)?.staffId : null,
      signedAt: signature ? ctx.now : null,
      createdAt: ctx.now,
    });
  }
  const officeKeys = Object.fromEntries(
    [...officeOf].map(([j, k]) => [j, Buffer.from(k.signPublicKey).toString("base64")]),
  );
  const secrets = { ...readSecrets(env), OFFICE_SIGNING_KEYS: officeKeys };
  fs.writeFileSync(secretsFile(env), JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  return rows;
}

/** Office keys made for the demo, unless configuration already names them. */
function loadDemoOfficeKeys(env: Env): void {
  if (Object.keys(env.officeSigningKeys).length > 0) return;
  const stored = readSecrets(env).OFFICE_SIGNING_KEYS;
  if (!stored || typeof stored !== "object") return;
  for (const [j, b64] of Object.entries(stored as Record<string, string>)) {
    env.officeSigningKeys[j] = new Uint8Array(Buffer.from(b64, "base64"));
  }
}

export async function seedDemo(db: Db, env: Env): Promise<void> {
  const result = await seed(db, {
    now: new Date(),
    demoPassword: DEMO_PASSWORD,
    makeStaffKeys: (holders, ctx) => makeDemoKeys(holders, ctx, env),
  });
  loadDemoOfficeKeys(env);
  await enableDemoTotp(
    db,
    demoLogins().map((l) => l.staffId),
  );
  // Findings, clues, resolutions, look-back and published results (server/demo-outcomes.ts).
  await seedDemoOutcomes(db, env, env.demoOutcomes);
  if (!result.created) return;
  // Published demo credentials (README), printed so whoever started the demo can sign in.
  log.info("demo.seeded", {
    msg: "demo data created",
    staffPassword: DEMO_PASSWORD,
    keyPassphrase: DEMO_KEY_PASSPHRASE,
    totpSecret: DEMO_TOTP_SECRET,
    logins: result.logins.map((l) => `${l.username} — ${l.description}`),
  });
}
