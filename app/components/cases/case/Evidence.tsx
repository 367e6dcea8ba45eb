/**
 * The tip's evidence files on the case page. Files are decrypted in this browser only; nothing
 * decrypted is written to the computer unless the inspector asks ("Save").
 *
 * - Locked: each file is "Attachment n (encrypted, size)" — no internal ids, no names.
 * - Unlocked: the names the tipster's device gave, sanitized (app/shared/file-types.ts).
 * - Photos (claimed JPEG/PNG) are decrypted at once and shown inline from blob: URLs (the CSP
 *   allows blob: for images only), with a viewer; what is shown is decided by the contents,
 *   never by the claimed name or type.
 * - PDFs and anything else are decrypted when asked; a type that can carry code (PDF, office
 *   documents) gets a warning before it is saved; a file whose contents do not match its claim
 *   (a program named photo.jpg) is flagged and never shown or opened.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { OpenedAttachment, OpenedCase } from "~/client/staff/case-client";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { ACTIVE_KINDS, EVIDENCE_TYPES, isEvidenceKind, safeFileName } from "~/shared/file-types";

/** Photos up to this size are decrypted as soon as the case opens. */
const AUTO_OPEN_BYTES = 12 * 1024 * 1024;

export interface EvidenceFile {
  id: string;
  /** ciphertext size in bytes (about the file's size) */
  size: number;
}

type FileState =
  | { status: "loading" }
  | { status: "error" }
  | { status: "ready"; att: OpenedAttachment; url: string | null; confirm: boolean };

