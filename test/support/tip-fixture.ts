/**
 * Test fixtures for tips, written the way a browser would: a real receipt, keys derived with the
 * server's receipt salt (read from the test server's DATA_DIR/secrets.json), the tip sealed with
 * crypto/ to exactly the recipients `routeTip` computes, and stored through `acceptTip`.
 *
 * Also the staff side of a conversation: unwrap a demo staff key with the demo passphrase, open
 * the tip envelope, write a message to the tipster or read the tipster's replies.
 *
 * Each helper opens the server's database file itself (WAL lets both processes use it) and closes
 * it again, so tests can call them while the server runs.
 */
import { and, asc, eq } from "drizzle-orm";
import {
  authLookupHash,
  base64urlDecode,
  base64urlEncode,
  decryptAttachment,
  encryptAttachment,
  sha256,
  toHex,
  type ReceiptKdfVersion,
  openTipKeysAsStaff,
  openTipPayload,
  openTipsterMessage,
  sealSignedStaffMessage,
  sealTip,
  type JsonObject,
  type ReceiptKeys,
  type StaffMessageContext,
  type StaffKeys,
  type StaffMessageSigner,
  type StaffTipKeys,
} from "../../crypto/index";
import { parseEnv, type Env } from "../../app/env.server";
import { isPostgresUrl } from "../../db/dialect";
import { acceptTip, routeTip, sealedParts, type IncomingTip } from "../../app/services/tips.server";
import { closeDb, openDb, type Db, withTx } from "../../db/client";
import {
  attachmentChunks,
  attachments,
  messages,
  staffKeys,
  tipEnvelopes,
  tipStatusHistory,
  tips,
} from "../../db/schema";
import { testReceiptWithKeys, unwrapStaffKeysCached } from "./kdf-cache";
import { registerCanary } from "./log-capture";

/** Unlocks every demo staff key (server/demo.ts). */
export const DEMO_KEY_PASSPHRASE = "crosswatch-demo-key";

export interface ServerFiles {
  dataDir: string;
  /** The server's database: SQLite file or postgres:// URL (RunningServer.database). */
  database: string;
}

/** The server's configuration as the server sees it (office keys come from the build). */
export function serverEnv(server: ServerFiles): Env {
  return parseEnv({
    CROSSWATCH_MODE: "demo",
    DATA_DIR: server.dataDir,
    ...(isPostgresUrl(server.database)
      ? { DATABASE_URL: server.database }
      : { DATABASE_PATH: server.database }),
  });
}

/** Runs `fn` with the server's database open (and closes it again). */
export async function withDb<T>(server: ServerFiles, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(server.database, { migrate: false });
  try {
    return await fn(db);
  } finally {
    await closeDb(db);
  }
}

export interface TestTip {
  tipId: string;
  /** "1234 5678 9012 3456" */
  receipt: string;
  receiptKeys: ReceiptKeys;
  /** staff ids that received an envelope */
  readerIds: string[];
}

