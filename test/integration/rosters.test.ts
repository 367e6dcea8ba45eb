/**
 * Signed rosters decide who can read (DESIGN §4, ADR 017), against the real built server:
 *
 * - A `team_members` row written with SQL alone — another office's admin put into the 北辰 team
 *   stationed in 津南区 — changes nothing: the 津南 readers offered to the browser stay the same,
 *   because no roster the Tianjin office signed lists that key.
 * - Publishing a roster changes who can read new tips at once: the office admin's key (unwrapped
 *   as its browser does) signs the drafted roster, the server verifies it under the build's key,
 *   and the very next report page and submission use the new readers.
 * - Forged, foreign, stale and malformed rosters are refused with a localized 4xx.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  base64urlDecode,
  base64urlEncode,
  generateStaffKeys,
  signRoster,
} from "../../crypto/index";
import { csrfToken } from "~/services/csrf.server";
import { closeDb, openDb, withTx, type Db } from "../../db/client";
import { auditLog, rosters, staffKeys, teamMembers, tipEnvelopes, tips } from "../../db/schema";
import { fetchFresh, sendSealedReport, type OfferedReader } from "../support/report-fixture";
import { loginAs } from "../support/staff-login";
import { startServer, type RunningServer } from "../support/server";
import { DEMO_KEY_PASSPHRASE, serverEnv } from "../support/tip-fixture";
import { unwrapStaffKeysCached } from "../support/kdf-cache";

const BEICHEN_TEAM = "tj-r4-team-beichen";
const JINNAN_STATIONING = "tj-r4-st-beichen";

let server: RunningServer;

interface ApiJson {
  error?: { code: string };
  serial?: number;
  drafts?: unknown[];
}

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

/**
 * The readers the 津南 report page hands to the browser: every key whose id and box public key
 * are both in the page as served (its loader data).
 */
async function offeredReaders(): Promise<OfferedReader[]> {
  const html = await (await fetchFresh(`${server.url}/report?district=tj-jinnan`)).text();
  const keys = await withDb((db) => db.select().from(staffKeys));
  const found = keys
    .map((k) => ({
      staffKeyId: k.id,
      boxPublicKey: base64urlEncode(new Uint8Array(k.boxPublicKey)),
    }))
    .filter((k) => html.includes(k.staffKeyId) && html.includes(k.boxPublicKey));
  expect(found.length).toBeGreaterThan(0);
  return found.sort((a, b) => a.staffKeyId.localeCompare(b.staffKeyId));
}

async function activeKeyOf(staffId: string) {
  return (
    await withDb((db) =>
      db
        .select()
        .from(staffKeys)
        .where(and(eq(staffKeys.staffId, staffId), eq(staffKeys.status, "active")))
        .limit(1),
    )
  )[0]!;
}

const sendReport = (readers: OfferedReader[]) => sendSealedReport(server, readers);

