/**
 * The case page's browser side: open the tip, the thread, the status notes and attachments with
 * the unlocked key; seal replies, notes and status notes before they leave the browser.
 */
import type {
  JsonObject,
  StaffKeys,
  StaffMessageContext,
  StaffTipKeys,
} from "../../../crypto/index";
import {
  claimMismatch,
  detectKind,
  safeFileName,
  savedMime,
  SNIFF_BYTES,
  type DetectedKind,
} from "../../shared/file-types";
import { staffApi } from "./api";
import { loadCrypto, unlockedKey } from "./key-store";

export interface CaseCipher {
  payload: string;
  envelope: string;
  tipsterPublicKey: string;
}

export interface ThreadWire {
  id: string;
  kind: "to_tipster" | "from_tipster" | "internal_note";
  at: string;
  author: string | null;
  body: string | null;
}

export interface OpenedCase {
  keys: StaffTipKeys;
  payload: JsonObject;
  thread: Record<string, string | null>;
  history: Record<string, string | null>;
  /**
   * file id → what the tipster's browser listed for it (name, claimed type, size) and its key,
   * matched by SHA-256 of the encrypted header (payload or replies). Name and type are claims:
   * the contents decide (openAttachment).
   */
  files: Record<string, { name: string; type: string; size: number | null; key: string }>;
}

interface FileRef {
  name?: unknown;
  type?: unknown;
  size?: unknown;
  key?: unknown;
  ref?: unknown;
}

function fileRefs(o: JsonObject | null): FileRef[] {
  return o && Array.isArray(o.attachments) ? (o.attachments as FileRef[]) : [];
}

const textOf = (o: JsonObject): string => (typeof o.text === "string" ? o.text : "");

export async function openCase(
  staff: StaffKeys,
  cipher: CaseCipher,
  thread: ThreadWire[],
  history: { id: string; messageCopy: string | null }[],
  files: { id: string; header: string }[] = [],
): Promise<OpenedCase> {
  const c = await loadCrypto();
  const d = c.base64urlDecode;
  const { payload, keys } = c.openTipAsStaff({
    payload: d(cipher.payload),
    envelope: d(cipher.envelope),
    boxSecretKey: staff.boxSecretKey,
  });
  const safe = (f: () => JsonObject) => {
    try {
      return textOf(f());
    } catch {
      return null;
    }
  };
  const refs: FileRef[] = [...fileRefs(payload)];
  const threadText: Record<string, string | null> = {};
  for (const m of thread) {
    if (!m.body) {
      threadText[m.id] = null;
      continue;
    }
    const blob = d(m.body);
    if (m.kind === "from_tipster") {
      let body: JsonObject | null = null;
      try {
        body = c.openTipsterMessage(blob, keys);
      } catch {
        body = null;
      }
      refs.push(...fileRefs(body));
      threadText[m.id] = body ? textOf(body) : null;
      continue;
    }
    threadText[m.id] =
      m.kind === "to_tipster"
        ? safe(() => c.openStaffMessageCopy(blob, keys))
        : safe(() => c.openInternalNote(blob, keys));
  }
  const fileKeys: OpenedCase["files"] = {};
  for (const f of files) {
    const digest = c.toHex(c.sha256(d(f.header)));
    const ref = refs.find((r) => r.ref === digest);
    if (ref && typeof ref.key === "string") {
      fileKeys[f.id] = {
        name: typeof ref.name === "string" ? ref.name : "",
        type: typeof ref.type === "string" ? ref.type : "",
        size: typeof ref.size === "number" ? ref.size : null,
        key: ref.key,
      };
    }
  }
  const historyText: Record<string, string | null> = {};
  for (const h of history) {
    historyText[h.id] = h.messageCopy
      ? safe(() => c.openStaffMessageCopy(d(h.messageCopy!), keys))
      : null;
  }
  return { keys, payload, thread: threadText, history: historyText, files: fileKeys };
}

/** Thrown when a message to the tipster cannot be signed because no key is unlocked. */
export class NotUnlocked extends Error {
  readonly code = "locked";
}

/**
 * A message to the tipster, signed with the unlocked key's Ed25519 half (docs/crypto.md §5.7.1):
 * the tipster's browser checks it against the office's approval, so the server cannot write in
 * the team's name. The team copy carries the same body.
 */
