/**
 * The unlocked staff key, for the browser tab session (ADR 018, docs/crypto.md §5.20).
 *
 * In use, the keys live in this page's memory. So that a reload or a second tab of the workspace
 * does not ask for the passphrase again, a sealed copy is kept too:
 * - the wrapping key is a non-extractable WebCrypto AES-GCM key, stored as a CryptoKey object in
 *   this origin's IndexedDB (script can use it, never read it; no other origin reaches it);
 * - the sealed copy (`sealSessionCopy`) is in this tab's sessionStorage, and a new tab asks an
 *   unlocked tab for it over a BroadcastChannel (same origin only);
 * - the copy is bound to the staff sign-in session (`bindKeySession(csrf)`): it does not open in
 *   another session, so signing out or a session that ends makes it useless.
 *
 * Cleared: "Lock" and sign-out (every tab, and the wrapping key is deleted), 30 minutes without
 * a click or key press (this tab), the sign-in page (a backstop after sign-out or expiry).
 * crypto/ and idb are imported lazily.
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
  /** whose key: the member id in the office's approval and in every message they sign */
  staffId: string;
  status: "pending" | "active" | "revoked";
  fingerprint: string;
  keys: StaffKeys;
}

let current: UnlockedKey | null = null;
let restoring = false;
const listeners = new Set<() => void>();

export function unlockedKey(): UnlockedKey | null {
  return current;
}

/** True while a reload or new tab is bringing the key back from the tab session. */
export function keyRestoring(): boolean {
  return restoring;
}

export function subscribeKey(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify() {
  for (const l of listeners) l();
}

/** Like the server session's idle timeout: an unattended unlocked key locks itself. */
export const KEY_IDLE_MS = 30 * 60 * 1000;
let idleTimer: ReturnType<typeof setTimeout> | null = null;
let watching = false;
let lastStamp = 0;

function armIdleLock() {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = current ? setTimeout(() => lockKey({ everywhere: false }), KEY_IDLE_MS) : null;
}

function onActivity() {
  if (!current) return;
  armIdleLock();
  // The tab session's copy remembers the last activity (at most every 15 s), so a reload after
  // 30 idle minutes does not bring the key back.
  const now = Date.now();
  if (now - lastStamp > 15_000) {
    lastStamp = now;
    const rec = readRecord();
    if (rec) writeRecord({ ...rec, active: now });
  }
}

function watchActivity() {
  if (watching || typeof document === "undefined") return;
  watching = true;
  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(type, onActivity, { passive: true });
  }
}

function publish(next: UnlockedKey | null) {
  current = next;
  watchActivity();
  armIdleLock();
  notify();
}

// ---------------------------------------------------------------- the tab session's copy

const RECORD = "cw.staffKey";
const CHANNEL = "cw-staff-key";
const IDB_NAME = "crosswatch-staff";
const IDB_STORE = "keys";
const IDB_WRAP = "session-wrap-key";

interface KeyRecord {
  v: 1;
  keyId: string;
  /** the member the key belongs to (signs their messages, docs/crypto.md §5.7.1) */
  staffId: string;
  status: UnlockedKey["status"];
  fingerprint: string;
  /** base64url sealSessionCopy blob */
  blob: string;
  /** last activity, ms since the epoch */
  active: number;
}

let binding: string | null = null;
let channel: BroadcastChannel | null = null;

function readRecord(): KeyRecord | null {
  try {
    const raw = sessionStorage.getItem(RECORD);
    const rec = raw ? (JSON.parse(raw) as KeyRecord) : null;
    return rec && rec.v === 1 && typeof rec.blob === "string" && typeof rec.staffId === "string"
      ? rec
      : null;
  } catch {
    return null;
  }
}

function writeRecord(rec: KeyRecord) {
  try {
    sessionStorage.setItem(RECORD, JSON.stringify(rec));
  } catch {
    // Storage full or disabled: the key simply does not survive a reload.
  }
}

function clearRecord() {
  try {
    sessionStorage.removeItem(RECORD);
  } catch {
    // nothing to clear
  }
}

async function wrapStore() {
  const { openDB } = await import("idb");
  return openDB(IDB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore(IDB_STORE);
    },
  });
}

async function getWrapKey(): Promise<CryptoKey | null> {
  const db = await wrapStore();
  try {
    return ((await db.get(IDB_STORE, IDB_WRAP)) as CryptoKey | undefined) ?? null;
  } finally {
    db.close();
  }
}

async function getOrMakeWrapKey(c: CryptoApi): Promise<CryptoKey> {
  const existing = await getWrapKey();
  if (existing) return existing;
  const made = await c.newSessionWrapKey();
  const db = await wrapStore();
  try {
    await db.put(IDB_STORE, made, IDB_WRAP);
  } finally {
    db.close();
  }
  return made;
}

