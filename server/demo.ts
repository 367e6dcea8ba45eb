/**
 * Demo mode: seed an empty database with the demo data (DESIGN §2), give the demo staff real,
 * office-signed keys wrapped under the demo passphrase, and print the demo logins.
 * Production mode never calls this.
 *
 * Each jurisdiction's office signing key is its office admin's Ed25519 key. Its public half is
 * compiled into the build (app/shared/trusted-offices.ts), so the demo office admin's key is made
 * from the secret seed the build generated (<build>/demo-office-keys.json, scripts/office-trust.ts)
 * rather than at random: otherwise nothing the demo office signs would verify.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import {
  base64urlDecode,
  base64urlEncode,
  concatBytes,
  decodeRoster,
  encodeRoster,
  fingerprint,
  fixedRandom,
  fromHex,
  generateStaffKeys,
  signRoster,
  signStaffKeyApproval,
  wrapStaffKeysMany,
  type RosterKind,
  type StaffKeys,
} from "../crypto/index";
import { eq } from "drizzle-orm";
import { approvalTuple } from "../app/services/staff-keys.server";
import type { Db } from "../db/client";
import { receivingBodies, rosters } from "../db/schema";
import { draftRosters, storeSignedRoster } from "../app/services/rosters.server";
import type { Env } from "../app/env.server";
import { demoLogins, demoRoundStart, seed, type KeyHolder, type NewStaffKey } from "../db/seed";
import { enableDemoTotp } from "../app/services/auth.server";
import { TRUST } from "../app/shared/trusted-offices";
import { DEMO_TOTP_SECRET } from "../app/services/totp.server";
import { log } from "../app/log.server";
import { seedDemoOutcomes } from "./demo-outcomes";

export const DEMO_PASSWORD = "crosswatch-demo";
/** Unlocks every demo staff key in the browser. */
export const DEMO_KEY_PASSPHRASE = "crosswatch-demo-key";

/** The demo offices' secret signing seeds (hex), made by the build next to server.js. */
function readDemoOfficeSeeds(buildDir: string): Record<string, string> {
  const file = path.join(buildDir, "demo-office-keys.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  } catch {
    throw new Error(`demo office keys missing at ${file}: run "npm run build" first`);
  }
}

/** The office admin's key pair: a fresh box key, the build's demo signing key for the office. */
function demoOfficeKeys(jurisdictionId: string, seeds: Record<string, string>): StaffKeys {
  const seed = seeds[jurisdictionId];
  const trusted = TRUST.offices.find((o) => o.jurisdictionId === jurisdictionId);
  if (!seed || !trusted) throw new Error(`the build has no demo office key for ${jurisdictionId}`);
  const keys = generateStaffKeys(fixedRandom(concatBytes(randomBytes(32), fromHex(seed))));
  if (base64urlEncode(keys.signPublicKey) !== trusted.signPublicKey) {
    throw new Error(`demo office key for ${jurisdictionId} does not match the build: rebuild`);
  }
  return keys;
}

async function makeDemoKeys(
  holders: KeyHolder[],
  ctx: { now: Date; validUntil: Date },
  seeds: Record<string, string>,
): Promise<NewStaffKey[]> {
  const keys = new Map<string, StaffKeys>();
  // The office admin of each jurisdiction signs for it (the admin holding no home district).
  const officeOf = new Map<string, StaffKeys>();
  for (const h of holders) {
    if (h.homeDistrictId === null && h.username.endsWith(".office")) {
      const office = demoOfficeKeys(h.jurisdictionId, seeds);
      keys.set(h.staffId, office);
      officeOf.set(h.jurisdictionId, office);
    } else {
      keys.set(h.staffId, generateStaffKeys());
    }
  }
  // One argon2id derivation for every demo key (they share the published demo passphrase, so
  // a shared salt gives nothing away): a test server starts in about a second instead of six.
  const wrappedAll = await wrapStaffKeysMany(
    holders.map((h) => keys.get(h.staffId)!),
    DEMO_KEY_PASSPHRASE,
  );
  const rows: NewStaffKey[] = [];
  for (const [i, h] of holders.entries()) {
    const k = keys.get(h.staffId)!;
    const office = officeOf.get(h.jurisdictionId);
    const wrapped = wrappedAll[i]!;
    const signature = office
      ? signStaffKeyApproval(
          approvalTuple(
            h.staffId,
            k.boxPublicKey,
            h.homeDistrictId,
            ctx.validUntil,
            k.signPublicKey,
          ),
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
  return rows;
}

/**
 * Drafts and signs every roster of `kinds` the demo offices should have, with the build's demo
 * seeds. The demo's rounds began `DEMO_START_DAYS_BEFORE_NOW` days ago and its outcomes are dated
 * within them, so each office's fallback roster and each receiving body's roster are valid from
 * the round start (as if the office had signed them then): otherwise the demo's earlier findings
 * and clues would have no office reader or receiver.
 */
async function signDemoRosters(
  db: Db,
  seeds: Record<string, string>,
  kinds: readonly RosterKind[],
): Promise<void> {
  const now = new Date();
  const roundStart = demoRoundStart(now).getTime();
  for (const office of TRUST.offices) {
    if (!seeds[office.jurisdictionId]) continue;
    const { signSecretKey } = demoOfficeKeys(office.jurisdictionId, seeds);
    for (const draft of await draftRosters(db, office.jurisdictionId, now)) {
      if (!draft.bytes || !kinds.includes(draft.kind)) continue;
      let bytes = base64urlDecode(draft.bytes);
      if (draft.kind !== "team") {
        const r = decodeRoster(bytes);
        bytes = encodeRoster({ ...r, validFromMs: Math.min(r.validFromMs, roundStart) });
      }
      await storeSignedRoster(
        db,
        { roster: bytes, signature: signRoster(bytes, signSecretKey) },
        null,
        now,
      );
    }
  }
}

/**
 * `buildDir`: where server.js and the build's demo office keys are; `env.demoOutcomes` says how
 * much outcome data to seed (server/demo-outcomes.ts).
 */
export async function seedDemo(db: Db, buildDir: string, env: Env): Promise<void> {
  const seeds = readDemoOfficeSeeds(buildDir);
  const result = await seed(db, {
    now: new Date(),
    demoPassword: DEMO_PASSWORD,
    makeStaffKeys: (holders, ctx) => makeDemoKeys(holders, ctx, seeds),
  });
  await enableDemoTotp(
    db,
    demoLogins().map((l) => l.staffId),
  );
  // The office signs a roster for every seeded stationing and its fallback roster, as its admin's
  // browser would (ADR 017); also for a demo database made before rosters existed.
  if ((await db.$count(rosters)) === 0) await signDemoRosters(db, seeds, ["team", "office"]);
  // Findings, clues, resolutions, look-back and published results (server/demo-outcomes.ts); the
  // office signs each receiving body's roster once the bodies exist, before the first transfer
  // (also for a demo database made before body rosters existed).
  // Nothing to sign without bodies (outcomes off): drafting and deriving the office keys for
  // nothing cost a fifth of a demo restart's CPU (issue 13 item 7, cold start).
  const signBodies = async () => {
    if (
      (await db.$count(rosters, eq(rosters.kind, "receiving_body"))) === 0 &&
      (await db.$count(receivingBodies)) > 0
    )
      await signDemoRosters(db, seeds, ["receiving_body"]);
  };
  await seedDemoOutcomes(db, env, env.demoOutcomes, DEMO_KEY_PASSPHRASE, signBodies);
  await signBodies();
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
