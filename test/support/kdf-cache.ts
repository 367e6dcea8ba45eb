/**
 * The two argon2id derivations the tests repeat most, remembered across test processes.
 *
 * A profile of the integration tests put about half of the test processes' CPU in argon2id (64 MiB,
 * as in production): every report a test sends derives a fresh receipt's keys, and every file that
 * opens a tip as staff unwraps the same demo key blobs again in its own process. The results are
 * pure functions of their inputs, so they are kept in files under the build directory
 * (`build/test-kdf/`, one per input), written atomically, shared by the three lanes of a test run:
 *
 * - `testReceipt()` hands out receipts from a fixed sequence (the nth receipt of every test
 *   process is the same valid receipt), so a test server seeded from the shared demo template (one
 *   site salt per engine and build) finds the keys of its nth receipt already derived. Receipts
 *   stay distinct within a process, so within each test database.
 * - `unwrapStaffKeysCached()` keeps a key blob's unwrapped keys by the blob's bytes and passphrase
 *   (tip-fixture's `unwrapDemoKey` is it with the demo passphrase).
 *
 * Derivations still use the production code and parameters (crypto/): only repeats are skipped.
 * Tests of the KDF itself (unit vectors, the browser) do not use this file.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  CURRENT_RECEIPT_KDF_VERSION,
  deriveReceiptKeys,
  generateReceipt,
  unwrapStaffKeys,
  type ReceiptKdfVersion,
  type ReceiptKeys,
  type StaffKeys,
} from "../../crypto/index";
import { BUILD_DIR } from "./server";

const CACHE_DIR = path.join(BUILD_DIR, "test-kdf");

const memory = new Map<string, Promise<Record<string, Uint8Array>>>();

function keyOf(parts: (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    const bytes = typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p);
    h.update(String(bytes.length)).update(":").update(bytes);
  }
  return h.digest("hex");
}

function readEntry(file: string): Record<string, Uint8Array> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const obj = JSON.parse(text) as Record<string, string>;
    return Object.fromEntries(
      Object.entries(obj).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, "hex"))]),
    );
  } catch {
    return null;
  }
}

function writeEntry(file: string, value: Record<string, Uint8Array>): void {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  const obj = Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, Buffer.from(v).toString("hex")]),
  );
  fs.writeFileSync(tmp, JSON.stringify(obj));
  fs.renameSync(tmp, file);
}

/** `derive()` once per `parts` across test processes; copies handed out, so callers may wipe. */
async function remembered(
  kind: string,
  parts: (string | Uint8Array)[],
  derive: () => Promise<Record<string, Uint8Array>>,
): Promise<Record<string, Uint8Array>> {
  const key = keyOf([kind, ...parts]);
  let entry = memory.get(key);
  if (!entry) {
    const file = path.join(CACHE_DIR, `${kind}-${key}.json`);
    entry = (async () => {
      const stored = readEntry(file);
      if (stored) return stored;
      const fresh = await derive();
      const copy = Object.fromEntries(Object.entries(fresh).map(([k, v]) => [k, v.slice()]));
      writeEntry(file, copy);
      return copy;
    })();
    entry.catch(() => memory.delete(key));
    memory.set(key, entry);
  }
  const value = await entry;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v.slice()]));
}

let nextReceipt = 0;

/** The next receipt of this process's fixed sequence: valid, distinct within the process. */
export function testReceipt(): string {
  const n = nextReceipt++;
  let counter = 0;
  return generateReceipt((bytes) => {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 32) {
      const block = createHash("sha256")
        .update(`crosswatch test receipt ${n} ${counter++}`)
        .digest();
      out.set(block.subarray(0, Math.min(32, bytes - i)), i);
    }
    return out;
  });
}

/** deriveReceiptKeys (production parameters), remembered by receipt, salt and KDF version. */
export async function receiptKeysCached(
  receipt: string,
  siteSalt: Uint8Array,
  version: ReceiptKdfVersion = CURRENT_RECEIPT_KDF_VERSION,
): Promise<ReceiptKeys> {
  const v = await remembered(
    "receipt",
    [String(version), receipt.replace(/\D/g, ""), siteSalt],
    async () => {
      const k = await deriveReceiptKeys(receipt, siteSalt, { version });
      return {
        authSecret: k.authSecret,
        boxSecretKey: k.boxSecretKey,
        boxPublicKey: k.boxPublicKey,
      };
    },
  );
  return {
    authSecret: v.authSecret!,
    boxSecretKey: v.boxSecretKey!,
    boxPublicKey: v.boxPublicKey!,
  };
}

/** A fresh receipt of the fixed sequence and its keys. */
export async function testReceiptWithKeys(
  siteSalt: Uint8Array,
  version?: ReceiptKdfVersion,
): Promise<{ receipt: string; keys: ReceiptKeys }> {
  const receipt = testReceipt();
  return { receipt, keys: await receiptKeysCached(receipt, siteSalt, version) };
}

/** unwrapStaffKeys (production parameters), remembered by the blob's bytes and the passphrase. */
export async function unwrapStaffKeysCached(
  blob: Uint8Array,
  passphrase: string,
): Promise<StaffKeys> {
  const v = await remembered("staff", [blob, passphrase], async () => {
    const k = await unwrapStaffKeys(new Uint8Array(blob), passphrase);
    return {
      boxPublicKey: k.boxPublicKey,
      boxSecretKey: k.boxSecretKey,
      signPublicKey: k.signPublicKey,
      signSecretKey: k.signSecretKey,
    };
  });
  return {
    boxPublicKey: v.boxPublicKey!,
    boxSecretKey: v.boxSecretKey!,
    signPublicKey: v.signPublicKey!,
    signSecretKey: v.signSecretKey!,
  };
}
