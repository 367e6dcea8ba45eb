/**
 * /status — the resident follows a case with nothing but the 16-digit receipt code.
 *
 * With JavaScript the receipt never leaves the device: app/client/status derives the keys,
 * calls /api/status/open with the auth secret only and decrypts in the browser. Without
 * JavaScript the form posts the receipt (POST body, never a URL) to this route's action, which
 * derives the keys and decrypts in memory for this one response and says plainly that this path
 * is weaker. Every response here is `Cache-Control: no-store`.
 */
import type {
  ActionFunctionArgs,
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { CaseSection } from "~/client/status/CaseSection";
import {
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  MAX_REPLY_CHARS,
  type CaseView,
} from "~/client/status/model";
import { serverT } from "~/i18n/messages.server";
import { useI18n } from "~/i18n/use-t";
import { useNonce } from "~/nonce";
import {
  NO_STORE,
  NOJS_LOOKUP_FLOOR_MS,
  openCaseWithReceipt,
  padToFloor,
  parseNoJsStatusForm,
  parseReceiptInput,
  readNoJsForm,
  receiptSaltForPage,
  replyWithKeys,
  statusLookups,
  statusReplies,
} from "~/services/tipster.server";
import statusStyles from "~/styles/status.css";
import type { OpenCase } from "~/client/status/status-client";
import { firstRefusedFile, SNIFF_BYTES } from "~/shared/file-types";
import { StorageUnavailableError } from "~/services/storage.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statusStyles }];

export const headers: HeadersFunction = () => NO_STORE;

/**
 * The site-wide `Referrer-Policy: no-referrer` makes browsers send `Origin: null` with a plain
 * form POST, which Remix's CSRF check rejects (a 500 for the no-JS path). `same-origin` still sends
 * no referrer to any other site, and restores a real Origin for our own form.
 */
export const meta: MetaFunction = () => [{ name: "referrer", content: "same-origin" }];

export function loader({ context }: LoaderFunctionArgs) {
  return data({ salt: receiptSaltForPage(context.env) }, { headers: NO_STORE });
}

type ActionResult =
  | { ok: false; error: string; field: "receipt" }
  | {
      ok: true;
      view: CaseView;
      receipt: string;
      sent: boolean;
      replyError: string | null;
    };

/** The no-JavaScript path. */
export async function action(args: ActionFunctionArgs) {
  try {
    return await noJsAction(args);
  } catch (err) {
    // The database cannot take writes: nothing was stored.
    if (!(err instanceof StorageUnavailableError)) throw err;
    return data<ActionResult>(
      {
        ok: false,
        error: serverT(args.request).t("tipster.errors.storageUnavailable"),
        field: "receipt",
      },
      { status: 503, headers: { ...NO_STORE, "Retry-After": "60" } },
    );
  }
}

async function noJsAction({ request, context }: ActionFunctionArgs) {
  const started = Date.now();
  const { t, locale } = serverT(request);
  const fail = (status: number, error: string, extra: Record<string, string> = {}) =>
    data<ActionResult>(
      { ok: false, error, field: "receipt" },
      { status, headers: { ...NO_STORE, ...extra } },
    );

  const size = `${new Intl.NumberFormat(locale).format(MAX_EVIDENCE_BYTES / 1024 / 1024)} MB`;
  const read = await readNoJsForm(request);
  if (!read.ok) {
    return read.code === "too_large"
      ? fail(413, t("tipster.errors.filesTooLarge", { size }))
      : fail(400, t("tipster.errors.badRequest"));
  }
  const parsed = parseNoJsStatusForm(read.fields);
  if (!parsed.success) return fail(400, t("tipster.errors.badRequest"));
  const form = parsed.data;
  const limiter = form.intent === "reply" ? statusReplies : statusLookups;
  // A receipt that fails its own check (length, checksum) is refused before it spends the quota.
  const receipt = parseReceiptInput(form.receipt);
  if (!receipt.ok) return fail(400, t(`tipster.errors.${receipt.code}`));
  if (
    !statusLookups.hit(context.clientKey) ||
    (form.intent === "reply" && !limiter.hit(context.clientKey))
  ) {
    const minutes = limiter.retryAfterMinutes(context.clientKey);
    return fail(429, t("tipster.errors.tooMany", { minutes }), {
      "Retry-After": String(minutes * 60),
    });
  }

  const opened = await openCaseWithReceipt(context.db, context.env, receipt.digits);
  await padToFloor(started, NOJS_LOOKUP_FLOOR_MS);
  if (!opened.ok) return fail(404, t("tipster.errors.notFound"));

  let sent = false;
  let replyError: string | null = null;
  const view = opened.view;
  if (form.intent === "reply") {
    const text = form.text.trim();
    const uploads = read.uploads;
    const total = uploads.reduce((n, f) => n + f.data.length, 0);
    const refused = firstRefusedFile(
      uploads.map((f) => ({ ...f, head: f.data.subarray(0, SNIFF_BYTES) })),
    );
    if (!text && uploads.length === 0) replyError = t("tipster.errors.replyEmpty");
    else if (text.length > MAX_REPLY_CHARS) {
      replyError = t("tipster.errors.replyTooLong", { max: MAX_REPLY_CHARS });
    } else if (uploads.length > MAX_EVIDENCE_FILES) {
      replyError = t("tipster.errors.tooManyFiles", { max: MAX_EVIDENCE_FILES });
    } else if (total > MAX_EVIDENCE_BYTES) {
      replyError = t("tipster.errors.filesTooLarge", { size });
    } else if (refused) {
      replyError = t(`tipster.errors.${refused.problem}`, { name: refused.name });
    } else {
      const now = new Date();
      const { messageId } = await replyWithKeys(
        context.db,
        opened.tipId,
        opened.keys,
        text,
        uploads,
        now,
      );
      view.thread.push({
        id: messageId,
        from: "me",
        at: now.toISOString(),
        text,
        files: uploads.map((f) => f.name),
        signature: null,
      });
      sent = true;
    }
    for (const f of uploads) f.data.fill(0);
  }
  opened.keys.view.fill(0);
  return data<ActionResult>(
    { ok: true, view, receipt: receipt.formatted, sent, replyError },
    { status: replyError ? 400 : 200, headers: NO_STORE },
  );
}

/**
 * Until the page's JavaScript is running, a browser that has JavaScript must not send the receipt
 * to the server by submitting the plain form: this guard holds the submit and shows a note.
 */
const HOLD_SUBMIT_UNTIL_READY = `document.addEventListener("submit",function(e){var f=e.target;if(f&&f.hasAttribute("data-receipt-form")&&!window.__cwStatusReady){e.preventDefault();var w=document.getElementById("status-wait");if(w)w.hidden=false;}},true);`;

type Phase =
  | { name: "idle"; error: string | null }
  | { name: "deriving" }
  | { name: "open"; current: OpenCase };

export default function StatusPage() {
  const { salt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useI18n();
  const nonce = useNonce();
  const [phase, setPhase] = useState<Phase>({ name: "idle", error: null });
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (window as { __cwStatusReady?: boolean }).__cwStatusReady = true;
    return () => {
      (window as { __cwStatusReady?: boolean }).__cwStatusReady = false;
    };
  }, []);

  /**
   * The resident is about to type a receipt (focus, a tap, or the first key): fetch the status
   * code, crypto/ and the worker now, so that on a slow link the key derivation can start soon
   * after the 16th digit instead of after a chain of module downloads (about 1 s at 150 ms
   * latency). Not earlier: evaluating them when the page is merely idle is a main-thread task the
   * resident who only reads the page pays for (Lighthouse TBT 24 → 343 ms on the quiet machine).
   */
  function warmUp() {
    void import("~/client/status/status-client").then((m) => m.warmUp());
  }

  /** A complete receipt typed or pasted: start deriving its keys before the button is pressed. */
  function prepareKeysFor(value: string) {
    if (value.normalize("NFKC").replace(/\D/g, "").length < 16) return;
    void import("~/client/status/status-client").then((m) => m.prepareKeys(value, salt));
  }

  async function onOpen(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (phase.name === "deriving") return;
    const receipt = inputRef.current?.value ?? "";
    setPhase({ name: "deriving" });
    const { openCase, StatusError } = await import("~/client/status/status-client");
    try {
      const current = await openCase(receipt, salt);
      if (inputRef.current) inputRef.current.value = "";
      setPhase({ name: "open", current });
    } catch (err) {
      const message =
        err instanceof StatusError
          ? err.code === "server"
            ? (err.serverMessage ?? t("tipster.errors.network"))
            : t(`tipster.errors.${err.code}`)
          : t("tipster.errors.network");
      setPhase({ name: "idle", error: message });
      requestAnimationFrame(() => inputRef.current?.focus());
    }
  }

  async function onReply(text: string, files: File[]): Promise<string | null> {
    if (phase.name !== "open") return t("tipster.errors.badRequest");
    const { sendReply, StatusError } = await import("~/client/status/status-client");
    try {
      const sent = await sendReply(phase.current, text, files);
      setPhase((p) =>
        p.name === "open"
          ? {
              name: "open",
              current: {
                ...p.current,
                pow: sent.pow,
                view: { ...p.current.view, thread: [...p.current.view.thread, sent.message] },
              },
            }
          : p,
      );
      return null;
    } catch (err) {
      if (err instanceof StatusError && err.code === "server" && err.serverMessage) {
        return err.serverMessage;
      }
      return t("tipster.errors.network");
    }
  }

  function onClose() {
    setPhase({ name: "idle", error: null });
    window.location.replace("/status");
  }

  if (phase.name === "open") {
    return (
      <>
        <h1>{t("tipster.pageTitle")}</h1>
        <CaseSection mode="js" view={phase.current.view} onReply={onReply} onClose={onClose} />
      </>
    );
  }
  if (actionData?.ok) {
    return (
      <>
        <h1>{t("tipster.pageTitle")}</h1>
        <CaseSection
          mode="nojs"
          view={actionData.view}
          receipt={actionData.receipt}
          sent={actionData.sent}
          replyError={actionData.replyError}
        />
      </>
    );
  }

  const error = phase.name === "idle" && phase.error ? phase.error : (actionData?.error ?? null);
  const deriving = phase.name === "deriving";
  return (
    <>
      <script
        nonce={nonce}
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: HOLD_SUBMIT_UNTIL_READY }}
      />
      <h1>{t("tipster.pageTitle")}</h1>
      <p className="lead">{t("tipster.intro")}</p>
      <noscript>
        <div className="notice notice-warn">
          <p>
            <strong>{t("tipster.noJsTitle")}</strong>
          </p>
          <p>{t("tipster.noJsBody")}</p>
        </div>
      </noscript>
      <form
        method="post"
        action="/status"
        className="card receipt-form"
        data-receipt-form=""
        onSubmit={onOpen}
        noValidate
      >
        <input type="hidden" name="intent" value="open" />
        <label htmlFor="receipt">{t("tipster.receiptLabel")}</label>
        <p className="hint" id="receipt-hint">
          {t("tipster.receiptHint")}
        </p>
        <input
          ref={inputRef}
          id="receipt"
          name="receipt"
          onInput={(e) => prepareKeysFor(e.currentTarget.value)}
          onFocus={warmUp}
          onPointerDown={warmUp}
          className="receipt-input"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          maxLength={40}
          required
          aria-describedby={error ? "receipt-hint receipt-error" : "receipt-hint"}
          aria-invalid={error ? true : undefined}
        />
        {error ? (
          <p className="field-error" id="receipt-error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="progress-note" id="status-wait" role="status" hidden={!deriving}>
          {deriving ? t("tipster.deriving") : t("tipster.loading")}
        </p>
        <button type="submit" className="button button-block" disabled={deriving}>
          {t("tipster.open")}
        </button>
        <p className="hint js-only">{t("tipster.privacyJs")}</p>
      </form>
      <p>
        <a href="/safety">{t("tipster.safetyLink")}</a>
      </p>
    </>
  );
}