/** Creates a tip about `districtId` (default 津南) as a resident's browser would. */
export async function createTestTip(
  server: ServerFiles,
  opts: {
    districtId?: string;
    unitId?: string | null;
    text?: string;
    /** An identity block (name, phone…), sealed under its own key to the same readers. */
    identity?: JsonObject;
    submittedVia?: "js" | "nojs";
    /** Receipt KDF version (default: the current one); older ones stand for receipts made before an upgrade. */
    receiptKdfVersion?: ReceiptKdfVersion;
    /** More payload fields (when, people, amountFen…), merged into the sealed payload. */
    payload?: JsonObject;
    /** Evidence files, encrypted as the report page does and listed in the payload. */
    files?: { name: string; type: string; data: Uint8Array }[];
    /** received at (default now) */
    at?: Date;
    /** The resident's "only cadres from outside my district" box (default: ticked). */
    onlyOutsiders?: boolean;
  } = {},
): Promise<TestTip> {
  const env = serverEnv(server);
  const districtId = opts.districtId ?? "tj-jinnan";
  const unitId = opts.unitId === undefined ? "tj-jinnan-hanchengqiao" : opts.unitId;
  const { receipt, keys: receiptKeys } = await testReceiptWithKeys(
    env.receiptSalt,
    opts.receiptKdfVersion,
  );
  // None of these may ever show up in a server log line (log-capture.ts scans for them).
  const text = opts.text ?? "村干部虚报拆迁补偿款。";
  if (text.length >= 8) registerCanary("tip-text", text);
  registerCanary("receipt", receipt);
  registerCanary("auth-secret", receiptKeys.authSecret);
  const encrypted = (opts.files ?? []).map((f) => ({
    file: f,
    enc: encryptAttachment(f.data, { name: f.name, type: f.type }),
  }));
  return await withDb(server, async (db) => {
    const at = opts.at ?? new Date();
    const { incoming, readerIds } = await sealTestTip(db, env, {
      districtId,
      unitId,
      text,
      receiptKeys,
      at,
      identity: opts.identity,
      payload: opts.payload,
      files: encrypted,
      onlyOutsiders: opts.onlyOutsiders,
      submittedVia: opts.submittedVia,
    });
    const result = await acceptTip(
      db,
      env,
      incoming,
      at,
      encrypted.map(({ enc }) => ({ header: enc.header, chunks: enc.chunks })),
    );
    if (!result.ok) throw new Error(`acceptTip refused: ${result.code}`);
    return {
      tipId: result.tipId,
      receipt,
      receiptKeys,
      readerIds,
    };
  });
}

/**
 * A report sealed as a resident's browser seals it, to exactly the readers `routeTip` computes
 * now: what `acceptTip` receives (`createTestTip` stores one; a test may pass it twice).
 */
export async function sealTestTip(
  db: Db,
  env: Env,
  opts: {
    districtId: string;
    unitId: string | null;
    text: string;
    receiptKeys: ReceiptKeys;
    at: Date;
    identity?: JsonObject;
    payload?: JsonObject;
    files?: {
      file: { name: string; type: string; data: Uint8Array };
      enc: { key: Uint8Array; header: Uint8Array };
    }[];
    onlyOutsiders?: boolean;
    submittedVia?: "js" | "nojs";
  },
): Promise<{ incoming: IncomingTip; readerIds: string[] }> {
  const { districtId, unitId, text, receiptKeys } = opts;
  const encrypted = opts.files ?? [];
  const route = await routeTip(db, env, districtId, opts.at, unitId);
  if (!route.ok) throw new Error(`no reader for ${districtId}: ${route.reason}`);
  const sealed = sealTip({
    payload: {
      district: districtId,
      unit: unitId,
      category: "corruption",
      text,
      ...opts.payload,
      ...(encrypted.length > 0
        ? {
            attachments: encrypted.map(({ file, enc }) => ({
              name: file.name,
              type: file.type,
              size: file.data.length,
              key: base64urlEncode(enc.key),
              ref: toHex(sha256(enc.header)),
            })),
          }
        : {}),
    },
    identity: opts.identity,
    recipients: route.recipients.map((r) => ({
      id: r.staffKeyId,
      boxPublicKey: new Uint8Array(r.boxPublicKey),
    })),
    tipsterPublicKey: receiptKeys.boxPublicKey,
  });
  return {
    incoming: {
      targetDistrictId: districtId,
      unitId,
      category: "corruption",
      receiptAuthHash: authLookupHash(receiptKeys.authSecret),
      tipsterPublicKey: receiptKeys.boxPublicKey,
      ...sealedParts(sealed),
      onlyOutsiders: opts.onlyOutsiders ?? true,
      submittedVia: opts.submittedVia ?? "js",
    },
    readerIds: route.recipients.map((r) => r.staffId),
  };
}

/**
 * A demo key blob unwrapped with the demo passphrase, once per blob across test processes
 * (kdf-cache.ts): the Argon2id step costs seconds on a loaded machine, and the same blob and
 * passphrase always give the same keys.
 */
