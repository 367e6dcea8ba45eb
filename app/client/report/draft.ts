/**
 * Opt-in draft that survives an accidental reload: the form's text fields, encrypted with
 * AES-GCM (WebCrypto) under a random key kept in sessionStorage; the ciphertext sits in
 * localStorage. Closing the tab drops the key, so a leftover ciphertext can no longer be opened
 * (and is deleted the next time the page loads). Files are never kept.
 */
const KEY_SLOT = "cw-report-draft-key";
const DATA_SLOT = "cw-report-draft";

export type Draft = Record<string, string>;

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
const unb64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

async function key(create: boolean): Promise<CryptoKey | null> {
  let raw = sessionStorage.getItem(KEY_SLOT);
  if (!raw) {
    if (!create) return null;
    raw = b64(crypto.getRandomValues(new Uint8Array(32)));
    sessionStorage.setItem(KEY_SLOT, raw);
  }
  return crypto.subtle.importKey("raw", unb64(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function saveDraft(draft: Draft): Promise<void> {
  const k = await key(true);
  if (!k) return;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new TextEncoder().encode(JSON.stringify(draft));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, k, data));
  localStorage.setItem(DATA_SLOT, b64(iv) + "." + b64(sealed));
}

/** The draft of this tab, or null; removes drafts that can no longer be opened. */
export async function loadDraft(): Promise<Draft | null> {
  try {
    const stored = localStorage.getItem(DATA_SLOT);
    if (!stored) return null;
    const k = await key(false);
    if (!k) {
      clearDraft();
      return null;
    }
    const [iv, sealed] = stored.split(".");
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: unb64(iv ?? "") },
      k,
      unb64(sealed ?? ""),
    );
    return JSON.parse(new TextDecoder().decode(plain)) as Draft;
  } catch {
    clearDraft();
    return null;
  }
}

export function clearDraft(): void {
  try {
    localStorage.removeItem(DATA_SLOT);
    sessionStorage.removeItem(KEY_SLOT);
  } catch {
    // storage may be disabled; nothing to clear then
  }
}
