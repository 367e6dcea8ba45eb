/**
 * The report flow on the server (docs/decisions/005-report-submission.md):
 *
 * - `reportPage` — what /report shows: the district list, or one district with its units and
 *   "who will be able to read this" (team, home district, window, key fingerprints, office notice),
 *   computed by the same routing rule that later accepts the tip.
 * - `submitEncryptedReport` — JavaScript path: the browser already sealed everything; the server
 *   checks the shapes and stores tip, envelopes and files in ONE transaction (acceptTip re-checks
 *   the readers), and answers only after the commit.
 * - `submitPlainReport` — no-JavaScript path: the server generates the receipt, derives its keys,
 *   strips photo metadata and seals the same payload with the same functions, in memory only.
 */
import { z } from "zod";
import {
  authLookupHash,
  base64urlEncode,
  deriveReceiptKeys,
  formatReceipt,
  KEY_ENVELOPE_BYTES,
  TAG,
  generateReceipt,
  parseReceipt,
  sealTip,
} from "../../crypto/index";
import * as cryptoApi from "../../crypto/index";
import { isLowOrderPublicKeyByList } from "../../crypto/public-key-check.server";
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { staffKeys, staffUsers } from "../../db/schema";
import type { T } from "../i18n/translate";
import type { Locale } from "../i18n/types";
import {
  MAX_REPORT_FILE_BYTES,
  MAX_REPORT_FILES,
  MAX_REPORT_TOTAL_BYTES,
  buildIdentityBlock,
  buildReportPayload,
  type IdentityFields,
  type ReportFields,
  type ReportFileRef,
  checkConfirmation,
  type ConfirmProblems,
} from "../client/report/model";
import type { Env } from "../env.server";
import { districtOverview, listZonesWithDistricts } from "./directory.server";
import { orderedJurisdictions } from "./public-home.server";
import { encryptEvidence } from "../shared/evidence";
import { checkAttachments, type IncomingAttachment } from "./attachments.server";
import { noteSubmission, type PowToken } from "./pow.server";
import { countLocalMembersExcluded } from "./routing.server";
import { rosterReaders } from "./rosters.server";
import type { SignedRosterWire } from "../shared/roster-trust";
import { approvalWire, type ApprovalWire } from "./staff-keys.server";
import {
  acceptTip,
  routeTip,
  sealedParts,
  type AcceptTipResult,
  type IncomingTip,
} from "./tips.server";

// ---------------------------------------------------------------- the page

export interface Named {
  id: string;
  nameZh: string;
  nameEn: string;
}

export interface DistrictChoice {
  jurisdiction: Named;
  zones: { zone: Named | null; districts: Named[] }[];
}

/**
 * One reader key as the browser needs it to check the office's approval itself before sealing
 * (DESIGN §4): the signed tuple, the signature, and that office's public key from configuration.
 */
export interface PanelReader {
  staffKeyId: string;
  boxPublicKey: string;
  fingerprint: string;
  role: string | null;
  approval: ApprovalWire | null;
}

export interface ReaderPanel {
  /** "team": the stationed team reads it; "office": nobody stationed, the city office reads it. */
  routedTo: "team" | "office";
  teams: {
    nameZh: string;
    nameEn: string;
    homeZh: string | null;
    homeEn: string | null;
    startsAt: string;
    endsAt: string;
  }[];
  readers: PanelReader[];
  /**
   * The office-signed rosters listing these readers (ADR 017): the browser seals only to a key a
   * roster lists for this district, checked under the office key compiled into the build.
   */
  rosters: SignedRosterWire[];
  /** Members of the stationed teams left out because they live in this district. */
  localsExcluded: number;
}

export interface ReportPageDistrict {
  district: Named;
  jurisdiction: Named;
  units: (Named & { kind: string })[];
  /** null: nobody can read a report about this district right now. */
  panel: ReaderPanel | null;
}

const named = (r: Named): Named => ({ id: r.id, nameZh: r.nameZh, nameEn: r.nameEn });

/** The same jurisdictions, zones and order as the home page (public-home.server). */
export async function districtChoices(db: Db): Promise<DistrictChoice[]> {
  const groups = await listZonesWithDistricts(db);
  return (await orderedJurisdictions(db)).map((j) => ({
    jurisdiction: named(j),
    zones: groups
      .filter((g) => g.jurisdictionId === j.id)
      .map((g) => ({
        zone: g.zone ? named(g.zone) : null,
        districts: g.districts.map(named),
      })),
  }));
}

/**
 * The report page for one district. With `unitId` (a unit of that district the resident chose),
 * the readers are those of a tip about that unit: members recused from the unit are left out.
 * null: unknown district, or a unit that is not one of the district's.
 */
