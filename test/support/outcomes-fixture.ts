/**
 * The staff side of the outcomes area over HTTP, with real crypto on the test side as the staff
 * browser does it: create a finding sealed to the readers the server names, link tips, hand the
 * clue to a receiving body (re-wrapping F for its receivers), record outcomes and resolutions with
 * messages to the linked tipsters, and read what the tipster sees with the receipt.
 */
import { and, eq } from "drizzle-orm";
import {
  base64urlEncode,
  openFindingKeys,
  openSignedStaffMessage,
  openTipKeysAsTipster,
  sealFinding,
  sealFindingNote,
  wrapFindingKeyForRecipient,
  type FindingKeys,
  type JsonObject,
  type StaffKeys,
  type StaffMessageContext,
} from "../../crypto/index";
import { closeDb, openDb, type Db } from "../../db/client";
import { findingEnvelopes, staffKeys } from "../../db/schema";
import { csrfToken } from "~/services/csrf.server";
import { fetchFresh } from "./report-fixture";
import { loginAs } from "./staff-login";
import type { RunningServer } from "./server";
import { sealAsStaff, serverEnv, unwrapDemoKey, type TestTip } from "./tip-fixture";

const b64 = (b: Uint8Array) => base64urlEncode(b);
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, "base64url"));

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function staffApi(server: RunningServer, staffId: string) {
  const s = await loginAs(server.database, staffId);
  const headers = { Cookie: s.cookie };
  return {
    async get(path: string): Promise<{ status: number; json: Json }> {
      const res = await fetchFresh(server.url + path, { headers });
      return { status: res.status, json: (await res.json().catch(() => ({}))) as Json };
    },
    async post(path: string, body: unknown): Promise<{ status: number; json: Json }> {
      const res = await fetchFresh(server.url + path, {
        method: "POST",
        headers: {
          ...headers,
          "Content-Type": "application/json",
          "X-CSRF-Token": csrfToken(serverEnv(server), s.sessionId),
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json().catch(() => ({}))) as Json };
    },
    /** An HTML form POST (office pages), answered with a redirect. */
    async form(path: string, fields: Record<string, string>): Promise<number> {
      const res = await fetchFresh(server.url + path, {
        method: "POST",
        redirect: "manual",
        headers: {
          ...headers,
          Origin: server.url,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ ...fields, csrf: csrfToken(serverEnv(server), s.sessionId) }),
      });
      return res.status;
    },
    async page(path: string): Promise<{ status: number; text: string }> {
      const res = await fetchFresh(server.url + path, { headers });
      return { status: res.status, text: await res.text() };
    },
  };
}

/** A demo staff member's unwrapped keys (their newest active key, demo passphrase). */
export async function demoStaffKeys(server: RunningServer, staffId: string): Promise<StaffKeys> {
  const rows = await withDb(server, (db) =>
    db
      .select({ wrapped: staffKeys.wrappedSecretKey })
      .from(staffKeys)
      .where(and(eq(staffKeys.staffId, staffId), eq(staffKeys.status, "active"))),
  );
  if (!rows[0]) throw new Error(`${staffId} has no active key`);
  return unwrapDemoKey(new Uint8Array(rows[0].wrapped));
}

export async function withDb<T>(server: RunningServer, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(server.database, { migrate: false });
  try {
    return await fn(db);
  } finally {
    await closeDb(db);
  }
}

export const newFindingId = () =>
  `fd_${base64urlEncode(crypto.getRandomValues(new Uint8Array(16)))}`;

export interface Readers {
  readers: { staffKeyId: string; boxPublicKey: string; staffId: string }[];
}

/** Creates a finding as `staffId`, sealed to exactly the readers the server names. */
export async function createFindingAs(
  server: RunningServer,
  staffId: string,
  input: {
    stationingId: string;
    unitId?: string | null;
    category: "decision" | "corruption" | "livelihood";
    corruptionType?: string | null;
    keyMinority?: boolean;
    amountInvolvedFen?: number | null;
    body: JsonObject;
  },
): Promise<{ id: string; keys: FindingKeys; status: number; json: Json }> {
  const api = await staffApi(server, staffId);
  const r = await api.get(
    `/api/staff/findings?stationingId=${encodeURIComponent(input.stationingId)}`,
  );
  if (r.status !== 200) return { id: "", keys: null as never, status: r.status, json: r.json };
  const readers = (r.json as Readers).readers;
  const id = newFindingId();
  const sealed = sealFinding({
    findingId: id,
    body: input.body,
    recipients: readers.map((x) => ({ id: x.staffKeyId, boxPublicKey: unb64(x.boxPublicKey) })),
  });
  const res = await api.post("/api/staff/findings", {
    id,
    stationingId: input.stationingId,
    unitId: input.unitId ?? null,
    category: input.category,
    corruptionType: input.corruptionType ?? null,
    keyMinority: input.keyMinority ?? false,
    amountInvolvedFen: input.amountInvolvedFen ?? null,
    body: b64(sealed.body),
    envelopes: sealed.envelopes.map((e) => ({
      staffKeyId: e.recipientId,
      envelope: b64(e.envelope),
    })),
  });
  return { id, keys: sealed.keys, status: res.status, json: res.json };
}