export function unwrapDemoKey(wrapped: Uint8Array): Promise<StaffKeys> {
  return unwrapStaffKeysCached(wrapped, DEMO_KEY_PASSPHRASE);
}

/** A staff member's keys for one tip: their demo key unwrapped, their envelope opened. */
export async function staffKeysForTip(
  server: ServerFiles,
  tipId: string,
  staffId: string,
): Promise<StaffTipKeys> {
  const row = await withDb(
    server,
    async (db) =>
      (
        await db
          .select({ envelope: tipEnvelopes.envelope, wrapped: staffKeys.wrappedSecretKey })
          .from(tipEnvelopes)
          .innerJoin(staffKeys, eq(staffKeys.id, tipEnvelopes.staffKeyId))
          .where(
            and(
              eq(tipEnvelopes.tipId, tipId),
              eq(tipEnvelopes.staffId, staffId),
              eq(tipEnvelopes.kind, "tip"),
            ),
          )
          .limit(1)
      )[0],
  );
  if (!row) throw new Error(`${staffId} holds no envelope for ${tipId}`);
  const keys = await unwrapDemoKey(new Uint8Array(row.wrapped));
  return openTipKeysAsStaff(new Uint8Array(row.envelope), keys.boxSecretKey);
}

/** A staff member's signing identity, as their unlocked key gives it to the case page. */
export async function staffSigner(
  server: ServerFiles,
  staffId: string,
): Promise<StaffMessageSigner> {
  const row = await withDb(
    server,
    async (db) =>
      (
        await db
          .select({ wrapped: staffKeys.wrappedSecretKey })
          .from(staffKeys)
          .where(and(eq(staffKeys.staffId, staffId), eq(staffKeys.status, "active")))
          .limit(1)
      )[0],
  );
  if (!row) throw new Error(`${staffId} has no active key`);
  const keys = await unwrapDemoKey(new Uint8Array(row.wrapped));
  return { memberId: staffId, signSecretKey: keys.signSecretKey };
}

/** Seals a signed message to the tipster as the case page does (docs/crypto.md §5.7.1). */
export async function sealAsStaff(
  server: ServerFiles,
  tipId: string,
  staffId: string,
  body: JsonObject,
  context: StaffMessageContext,
  at: Date,
) {
  const keys = await staffKeysForTip(server, tipId, staffId);
  const signer = await staffSigner(server, staffId);
  const tip = await withDb(
    server,
    async (db) =>
      (
        await db.select({ pk: tips.tipsterPublicKey }).from(tips).where(eq(tips.id, tipId)).limit(1)
      )[0],
  );
  if (!tip) throw new Error(`no tip ${tipId}`);
  return sealSignedStaffMessage({
    body,
    tipsterPublicKey: new Uint8Array(tip.pk),
    keys,
    signer,
    context,
    writtenAtMs: at.getTime(),
  });
}

/** The tip payload as a staff member reads it. */
export async function readTipAsStaff(server: ServerFiles, tipId: string, staffId: string) {
  const keys = await staffKeysForTip(server, tipId, staffId);
  const tip = await withDb(
    server,
    async (db) =>
      (await db.select({ payload: tips.payload }).from(tips).where(eq(tips.id, tipId)).limit(1))[0],
  );
  if (!tip) throw new Error(`no tip ${tipId}`);
  return openTipPayload(new Uint8Array(tip.payload), keys);
}

/**
 * A team member writes to the tipster (messages.kind = to_tipster), as the staff UI would: the
 * tipster's box in `body`, the team-readable copy in `team_copy`.
 */
