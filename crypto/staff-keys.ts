/**
 * Staff key pairs (X25519 for tip envelopes, Ed25519 for signatures) and their passphrase-wrapped
 * storage form:
 *
 *   0x31 ‖ m KiB (u32 BE) ‖ t (u32 BE) ‖ p (u8) ‖ salt (16) ‖ nonce (24) ‖ secretbox(box sk ‖ sign seed)
 *
 * Wrapping key = argon2id(NFC(passphrase) as UTF-8, salt, m, t, p) → 32 bytes. Changing any header
 * byte changes the derived key, so the header is authenticated implicitly by the MAC.
 */
import { concatBytes, expectBytes, readU32be, u32be, utf8Encode } from "./bytes";
import { CryptoError, ensure } from "./errors";
import { TAG } from "./formats";
import {
  type Argon2Params,
  argon2idBytes,
  STAFF_PASSPHRASE_KDF,
  validateArgon2Params,
} from "./kdf";
import { expectTag } from "./envelope";
import {
  boxKeyPairFromSecretKey,
  MAC_BYTES,
  NONCE_BYTES,
  secretbox,
  secretboxOpen,
  signKeyPairFromSeed,
} from "./nacl";
import { draw, type RandomSource } from "./random";

export interface StaffKeys {
  readonly boxPublicKey: Uint8Array;
  readonly boxSecretKey: Uint8Array;
  /** Ed25519 public key (32 bytes) */
  readonly signPublicKey: Uint8Array;
  /** tweetnacl Ed25519 secret key (64 bytes: seed ‖ public key) */
  readonly signSecretKey: Uint8Array;
}

const SALT_BYTES = 16;
const SECRETS_BYTES = 64;
const HEADER_BYTES = 1 + 4 + 4 + 1 + SALT_BYTES + NONCE_BYTES;
export const WRAPPED_STAFF_KEYS_BYTES = HEADER_BYTES + SECRETS_BYTES + MAC_BYTES;
const MAX_PASSPHRASE_BYTES = 1024;

function keysFromSecrets(boxSecret: Uint8Array, signSeed: Uint8Array): StaffKeys {
  const boxPair = boxKeyPairFromSecretKey(boxSecret);
  const signPair = signKeyPairFromSeed(signSeed);
  return {
    boxPublicKey: boxPair.publicKey,
    boxSecretKey: boxPair.secretKey,
    signPublicKey: signPair.publicKey,
    signSecretKey: signPair.secretKey,
  };
}

/** Random: X25519 secret key (32), Ed25519 seed (32). Also used for the office signing key. */
export function generateStaffKeys(random?: RandomSource): StaffKeys {
  return keysFromSecrets(draw(random, 32), draw(random, 32));
}

function passphraseBytes(passphrase: string): Uint8Array {
  if (typeof passphrase !== "string")
    throw new CryptoError("bad_input", "passphrase must be a string");
  const bytes = utf8Encode(passphrase.normalize("NFC"));
  ensure(bytes.length > 0, "bad_input", "passphrase is empty");
  ensure(bytes.length <= MAX_PASSPHRASE_BYTES, "oversize", "passphrase too long");
  return bytes;
}

export interface WrapOptions {
  readonly random?: RandomSource | undefined;
  /** property tests only: replaces STAFF_PASSPHRASE_KDF; stored in the blob like any params */
  readonly unsafeTestKdf?: Argon2Params | undefined;
}

/** Random: salt (16), nonce (24). */
export async function wrapStaffKeys(
  keys: StaffKeys,
  passphrase: string,
  options: WrapOptions = {},
): Promise<Uint8Array> {
  const [wrapped] = await wrapStaffKeysMany([keys], passphrase, options);
  return wrapped!;
}

/**
 * Wraps several key sets under one passphrase with ONE argon2id derivation: every blob shares the
 * salt (and so the wrapping key) and has its own nonce. Each blob is an ordinary wrapped-keys blob
 * (`unwrapStaffKeys` opens it). Only for key sets that share a passphrase anyway — the demo seed's
 * published one — since whoever has the passphrase opens them all either way; a real member's key
 * is wrapped alone. Random: salt (16), then a nonce (24) per key set, in order; the first blob is
 * byte for byte what `wrapStaffKeys` makes from the same random stream.
 */
export async function wrapStaffKeysMany(
  keySets: readonly StaffKeys[],
  passphrase: string,
  options: WrapOptions = {},
): Promise<Uint8Array[]> {
  for (const keys of keySets) {
    expectBytes(keys?.boxSecretKey, 32, "box secret key");
    expectBytes(keys?.signSecretKey, 64, "sign secret key");
  }
  const params = options.unsafeTestKdf ?? STAFF_PASSPHRASE_KDF;
  validateArgon2Params(params);
  const password = passphraseBytes(passphrase);
  const salt = draw(options.random, SALT_BYTES);
  const nonces = keySets.map(() => draw(options.random, NONCE_BYTES));
  const key = await argon2idBytes(password, salt, params, 32);
  const header = concatBytes(
    new Uint8Array([TAG.STAFF_KEYS_V1]),
    u32be(params.memoryKiB),
    u32be(params.iterations),
    new Uint8Array([params.parallelism]),
    salt,
  );
  const out = keySets.map((keys, i) => {
    const secrets = concatBytes(keys.boxSecretKey, keys.signSecretKey.subarray(0, 32));
    const sealed = secretbox(secrets, nonces[i]!, key);
    secrets.fill(0);
    return concatBytes(header, nonces[i]!, sealed);
  });
  key.fill(0);
  return out;
}

/** Reads the argon2id parameters stored in a wrapped-keys blob (e.g. to decide on re-wrapping). */
export function wrappedStaffKeysParams(blob: Uint8Array): Argon2Params {
  expectTag(blob, TAG.STAFF_KEYS_V1, "wrapped staff keys");
  ensure(blob.length >= WRAPPED_STAFF_KEYS_BYTES, "truncated", "wrapped staff keys too short");
  ensure(blob.length === WRAPPED_STAFF_KEYS_BYTES, "bad_length", "wrapped staff keys too long");
  const params = {
    memoryKiB: readU32be(blob, 1),
    iterations: readU32be(blob, 5),
    parallelism: blob[9]!,
  };
  validateArgon2Params(params);
  return params;
}

/** Errors: bad_version, truncated, bad_length, bad_format (params), auth_failed (wrong passphrase). */
export async function unwrapStaffKeys(blob: Uint8Array, passphrase: string): Promise<StaffKeys> {
  const params = wrappedStaffKeysParams(blob);
  const password = passphraseBytes(passphrase);
  const salt = blob.slice(10, 10 + SALT_BYTES);
  const nonce = blob.slice(10 + SALT_BYTES, HEADER_BYTES);
  const key = await argon2idBytes(password, salt, params, 32);
  const secrets = secretboxOpen(blob.subarray(HEADER_BYTES), nonce, key);
  key.fill(0);
  if (!secrets) throw new CryptoError("auth_failed", "wrong passphrase or damaged key blob");
  const keys = keysFromSecrets(secrets.slice(0, 32), secrets.slice(32, 64));
  secrets.fill(0);
  return keys;
}

/** Passphrase change: unwrap with the old one, wrap with the new one under a fresh salt. */
export async function rewrapStaffKeys(
  blob: Uint8Array,
  oldPassphrase: string,
  newPassphrase: string,
  options: WrapOptions = {},
): Promise<Uint8Array> {
  const keys = await unwrapStaffKeys(blob, oldPassphrase);
  return wrapStaffKeys(keys, newPassphrase, options);
}
