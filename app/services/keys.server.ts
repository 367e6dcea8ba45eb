/**
 * Staff key lifecycle on the server (ADR 008). The server only ever holds public keys, the
 * passphrase-wrapped secret blob and the office signature:
 *
 *   create (browser: generateStaffKeys + wrapStaffKeys) → pending
 *   office admin compares the fingerprint, signs in their own browser → server verifies the
 *   signature under the build's office key for its jurisdiction (ADR 016) → active
 *   passphrase change → the browser re-wraps, the server swaps the blob (same public keys)
 *   lost passphrase → revoked (envelopes under it stop opening anything; a new key starts over)
 *
 * Every read of a wrapped blob and every change is audited in the same transaction.
 */
import { and, desc, eq, ne } from "drizzle-orm";
import { serializeOn, withTx, type Db } from "../../db/client";
import { districts, staffKeys, staffUsers } from "../../db/schema";
import {
  fingerprint,
  isCryptoError,
  isLowOrderPublicKey,
  STAFF_PASSPHRASE_KDF,
  verifyStaffKeyApproval,
  wrappedStaffKeysParams,
  WRAPPED_STAFF_KEYS_BYTES,
} from "../../crypto/index";
import type { Env } from "../env.server";
import { MAX_APPROVAL_MS } from "../shared/key-approval";
import { appendAudit } from "./audit.server";
import { b64u, newRowId } from "./cases.server";
import type { StaffSession } from "./sessions.server";
import { approvalTuple } from "./staff-keys.server";

export class KeyError extends Error {
  constructor(
    readonly code:
      | "bad_key"
      | "has_key"
      | "no_key"
      | "not_pending"
      | "bad_signature"
      | "no_office_key"
      | "other_jurisdiction"
      | "own_key"
      | "bad_validity",
  ) {
    super(code);
  }
}

/** The member's current (not revoked) key, newest first. */
export async function currentKey(db: Db, staffId: string) {
  return (
    await db
      .select()
      .from(staffKeys)
      .where(and(eq(staffKeys.staffId, staffId), ne(staffKeys.status, "revoked")))
      .orderBy(desc(staffKeys.createdAt))
      .limit(1)
  )[0];
}

function checkWrapped(wrapped: Uint8Array): void {
  if (wrapped.length !== WRAPPED_STAFF_KEYS_BYTES) throw new KeyError("bad_key");
  try {
    const params = wrappedStaffKeysParams(wrapped);
    // No weaker wrapping than the protocol's passphrase KDF (a lazy client cannot downgrade it).
    if (
      params.memoryKiB < STAFF_PASSPHRASE_KDF.memoryKiB ||
      params.iterations < STAFF_PASSPHRASE_KDF.iterations
    ) {
      throw new KeyError("bad_key");
    }
  } catch (err) {
    if (isCryptoError(err)) throw new KeyError("bad_key");
    throw err;
  }
}

/** What the key page and the unlock panel show; `wrapped` only with `withSecret` (audited). */
export async function myKey(db: Db, session: StaffSession, opts: { withSecret: boolean }) {
  const key = await currentKey(db, session.staff.id);
  if (!key) return null;
  if (opts.withSecret) {
    await withTx(db, (tx) =>
      appendAudit(tx, {
        actorId: session.staff.id,
        action: "key.fetch",
        objectType: "key",
        objectId: key.id,
      }),
    );
  }
  return {
    id: key.id,
    /** the member id the office's approval names (signed messages carry it) */
    staffId: key.staffId,
    status: key.status,
    fingerprint: key.fingerprint,
    validUntil: key.validUntil?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
    wrapped: opts.withSecret ? b64u(key.wrappedSecretKey) : null,
  };
}

export async function createKey(
  db: Db,
  session: StaffSession,
  input: { boxPublicKey: Uint8Array; signPublicKey: Uint8Array; wrapped: Uint8Array },
  now = new Date(),
): Promise<string> {
  if (input.boxPublicKey.length !== 32 || input.signPublicKey.length !== 32) {
    throw new KeyError("bad_key");
  }
  // A low-order point would get an ordinary fingerprint, yet its envelopes open for anybody.
  if (isLowOrderPublicKey(input.boxPublicKey)) throw new KeyError("bad_key");
  checkWrapped(input.wrapped);
  const id = newRowId("key");
  await withTx(db, async (tx) => {
    // One current key per member: the check and the insert hold the member's lock, or parallel
    // creates (PostgreSQL, READ COMMITTED; two nodes) would each find none and insert one.
    await serializeOn(tx, `staff_keys:${session.staff.id}`);
    if (await currentKey(tx, session.staff.id)) throw new KeyError("has_key");
    await tx.insert(staffKeys).values({
      id,
      staffId: session.staff.id,
      boxPublicKey: Buffer.from(input.boxPublicKey),
      signPublicKey: Buffer.from(input.signPublicKey),
      wrappedSecretKey: Buffer.from(input.wrapped),
      fingerprint: fingerprint(input.boxPublicKey),
      status: "pending",
      createdAt: now,
    });
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "key.create",
      objectType: "key",
      objectId: id,
      at: now,
    });
  });
  return id;
}

/** Passphrase change: same keys, new wrapping. The browser proved the old passphrase locally. */
export async function rewrapKey(
  db: Db,
  session: StaffSession,
  wrapped: Uint8Array,
  now = new Date(),
) {
  checkWrapped(wrapped);
  await withTx(db, async (tx) => {
    const key = await currentKey(tx, session.staff.id);
    if (!key) throw new KeyError("no_key");
    await tx
      .update(staffKeys)
      .set({ wrappedSecretKey: Buffer.from(wrapped) })
      .where(eq(staffKeys.id, key.id));
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "key.rewrap",
      objectType: "key",
      objectId: key.id,
      at: now,
    });
  });
}

