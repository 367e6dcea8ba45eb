/**
 * The offices this build trusts (DESIGN §4): each office's Ed25519 public key and the districts
 * its jurisdiction covers, compiled into the server and the client bundle at build time from
 * configuration (`scripts/office-trust.ts`: CROSSWATCH_OFFICES_FILE, or keys generated for the
 * demo). Never taken from a response or the database, so a database-only change cannot make a
 * browser trust another key, and an office cannot vouch for another office's districts.
 */
import config from "./generated/trusted-offices.json";

export interface TrustedOffice {
  jurisdictionId: string;
  nameZh: string;
  nameEn: string;
  /** base64url Ed25519 public key */
  signPublicKey: string;
  /** `fingerprint(key)`, computed at build time for the home page and /safety */
  fingerprint: string;
  /** district ids this office may sign rosters for */
  districts: string[];
}

export interface TrustConfig {
  /** true when the build generated throw-away demo keys (production refuses to start) */
  demo: boolean;
  offices: TrustedOffice[];
}

export const TRUST: TrustConfig = config as TrustConfig;

/** The office whose jurisdiction covers `districtId` in this build, if any. */
export function officeCovering(
  districtId: string,
  trust: TrustConfig = TRUST,
): TrustedOffice | null {
  return trust.offices.find((o) => o.districts.includes(districtId)) ?? null;
}

export function officeOf(jurisdictionId: string, trust: TrustConfig = TRUST): TrustedOffice | null {
  return trust.offices.find((o) => o.jurisdictionId === jurisdictionId) ?? null;
}
