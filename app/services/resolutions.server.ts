/**
 * Resolutions (issue 9 item 3): a refund, recovery, rectification, sanction or policy change that
 * settles a finding — amount in integer fen, beneficiaries, date, evidence files encrypted in the
 * browser like tip attachments (their keys travel in the sealed details), and a message to every
 * linked tipster through the cases' status path (status "resolved").
 */
import { and, asc, eq } from "drizzle-orm";
import { withTx, type Db } from "../../db/client";
import {
  type FINDING_STATUSES,
  type RESOLUTION_KINDS,
  resolutionFileChunks,
  resolutionFiles,
  resolutions,
  findings,
} from "../../db/schema";
import { appendAudit } from "./audit.server";
import { checkAttachments, type IncomingAttachment } from "./attachments.server";
import { b64u, newRowId, setStatus } from "./cases.server";
import { FindingError, checkSealed, requireFinding } from "./findings.server";
import { checkTipsterMessages, type TipsterMessage } from "./clues.server";
import type { StaffSession } from "./sessions.server";

export interface NewResolution {
  kind: (typeof RESOLUTION_KINDS)[number];
  amountFen: number | null;
  beneficiaries: number | null;
  resolvedAt: Date;
  details: Uint8Array;
  files: IncomingAttachment[];
  findingStatus: Exclude<(typeof FINDING_STATUSES)[number], "open" | "transferred">;
  tipMessages: TipsterMessage[];
}

export async function createResolution(
  db: Db,
  session: StaffSession,
  findingId: string,
  input: NewResolution,
  now = new Date(),
): Promise<string> {
  await requireFinding(db, session, findingId, ["team"], now);
  checkSealed(input.details, "note");
  if (input.amountFen !== null && (!Number.isSafeInteger(input.amountFen) || input.amountFen < 0)) {
    throw new FindingError("bad_input");
  }
  if (input.resolvedAt.getTime() > now.getTime() + 86_400_000) throw new FindingError("bad_input");
  const files = checkAttachments(input.files);
  if (!files.ok) throw new FindingError("bad_ciphertext");
  await checkTipsterMessages(db, session, findingId, input.tipMessages, now);
  const id = newRowId("rs");
  await withTx(db, async (tx) => {
    await tx.insert(resolutions).values({
      id,
      findingId,
      kind: input.kind,
      amountFen: input.amountFen,
      beneficiaries: input.beneficiaries,
      details: Buffer.from(input.details),
      resolvedAt: input.resolvedAt,
      verification: "pending",
      createdBy: session.staff.id,
      createdAt: now,
    });
    for (const f of input.files) {
      const fileId = newRowId("rf");
      await tx.insert(resolutionFiles).values({
        id: fileId,
        resolutionId: id,
        header: Buffer.from(f.header),
        chunkCount: f.chunks.length,
        ciphertextSize: f.chunks.reduce((a, c) => a + c.length, 0),
        createdAt: now,
      });
      await tx
        .insert(resolutionFileChunks)
        .values(f.chunks.map((data, idx) => ({ fileId, idx, data: Buffer.from(data) })));
    }
    await tx
      .update(findings)
      .set({ status: input.findingStatus, updatedAt: now })
      .where(eq(findings.id, findingId));
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "finding.resolve",
      objectType: "finding",
      objectId: findingId,
      detail: {
        resolution: id,
        kind: input.kind,
        amountFen: input.amountFen,
        beneficiaries: input.beneficiaries,
        files: input.files.length,
      },
      at: now,
    });
    for (const m of input.tipMessages) {
      await setStatus(
        tx,
        session,
        m.tipId,
        { status: "resolved", message: { forTipster: m.forTipster, teamCopy: m.teamCopy } },
        now,
      );
    }
  });
  return id;
}

/** One evidence file (header and chunks), for the finding's team and office. */
export async function loadEvidence(
  db: Db,
  session: StaffSession,
  findingId: string,
  fileId: string,
  now = new Date(),
) {
  await requireFinding(db, session, findingId, ["team", "office"], now);
  const file = (
    await db
      .select({ id: resolutionFiles.id, header: resolutionFiles.header })
      .from(resolutionFiles)
      .innerJoin(resolutions, eq(resolutions.id, resolutionFiles.resolutionId))
      .where(and(eq(resolutionFiles.id, fileId), eq(resolutions.findingId, findingId)))
      .limit(1)
  )[0];
  if (!file) throw new Response(null, { status: 404 });
  const chunks = await db
    .select({ data: resolutionFileChunks.data })
    .from(resolutionFileChunks)
    .where(eq(resolutionFileChunks.fileId, file.id))
    .orderBy(asc(resolutionFileChunks.idx));
  await withTx(db, (tx) =>
    appendAudit(tx, {
      actorId: session.staff.id,
      action: "finding.evidence.read",
      objectType: "finding",
      objectId: findingId,
      detail: { file: file.id },
      at: now,
    }),
  );
  return { header: b64u(file.header), chunks: chunks.map((c) => b64u(c.data)) };
}

/** Evidence files of a finding's resolutions (ids and headers only). */
export async function evidenceIndex(db: Db, findingId: string) {
  const rows = await db
    .select({
      id: resolutionFiles.id,
      resolutionId: resolutionFiles.resolutionId,
      header: resolutionFiles.header,
      size: resolutionFiles.ciphertextSize,
    })
    .from(resolutionFiles)
    .innerJoin(resolutions, eq(resolutions.id, resolutionFiles.resolutionId))
    .where(eq(resolutions.findingId, findingId));
  return rows.map((r) => ({ ...r, header: b64u(r.header) }));
}