export async function reportPageDistrict(
  db: Db,
  env: Env,
  districtId: string,
  now = new Date(),
  unitId: string | null = null,
): Promise<ReportPageDistrict | null> {
  const overview = await districtOverview(db, districtId, now);
  if (!overview) return null;
  if (unitId !== null && !overview.units.some((u) => u.id === unitId)) return null;
  const route = await routeTip(db, env, districtId, now, unitId);
  const panel: ReaderPanel | null = route.ok
    ? {
        routedTo: route.routedTo,
        teams: route.stationings.map((s) => ({
          nameZh: s.teamNameZh,
          nameEn: s.teamNameEn,
          homeZh: s.teamHomeDistrictNameZh,
          homeEn: s.teamHomeDistrictNameEn,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
        })),
        readers: await Promise.all(
          route.recipients.map(async (r) => ({
            staffKeyId: r.staffKeyId,
            boxPublicKey: base64urlEncode(new Uint8Array(r.boxPublicKey)),
            fingerprint: r.fingerprint,
            role: r.teamRole,
            approval: await approvalFor(db, env, r.staffId, r.staffKeyId),
          })),
        ),
        rosters: (await rosterReaders(db, districtId, now)).wires,
        localsExcluded: await countLocalMembersExcluded(db, districtId, now),
      }
    : null;
  return {
    district: named(overview.district),
    jurisdiction: named(overview.jurisdiction),
    units: overview.units.map((u) => ({ ...named(u), kind: u.kind })),
    panel,
  };
}

// ---------------------------------------------------------------- messages

/** "10 MB" in the resident's language. */
export function formatSize(locale: Locale, bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return (
    new Intl.NumberFormat(locale, { maximumFractionDigits: mb < 10 ? 1 : 0 }).format(mb) + " MB"
  );
}

/** The localized message for a refused submission. */
export function submitErrorMessage(
  t: T,
  locale: Locale,
  code: Extract<SubmitResult, { ok: false }>["code"],
): string {
  switch (code) {
    case "unknown_district":
      return t("resident.errors.chooseDistrict");
    case "unknown_unit":
      return t("resident.errors.unknownUnit");
    case "no_reader":
      return t("resident.errors.noReader");
    case "recipients_changed":
      return t("resident.errors.recipientsChanged");
    case "duplicate_receipt":
      return t("resident.errors.duplicate");
    case "too_many_files":
      return t("resident.errors.tooManyFiles", { max: MAX_REPORT_FILES });
    case "file_too_large":
      return t("resident.errors.oneFileTooLarge", {
        max: formatSize(locale, MAX_REPORT_FILE_BYTES),
      });
    case "too_large":
      return t("resident.errors.filesTooLarge", {
        max: formatSize(locale, MAX_REPORT_TOTAL_BYTES),
      });
    case "bad_ciphertext":
      return t("resident.errors.badRequest");
    case "pow_replayed":
      return t("resident.errors.powReplayed");
  }
}

// ---------------------------------------------------------------- storing

export type SubmitResult =
  | { ok: true; tipId: string; acknowledgeBy: Date; feedbackBy: Date; powSpent?: boolean }
  | {
      ok: false;
      code:
        | Extract<AcceptTipResult, { ok: false }>["code"]
        | "too_many_files"
        | "file_too_large"
        | "too_large"
        | "bad_ciphertext";
    };

/** Tags and sizes of what the browser sealed (the server cannot open it, but can refuse junk). */
function tipShapeOk(tip: IncomingTip): boolean {
  const envelopeOk = (e: Uint8Array) =>
    e.length === KEY_ENVELOPE_BYTES && e[0] === TAG.KEY_ENVELOPE_V1;
  return (
    tip.tipsterPublicKey.length === 32 &&
    // Staff replies are boxed to this key: a low-order one would make them public. A fresh key
    // each report, so no remembered verdict helps: compared with the complete list (crypto/).
    !isLowOrderPublicKeyByList(tip.tipsterPublicKey) &&
    envelopeOk(tip.tipsterEnvelope) &&
    tip.payload.length > 41 &&
    tip.payload[0] === TAG.TIP_PAYLOAD_V1 &&
    tip.envelopes.every((e) => envelopeOk(e.envelope)) &&
    (tip.identity === null ||
      (tip.identity.ciphertext[0] === TAG.IDENTITY_V1 &&
        tip.identity.envelopes.every((e) => envelopeOk(e.envelope))))
  );
}

/**
 * Tip + envelopes + files in one transaction; resolves after the durable commit. With
 * `powToken`, the report's proof of work is spent in that transaction (acceptTip); `powSpent`
 * says whether it was (false: refused, or an identical retry — the caller spends it itself).
 */
export async function submitEncryptedReport(
  db: Db,
  env: Env,
  tip: IncomingTip,
  files: IncomingAttachment[],
  now = new Date(),
  powToken: PowToken | null = null,
): Promise<SubmitResult> {
  if (!tipShapeOk(tip)) return { ok: false, code: "bad_ciphertext" };
  const check = checkAttachments(files);
  if (!check.ok) return check;
  // One transaction inside acceptTip: the tip and its files commit together or not at all.
  const result = await acceptTip(db, env, tip, now, files, powToken);
  if (!result.ok) return result;
  // An identical retry of a stored tip (findStoredCopy) is not a new submission.
  if (!result.alreadyStored) noteSubmission(now.getTime());
  return {
    ok: true,
    tipId: result.tipId,
    acknowledgeBy: result.acknowledgeBy,
    feedbackBy: result.feedbackBy,
    powSpent: powToken !== null && !result.alreadyStored,
  };
}

