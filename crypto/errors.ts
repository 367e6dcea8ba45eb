/**
 * The one error type crypto/ throws. Every failure on untrusted bytes maps to a code, so callers
 * can branch on `err.code` and never have to parse messages. Messages never contain secrets.
 */
export type CryptoErrorCode =
  /** first byte is not a format tag this code understands */
  | "bad_version"
  /** bytes decoded but the structure inside is wrong (bad JSON, bad padding, bad encoding) */
  | "bad_format"
  /** input ended early (also: attachment stream without its final chunk) */
  | "truncated"
  /** a key, nonce, salt or field has the wrong length */
  | "bad_length"
  /** input larger than the documented maximum */
  | "oversize"
  /** MAC check failed: wrong key, or the ciphertext was changed */
  | "auth_failed"
  /** a signed or MAC'd object is past its validity time */
  | "expired"
  /** Ed25519 signature or HMAC tag does not verify */
  | "bad_signature"
  /** a single-use token was used before */
  | "replayed"
  /** receipt check digit does not match */
  | "bad_checksum"
  /** proof-of-work solution does not meet the difficulty */
  | "insufficient_work"
  /** bytes after the logical end (e.g. a chunk after the final attachment chunk) */
  | "extra_data"
  /** a public key on a low-order X25519 point: every shared secret with it is all zeros */
  | "weak_key"
  /** caller passed an unusable argument (wrong type, empty recipient list, bad parameter) */
  | "bad_input";

export class CryptoError extends Error {
  override readonly name = "CryptoError";
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

export function isCryptoError(value: unknown, code?: CryptoErrorCode): value is CryptoError {
  return value instanceof CryptoError && (code === undefined || value.code === code);
}

/** Throws `CryptoError(code)` unless `condition` holds. */
export function ensure(
  condition: boolean,
  code: CryptoErrorCode,
  message: string,
): asserts condition {
  if (!condition) throw new CryptoError(code, message);
}