/** Lost passphrase (or a suspected leak): the key is revoked for good. */
export async function revokeOwnKey(db: Db, session: StaffSession, now = new Date()) {
  await withTx(db, async (tx) => {
    const key = await currentKey(tx, session.staff.id);
    if (!key) throw new KeyError("no_key");
    // Revoked once: a parallel revoke (or the office's) that read the key first finds no row.
    const revoked = await tx
      .update(staffKeys)
      .set({ status: "revoked", revokedAt: now })
      .where(and(eq(staffKeys.id, key.id), ne(staffKeys.status, "revoked")))
      .returning({ id: staffKeys.id });
    if (revoked.length === 0) throw new KeyError("no_key");
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "key.revoke",
      objectType: "key",
      objectId: key.id,
      at: now,
    });
  });
}

/** Keys waiting for this office's signature (same jurisdiction). */
export async function pendingKeys(db: Db, session: StaffSession) {
  const rows = (
    await db
      .select({
        id: staffKeys.id,
        staffId: staffUsers.id,
        name: staffUsers.displayName,
        username: staffUsers.username,
        homeDistrictId: staffUsers.homeDistrictId,
        homeZh: districts.nameZh,
        homeEn: districts.nameEn,
        fingerprint: staffKeys.fingerprint,
        boxPublicKey: staffKeys.boxPublicKey,
        signPublicKey: staffKeys.signPublicKey,
        createdAt: staffKeys.createdAt,
      })
      .from(staffKeys)
      .innerJoin(staffUsers, eq(staffUsers.id, staffKeys.staffId))
      .leftJoin(districts, eq(districts.id, staffUsers.homeDistrictId))
      .where(
        and(
          eq(staffKeys.status, "pending"),
          eq(staffUsers.jurisdictionId, session.staff.jurisdictionId),
        ),
      )
      .orderBy(desc(staffKeys.createdAt))
  ).map((k) => ({
    ...k,
    /** The admin's own key: somebody else must approve it. */
    own: k.staffId === session.staff.id,
    boxPublicKey: b64u(k.boxPublicKey),
    signPublicKey: k.signPublicKey ? b64u(k.signPublicKey) : null,
    createdAt: k.createdAt.toISOString(),
  }));
  await withTx(db, (tx) =>
    appendAudit(tx, {
      actorId: session.staff.id,
      action: "key.list_pending",
      objectType: "key",
      objectId: null,
      detail: { count: rows.length },
    }),
  );
  return rows;
}

/**
 * The office admin's browser signed `approvalTuple(staffId, boxPublicKey, home, validUntil,
 * signPublicKey)` (a v2 approval); the key becomes active only if that signature verifies under
 * the configured office key.
 */
export async function approveKey(
  db: Db,
  env: Env,
  session: StaffSession,
  keyId: string,
  input: { signature: Uint8Array; validUntil: Date },
  now = new Date(),
) {
  await withTx(db, async (tx) => {
    const row = (
      await tx
        .select({ key: staffKeys, staff: staffUsers })
        .from(staffKeys)
        .innerJoin(staffUsers, eq(staffUsers.id, staffKeys.staffId))
        .where(eq(staffKeys.id, keyId))
        .limit(1)
    )[0];
    if (!row) throw new Response("Not Found", { status: 404 });
    if (row.staff.jurisdictionId !== session.staff.jurisdictionId) {
      throw new KeyError("other_jurisdiction");
    }
    if (row.key.status !== "pending") throw new KeyError("not_pending");
    // Nobody vouches for their own key; and an approval lasts at most MAX_APPROVAL_DAYS.
    if (row.staff.id === session.staff.id) throw new KeyError("own_key");
    if (
      input.validUntil.getTime() <= now.getTime() ||
      input.validUntil.getTime() > now.getTime() + MAX_APPROVAL_MS
    ) {
      throw new KeyError("bad_validity");
    }
    if (isLowOrderPublicKey(new Uint8Array(row.key.boxPublicKey))) throw new KeyError("bad_key");
    const officeKey = env.officeSigningKeys[row.staff.jurisdictionId];
    if (!officeKey) throw new KeyError("no_office_key");
    try {
      const verified = verifyStaffKeyApproval(
        approvalTuple(
          row.staff.id,
          new Uint8Array(row.key.boxPublicKey),
          row.staff.homeDistrictId,
          input.validUntil,
          row.key.signPublicKey,
        ),
        input.signature,
        officeKey,
        now.getTime(),
      );
      // New approvals must also vouch for the member's signing key (v2), or their messages to
      // tipsters could not be shown as genuine.
      if (row.key.signPublicKey && !verified.coversSignKey) throw new KeyError("bad_signature");
    } catch (err) {
      if (isCryptoError(err)) throw new KeyError("bad_signature");
      throw err;
    }
    // Only a key still pending becomes active: the status read above is a plain read, and a key
    // revoked (or approved) by a parallel request after it must stay as that request left it.
    const approved = await tx
      .update(staffKeys)
      .set({
        status: "active",
        officeSignature: Buffer.from(input.signature),
        signedHomeDistrictId: row.staff.homeDistrictId,
        validUntil: input.validUntil,
        signedBy: session.staff.id,
        signedAt: now,
      })
      .where(and(eq(staffKeys.id, keyId), eq(staffKeys.status, "pending")))
      .returning({ id: staffKeys.id });
    if (approved.length === 0) throw new KeyError("not_pending");
    await appendAudit(tx, {
      actorId: session.staff.id,
      action: "key.sign",
      objectType: "key",
      objectId: keyId,
      detail: { staff: row.staff.id },
      at: now,
    });
  });
}
