/**
 * SHA-256 of crypto/sha256.ts on Node's native hash (server only), for bytes the server hashes
 * on every request: the content-addressed memo of office-signature checks
 * (app/services/verified-cache.server.ts) hashes every signed roster and key approval a report's
 * routing checks, some kilobytes per report. The portable JavaScript hash, the concatenation of
 * its input and the hex encoding were ≈ 3 % of the server's CPU per submission (issue 13, item 1;
 * bench-server profile). The value is the same: test/unit/crypto/sha256-native.test.ts checks it
 * against `sha256` on the FIPS vectors and on random inputs split at random.
 */
import { createHash } from "node:crypto";
import { CryptoError } from "./errors";

/** Lowercase hex SHA-256 of `parts` back to back (= `toHex(sha256(concatBytes(...parts)))`). */
export function sha256HexNative(...parts: Uint8Array[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    if (!(part instanceof Uint8Array)) {
      throw new CryptoError("bad_input", "sha256 input must be bytes");
    }
    hash.update(part);
  }
  return hash.digest("hex");
}
