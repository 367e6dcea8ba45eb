/**
 * crypto/ runs argon2id from the `argon2id` package (SIMD WebAssembly, embedded by
 * scripts/gen-argon2-wasm.mjs). The embedded binaries must be the installed package's, and the
 * output must match an independent implementation (hash-wasm) for every production parameter set.
 */
import fs from "node:fs";
import { argon2id as hashWasmArgon2id } from "hash-wasm";
import { describe, expect, it } from "vitest";
import * as wasm from "../../../crypto/argon2-wasm";
import { argon2idBytes } from "../../../crypto/kdf";
import { RECEIPT_KDF_VERSIONS, STAFF_PASSPHRASE_KDF, base64urlDecode } from "../../../crypto/index";

describe("embedded argon2id WebAssembly", () => {
  it("is exactly the installed argon2id package's dist/*.wasm", () => {
    const pkg = JSON.parse(fs.readFileSync("node_modules/argon2id/package.json", "utf8")) as {
      version: string;
    };
    expect(wasm.ARGON2ID_PACKAGE_VERSION).toBe(pkg.version);
    expect(Buffer.from(base64urlDecode(wasm.ARGON2_SIMD_WASM))).toEqual(
      fs.readFileSync("node_modules/argon2id/dist/simd.wasm"),
    );
    expect(Buffer.from(base64urlDecode(wasm.ARGON2_PLAIN_WASM))).toEqual(
      fs.readFileSync("node_modules/argon2id/dist/no-simd.wasm"),
    );
  });

  const sets = [
    ["receipt KDF v1", RECEIPT_KDF_VERSIONS[1]],
    ["receipt KDF v2", RECEIPT_KDF_VERSIONS[2]],
    ["receipt KDF v3 (two lanes)", RECEIPT_KDF_VERSIONS[3]],
    ["staff passphrase KDF", STAFF_PASSPHRASE_KDF],
  ] as const;
  it.each(sets)("%s gives the same bytes as hash-wasm's argon2id", async (_name, params) => {
    const password = new TextEncoder().encode("9935294485840781");
    const salt = new Uint8Array(16).map((_, i) => i * 7);
    const ours = await argon2idBytes(password, salt, params, 64);
    const theirs = await hashWasmArgon2id({
      password,
      salt,
      iterations: params.iterations,
      parallelism: params.parallelism,
      memorySize: params.memoryKiB,
      hashLength: 64,
      outputType: "binary",
    });
    expect(Buffer.from(ours).toString("hex")).toBe(Buffer.from(theirs).toString("hex"));
  });
});
