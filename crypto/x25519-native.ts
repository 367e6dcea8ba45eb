/**
 * Optional native X25519 through WebCrypto (Chromium ≥ 133, Firefox ≥ 130, Safari ≥ 17, Node 20)
 * for bulk opening: tweetnacl's pure-JS scalar multiplication costs ≈0.5-0.9 ms, which makes
 * opening thousands of tips slow on a staff laptop. Feature-detected once; when unavailable (or in
 * an insecure context without `crypto.subtle`) callers fall back to tweetnacl. Results are
 * byte-identical either way, because only the scalar multiplication moves.
 */
import { base64urlEncode } from "./bytes";
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