export async function sendStaffMessage(
  server: ServerFiles,
  tipId: string,
  staffId: string,
  body: JsonObject,
  at = new Date(),
): Promise<string> {
  const sealed = await sealAsStaff(server, tipId, staffId, body, { kind: "reply" }, at);
  return await withDb(server, async (db) => {
    const id = `msg_test_${Math.random().toString(36).slice(2)}`;
    await withTx(db, (tx) =>
      tx.insert(messages).values({
        id,
        tipId,
        kind: "to_tipster",
        authorStaffId: staffId,
        body: Buffer.from(sealed.forTipster),
        teamCopy: Buffer.from(sealed.teamCopy),
        createdAt: at,
      }),
    );
    return id;
  });
}

/** A public status change with an optional signed message to the tipster. */
export async function setTestStatus(
  server: ServerFiles,
  tipId: string,
  staffId: string,
  status: "accepted" | "under_review" | "transferred" | "rectifying" | "resolved" | "not_accepted",
  message: string | null,
  at = new Date(),
): Promise<void> {
  const sealed = message
    ? await sealAsStaff(server, tipId, staffId, { text: message }, { kind: "status", status }, at)
    : null;
  await withDb(server, async (db) => {
    await withTx(db, async (tx) => {
      await tx.insert(tipStatusHistory).values({
        id: `st_test_${Math.random().toString(36).slice(2)}`,
        tipId,
        status,
        actorId: staffId,
        publicMessage: sealed ? Buffer.from(sealed.forTipster) : null,
        publicMessageCopy: sealed ? Buffer.from(sealed.teamCopy) : null,
        createdAt: at,
      });
      await tx.update(tips).set({ status, updatedAt: at }).where(eq(tips.id, tipId));
    });
  });
}

/** Every message the tipster sent on a tip, decrypted with a team member's keys. */
export async function readTipsterMessages(
  server: ServerFiles,
  tipId: string,
  staffId: string,
): Promise<JsonObject[]> {
  const keys = await staffKeysForTip(server, tipId, staffId);
  const rows = await withDb(
    server,
    async (db) =>
      await db
        .select({ body: messages.body })
        .from(messages)
        .where(and(eq(messages.tipId, tipId), eq(messages.kind, "from_tipster")))
        .orderBy(asc(messages.createdAt)),
  );
  return rows.map((r) => openTipsterMessage(new Uint8Array(r.body), keys));
}

/** Raw rows, for tests that check what the server stored. */
export async function tipRows(server: ServerFiles, tipId: string) {
  return await withDb(server, async (db) => ({
    tip: (await db.select().from(tips).where(eq(tips.id, tipId)).limit(1))[0],
    messages: await db.select().from(messages).where(eq(messages.tipId, tipId)),
    history: await db.select().from(tipStatusHistory).where(eq(tipStatusHistory.tipId, tipId)),
  }));
}

/**
 * Evidence files the tipster added with replies, as the team opens them: the message body (read
 * with a team key) lists each file's key and the SHA-256 of its encrypted header.
 */
export async function readTipsterEvidence(
  server: ServerFiles,
  tipId: string,
  staffId: string,
): Promise<{ name: string; type: string; data: Uint8Array }[]> {
  const bodies = await readTipsterMessages(server, tipId, staffId);
  const refs = bodies.flatMap((b) =>
    Array.isArray(b.attachments) ? (b.attachments as { key: string; ref: string }[]) : [],
  );
  return await withDb(server, async (db) => {
    const stored = await db.select().from(attachments).where(eq(attachments.tipId, tipId));
    const files = [];
    for (const ref of refs) {
      const row = stored.find((a) => toHex(sha256(new Uint8Array(a.header))) === ref.ref);
      if (!row) throw new Error(`no stored attachment for ${ref.ref}`);
      const chunks = (
        await db
          .select({ data: attachmentChunks.data })
          .from(attachmentChunks)
          .where(eq(attachmentChunks.attachmentId, row.id))
          .orderBy(asc(attachmentChunks.idx))
      ).map((c) => new Uint8Array(c.data));
      const { meta, data } = decryptAttachment(
        base64urlDecode(ref.key),
        new Uint8Array(row.header),
        chunks,
      );
      files.push({ name: meta.name, type: meta.type, data });
    }
    return files;
  });
}