function sizeText(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${mb.toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Saving needs a second, informed click for anything that can carry code or is not what it says. */
function needsWarning(att: OpenedAttachment): boolean {
  return (
    att.mismatch || ACTIVE_KINDS.has(att.kind) || (!isEvidenceKind(att.kind) && att.kind !== "text")
  );
}

/** Hands decrypted bytes to the browser's download, under the sanitized name and a safe type. */
export function saveToComputer(att: OpenedAttachment): void {
  const url = URL.createObjectURL(new Blob([att.data as BlobPart], { type: att.mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = att.safeName;
  a.rel = "noopener";
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * `filesUrl`: where the encrypted files are fetched from (`${filesUrl}/${fileId}`): a tip's
 * attachments on the case page, a resolution's evidence on the finding page.
 */
export function Evidence({
  filesUrl,
  files,
  refs,
  unlocked,
}: {
  filesUrl: string;
  files: EvidenceFile[];
  refs: OpenedCase["files"] | null;
  unlocked: boolean;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<Record<string, FileState>>({});
  const [viewing, setViewing] = useState<string | null>(null);
  const urls = useRef<string[]>([]);

  const fallback = (i: number) => t("cases.files.fallbackName", { n: i + 1 });

  const open = useCallback(
    async (fileId: string, index: number, after?: (att: OpenedAttachment) => void) => {
      const ref = refs?.[fileId];
      if (!ref) return;
      setState((s) => ({ ...s, [fileId]: { status: "loading" } }));
      try {
        const m = await import("~/client/staff/case-client");
        const att = await m.openAttachment(`${filesUrl}/${fileId}`, ref.key, fallback(index));
        let url: string | null = null;
        // Only real photos are rendered, from memory; the browser's image decoder never runs code.
        if (att.kind === "jpeg" || att.kind === "png") {
          url = URL.createObjectURL(new Blob([att.data as BlobPart], { type: att.mime }));
          urls.current.push(url);
        }
        setState((s) => ({ ...s, [fileId]: { status: "ready", att, url, confirm: false } }));
        after?.(att);
      } catch {
        setState((s) => ({ ...s, [fileId]: { status: "error" } }));
      }
    },
    // fallback only reads translations
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [refs, filesUrl],
  );

  // Photos open at once; locking drops every decrypted copy and blob URL.
  useEffect(() => {
    if (!refs || !unlocked) return;
    files.forEach((f, i) => {
      const ref = refs[f.id];
      if (!ref || state[f.id]) return;
      if (EVIDENCE_TYPES.jpeg.mime === ref.type || EVIDENCE_TYPES.png.mime === ref.type) {
        if ((ref.size ?? f.size) <= AUTO_OPEN_BYTES) void open(f.id, i);
      }
    });
    // state is read to skip files already opened, not to re-run
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refs, unlocked, files, open]);
  useEffect(() => {
    if (unlocked) return;
    for (const u of urls.current) URL.revokeObjectURL(u);
    urls.current = [];
    setState({});
    setViewing(null);
  }, [unlocked]);
  useEffect(
    () => () => {
      for (const u of urls.current) URL.revokeObjectURL(u);
    },
    [],
  );

  function onSave(fileId: string, index: number) {
    const s = state[fileId];
    const decide = (att: OpenedAttachment) => {
      if (!needsWarning(att)) return saveToComputer(att);
      setState((st) => {
        const cur = st[fileId];
        return cur?.status === "ready" ? { ...st, [fileId]: { ...cur, confirm: true } } : st;
      });
    };
    if (s?.status === "ready") decide(s.att);
    else void open(fileId, index, decide);
  }

  const images = files.filter((f) => {
    const s = state[f.id];
    return s?.status === "ready" && s.url;
  });

  if (files.length === 0) return <p>{t("cases.case.noFiles")}</p>;
  return (
    <>
      <ul className="evidence-list" data-testid="evidence">
        {files.map((f, i) => {
          const ref = unlocked ? refs?.[f.id] : undefined;
          const s = state[f.id];
          if (!ref) {
            return (
              <li key={f.id} className="evidence-item evidence-locked">
                {t(unlocked ? "cases.files.unlisted" : "cases.files.locked", {
                  n: i + 1,
                  size: sizeText(f.size),
                })}
              </li>
            );
          }
          const ready = s?.status === "ready" ? s : null;
          const name = ready ? ready.att.safeName : safeFileName(ref.name, null, fallback(i));
          const size = sizeText(ref.size ?? f.size);
          return (
            <li key={f.id} className="evidence-item" data-file-name={name}>
              {ready?.url ? (
                <figure className="evidence-figure">
                  <button
                    type="button"
                    className="evidence-thumb"
                    onClick={() => setViewing(f.id)}
                    aria-label={t("cases.files.view", { name })}
                  >
                    <img src={ready.url} alt={name} data-testid="evidence-image" />
                  </button>
                  <figcaption>
                    {name} · {size}
                  </figcaption>
                </figure>
              ) : (
                <p className="evidence-name">
                  <span>{name}</span> <span className="cases-hint">· {size}</span>
                </p>
              )}
              {ready?.att.mismatch ? (
                <p className="notice notice-danger evidence-warning" role="alert">
                  {t(
                    isEvidenceKind(ready.att.kind)
                      ? "cases.files.mislabelled"
                      : "cases.files.mismatch",
                    {
                      claimed: ready.att.claimedType || t("cases.files.noType"),
                      actual: t(`cases.files.kind.${ready.att.kind}` as MessageKey),
                    },
                  )}
                </p>
              ) : null}
              {ready?.confirm ? (
                <div className="notice notice-warn evidence-warning" role="alert">
                  <p>
                    {t(
                      ready.att.mismatch || !isEvidenceKind(ready.att.kind)
                        ? "cases.files.riskUnknown"
                        : "cases.files.riskActive",
                      { kind: t(`cases.files.kind.${ready.att.kind}` as MessageKey), name },
                    )}
                  </p>
                  <p className="evidence-actions">
                    <button
                      type="button"
                      className="button"
                      onClick={() => {
                        saveToComputer(ready.att);
                        setState((st) => ({ ...st, [f.id]: { ...ready, confirm: false } }));
                      }}
                    >
                      {t("cases.files.saveAnyway", { name })}
                    </button>
                    <button
                      type="button"
                      className="button button-quiet"
                      onClick={() =>
                        setState((st) => ({ ...st, [f.id]: { ...ready, confirm: false } }))
                      }
                    >
                      {t("cases.files.cancel")}
                    </button>
                  </p>
                </div>
              ) : null}
              {s?.status === "error" ? (
                <p className="cases-error" role="alert">
                  {t("cases.files.failed")}
                </p>
              ) : null}
              {!ready?.confirm ? (
                <p className="evidence-actions">
                  {ready?.url ? (
                    <button
                      type="button"
                      className="button button-quiet"
                      onClick={() => setViewing(f.id)}
                    >
                      {t("cases.files.open")}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button button-quiet"
                    disabled={s?.status === "loading"}
                    onClick={() => onSave(f.id, i)}
                  >
                    {s?.status === "loading"
                      ? t("cases.files.decrypting")
                      : t(ready?.url ? "cases.files.save" : "cases.files.download", { name })}
                  </button>
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {viewing ? (
        <Viewer
          ids={images.map((f) => f.id)}
          current={viewing}
          state={state}
          onMove={setViewing}
          onClose={() => setViewing(null)}
        />
      ) : null}
    </>
  );
}

/** A simple full-window viewer for the decrypted photos: fit or actual size, previous/next. */
function Viewer({
  ids,
  current,
  state,
  onMove,
  onClose,
}: {
  ids: string[];
  current: string;
  state: Record<string, FileState>;
  onMove(id: string): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [actual, setActual] = useState(false);
  const at = ids.indexOf(current);
  const s = state[current];
  const ready = s?.status === "ready" ? s : null;

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const go = (delta: number) => {
    const next = ids[(at + delta + ids.length) % ids.length];
    if (next) onMove(next);
  };

  if (!ready?.url) return null;
  return (
    <dialog
      ref={ref}
      className="viewer"
      aria-label={ready.att.safeName}
      onClose={onClose}
      onKeyDown={(e) => {
        if (e.key === "ArrowRight") go(1);
        if (e.key === "ArrowLeft") go(-1);
      }}
    >
      <div className="viewer-bar">
        <p className="viewer-title">
          {ready.att.safeName}
          {ids.length > 1 ? ` · ${at + 1} / ${ids.length}` : ""}
        </p>
        <div className="viewer-buttons">
          {ids.length > 1 ? (
            <>
              <button type="button" className="button button-quiet" onClick={() => go(-1)}>
                {t("cases.files.prev")}
              </button>
              <button type="button" className="button button-quiet" onClick={() => go(1)}>
                {t("cases.files.next")}
              </button>
            </>
          ) : null}
          <button
            type="button"
            className="button button-quiet"
            onClick={() => setActual((a) => !a)}
          >
            {actual ? t("cases.files.fit") : t("cases.files.actual")}
          </button>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => saveToComputer(ready.att)}
          >
            {t("cases.files.save", { name: ready.att.safeName })}
          </button>
          <button type="button" className="button" onClick={() => ref.current?.close()} autoFocus>
            {t("cases.files.close")}
          </button>
        </div>
      </div>
      <div className={actual ? "viewer-stage viewer-actual" : "viewer-stage"}>
        <img src={ready.url} alt={ready.att.safeName} data-testid="viewer-image" />
      </div>
    </dialog>
  );
}
