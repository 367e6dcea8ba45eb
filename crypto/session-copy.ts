/**
 * The unlocked staff keys kept for one browser tab session, so that a reload or a new tab of the
 * workspace does not ask for the passphrase again (docs/crypto.md §5.20, ADR 018).
 *
 * The copy is AES-256-GCM (WebCrypto) under a wrapping key that is created non-extractable and
 * kept only as a CryptoKey object in this origin's IndexedDB: script can use it but never read
 * its bytes, and no other origin can reach it. The sealed copy itself is kept in the tab's
 * sessionStorage. The additional data binds the copy to the staff sign-in session it was made in
 * (`binding`, a value the server derives from the session), so after signing out or once the
 * session ends a copy no longer opens, even with the wrapping key.
 *
 *   blob    = 0xA1 ‖ iv (12) ‖ AES-256-GCM(wrapKey, iv, secrets, aad)      (1 + 12 + 160 + 16)
 *   secrets = boxPublicKey (32) ‖ boxSecretKey (32) ‖ signPublicKey (32) ‖ signSecretKey (64)
 *   aad     = "crosswatch/v1/session-key-copy" ‖ 0x00 ‖ UTF-8(binding)
 */
import { concatBytes, utf8Encode } from "./bytes";
import { CryptoError, ensure } from "./errors";
import { LABEL, TAG } from "./formats";
import { draw, type RandomSource } from "./random";
import type { StaffKeys } from "./staff-keys";

const IV_BYTES = 12;
const GCM_TAG_BYTES = 16;
const SECRETS_BYTES = 32 + 32 + 32 + 64;
export const SESSION_COPY_BYTES = 1 + IV_BYTES + SECRETS_BYTES + GCM_TAG_BYTES;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new CryptoError("bad_input", "WebCrypto is not available here");
  return s;
}

function aad(binding: string): Uint8Array {
  ensure(typeof binding === "string" && binding.length > 0, "bad_input", "binding is required");
  return concatBytes(utf8Encode(LABEL.SESSION_KEY_COPY), new Uint8Array([0]), utf8Encode(binding));
}

/** A fresh AES-256-GCM wrapping key that script can use but never export. */
export function newSessionWrapKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]) as Promise<CryptoKey>;
}

/** A non-extractable wrapping key from known bytes: for known-answer vectors only. */
export function importSessionWrapKey(raw: Uint8Array): Promise<CryptoKey> {
  ensure(raw instanceof Uint8Array && raw.length === 32, "bad_length", "wrap key must be 32 bytes");
  return subtle().importKey("raw", raw as BufferSource, { name: "AES-GCM" }, false, [
    "encrypt",
    "decrypt",
  ]) as Promise<CryptoKey>;
}

/** Seals the four staff keys under `wrapKey`, bound to `binding`. */
export async function sealSessionCopy(
  keys: StaffKeys,
  wrapKey: CryptoKey,
  binding: string,
  random?: RandomSource,
): Promise<Uint8Array> {
  ensure(
    keys.boxPublicKey.length === 32 &&
      keys.boxSecretKey.length === 32 &&
      keys.signPublicKey.length === 32 &&
      keys.signSecretKey.length === 64,
    "bad_length",
    "staff keys have the wrong lengths",
  );
  const iv = draw(random, IV_BYTES);
  const secrets = concatBytes(
    keys.boxPublicKey,
    keys.boxSecretKey,
    keys.signPublicKey,
    keys.signSecretKey,
  );
  try {
    const sealed = new Uint8Array(
      await subtle().encrypt(
        { name: "AES-GCM", iv: iv as BufferSource, additionalData: aad(binding) as BufferSource },
        wrapKey,
        secrets as BufferSource,
      ),
    );
    return concatBytes(new Uint8Array([TAG.SESSION_KEY_COPY_V1]), iv, sealed);
  } finally {
    secrets.fill(0);
  }
}

/** Opens a copy made by `sealSessionCopy`; throws `auth_failed` for a wrong key or binding. */
export async function openSessionCopy(
  blob: Uint8Array,
  wrapKey: CryptoKey,
  binding: string,
): Promise<StaffKeys> {
  ensure(blob instanceof Uint8Array && blob.length > 0, "truncated", "empty session copy");
  ensure(blob[0] === TAG.SESSION_KEY_COPY_V1, "bad_version", "not a session key copy");
  ensure(blob.length >= SESSION_COPY_BYTES, "truncated", "session copy is too short");
  ensure(blob.length === SESSION_COPY_BYTES, "extra_data", "bytes after the session copy");
  const iv = blob.subarray(1, 1 + IV_BYTES);
  let secrets: Uint8Array;
  try {
    secrets = new Uint8Array(
      await subtle().decrypt(
        { name: "AES-GCM", iv: iv as BufferSource, additionalData: aad(binding) as BufferSource },
        wrapKey,
        blob.subarray(1 + IV_BYTES) as BufferSource,
      ),
    );
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    throw new CryptoError("auth_failed", "session copy does not open with this key and binding");
  }
  const out: StaffKeys = {
    boxPublicKey: secrets.slice(0, 32),
    boxSecretKey: secrets.slice(32, 64),
    signPublicKey: secrets.slice(64, 96),
    signSecretKey: secrets.slice(96, 160),
  };
  secrets.fill(0);
  return out;
}