async function sealForTipster(
  keys: StaffTipKeys,
  tipsterPublicKey: string,
  text: string,
  context: StaffMessageContext,
) {
  const c = await loadCrypto();
  const mine = unlockedKey();
  if (!mine) throw new NotUnlocked("locked");
  const sealed = c.sealSignedStaffMessage({
    body: { text },
    tipsterPublicKey: c.base64urlDecode(tipsterPublicKey),
    keys,
    signer: { memberId: mine.staffId, signSecretKey: mine.keys.signSecretKey },
    context,
    writtenAtMs: Date.now(),
  });
  return {
    forTipster: c.base64urlEncode(sealed.forTipster),
    teamCopy: c.base64urlEncode(sealed.teamCopy),
  };
}

export async function sendReply(
  tipId: string,
  csrf: string,
  keys: StaffTipKeys,
  tipsterPublicKey: string,
  text: string,
) {
  const sealed = await sealForTipster(keys, tipsterPublicKey, text, { kind: "reply" });
  return staffApi(`/api/staff/tips/${tipId}/messages`, csrf, { kind: "to_tipster", ...sealed });
}

export async function addNote(tipId: string, csrf: string, keys: StaffTipKeys, text: string) {
  const c = await loadCrypto();
  const body = c.base64urlEncode(c.sealInternalNote({ body: { text }, keys }));
  return staffApi(`/api/staff/tips/${tipId}/messages`, csrf, { kind: "internal_note", body });
}

export async function changeStatus(
  tipId: string,
  csrf: string,
  keys: StaffTipKeys,
  tipsterPublicKey: string,
  input: { status: string; text: string; mergedIntoId: string | null },
) {
  const message = input.text.trim()
    ? await sealForTipster(keys, tipsterPublicKey, input.text.trim(), {
        kind: "status",
        status: input.status,
      })
    : null;
  return staffApi(`/api/staff/tips/${tipId}/status`, csrf, {
    status: input.status,
    message,
    mergedIntoId: input.mergedIntoId,
  });
}

/** A decrypted attachment, judged by its contents (app/shared/file-types.ts). */
export interface OpenedAttachment {
  /** the name the tipster's device gave, as sent (show only `safeName`) */
  claimedName: string;
  claimedType: string;
  /** what the first bytes say it is */
  kind: DetectedKind;
  /** the name to show and to save under: sanitized, with the extension of `kind` */
  safeName: string;
  /** the type the browser is handed: never one it would render or run unless it is evidence */
  mime: string;
  /** contents differ from what the name or type claims (e.g. a program named photo.jpg) */
  mismatch: boolean;
  data: Uint8Array;
}

/**
 * Fetches an attachment's chunks from `fileUrl` (a tip's file, or a resolution's evidence file)
 * and decrypts them here; the key is in the tip payload, a message or the resolution's details.
 */
export async function openAttachment(
  fileUrl: string,
  fileKeyB64: string,
  fallbackName: string,
): Promise<OpenedAttachment> {
  const c = await loadCrypto();
  const wire = await staffApi<{ header: string; chunks: string[] }>(fileUrl, "");
  const { meta, data } = c.decryptAttachment(
    c.base64urlDecode(fileKeyB64),
    c.base64urlDecode(wire.header),
    wire.chunks.map((x) => c.base64urlDecode(x)),
  );
  const kind = detectKind(data.subarray(0, SNIFF_BYTES));
  return {
    claimedName: meta.name,
    claimedType: meta.type,
    kind,
    safeName: safeFileName(meta.name, kind, fallbackName),
    mime: savedMime(kind),
    mismatch: claimMismatch({ name: meta.name, type: meta.type }, kind),
    data,
  };
}

export async function showIdentity(tipId: string, staff: StaffKeys): Promise<JsonObject> {
  const c = await loadCrypto();
  const wire = await staffApi<{ ciphertext: string; envelope: string }>(
    `/api/staff/tips/${tipId}/identity`,
    "",
  );
  return c.openIdentity({
    ciphertext: c.base64urlDecode(wire.ciphertext),
    envelope: c.base64urlDecode(wire.envelope),
    boxSecretKey: staff.boxSecretKey,
  });
}

/**
 * Shares an opened tip with a named local member (DESIGN §5): the tip key is wrapped to their
 * box key here, in this browser; the server checks who may receive it and audits the share.
 */
export async function shareWithLocal(
  tipId: string,
  csrf: string,
  keys: StaffTipKeys,
  to: { staffKeyId: string; boxPublicKey: string },
  reason: string,
) {
  const c = await loadCrypto();
  const envelope = c.wrapTipKeyForRecipient(keys, c.base64urlDecode(to.boxPublicKey));
  return staffApi(`/api/staff/tips/${tipId}/shares`, csrf, {
    staffKeyId: to.staffKeyId,
    envelope: c.base64urlEncode(envelope),
    reason,
  });
}
