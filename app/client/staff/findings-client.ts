/**
 * The findings pages' browser side: open finding bodies with the unlocked key; seal new findings,
 * edits, transfer notes, resolution details and the messages to linked tipsters before anything
 * leaves the browser; check every reader's office approval before sealing to it (DESIGN §4).
 */
import type {
  FindingKeys,
  JsonObject,
  StaffKeys,
  StaffMessageContext,
  StaffTipKeys,
} from "../../../crypto/index";
import {
  encryptEvidence,
  MAX_RESOLUTION_EVIDENCE_BYTES,
  MAX_RESOLUTION_FILES,
} from "../../shared/evidence";
import { approvalContent } from "../../shared/approvals";
import { fileWithHead, firstRefusedFile } from "../../shared/file-types";
import { staffApi } from "./api";
import type { OpenedCase } from "./case-client";
import { loadCrypto, unlockedKey } from "./key-store";

/** An evidence file's name, type, size and key, as the case page's Evidence list takes them. */
export type EvidenceRef = OpenedCase["files"][string];

export interface ReaderWire {
  staffKeyId: string;
  boxPublicKey: string;
  fingerprint: string;
  displayName: string;
  approval: {
    memberId: string;
    /** v2 approvals also cover the member's signing key */
    signPublicKey?: string | null;
    homeDistrictId: string;
    validUntilMs: number;
    signature: string;
    officeKey: string;
  } | null;
}

export class FindingClientError extends Error {
  constructor(readonly code: "unverified" | "bad" | "network") {
    super(code);
  }
}

export interface FindingBody {
  title: string;
  narrative: string;
  people: { name: string; role: string }[];
}

function asBody(o: JsonObject): FindingBody {
  const people = Array.isArray(o.people)
    ? (o.people as JsonObject[]).map((p) => ({
        name: String(p.name ?? ""),
        role: String(p.role ?? ""),
      }))
    : [];
  return { title: String(o.title ?? ""), narrative: String(o.narrative ?? ""), people };
}

/** Opens many finding bodies at once; ids whose envelope is missing or broken are left out. */
export async function openFindings(
  staff: StaffKeys,
  items: { id: string; body: string; envelope: string | null }[],
): Promise<Record<string, { body: FindingBody; keys: FindingKeys }>> {
  const c = await loadCrypto();
  const withEnvelope = items.filter((i) => i.envelope);
  const results = await c.openFindingsAsStaff(
    withEnvelope.map((i) => ({
      findingId: i.id,
      body: c.base64urlDecode(i.body),
      envelope: c.base64urlDecode(i.envelope!),
    })),
    staff.boxSecretKey,
  );
  const out: Record<string, { body: FindingBody; keys: FindingKeys }> = {};
  results.forEach((r, n) => {
    if (r.ok) out[withEnvelope[n]!.id] = { body: asBody(r.value.body), keys: r.value.keys };
  });
  return out;
}

/** Throws `unverified` unless every reader's key carries a valid office approval. */
async function checkReaders(readers: readonly ReaderWire[]): Promise<void> {
  const c = await loadCrypto();
  for (const r of readers) {
    const a = r.approval;
    if (!a) throw new FindingClientError("unverified");
    try {
      c.verifyStaffKeyApproval(
        approvalContent(c, a, r.boxPublicKey),
        c.base64urlDecode(a.signature),
        c.base64urlDecode(a.officeKey),
        Date.now(),
      );
    } catch {
      throw new FindingClientError("unverified");
    }
  }
}

export interface NewFindingFields {
  stationingId: string;
  unitId: string | null;
  category: string;
  corruptionType: string | null;
  keyMinority: boolean;
  amountInvolvedFen: number | null;
  immediateRectification: boolean;
  rectifiedAt: string | null;
  body: FindingBody;
}

