/**
 * POST /api/report — a report encrypted in the browser (JavaScript path). multipart/form-data:
 * `meta` (JSON: routing fields, receipt auth hash, tipster public key, sealed payload, envelopes,
 * proof of work, one encrypted header per file) and one `file` part per evidence file holding
 * its encrypted chunks back to back. The receipt itself never reaches the server.
 *
 * Order: quota peek → size → shape → proof of work checked → quota spent → store and spend the
 * proof of work (one transaction, answer after the commit; a refused report spends it alone).
 * Only a request with a valid proof of work spends the client's quota:
 * junk (a 1-byte body, a bad shape, no or a wrong proof of work) is refused cheaply and never
 * locks out a resident behind the same address. A retry of the very same ciphertext after a lost answer gets the same 201 (no second
 * tip), even though its proof of work is already spent — see `findStoredCopy`. Every refusal is a
 * localized `{ error: { code, message } }` with a 4xx status.
 */
import type { ActionFunctionArgs, AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import {
  CATEGORIES,
  MAX_REPORT_FILE_BYTES,
  MAX_REPORT_FILES,
  MAX_REPORT_TOTAL_BYTES,
  splitChunks,
} from "~/client/report/model";
import { serverTForCookie } from "~/i18n/messages.server";
import { readUpload, type IncomingAttachment } from "~/services/attachments.server";
import { checkPowUnspent, spendPowAlone } from "~/services/pow.server";
import { reportSubmissions } from "~/services/rate-limit.server";
import { submitEncryptedReport, type SubmitResult } from "~/services/report.server";
import { formatSize, submitErrorMessage } from "~/services/report.server";
import {
  answerResponse,
  apiErrorAnswer,
  b64urlField,
  jsonAnswer,
  NO_STORE,
  plainUpload,
  type PlainAnswer,
  type PlainUpload,
} from "~/services/http.server";
import { StorageUnavailableError } from "~/services/storage.server";
import { findStoredCopy, type IncomingTip } from "~/services/tips.server";

/** Proof-of-work strings stay text: `verifyPow` decodes them strictly itself. */
const powText = (max: number) => z.string().max(max);
const envelope = z.object({
  staffKeyId: z.string().min(1).max(100),
  envelope: b64urlField({ max: 300 }),
});

const Meta = z.object({
  district: z.string().min(1).max(100),
  unit: z.string().min(1).max(100).nullable(),
  category: z.enum(CATEGORIES),
  receiptAuthHash: z.string().regex(/^[0-9a-f]{64}$/),
  tipsterPublicKey: b64urlField({ bytes: 32 }),
  tipsterEnvelope: b64urlField({ max: 300 }),
  payload: b64urlField({ max: 1_125_000 }),
  envelopes: z.array(envelope).min(1).max(256),
  identity: z
    .object({
      ciphertext: b64urlField({ max: 75_000 }),
      envelopes: z.array(envelope).min(1).max(256),
    })
    .nullable(),
  onlyOutsiders: z.boolean(),
  pow: z.object({ challenge: powText(200), solution: powText(32) }),
  files: z.array(z.object({ header: b64urlField({ max: 1536 }) })).max(MAX_REPORT_FILES),
});

/** Text parts as a browser's FormData reads them (invalid UTF-8 becomes U+FFFD). */
const utf8 = new TextDecoder("utf-8", { fatal: false });

/** Largest request: every file at its limit plus chunk overhead, the payload and framing. */
export const MAX_REPORT_REQUEST_BYTES = MAX_REPORT_TOTAL_BYTES + 2 * 1024 * 1024;
const MAX_PART_BYTES = MAX_REPORT_FILE_BYTES + 256 * 1024;

const STATUS: Record<Extract<SubmitResult, { ok: false }>["code"], number> = {
  unknown_district: 400,
  unknown_unit: 400,
  no_reader: 409,
  recipients_changed: 409,
  duplicate_receipt: 409,
  too_many_files: 400,
  file_too_large: 413,
  too_large: 413,
  bad_ciphertext: 400,
  pow_replayed: 400,
};

/**
 * The report on a plain request and answer (app/services/http.server.ts): the server's direct
 * path calls it as `directUpload` with the body still unread (server/direct-actions.ts, issue 13),
 * Remix's as `action` on the web `Request`. Same function, same answer bytes.
 */
export async function submitReport(
  request: PlainUpload,
  context: AppLoadContext,
): Promise<PlainAnswer> {
  try {
    return await submit(request, context);
  } catch (err) {
    // The database cannot take writes (disk full, read-only): nothing was stored, the
    // transaction rolled back. The browser keeps the sealed request and can send it again.
    if (!(err instanceof StorageUnavailableError)) throw err;
    const { t } = serverTForCookie(request.cookie);
    return apiError(503, "storage_unavailable", t("resident.errors.storageUnavailable"), {
      "Retry-After": "60",
    });
  }
}

/** The server's direct path (server/direct-actions.ts): bodies up to this declared size. */
export const directUpload = submitReport;
export const DIRECT_UPLOAD_MAX_BYTES = MAX_REPORT_REQUEST_BYTES;

export async function action({ request, context }: ActionFunctionArgs) {
  return answerResponse(await submitReport(plainUpload(request), context));
}

const apiError = apiErrorAnswer;

async function submit(request: PlainUpload, context: AppLoadContext): Promise<PlainAnswer> {
  const { t, locale } = serverTForCookie(request.cookie);
  if (request.method !== "POST") {
    return apiError(405, "method_not_allowed", t("resident.errors.methodNotAllowed"));
  }
  const tooMany = () => {
    const minutes = reportSubmissions.retryAfterMinutes(context.clientKey);
    return apiError(429, "rate_limited", t("resident.errors.tooMany", { minutes }), {
      "Retry-After": String(minutes * 60),
    });
  };
  // Peek only: the quota is spent below, once the request carries a valid proof of work.
  if (reportSubmissions.blocked(context.clientKey)) return tooMany();
  const upload = await readUpload(request, MAX_REPORT_REQUEST_BYTES, MAX_PART_BYTES);
  if (!upload.ok) {
    return upload.code === "too_large"
      ? apiError(
          413,
          "too_large",
          t("resident.errors.requestTooLarge", {
            max: formatSize(locale, MAX_REPORT_TOTAL_BYTES),
          }),
        )
      : apiError(400, "bad_request", t("resident.errors.badRequest"));
  }
  // `meta` is the first text field of that name (a file there is no meta); `file` parts are files.
  const metaPart = upload.parts.find((p) => p.name === "meta");
  let metaJson: unknown;
  try {
    metaJson =
      metaPart && metaPart.filename === null ? JSON.parse(utf8.decode(metaPart.data)) : undefined;
  } catch {
    metaJson = undefined;
  }
  const parsed = Meta.safeParse(metaJson);
  const fileParts = upload.parts.filter((p) => p.name === "file");
  if (!parsed.success || fileParts.length !== parsed.data.files.length) {
    return apiError(400, "bad_request", t("resident.errors.badRequest"));
  }
  const meta = parsed.data;
  const files: IncomingAttachment[] = [];
  for (let i = 0; i < fileParts.length; i++) {
    const part = fileParts[i]!;
    if (part.filename === null) {
      return apiError(400, "bad_request", t("resident.errors.badRequest"));
    }
    const chunks = splitChunks(part.data);
    if (!chunks) return apiError(400, "bad_request", t("resident.errors.badRequest"));
    files.push({ header: meta.files[i]!.header, chunks });
  }

  const tip: IncomingTip = {
    targetDistrictId: meta.district,
    unitId: meta.unit,
    category: meta.category,
    receiptAuthHash: meta.receiptAuthHash,
    tipsterPublicKey: meta.tipsterPublicKey,
    tipsterEnvelope: meta.tipsterEnvelope,
    payload: meta.payload,
    envelopes: meta.envelopes,
    identity: meta.identity,
    onlyOutsiders: meta.onlyOutsiders,
    submittedVia: "js",
  };

  // Verified here, spent in the transaction that stores the tip (one durable commit per report).
  const pow = await checkPowUnspent(context.db, context.env, meta.pow.challenge, meta.pow.solution);
  if (!pow.ok) return powRefused(pow.code);
  if (!reportSubmissions.hit(context.clientKey)) return tooMany();

  const result = await submitEncryptedReport(
    context.db,
    context.env,
    tip,
    files,
    undefined,
    pow.token,
  );
  // Refused, or an identical retry of a stored tip: the proof of work is spent all the same.
  if (!(result.ok ? result.powSpent : result.code === "pow_replayed")) {
    await spendPowAlone(context.db, pow.token);
  }
  if (!result.ok) {
    if (result.code === "pow_replayed") return powRefused("replayed");
    return apiError(STATUS[result.code], result.code, submitErrorMessage(t, locale, result.code));
  }
  return created(result);

  async function powRefused(code: "expired" | "replayed" | "invalid") {
    // A retry after a lost answer re-sends the spent proof of work with the same ciphertext.
    const stored = code === "replayed" ? await findStoredCopy(context.db, tip) : null;
    if (stored) return created(stored);
    const key =
      code === "expired"
        ? "resident.errors.powExpired"
        : code === "replayed"
          ? "resident.errors.powReplayed"
          : "resident.errors.powInvalid";
    return apiError(400, `pow_${code}`, t(key));
  }
}

/**
 * 201 after the commit — the same answer for a first success and for an identical retry: the
 * stored tip's id (never the receipt, which the server does not have), so a client or a test can
 * tell which tip an acknowledgement stands for, and the two promised dates.
 */
function created(r: { tipId: string; acknowledgeBy: Date; feedbackBy: Date }): PlainAnswer {
  return jsonAnswer(
    {
      ok: true,
      tipId: r.tipId,
      acknowledgeBy: r.acknowledgeBy.toISOString(),
      feedbackBy: r.feedbackBy.toISOString(),
    },
    201,
    NO_STORE,
  );
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
