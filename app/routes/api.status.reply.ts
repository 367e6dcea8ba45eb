/**
 * POST /api/status/reply — the tipster answers the team (JavaScript path). The body and any
 * evidence files were encrypted in the browser (sealTipsterMessage, encryptAttachment with the
 * file keys inside the sealed body); the server checks the auth secret, a single-use proof of work
 * and the ciphertext shapes, then stores them. It cannot read any of it.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { serverT } from "~/i18n/messages.server";
import { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from "~/client/status/model";
import { b64urlField } from "~/services/http.server";
import { StorageUnavailableError } from "~/services/storage.server";
import {
  apiError,
  checkReply,
  findCaseByAuthSecret,
  issueReplyChallenge,
  JS_LOOKUP_FLOOR_MS,
  MAX_REPLY_CIPHERTEXT,
  NO_STORE,
  padToFloor,
  readJson,
  recordTipsterReply,
  statusReplies,
  verifyReplyPow,
} from "~/services/tipster.server";

/** Proof-of-work strings stay text: `verifyPow` decodes them strictly itself. */
const powText = (max: number) => z.string().max(max);

const ReplyRequest = z.object({
  authSecret: b64urlField({ bytes: 32 }),
  body: b64urlField({ max: MAX_REPLY_CIPHERTEXT }),
  files: z
    .array(
      z.object({
        header: b64urlField({ max: 1536 }),
        chunks: z
          .array(b64urlField({ max: 65_625 }))
          .min(1)
          .max(200),
      }),
    )
    .max(MAX_EVIDENCE_FILES)
    .default([]),
  pow: z.object({ challenge: powText(200), solution: powText(32) }),
});

/** base64 of the largest allowed evidence plus the message and framing. */
const MAX_REQUEST_BYTES = Math.ceil((MAX_EVIDENCE_BYTES * 4) / 3) + 512 * 1024;

export async function action(args: ActionFunctionArgs) {
  try {
    return await reply(args);
  } catch (err) {
    // The database cannot take writes: nothing of the reply was stored.
    if (!(err instanceof StorageUnavailableError)) throw err;
    const { t } = serverT(args.request);
    return apiError(503, "storage_unavailable", t("tipster.errors.storageUnavailable"), {
      "Retry-After": "60",
    });
  }
}

async function reply({ request, context }: ActionFunctionArgs) {
  const started = Date.now();
  const { t, locale } = serverT(request);
  if (!statusReplies.hit(context.clientKey)) {
    const minutes = statusReplies.retryAfterMinutes(context.clientKey);
    return apiError(429, "rate_limited", t("tipster.errors.tooMany", { minutes }), {
      "Retry-After": String(minutes * 60),
    });
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  const size = new Intl.NumberFormat(locale).format(MAX_EVIDENCE_BYTES / 1024 / 1024) + " MB";
  if (declared > MAX_REQUEST_BYTES) {
    return apiError(413, "too_large", t("tipster.errors.filesTooLarge", { size }));
  }
  const parsed = ReplyRequest.safeParse(await readJson(request, MAX_REQUEST_BYTES));
  if (!parsed.success) return apiError(400, "bad_request", t("tipster.errors.badRequest"));
  const req = parsed.data;

  const powOk = await verifyReplyPow(context.db, context.env, req.pow.challenge, req.pow.solution);
  if (!powOk) return apiError(400, "pow_failed", t("tipster.errors.powFailed"));

  const found = await findCaseByAuthSecret(context.db, req.authSecret);
  if (!found) {
    await padToFloor(started, JS_LOOKUP_FLOOR_MS);
    return apiError(404, "not_found", t("tipster.errors.notFound"));
  }
  const body = req.body;
  const evidence = req.files;
  const check = checkReply(body, evidence);
  if (!check.ok) {
    if (check.code === "too_many_files") {
      return apiError(
        400,
        check.code,
        t("tipster.errors.tooManyFiles", { max: MAX_EVIDENCE_FILES }),
      );
    }
    if (check.code === "too_large") {
      return apiError(413, check.code, t("tipster.errors.filesTooLarge", { size }));
    }
    return apiError(400, check.code, t("tipster.errors.badRequest"));
  }
  const now = new Date();
  const { messageId, attachmentIds } = await recordTipsterReply(
    context.db,
    found.tipId,
    body,
    evidence,
    now,
  );
  return Response.json(
    {
      message: { id: messageId, at: now.toISOString(), attachmentIds },
      pow: issueReplyChallenge(context.env),
    },
    { status: 201, headers: NO_STORE },
  );
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
