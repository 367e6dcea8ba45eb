/** Types for the BLAKE2b of the `argon2id` package (crypto/argon2-lanes.ts uses it for H0 and H'). */
declare module "argon2id/lib/blake2b.js" {
  interface Blake2b {
    update(input: Uint8Array): Blake2b;
    digest(out?: Uint8Array): ArrayBuffer;
  }
  export default function createHash(outlen: number): Blake2b;
}
