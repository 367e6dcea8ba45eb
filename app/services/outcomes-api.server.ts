/**
 * The JSON boundary of the outcomes area (api.staff.findings.*, api.staff.clues.*, look-back):
 * zod schemas for every request body, and one wrapper that turns the services' coded errors into
 * localized `{ error: { code, message } }` responses with a 4xx status (never a 500).
 */
import { z } from "zod";
import {
  CATEGORIES,
  CORRUPTION_TYPES,
  FINDING_STATUSES,
  RECTIFICATION_VERDICTS,
  RESOLUTION_KINDS,
  TRANSFER_OUTCOMES,
} from "../../db/schema";
import { ATTACHMENT_CHUNK_BYTES } from "../../crypto/index";
import { serverT } from "../i18n/messages.server";
import { MAX_RESOLUTION_EVIDENCE_BYTES, MAX_RESOLUTION_FILES } from "../shared/evidence";
import type { MessageKey } from "../i18n/types";
import { caseApiError, handleCaseApi, readCaseJson } from "./cases.server";
import { b64urlField } from "./http.server";
import { FindingError, FINDING_ID, type FindingErrorCode } from "./findings.server";
import type { Permission } from "./permissions.server";
import type { StaffSession } from "./sessions.server";
import type { Db } from "../../db/client";
import type { Env } from "../env.server";

/** A binary field of at most `max` bytes, strict base64url (docs/crypto.md §2). */
const b64 = (max: number) => b64urlField({ max });
const id = z.string().min(1).max(80);
const envelope = z.object({ staffKeyId: id, envelope: b64(200) });
const tipMessage = z.object({ tipId: id, forTipster: b64(90_000), teamCopy: b64(90_000) });
const note = b64(90_000).nullable().default(null);
const fenAmount = z.number().int().min(0).max(1_000_000_000_000).nullable().default(null);
const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const NewFindingBody = z.object({
  id: z.string().regex(FINDING_ID),
  stationingId: id,
  unitId: id.nullable().default(null),
  category: z.enum(CATEGORIES),
  corruptionType: z.enum(CORRUPTION_TYPES).nullable().default(null),
  keyMinority: z.boolean().default(false),
  amountInvolvedFen: fenAmount,
  immediateRectification: z.boolean().default(false),
  rectifiedAt: isoDate.nullable().default(null),
  body: b64(1_500_000),
  envelopes: z.array(envelope).max(256),
});

export const FindingUpdateBody = z.discriminatedUnion("op", [
  z.object({ op: z.literal("status"), status: z.enum(FINDING_STATUSES) }),
  z.object({ op: z.literal("body"), body: b64(1_500_000) }),
]);

export const LinkBody = z.object({ op: z.enum(["link", "unlink"]), tipId: id });

export const TransferBody = z.object({
  bodyId: id,
  reference: z.string().trim().max(120).nullable().default(null),
  note,
  envelopes: z.array(envelope).max(256),
  tipMessages: z.array(tipMessage).max(500),
});

const file = z.object({ header: b64(2_000), chunks: z.array(b64(90_000)).min(1).max(160) });

export const ResolutionBody = z.object({
  kind: z.enum(RESOLUTION_KINDS),
  amountFen: fenAmount,
  beneficiaries: z.number().int().min(0).max(100_000_000).nullable().default(null),
  resolvedAt: isoDate,
  details: b64(90_000),
  files: z
    .array(file)
    .max(MAX_RESOLUTION_FILES)
    .default([])
    // Every chunk but a file's last is full (64 KiB): the chunk count bounds the bytes.
    .refine(
      (fs) =>
        fs.reduce((n, f) => n + f.chunks.length - 1, 0) <=
        MAX_RESOLUTION_EVIDENCE_BYTES / ATTACHMENT_CHUNK_BYTES,
    ),
  findingStatus: z.enum(["rectifying", "closed"]).default("closed"),
  tipMessages: z.array(tipMessage).max(500),
});

export const NotifyBody = z.object({ tipMessages: z.array(tipMessage).min(1).max(500) });

export const OutcomeBody = z.object({
  outcome: z.enum(TRANSFER_OUTCOMES).exclude(["pending"]),
  note,
});

export const LookBackBody = z.discriminatedUnion("op", [
  z.object({ op: z.literal("open") }),
  z.object({
    op: z.literal("check"),
    findingId: id,
    problemConfirmed: z.boolean(),
    rectification: z.enum(RECTIFICATION_VERDICTS),
    note,
  }),
]);

const STATUS: Record<FindingErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  bad_input: 400,
  outcome_order: 409,
  bad_ciphertext: 400,
  missing_readers: 409,
  no_receivers: 409,
  missing_tipsters: 409,
  wrong_district: 400,
  already_open: 409,
  not_transferred: 403,
};

const MESSAGE: Record<FindingErrorCode, MessageKey> = {
  not_found: "outcomes.errors.notFound",
  forbidden: "outcomes.errors.forbidden",
  bad_input: "outcomes.errors.badInput",
  outcome_order: "outcomes.errors.outcomeOrder",
  bad_ciphertext: "outcomes.errors.badCiphertext",
  missing_readers: "outcomes.errors.missingReaders",
  no_receivers: "outcomes.errors.noReceivers",
  missing_tipsters: "outcomes.errors.missingTipsters",
  wrong_district: "outcomes.errors.wrongDistrict",
  already_open: "outcomes.errors.alreadyOpen",
  not_transferred: "outcomes.errors.notTransferred",
};

/** For the outcomes pages' form actions: a service's coded error as a localized 4xx Response. */
export function findingErrorResponse(err: unknown, request: Request): unknown {
  if (!(err instanceof FindingError)) return err;
  const { t } = serverT(request);
  return new Response(t(MESSAGE[err.code]), {
    status: STATUS[err.code],
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/**
 * `handleCaseApi` (sign-in, permission, CSRF, thrown Responses) plus the outcomes' own errors and
 * a zod-parsed JSON body for writes: a malformed body is a localized 400.
 */
export function handleOutcomesApi<S extends z.ZodType>(
  args: { request: Request; context: { db: Db; env: Env } },
  permission: Permission,
  schema: S | null,
  fn: (session: StaffSession, body: z.output<S>) => unknown,
): Promise<Response> {
  const { t } = serverT(args.request);
  return handleCaseApi(args, permission, async (session) => {
    let body = undefined as z.output<S>;
    if (schema) {
      const parsed = schema.safeParse(await readCaseJson(args.request, 12_000_000));
      if (!parsed.success) return caseApiError(400, "bad_input", t(MESSAGE.bad_input));
      body = parsed.data;
    }
    try {
      return await fn(session, body);
    } catch (err) {
      if (err instanceof FindingError) {
        return caseApiError(STATUS[err.code], err.code, t(MESSAGE[err.code]));
      }
      throw err;
    }
  });
}

/** The office outcomes page's POST forms. */
export const OfficeOutcomeForm = z.discriminatedUnion("op", [
  z.object({
    op: z.enum(["approve", "withdraw", "open"]),
    roundId: id,
    districtId: id.optional(),
    csrf: z.string().optional(),
  }),
  // One look-back check from the office's worklist (no note: a note is sealed, so needs the API).
  z.object({
    op: z.literal("check"),
    roundId: id,
    districtId: id.optional(),
    page: z.coerce.number().int().min(1).max(10_000).optional(),
    findingId: id,
    problemConfirmed: z.enum(["yes", "no"]),
    rectification: z.enum(RECTIFICATION_VERDICTS),
    csrf: z.string().optional(),
  }),
]);