async function asOffice(method: "GET" | "POST", body?: unknown, staffId = "staff-tj-office") {
  const s = await loginAs(server.database, staffId);
  const res = await fetchFresh(`${server.url}/api/staff/rosters`, {
    method,
    headers: {
      Cookie: s.cookie,
      "X-CSRF-Token": csrfToken(serverEnv(server), s.sessionId),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as ApiJson };
}

interface Draft {
  kind: string;
  rosterId: string;
  serial: number;
  bytes: string | null;
  upToDate: boolean;
  readers: { memberId: string; role: string }[];
  leftOut: { memberId: string; why: string }[];
}

async function jinnanDraft(): Promise<Draft> {
  const res = await asOffice("GET");
  expect(res.status).toBe(200);
  return (res.json.drafts as Draft[]).find((d) => d.rosterId === JINNAN_STATIONING)!;
}

/** The Tianjin office admin's signing key, unwrapped with its passphrase as its browser does. */
async function officeSigningKey(): Promise<Uint8Array> {
  const row = await activeKeyOf("staff-tj-office");
  const keys = await unwrapStaffKeysCached(
    new Uint8Array(row.wrappedSecretKey),
    DEMO_KEY_PASSPHRASE,
  );
  return keys.signSecretKey;
}

const addToBeichenTeam = (staffId: string) =>
  withDb((db) =>
    withTx(db, (tx) =>
      tx
        .insert(teamMembers)
        .values({ teamId: BEICHEN_TEAM, staffId, role: "member", joinedAt: new Date(0) }),
    ),
  );

describe("signed rosters decide who can read", () => {
  it("a team_members row putting sc.office into the 北辰 team leaves the 津南 readers unchanged", async () => {
    const before = await offeredReaders();
    await addToBeichenTeam("staff-sc-office");
    const scKey = await activeKeyOf("staff-sc-office");
    expect(scKey.officeSignature).not.toBeNull(); // a genuinely signed key, by its own office

    const after = await offeredReaders();
    expect(after).toEqual(before);
    expect(after.map((r) => r.staffKeyId)).not.toContain(scKey.id);
    // And a report sealed to the readers on the page is still accepted.
    expect((await sendReport(after)).status).toBe(201);
    // The Tianjin office's draft does not list another office's staff either.
    expect((await jinnanDraft()).readers.map((r) => r.memberId)).not.toContain("staff-sc-office");
  }, 120_000);

  it("publishing a roster changes who can read new tips at once", async () => {
    const before = await offeredReaders();
    const officeKey = await activeKeyOf("staff-tj-office");
    // The registry says tj.office joins the 北辰 team; until the office signs, nothing changes.
    await addToBeichenTeam("staff-tj-office");
    expect(await offeredReaders()).toEqual(before);

    const draft = await jinnanDraft();
    expect(draft.upToDate).toBe(false);
    expect(draft.readers.map((r) => r.memberId)).toContain("staff-tj-office");
    expect(draft.leftOut).toContainEqual({ memberId: "staff-tj-jinnan-local", why: "home" });
    const bytes = base64urlDecode(draft.bytes!);
    const signature = signRoster(bytes, await officeSigningKey());
    const published = await asOffice("POST", {
      roster: draft.bytes,
      signature: base64urlEncode(signature),
    });
    expect(published.status).toBe(200);
    expect(published.json.serial).toBe(draft.serial);

    const after = await offeredReaders();
    expect(after.map((r) => r.staffKeyId).sort()).toEqual(
      [...before.map((r) => r.staffKeyId), officeKey.id].sort(),
    );
    // A report sealed to the old readers is refused; sealed to the new ones it is stored for them.
    const stale = await sendReport(before);
    expect(stale.status).toBe(409);
    expect(stale.json.error?.code).toBe("recipients_changed");
    const fresh = await sendReport(after);
    expect(fresh.status).toBe(201);
    const stored = await withDb(async (db) => {
      const tip = (await db.select().from(tips).orderBy(tips.createdAt)).at(-1)!;
      return db.select().from(tipEnvelopes).where(eq(tipEnvelopes.tipId, tip.id));
    });
    expect(stored.map((e) => e.staffId)).toContain("staff-tj-office");
    // Audited, and the draft is now up to date.
    const audit = await withDb((db) =>
      db.select().from(auditLog).where(eq(auditLog.action, "roster.sign")),
    );
    expect(audit.map((a) => a.objectId)).toContain(JINNAN_STATIONING);
    expect((await jinnanDraft()).upToDate).toBe(true);

    // Publishing the same serial again is stale.
    const again = await asOffice("POST", {
      roster: draft.bytes,
      signature: base64urlEncode(signature),
    });
    expect(again.status).toBe(409);
    expect(again.json.error?.code).toBe("roster_stale");
  }, 180_000);

  it("refuses forged, foreign and malformed rosters with a 4xx and stores nothing", async () => {
    const count = () => withDb((db) => db.$count(rosters));
    const n = await count();
    const draft = await jinnanDraft();
    const bytes = base64urlDecode(draft.bytes!);
    const attacker = generateStaffKeys();
    const forged = await asOffice("POST", {
      roster: draft.bytes,
      signature: base64urlEncode(signRoster(bytes, attacker.signSecretKey)),
    });
    expect(forged.status).toBe(400);
    expect(forged.json.error?.code).toBe("roster_bad_signature");
    // Signed by the right key but posted by another office's admin.
    const foreign = await asOffice(
      "POST",
      {
        roster: draft.bytes,
        signature: base64urlEncode(signRoster(bytes, await officeSigningKey())),
      },
      "staff-sc-office",
    );
    expect(foreign.status).toBe(400);
    expect(foreign.json.error?.code).toBe("roster_bad_signature");
    const truncated = await asOffice("POST", {
      roster: base64urlEncode(bytes.subarray(0, bytes.length - 3)),
      signature: base64urlEncode(new Uint8Array(65)),
    });
    expect(truncated.status).toBe(400);
    const notBase64 = await asOffice("POST", { roster: "!!", signature: "??" });
    expect(notBase64.status).toBe(400);
    // Only the office admin may publish.
    const s = await loginAs(server.database, "staff-tj-beichen-leader");
    const leader = await fetchFresh(`${server.url}/api/staff/rosters`, {
      headers: { Cookie: s.cookie },
    });
    expect(leader.status).toBe(403);
    expect(await count()).toBe(n);
  }, 120_000);
});