export async function createFinding(csrf: string, fields: NewFindingFields): Promise<string> {
  const c = await loadCrypto();
  const { readers } = await staffApi<{ readers: ReaderWire[] }>(
    `/api/staff/findings?stationingId=${encodeURIComponent(fields.stationingId)}`,
    csrf,
  );
  await checkReaders(readers);
  const id = `fd_${c.base64urlEncode(c.systemRandom(16))}`;
  const sealed = c.sealFinding({
    findingId: id,
    body: { v: 1, ...fields.body },
    recipients: readers.map((r) => ({
      id: r.staffKeyId,
      boxPublicKey: c.base64urlDecode(r.boxPublicKey),
    })),
  });
  await staffApi("/api/staff/findings", csrf, {
    id,
    stationingId: fields.stationingId,
    unitId: fields.unitId,
    category: fields.category,
    corruptionType: fields.corruptionType,
    keyMinority: fields.keyMinority,
    amountInvolvedFen: fields.amountInvolvedFen,
    immediateRectification: fields.immediateRectification,
    rectifiedAt: fields.rectifiedAt,
    body: c.base64urlEncode(sealed.body),
    envelopes: sealed.envelopes.map((e) => ({
      staffKeyId: e.recipientId,
      envelope: c.base64urlEncode(e.envelope),
    })),
  });
  return id;
}

/** The tip keys and tipster key of each linked tip, from the case API (needs my envelope). */
async function tipKeys(
  staff: StaffKeys,
  csrf: string,
  tipIds: string[],
): Promise<{ tipId: string; keys: StaffTipKeys; tipsterPublicKey: Uint8Array }[]> {
  const c = await loadCrypto();
  const out = [];
  for (const tipId of tipIds) {
    const wire = await staffApi<{ ciphertext: { envelope: string; tipsterPublicKey: string } }>(
      `/api/staff/tips/${encodeURIComponent(tipId)}`,
      csrf,
    );
    const keys = c.openTipKeysAsStaff(
      c.base64urlDecode(wire.ciphertext.envelope),
      staff.boxSecretKey,
    );
    out.push({
      tipId,
      keys,
      tipsterPublicKey: c.base64urlDecode(wire.ciphertext.tipsterPublicKey),
    });
  }
  return out;
}

/**
 * One message per linked tipster, signed with the unlocked key's Ed25519 half exactly as the case
 * page signs its messages (docs/crypto.md §5.7.1): the tipster's browser checks the signature
 * against the office's approval, so the server cannot write in the team's name.
 */
async function messagesFor(
  staff: StaffKeys,
  csrf: string,
  tipIds: string[],
  text: string,
  context: StaffMessageContext,
) {
  const c = await loadCrypto();
  const mine = unlockedKey();
  if (!mine) throw new FindingClientError("bad");
  return (await tipKeys(staff, csrf, tipIds)).map((t) => {
    const m = c.sealSignedStaffMessage({
      body: { text },
      tipsterPublicKey: t.tipsterPublicKey,
      keys: t.keys,
      signer: { memberId: mine.staffId, signSecretKey: mine.keys.signSecretKey },
      context,
      writtenAtMs: Date.now(),
    });
    return {
      tipId: t.tipId,
      forTipster: c.base64urlEncode(m.forTipster),
      teamCopy: c.base64urlEncode(m.teamCopy),
    };
  });
}

export async function transferClue(
  staff: StaffKeys,
  csrf: string,
  finding: { id: string; keys: FindingKeys; tipIds: string[] },
  body: { id: string; receivers: ReaderWire[] },
  input: { reference: string | null; note: string; tipsterText: string },
): Promise<void> {
  const c = await loadCrypto();
  await checkReaders(body.receivers);
  await staffApi(`/api/staff/findings/${encodeURIComponent(finding.id)}/transfers`, csrf, {
    bodyId: body.id,
    reference: input.reference,
    note: input.note
      ? c.base64urlEncode(
          c.sealFindingNote({ body: { kind: "transfer", text: input.note }, keys: finding.keys }),
        )
      : null,
    envelopes: body.receivers.map((r) => ({
      staffKeyId: r.staffKeyId,
      envelope: c.base64urlEncode(
        c.wrapFindingKeyForRecipient(finding.keys, c.base64urlDecode(r.boxPublicKey)),
      ),
    })),
    tipMessages: await messagesFor(staff, csrf, finding.tipIds, input.tipsterText, {
      kind: "status",
      status: "transferred",
    }),
  });
}

/** Why chosen evidence files cannot go with a resolution (null: they can). */
export type EvidenceProblem =
  | { key: "tooMany"; max: number }
  | { key: "tooBig"; maxMb: number }
  | { key: "fileExecutable" | "fileMismatch" | "fileType" | "fileEmpty"; name: string };