async function deleteWrapKey(): Promise<void> {
  try {
    const db = await wrapStore();
    try {
      await db.delete(IDB_STORE, IDB_WRAP);
    } finally {
      db.close();
    }
  } catch {
    // IndexedDB unavailable: there is nothing stored either.
  }
}

function getChannel(): BroadcastChannel | null {
  if (channel || typeof BroadcastChannel === "undefined") return channel;
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e: MessageEvent<{ t?: string; rec?: KeyRecord }>) => {
    if (e.data?.t === "ask" && current) {
      const rec = readRecord();
      if (rec) channel?.postMessage({ t: "record", rec });
    } else if (e.data?.t === "lock") {
      dropLocal();
    }
  };
  return channel;
}

/** A record from another unlocked tab of this origin, if one answers within `ms`. */
function askOtherTabs(ms: number): Promise<KeyRecord | null> {
  if (typeof BroadcastChannel === "undefined") return Promise.resolve(null);
  return new Promise((resolve) => {
    const asker = new BroadcastChannel(CHANNEL);
    const done = (rec: KeyRecord | null) => {
      clearTimeout(timer);
      asker.close();
      resolve(rec);
    };
    const timer = setTimeout(() => done(null), ms);
    asker.onmessage = (e: MessageEvent<{ t?: string; rec?: KeyRecord }>) => {
      if (e.data?.t === "record" && e.data.rec?.v === 1) done(e.data.rec);
    };
    asker.postMessage({ t: "ask" });
  });
}

async function persist(u: UnlockedKey): Promise<void> {
  if (!binding || typeof indexedDB === "undefined") return;
  try {
    const c = await loadCrypto();
    const wrapKey = await getOrMakeWrapKey(c);
    const blob = await c.sealSessionCopy(u.keys, wrapKey, binding);
    if (current !== u) return; // locked meanwhile
    writeRecord({
      v: 1,
      keyId: u.keyId,
      staffId: u.staffId,
      status: u.status,
      fingerprint: u.fingerprint,
      blob: c.base64urlEncode(blob),
      active: Date.now(),
    });
    getChannel();
  } catch {
    // No IndexedDB or WebCrypto (private modes of some browsers): page memory only, as before.
  }
}

/**
 * The page tells the store which sign-in session it belongs to (the session's CSRF token), and
 * the store brings back a key unlocked earlier in this session, in this tab or another.
 */
export async function bindKeySession(sessionBinding: string): Promise<void> {
  binding = sessionBinding;
  getChannel();
  if (current || restoring || typeof window === "undefined") return;
  restoring = true;
  notify();
  try {
    const rec = readRecord() ?? (await askOtherTabs(300));
    if (!rec || current) return;
    if (Date.now() - rec.active > KEY_IDLE_MS) {
      clearRecord();
      return;
    }
    const wrapKey = await getWrapKey();
    if (!wrapKey) {
      clearRecord();
      return;
    }
    const c = await loadCrypto();
    let keys: StaffKeys;
    try {
      keys = await c.openSessionCopy(c.base64urlDecode(rec.blob), wrapKey, sessionBinding);
    } catch {
      // Made in another sign-in session (or damaged): useless now.
      clearRecord();
      return;
    }
    if (current) return;
    writeRecord({ ...rec, active: Date.now() });
    publish({
      keyId: rec.keyId,
      staffId: rec.staffId,
      status: rec.status,
      fingerprint: rec.fingerprint,
      keys,
    });
  } catch {
    // IndexedDB or WebCrypto unavailable: the member unlocks with the passphrase.
  } finally {
    restoring = false;
    notify();
  }
}

function dropLocal() {
  if (current) {
    current.keys.boxSecretKey.fill(0);
    current.keys.signSecretKey.fill(0);
  }
  clearRecord();
  publish(null);
}

/**
 * Locks the key. `everywhere` (the Lock button, sign-out): every tab of this origin drops it and
 * the wrapping key is deleted, so no stored copy can open again. Idle: this tab only.
 */
export function lockKey(opts: { everywhere?: boolean } = { everywhere: true }): void {
  dropLocal();
  if (opts.everywhere !== false) {
    getChannel()?.postMessage({ t: "lock" });
    void deleteWrapKey();
  }
}

/** Sign-out and the sign-in page: nothing of a staff key may outlive the sign-in session. */
export function forgetKey(): void {
  lockKey({ everywhere: true });
}

export class KeyUnlockError extends Error {
  constructor(readonly code: "noKey" | "wrong" | "network") {
    super(code);
  }
}

export interface MyKeyWire {
  id: string;
  staffId: string;
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
  const unlocked = {
    keyId: key.id,
    staffId: key.staffId,
    status: key.status,
    fingerprint: key.fingerprint,
    keys,
  };
  publish(unlocked);
  await persist(unlocked);
  return unlocked;
}
