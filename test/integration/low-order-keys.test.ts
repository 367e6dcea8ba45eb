/**
 * Low-order X25519 staff keys (an all-zero key, say) get an ordinary-looking fingerprint, yet
 * every envelope to them opens with a public constant. The server refuses them on registration
 * and on approval, and routing never offers one as a reader, even when an office signature over
 * it verifies. The office signature here is made by hand from docs/crypto.md §5.6 with
 * node:crypto's Ed25519, because crypto/ itself refuses to encode such an approval.
 */
import { createPrivateKey, sign } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateStaffKeys,
  KNOWN_LOW_ORDER_KEYS,
  STAFF_PASSPHRASE_KDF,
  wrapStaffKeys,
} from "../../crypto/index";
import { routeTip } from "~/services/tips.server";
import { csrfToken } from "~/services/csrf.server";
import { closeDb, openDb, withTx, type Db } from "../../db/client";
import { staffKeys, staffUsers } from "../../db/schema";
import { loginAs } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";
import { DEMO_KEY_PASSPHRASE, serverEnv } from "../support/tip-fixture";
import { unwrapStaffKeysCached } from "../support/kdf-cache";

const MEMBER = "staff-tj-beichen-liaison"; // 北辰 team, stationed in 津南, no key in the demo
const OFFICE = "staff-tj-office";
const ZERO = new Uint8Array(32);

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(server.database, { migrate: false });
  try {
    return await fn(db);
  } finally {
    await closeDb(db);
  }
}

async function post(staffId: string, path: string, body: unknown) {
  const s = await loginAs(server.database, staffId);
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Cookie: s.cookie,
      "X-CSRF-Token": csrfToken(serverEnv(server), s.sessionId),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { error?: { code: string } } };
}

/** docs/crypto.md §5.6, v1: 0x61 ‖ u16 ‖ member ‖ box key ‖ u16 ‖ home ‖ u64 valid-until. */
function approvalBytes(member: string, box: Uint8Array, home: string, validUntil: number) {
  const m = Buffer.from(member);
  const h = Buffer.from(home);
  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
  const u64 = Buffer.alloc(8);
  u64.writeBigUInt64BE(BigInt(validUntil));
  return Buffer.concat([Buffer.from([0x61]), u16(m.length), m, box, u16(h.length), h, u64]);
}

async function officeSignature(bytes: Buffer): Promise<Buffer> {
  const row = await withDb(
    async (db) =>
      (await db.select().from(staffKeys).where(eq(staffKeys.staffId, OFFICE)).limit(1))[0],
  )!;
  const office = await unwrapStaffKeysCached(
    new Uint8Array(row!.wrappedSecretKey),
    DEMO_KEY_PASSPHRASE,
  );
  const pkcs8 = Buffer.concat([
    Buffer.from("302e020100300506032b657004220420", "hex"),
    office.signSecretKey.subarray(0, 32),
  ]);
  const key = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const message = Buffer.concat([Buffer.from("crosswatch/v1/staff-key-approval\0"), bytes]);
  return Buffer.concat([Buffer.from([0x62]), sign(null, message, key)]);
}

describe("low-order staff keys", () => {
  it("are refused on registration", async () => {
    const real = generateStaffKeys();
    const wrapped = await wrapStaffKeys(real, "a long enough passphrase");
    expect(STAFF_PASSPHRASE_KDF.memoryKiB).toBeGreaterThan(0);
    for (const hex of KNOWN_LOW_ORDER_KEYS.slice(0, 3)) {
      const res = await post(MEMBER, "/api/staff/keys", {
        op: "create",
        boxPublicKey: Buffer.from(hex, "hex").toString("base64url"),
        signPublicKey: Buffer.from(real.signPublicKey).toString("base64url"),
        wrapped: Buffer.from(wrapped).toString("base64url"),
      });
      expect(res.status, hex).toBe(400);
      expect(res.json.error?.code).toBe("bad_key");
    }
    expect(
      await withDb(async (db) => db.select().from(staffKeys).where(eq(staffKeys.staffId, MEMBER))),
    ).toEqual([]);
  });

  it("are refused on approval even with a valid office signature", async () => {
    const validUntil = Date.now() + 30 * 86_400_000;
    await withDb(
      async (db) =>
        await withTx(db, (tx) =>
          tx.insert(staffKeys).values({
            id: "key_low_order_pending",
            staffId: MEMBER,
            boxPublicKey: Buffer.from(ZERO),
            signPublicKey: Buffer.alloc(32, 1),
            wrappedSecretKey: Buffer.alloc(130),
            fingerprint: "00000 00000 00000 00000 00000 00000 00000 00000",
            status: "pending",
            createdAt: new Date(),
          }),
        ),
    );
    const [home] = await withDb(async (db) =>
      db
        .select({ home_district_id: staffUsers.homeDistrictId })
        .from(staffUsers)
        .where(eq(staffUsers.id, MEMBER)),
    );
    const signature = await officeSignature(
      approvalBytes(MEMBER, ZERO, home!.home_district_id!, validUntil),
    );
    const res = await post(OFFICE, "/api/staff/keys/key_low_order_pending/approve", {
      signature: signature.toString("base64url"),
      validUntilMs: validUntil,
    });
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe("bad_key");
    const row = await withDb(
      async (db) =>
        (
          await db
            .select()
            .from(staffKeys)
            .where(eq(staffKeys.id, "key_low_order_pending"))
            .limit(1)
        )[0],
    );
    expect(row?.status).toBe("pending");
  });

  it("are never offered as readers, even when active and signed", async () => {
    const validUntil = new Date(Date.now() + 30 * 86_400_000);
    const [home] = await withDb(async (db) =>
      db
        .select({ home_district_id: staffUsers.homeDistrictId })
        .from(staffUsers)
        .where(eq(staffUsers.id, MEMBER)),
    );
    const signature = await officeSignature(
      approvalBytes(MEMBER, ZERO, home!.home_district_id!, validUntil.getTime()),
    );
    await withDb(
      async (db) =>
        await withTx(db, (tx) =>
          tx
            .update(staffKeys)
            .set({
              status: "active",
              officeSignature: signature,
              signedHomeDistrictId: home!.home_district_id!,
              validUntil,
              signedAt: new Date(),
            })
            .where(eq(staffKeys.id, "key_low_order_pending")),
        ),
    );
    const route = await withDb(async (db) => routeTip(db, serverEnv(server), "tj-jinnan"));
    expect(route.ok).toBe(true);
    const readers = route.ok ? route.recipients.map((r) => r.staffId) : [];
    expect(readers.length).toBeGreaterThan(0);
    expect(readers).not.toContain(MEMBER);
  });
});
