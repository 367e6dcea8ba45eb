/**
 * Receipts: 15 uniformly random decimal digits + 1 Damm check digit, shown in groups of four.
 * The Damm algorithm (a totally anti-symmetric quasigroup of order 10) detects every single-digit
 * error and every transposition of adjacent digits, with no extra symbol (unlike ISBN-10's X).
 */
import { toHex, utf8Encode } from "./bytes";
import { CryptoError, ensure } from "./errors";
import {
  argon2idBytes,
  CURRENT_RECEIPT_KDF_VERSION,
  RECEIPT_KDF_VERSIONS,
  type Argon2Params,
  type ReceiptKdfVersion,
} from "./kdf";
import { boxKeyPairFromSecretKey } from "./nacl";
import { draw, type RandomSource } from "./random";
import { sha256 } from "./sha256";

export const RECEIPT_DIGITS = 16;

/** Damm's operation table (weakly totally anti-symmetric quasigroup of order 10). */
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

/** The interim digit after processing `digits`; 0 for a valid number with its check digit. */
function dammInterim(digits: string): number {
  let interim = 0;
  for (let i = 0; i < digits.length; i++) {
    interim = DAMM[interim]![digits.charCodeAt(i) - 48]!;
  }
  return interim;
}

/** Check digit to append to a string of ASCII digits. */
export function dammCheckDigit(digits: string): string {
  ensure(/^[0-9]*$/.test(digits), "bad_input", "digits only");
  return String(dammInterim(digits));
}

/** `1234567890123456` → `1234 5678 9012 3456` */
export function formatReceipt(digits: string): string {
  return parseReceipt(digits).replace(/(\d{4})(?=\d)/g, "$1 ");
}

/**
 * Random: bytes are drawn 32 at a time; each byte < 250 yields digit `byte % 10` (rejection
 * sampling, so every digit is exactly uniform), bytes ≥ 250 are discarded.
 */
export function generateReceipt(random?: RandomSource): string {
  let digits = "";
  while (digits.length < RECEIPT_DIGITS - 1) {
    for (const b of draw(random, 32)) {
      if (b < 250 && digits.length < RECEIPT_DIGITS - 1) digits += String(b % 10);
    }
  }
  return formatReceipt(digits + dammCheckDigit(digits));
}

const MAX_RECEIPT_INPUT = 100;
/** Separators a person may type or paste between digits (after NFKC): spaces and dashes. */
const SEPARATORS = /[\s\-\u2010\u2011\u2012\u2013\u2014\u2212\u30fc]/gu;

/**
 * Tolerant parse: NFKC folds full-width digits (０-９) and the ideographic space; whitespace and
 * dashes are ignored. Returns the 16 canonical ASCII digits. Errors: `bad_format` (other
 * characters), `bad_length` (not 16 digits), `bad_checksum` (check digit wrong).
 */
export function parseReceipt(input: string): string {
  if (typeof input !== "string") throw new CryptoError("bad_input", "receipt must be a string");
  ensure(input.length <= MAX_RECEIPT_INPUT, "bad_length", "receipt input too long");
  const digits = input.normalize("NFKC").replace(SEPARATORS, "");
  ensure(/^[0-9]*$/.test(digits), "bad_format", "receipt may contain only digits, spaces, dashes");
  ensure(
    digits.length === RECEIPT_DIGITS,
    "bad_length",
    `receipt must have ${RECEIPT_DIGITS} digits`,
  );
  ensure(dammInterim(digits) === 0, "bad_checksum", "receipt check digit does not match");
  return digits;
}

export interface ReceiptKeys {
  /** 32 bytes sent to the server to authenticate; the server stores only `authLookupHash` of it */
  readonly authSecret: Uint8Array;
  /** the tipster's X25519 secret key */
  readonly boxSecretKey: Uint8Array;
  readonly boxPublicKey: Uint8Array;
}

/**
 * argon2id(password = the 16 ASCII digits, salt = site salt, RECEIPT_KDF_VERSIONS[version])
 * → 64 bytes: bytes 0..31 auth secret, bytes 32..63 X25519 secret key. `version` defaults to the
 * current one (new receipts); opening an existing receipt tries RECEIPT_KDF_TRY_ORDER.
 * `unsafeTestKdf` exists for property tests only; production callers never pass it.
 */
export async function deriveReceiptKeys(
  receipt: string,
  siteSalt: Uint8Array,
  options: {
    readonly version?: ReceiptKdfVersion;
    readonly unsafeTestKdf?: Argon2Params;
  } = {},
): Promise<ReceiptKeys> {
  const version = options.version ?? CURRENT_RECEIPT_KDF_VERSION;
  const params = RECEIPT_KDF_VERSIONS[version];
  if (!params) throw new CryptoError("bad_input", "unknown receipt KDF version");
  const digits = parseReceipt(receipt);
  if (!(siteSalt instanceof Uint8Array))
    throw new CryptoError("bad_input", "site salt must be bytes");
  ensure(
    siteSalt.length >= 16 && siteSalt.length <= 64,
    "bad_length",
    "site salt must be 16-64 bytes",
  );
  const out = await argon2idBytes(
    utf8Encode(digits),
    siteSalt,
    options.unsafeTestKdf ?? params,
    64,
  );
  const authSecret = out.slice(0, 32);
  const pair = boxKeyPairFromSecretKey(out.slice(32, 64));
  out.fill(0);
  return { authSecret, boxSecretKey: pair.secretKey, boxPublicKey: pair.publicKey };
}

/** Lowercase hex SHA-256 of the auth secret: the only receipt-derived value the server stores. */
export function authLookupHash(authSecret: Uint8Array): string {
  if (!(authSecret instanceof Uint8Array))
    throw new CryptoError("bad_input", "auth secret must be bytes");
  ensure(authSecret.length === 32, "bad_length", "auth secret must be 32 bytes");
  return toHex(sha256(authSecret));
}