/** One signed message per tip, as the case page seals it for the tipster and the team. */
export async function tipsterMessages(
  server: RunningServer,
  staffId: string,
  tipIds: string[],
  text: string,
  context: StaffMessageContext = { kind: "reply" },
) {
  const out = [];
  for (const tipId of tipIds) {
    const m = await sealAsStaff(server, tipId, staffId, { text }, context, new Date());
    out.push({ tipId, forTipster: b64(m.forTipster), teamCopy: b64(m.teamCopy) });
  }
  return out;
}

/** Hands the finding's clue to `bodyId`: F re-wrapped to every receiver the server lists. */
export async function transferAs(
  server: RunningServer,
  staffId: string,
  finding: { id: string; keys: FindingKeys },
  bodyId: string,
  tipIds: string[],
  text: string,
) {
  const api = await staffApi(server, staffId);
  const bodies = await api.get(`/api/staff/findings/${finding.id}/transfers`);
  if (bodies.status !== 200) return bodies;
  const body = (bodies.json.bodies as Json[]).find((b) => b.id === bodyId);
  if (!body) throw new Error(`no body ${bodyId}`);
  return api.post(`/api/staff/findings/${finding.id}/transfers`, {
    bodyId,
    reference: "津南巡移〔2020〕7号",
    note: b64(
      sealFindingNote({ body: { kind: "transfer", text: "请依纪依法处理" }, keys: finding.keys }),
    ),
    envelopes: (body.receivers as Json[]).map((r) => ({
      staffKeyId: r.staffKeyId,
      envelope: b64(wrapFindingKeyForRecipient(finding.keys, unb64(r.boxPublicKey))),
    })),
    tipMessages: await tipsterMessages(server, staffId, tipIds, text, {
      kind: "status",
      status: "transferred",
    }),
  });
}

/** Opens a finding's body with the reader's own envelope (as a staff browser does). */
export async function openFindingAs(server: RunningServer, staffId: string, wire: Json) {
  const keys = await demoStaffKeys(server, staffId);
  const f = openFindingKeys(wire.id ?? wire.findingId, unb64(wire.envelope), keys.boxSecretKey);
  return f;
}

/** Everything the tipster sees with the receipt: history statuses and decrypted message texts. */
export async function tipsterView(server: RunningServer, tip: TestTip) {
  const res = await fetchFresh(server.url + "/api/status/open", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ authSecret: b64(tip.receiptKeys.authSecret) }),
  });
  const json = (await res.json()) as Json;
  const tipKeys = openTipKeysAsTipster(
    unb64(json.case.tipsterEnvelope),
    tip.receiptKeys.boxSecretKey,
  );
  // Messages from the team are signed (docs/crypto.md §5.7.1); the status page opens them so.
  const open = (blob: string | null | undefined) =>
    blob
      ? String(openSignedStaffMessage(unb64(blob), tip.receiptKeys.boxSecretKey, tipKeys).body.text)
      : null;
  const texts: string[] = [];
  for (const h of json.case.history as Json[]) {
    const t = open(h.message ?? h.publicMessage);
    if (t) texts.push(t);
  }
  for (const m of json.case.messages as Json[]) {
    if (m.kind === "to_tipster") texts.push(open(m.body)!);
  }
  return { status: json.case.summary.status as string, texts };
}

/** Envelope rows of a finding (who holds F). */
export async function findingReaders(server: RunningServer, findingId: string): Promise<string[]> {
  const rows = await withDb(server, (db) =>
    db
      .select({ staffId: findingEnvelopes.staffId })
      .from(findingEnvelopes)
      .where(eq(findingEnvelopes.findingId, findingId)),
  );
  return rows.map((r) => r.staffId).sort();
}
