/**
 * TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step, what every authenticator app
 * understands) and one-time recovery codes. The QR code is drawn on the server as an SVG data
 * URL: no third-party origin, no client script.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { generateTOTP, getTOTPAuthUri, verifyTOTP } from "@epic-web/totp";
import QRCode from "qrcode";

export const TOTP_OPTIONS = { period: 30, digits: 6, algorithm: "SHA-1" } as const;
export const TOTP_ISSUER = "Crosswatch";

/**
 * The TOTP secret every demo login gets (demo mode only, printed at start) so that a human or a
 * test can compute the code. Base32, 20 bytes.
 */
export const DEMO_TOTP_SECRET = "CROSSWATCHDEMOTOTPSECRETKEY23456";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A fresh 160-bit secret (RFC 4226 recommends 160 bits). */
export function newTotpSecret(): string {
  return base32(randomBytes(20));
}

/** The secret shown to people in groups of four, easier to type. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export const TOTP_PERIOD_MS = TOTP_OPTIONS.period * 1000;

/** The RFC 6238 time step of a moment. */
export function totpStep(ms = Date.now()): number {
  return Math.floor(ms / TOTP_PERIOD_MS);
}

function base32Decode(s: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of s.replace(/=+$/, "").toUpperCase()) {
    const i = BASE32.indexOf(c);
    if (i < 0) throw new Error("not base32");
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code for one time step (RFC 4226 HOTP over the step counter, SHA-1, 6 digits). */
export function totpForStep(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 15;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** TOTP_OPTIONS.digits).padStart(TOTP_OPTIONS.digits, "0");
}

/** The current code; `offset` steps ahead (tests use +1 for a second sign-in in one window). */
export async function currentTotp(secret: string, offset = 0): Promise<string> {
  if (offset === 0) return (await generateTOTP({ secret, ...TOTP_OPTIONS })).otp;
  return totpForStep(secret, totpStep() + offset);
}

export async function checkTotp(secret: string, code: string): Promise<boolean> {
  return (await matchTotp(secret, code)) !== null;
}

/**
 * Verifies a code (±1 step, @epic-web/totp) and returns the time step it belongs to, so that the
 * caller can refuse a second use of the same code (RFC 6238 §5.2). Null when wrong.
 */
export async function matchTotp(secret: string, code: string): Promise<number | null> {
  const otp = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(otp)) return null;
  if ((await verifyTOTP({ otp, secret, ...TOTP_OPTIONS, window: 1 })) === null) return null;
  const now = totpStep();
  for (const step of [now, now - 1, now + 1, now - 2, now + 2]) {
    if (totpForStep(secret, step) === otp) return step;
  }
  return null;
}

export function totpUri(secret: string, accountName: string): string {
  return getTOTPAuthUri({ secret, accountName, issuer: TOTP_ISSUER, ...TOTP_OPTIONS });
}

export async function totpQrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

// ---------------------------------------------------------------- recovery codes
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** `xxxx-xxxx-xxxx`: 12 characters from a 31-letter alphabet (≈ 59 bits). */
export function newRecoveryCode(): string {
  const bytes = randomBytes(12);
  let s = "";
  for (const b of bytes) s += RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

export function normaliseRecoveryCode(input: string): string | null {
  const s = input.toLowerCase().replace(/[\s-]+/g, "");
  if (s.length !== 12 || [...s].some((c) => !RECOVERY_ALPHABET.includes(c))) return null;
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(`recovery:${code}`).digest("hex");
}
