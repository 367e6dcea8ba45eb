/**
 * The unlocked staff key, in this page's memory only (ADR 008): never in sessionStorage,
 * localStorage or IndexedDB. Client-side navigation inside the workspace keeps it; a reload,
 * closing the tab, "Lock" or 30 minutes without a click or key press drop it, and the member
 * unlocks again. crypto/ is imported lazily.
 */
import type * as CryptoModule from "../../../crypto/index";
import type { StaffKeys } from "../../../crypto/index";

type CryptoApi = typeof CryptoModule;
let cryptoApi: Promise<CryptoApi> | null = null;

export function loadCrypto(): Promise<CryptoApi> {
  cryptoApi ??= import("../../../crypto/index");
  return cryptoApi;
}

export interface UnlockedKey {
  keyId: string;
  status: "pending" | "active" | "revoked";
  fingerprint: string;
  keys: StaffKeys;
}

let current: UnlockedKey | null = null;
const listeners = new Set<() => void>();

export function unlockedKey(): UnlockedKey | null {
  return current;
}

export function subscribeKey(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Like the server session's idle timeout: an unattended unlocked key locks itself. */
export const KEY_IDLE_MS = 30 * 60 * 1000;
let idleTimer: ReturnType<typeof setTimeout> | null = null;
let watching = false;

function armIdleLock() {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = current ? setTimeout(lockKey, KEY_IDLE_MS) : null;
}

function watchActivity() {
  if (watching || typeof document === "undefined") return;
  watching = true;
  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(type, () => current && armIdleLock(), { passive: true });
  }
}

function publish(next: UnlockedKey | null) {
  current = next;
  watchActivity();
  armIdleLock();
  for (const l of listeners) l();
}

export function lockKey(): void {
  if (current) {
    current.keys.boxSecretKey.fill(0);
    current.keys.signSecretKey.fill(0);
  }
  publish(null);
}

export class KeyUnlockError extends Error {
  constructor(readonly code: "noKey" | "wrong" | "network") {
    super(code);
  }
}

export interface MyKeyWire {
  id: string;
  status: "pending" | "active" | "revoked";
  fingerprint: string;
  wrapped: string | null;
}

export async function fetchMyKey(): Promise<MyKeyWire | null> {
  let res: Response;
  try {
    res = await fetch("/api/staff/keys", { cache: "no-store", credentials: "same-origin" });
  } catch {
    throw new KeyUnlockError("network");
  }
  if (!res.ok) throw new KeyUnlockError("network");
  return ((await res.json()) as { key: MyKeyWire | null }).key;
}

/** Fetches my wrapped key and opens it with the passphrase (argon2id in this browser). */
export async function unlockKey(passphrase: string): Promise<UnlockedKey> {
  const [c, key] = await Promise.all([loadCrypto(), fetchMyKey()]);
  if (!key?.wrapped) throw new KeyUnlockError("noKey");
  let keys: StaffKeys;
  try {
    keys = await c.unwrapStaffKeys(c.base64urlDecode(key.wrapped), passphrase);
  } catch {
    throw new KeyUnlockError("wrong");
  }
  const unlocked = { keyId: key.id, status: key.status, fingerprint: key.fingerprint, keys };
  publish(unlocked);
  return unlocked;
}
