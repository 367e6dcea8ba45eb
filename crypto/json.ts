/** JSON objects in and out of ciphertexts. Crypto treats their contents as opaque. */
import { utf8Decode, utf8Encode } from "./bytes";
import { CryptoError } from "./errors";

export type JsonObject = { [key: string]: unknown };

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function encodeJsonObject(value: JsonObject): Uint8Array {
  if (!isPlainObject(value)) throw new CryptoError("bad_input", "payload must be a JSON object");
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    throw new CryptoError("bad_input", "payload is not serialisable as JSON");
  }
  return utf8Encode(text);
}

export function decodeJsonObject(bytes: Uint8Array): JsonObject {
  const text = utf8Decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CryptoError("bad_format", "decrypted bytes are not JSON");
  }
  if (!isPlainObject(value)) throw new CryptoError("bad_format", "decrypted JSON is not an object");
  return value;
}