export interface PlainFile {
  name: string;
  type: string;
  data: Uint8Array;
}

export type PlainSubmitResult =
  | { ok: true; receipt: string; acknowledgeBy: Date; feedbackBy: Date }
  | Extract<SubmitResult, { ok: false }>;

/**
 * No-JavaScript path. Everything the resident typed exists only in this function's memory: it is
 * sealed to the same readers with the same functions the browser uses, and the receipt is
 * returned to be shown once. Nothing here is logged or written in clear.
 */
export async function submitPlainReport(
  db: Db,
  env: Env,
  fields: ReportFields,
  identity: IdentityFields | null,
  onlyOutsiders: boolean,
  plainFiles: PlainFile[],
  now = new Date(),
): Promise<PlainSubmitResult> {
  const route = await routeTip(db, env, fields.district, now, fields.unit);
  if (!route.ok) return { ok: false, code: route.reason };
  const receipt = generateReceipt();
  const keys = await deriveReceiptKeys(receipt, env.receiptSalt);
  try {
    const refs: ReportFileRef[] = [];
    const files: IncomingAttachment[] = [];
    for (const f of plainFiles) {
      const enc = encryptEvidence(cryptoApi, f);
      refs.push(enc.ref);
      files.push({ header: enc.header, chunks: enc.chunks });
    }
    const sealed = sealTip({
      payload: buildReportPayload(fields, refs),
      identity: buildIdentityBlock(identity),
      recipients: route.recipients.map((r) => ({
        id: r.staffKeyId,
        boxPublicKey: new Uint8Array(r.boxPublicKey),
      })),
      tipsterPublicKey: keys.boxPublicKey,
    });
    const result = await submitEncryptedReport(
      db,
      env,
      {
        targetDistrictId: fields.district,
        unitId: fields.unit,
        category: fields.category,
        receiptAuthHash: authLookupHash(keys.authSecret),
        tipsterPublicKey: keys.boxPublicKey,
        ...sealedParts(sealed),
        onlyOutsiders,
        submittedVia: "nojs",
      },
      files,
      now,
    );
    if (!result.ok) return result;
    return {
      ok: true,
      receipt: formatReceipt(receipt),
      acknowledgeBy: result.acknowledgeBy,
      feedbackBy: result.feedbackBy,
    };
  } finally {
    keys.authSecret.fill(0);
    keys.boxSecretKey.fill(0);
  }
}

// ---------------------------------------------------------------- no-JS receipt confirmation

/** The site's receipt salt for the page (the browser derives the receipt keys with it). */
export function receiptSaltForReport(env: Env): string {
  return base64urlEncode(env.receiptSalt);
}

const Confirm = z.object({
  receipt: z.string().max(40),
  acknowledgeBy: z.iso.datetime(),
  feedbackBy: z.iso.datetime(),
  last4: z.string().max(20).default(""),
  written: z.literal("yes").optional(),
});

/**
 * The no-JS receipt page's confirmation step ("I have written it down" + last 4 digits). The
 * page carries the receipt back in the form body: on this path the server made the receipt, so
 * this reveals nothing new, and nothing of it is stored.
 */
export function checkReceiptConfirmation(fields: Record<string, unknown>):
  | { ok: false }
  | {
      ok: true;
      receipt: string;
      acknowledgeBy: string;
      feedbackBy: string;
      problems: ConfirmProblems;
    } {
  const parsed = Confirm.safeParse(fields);
  if (!parsed.success) return { ok: false };
  const c = parsed.data;
  let receipt: string;
  try {
    receipt = formatReceipt(parseReceipt(c.receipt));
  } catch {
    return { ok: false };
  }
  return {
    ok: true,
    receipt,
    acknowledgeBy: c.acknowledgeBy,
    feedbackBy: c.feedbackBy,
    problems: checkConfirmation(c.written === "yes", c.last4, receipt.replace(/\D/g, "")),
  };
}

/** The office approval of one reader key, as signed, with the office key from configuration. */
async function approvalFor(
  db: Db,
  env: Env,
  staffId: string,
  staffKeyId: string,
): Promise<PanelReader["approval"]> {
  const row = (
    await db
      .select({ key: staffKeys, jurisdictionId: staffUsers.jurisdictionId })
      .from(staffKeys)
      .innerJoin(staffUsers, eq(staffUsers.id, staffKeys.staffId))
      .where(and(eq(staffKeys.id, staffKeyId), eq(staffKeys.staffId, staffId)))
      .limit(1)
  )[0];
  return row ? approvalWire(env, staffId, row.jurisdictionId, row.key) : null;
}
