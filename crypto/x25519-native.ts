/**
 * Optional native X25519 through WebCrypto (Chromium ≥ 133, Firefox ≥ 130, Safari ≥ 17, Node 20)
 * for bulk opening: tweetnacl's pure-JS scalar multiplication costs ≈0.5-0.9 ms, which makes
 * opening thousands of tips slow on a staff laptop. Feature-detected once; when unavailable (or in
 * an insecure context without `crypto.subtle`) callers fall back to tweetnacl. Results are
 * byte-identical either way, because only the scalar multiplication moves.
 */
import { base64urlDecode, base64urlEncode } from "./bytes";
import { boxKeyPairFromSecretKey } from "./nacl";

type Subtle = SubtleCrypto;

function subtle(): Subtle | null {
  const s = globalThis.crypto?.subtle;
  return s && typeof s.deriveBits === "function" ? s : null;
}

/** Imports an X25519 secret key for deriveBits, or returns null if the runtime cannot. */
export async function importX25519SecretKey(secretKey: Uint8Array): Promise<CryptoKey | null> {
  const s = subtle();
  if (!s) return null;
  try {
    const publicKey = boxKeyPairFromSecretKey(secretKey).publicKey;
    const jwk: JsonWebKey = {
      kty: "OKP",
      crv: "X25519",
      d: base64urlEncode(secretKey),
      x: base64urlEncode(publicKey),
    };
    return await s.importKey("jwk", jwk, { name: "X25519" }, false, ["deriveBits"]);
  } catch {
    return null;
  }
}

/**
 * Raw X25519(secret, theirPublicKey), or null when WebCrypto refuses (e.g. a low-order point
 * whose output would be all zeros — such an envelope could never authenticate anyway).
 */
export async function x25519Shared(
  secret: CryptoKey,
  theirPublicKey: Uint8Array,
): Promise<Uint8Array | null> {
  const s = subtle();
  if (!s) return null;
  try {
    const pub = await s.importKey("raw", theirPublicKey.slice(), { name: "X25519" }, false, []);
    const bits = await s.deriveBits(
      { name: "X25519", public: pub } as EcdhKeyDeriveParams,
      secret,
      256,
    );
    return new Uint8Array(bits);
  } catch {
    return null;
  }
}

/** PKCS#8 DER prefix of an X25519 private key (RFC 8410): the 32-byte scalar follows it. */
const PKCS8_X25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/**
 * For sealing many envelopes (e.g. seeding or bulk findings): the public key of `secretKey` and
 * X25519(secretKey, theirPublicKey), both on native WebCrypto, or null when the runtime cannot
 * (callers then use tweetnacl and get the same bytes).
 */
export async function x25519EphemeralShared(
  secretKey: Uint8Array,
  theirPublicKey: CryptoKey,
): Promise<{ publicKey: Uint8Array; shared: Uint8Array } | null> {
  const s = subtle();
  if (!s) return null;
  try {
    const der = new Uint8Array(PKCS8_X25519_PREFIX.length + 32);
    der.set(PKCS8_X25519_PREFIX);
    der.set(secretKey, PKCS8_X25519_PREFIX.length);
    const key = await s.importKey("pkcs8", der, { name: "X25519" }, true, ["deriveBits"]);
    der.fill(0);
    const jwk = await s.exportKey("jwk", key);
    if (typeof jwk.x !== "string") return null;
    const bits = await s.deriveBits(
      { name: "X25519", public: theirPublicKey } as EcdhKeyDeriveParams,
      key,
      256,
    );
    return { publicKey: base64urlDecode(jwk.x), shared: new Uint8Array(bits) };
  } catch {
    return null;
  }
}

/**
 * For sealing many envelopes when no random source is injected: a fresh ephemeral key pair made by
 * the runtime's own generator (its CSPRNG), its public key and X25519(ephemeral, theirPublicKey),
 * or null when the runtime cannot. Unlike `x25519EphemeralShared` no secret is imported: Node's
 * PKCS#8 import goes through OpenSSL 3's decoders (≈1-2 ms a key, most of a bulk seal's time);
 * generating is ≈4× cheaper and runs off the main thread. The ephemeral secret never leaves the
 * non-extractable CryptoKey.
 */
export async function x25519FreshEphemeralShared(
  theirPublicKey: CryptoKey,
): Promise<{ publicKey: Uint8Array; shared: Uint8Array } | null> {
  const s = subtle();
  if (!s) return null;
  try {
    const pair = (await s.generateKey({ name: "X25519" }, false, ["deriveBits"])) as CryptoKeyPair;
    const [raw, bits] = await Promise.all([
      s.exportKey("raw", pair.publicKey),
      s.deriveBits(
        { name: "X25519", public: theirPublicKey } as EcdhKeyDeriveParams,
        pair.privateKey,
        256,
      ),
    ]);
    return { publicKey: new Uint8Array(raw), shared: new Uint8Array(bits) };
  } catch {
    return null;
  }
}

/** Imports a recipient's X25519 public key for `x25519EphemeralShared`, or null. */
export async function importX25519PublicKey(publicKey: Uint8Array): Promise<CryptoKey | null> {
  const s = subtle();
  if (!s) return null;
  try {
    return await s.importKey("raw", publicKey.slice(), { name: "X25519" }, false, []);
  } catch {
    return null;
  }
}