export async function checkResolutionEvidence(files: File[]): Promise<EvidenceProblem | null> {
  if (files.length > MAX_RESOLUTION_FILES) return { key: "tooMany", max: MAX_RESOLUTION_FILES };
  if (files.reduce((n, f) => n + f.size, 0) > MAX_RESOLUTION_EVIDENCE_BYTES) {
    return { key: "tooBig", maxMb: MAX_RESOLUTION_EVIDENCE_BYTES / 1024 / 1024 };
  }
  const refused = firstRefusedFile(await Promise.all(files.map(fileWithHead)));
  return refused ? { key: refused.problem, name: refused.name } : null;
}

export async function recordResolution(
  staff: StaffKeys,
  csrf: string,
  finding: { id: string; keys: FindingKeys; tipIds: string[] },
  input: {
    kind: string;
    amountFen: number | null;
    beneficiaries: number | null;
    resolvedAt: string;
    description: string;
    tipsterText: string;
    /** evidence, checked with checkResolutionEvidence first; encrypted here, keys sealed below */
    files: File[];
  },
): Promise<void> {
  const c = await loadCrypto();
  const encrypted = [];
  for (const f of input.files) {
    encrypted.push(
      encryptEvidence(c, {
        name: f.name,
        type: f.type,
        data: new Uint8Array(await f.arrayBuffer()),
      }),
    );
  }
  await staffApi(`/api/staff/findings/${encodeURIComponent(finding.id)}/resolutions`, csrf, {
    kind: input.kind,
    amountFen: input.amountFen,
    beneficiaries: input.beneficiaries,
    resolvedAt: input.resolvedAt,
    details: c.base64urlEncode(
      c.sealFindingNote({
        body: {
          kind: "resolution",
          text: input.description,
          files: encrypted.map((e) => ({ ...e.ref })),
        },
        keys: finding.keys,
      }),
    ),
    files: encrypted.map((e) => ({
      header: c.base64urlEncode(e.header),
      chunks: e.chunks.map((x) => c.base64urlEncode(x)),
    })),
    tipMessages: await messagesFor(staff, csrf, finding.tipIds, input.tipsterText, {
      kind: "status",
      status: "resolved",
    }),
  });
}

export async function notifyTipsters(
  staff: StaffKeys,
  csrf: string,
  finding: { id: string; tipIds: string[] },
  text: string,
): Promise<void> {
  await staffApi(`/api/staff/findings/${encodeURIComponent(finding.id)}/notify`, csrf, {
    tipMessages: await messagesFor(staff, csrf, finding.tipIds, text, { kind: "reply" }),
  });
}

/**
 * A resolution's sealed details: the description and the keys of its evidence files, matched to
 * the stored files by the SHA-256 of their headers (as the case page matches a tip's files).
 */
export async function openResolution(
  keys: FindingKeys,
  details: string,
  files: { id: string; header: string }[],
): Promise<{ text: string | null; files: Record<string, EvidenceRef> }> {
  const c = await loadCrypto();
  let body: JsonObject;
  try {
    body = c.openFindingNote(c.base64urlDecode(details), keys);
  } catch {
    return { text: null, files: {} };
  }
  const refs = Array.isArray(body.files) ? (body.files as JsonObject[]) : [];
  const out: Record<string, EvidenceRef> = {};
  for (const f of files) {
    const digest = c.toHex(c.sha256(c.base64urlDecode(f.header)));
    const ref = refs.find((r) => r.ref === digest);
    if (ref && typeof ref.key === "string") {
      out[f.id] = {
        name: typeof ref.name === "string" ? ref.name : "",
        type: typeof ref.type === "string" ? ref.type : "",
        size: typeof ref.size === "number" ? ref.size : null,
        key: ref.key,
      };
    }
  }
  return { text: String(body.text ?? ""), files: out };
}

export async function openNote(keys: FindingKeys, blob: string | null): Promise<string | null> {
  if (!blob) return null;
  const c = await loadCrypto();
  try {
    return String(c.openFindingNote(c.base64urlDecode(blob), keys).text ?? "");
  } catch {
    return null;
  }
}
