/**
 * Key fingerprints people can compare by reading aloud: SHA-512("crosswatch/v1/fingerprint" ‖ 0x00
 * ‖ public key); the first 40 bytes form eight 5-byte big-endian integers, each reduced mod
 * 100 000 and written as 5 digits: "12345 67890 …" (8 groups, ≈ 133 bits).
 */
import { concatBytes, expectBytes, utf8Encode } from "./bytes";
import { LABEL } from "./formats";
import { sha512 } from "./nacl";

export function fingerprint(publicKey: Uint8Array): string {
  expectBytes(publicKey, 32, "public key");
  const digest = sha512(concatBytes(utf8Encode(LABEL.FINGERPRINT), new Uint8Array([0]), publicKey));
  const groups: string[] = [];
  for (let g = 0; g < 8; g++) {
    let n = 0;
    for (let i = 0; i < 5; i++) n = n * 256 + digest[5 * g + i]!;
    groups.push(String(n % 100000).padStart(5, "0"));
  }
  return groups.join(" ");
}
