/**
 * Issue 12 item 1: no acknowledged write is lost when the server is killed (`kill -9`) in the
 * middle of a load, with the real server as `npm start` runs it.
 *
 * Residents: many concurrent clients, each from its own loopback address (so per-client limits
 * behave as in production), send realistic sealed tips (16 KiB payload, one envelope per reader,
 * every fourth with a 200 KB encrypted photo). After a randomly chosen number of 201 answers
 * (plus a random few milliseconds) the server gets SIGKILL while other submissions are in flight.
 * After a restart on the same data:
 * - every tip whose 201 reached its client is stored, opens for the team (the marker inside its
 *   payload is the one that client sent) and opens on the status page (POST /api/status/open);
 * - no tip is half-written: every stored tip has all its envelopes, and every attachment is
 *   complete with all its chunks (a tip the kill interrupted is either whole or absent);
 * - SQLite's `PRAGMA integrity_check` says ok, and the audit chain verifies.
 * This runs several times with different kill points on one data directory.
 *
 * Staff: a team member changes the status of many tips and writes to their tipsters at once; the
 * server is killed mid-run; every change whose 200 arrived is there after the restart and the
 * tipster can read the message.
 *
 * The counts of each round are printed (docs/reliability.md quotes them).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openSignedStaffMessage,
  openTipKeysAsTipster,
  sealSignedStaffMessage,
} from "../../crypto/index";
import { verifyAuditChain } from "~/services/audit.server";
import { csrfToken } from "~/services/csrf.server";
import {
  LoopbackAddresses,
  openStatus,
  postReport,
  prepareReports,
  readersFor,
  request,
  runPool,
  sealLoadTips,
  type HttpResult,
  type LoadReader,
  type LoadTip,
  type ReadyReport,
  TeamReader,
} from "../support/load";
import { rawSql, startServer, TEST_ENGINE, type RunningServer } from "../support/server";
import { loginAs } from "../support/staff-login";
import { serverEnv, withDb } from "../support/tip-fixture";

/** Fewer rounds on PostgreSQL: there a kill of the app server cannot tear the database file. */
const ROUNDS = TEST_ENGINE === "sqlite" ? 3 : 1;
const TIPS_PER_ROUND = 36;
const CONCURRENCY = 12;
const INSPECTOR = "staff-tj-beichen-inspector1";

let server: RunningServer;
let readers: LoadReader[];
const summary: string[] = [];

beforeAll(async () => {
  // A low proof-of-work difficulty (accepted in demo mode only) keeps the solving short.
  server = await startServer({ env: { POW_DIFFICULTY: "8" } });
  readers = await readersFor(server, "tj-jinnan");
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (summary.length) console.log(`\ncrash durability (${TEST_ENGINE}):\n${summary.join("\n")}`);
});

async function restart(): Promise<void> {
  server = await startServer({ dataDir: server.dataDir, env: { POW_DIFFICULTY: "8" } });
}

/** Sends SIGKILL once `after` acknowledgements arrived (plus a random 0–20 ms). */
function killSwitch(after: number) {
  let acked = 0;
  let fired = false;
  return {
    onAck() {
      acked++;
      if (acked === after && !fired) {
        fired = true;
        setTimeout(() => server.proc.kill("SIGKILL"), Math.floor(Math.random() * 20));
      }
    },
    get fired() {
      return fired;
    },
  };
}

const randomBetween = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
const isTrue = (v: unknown) => v === true || v === 1 || v === "1" || v === "t";

/** Every stored tip and attachment is whole; returns the number of tips stored. */
async function assertNothingHalfWritten(): Promise<number> {
  const envelopes = await rawSql<{ id: string; n: number | string }>(
    server.database,
    `select t.id, (select count(*) from tip_envelopes e where e.tip_id = t.id and e.kind = 'tip') as n
       from tips t where t.target_district_id = 'tj-jinnan' and t.routed_to <> 'office'`,
  );
  for (const row of envelopes) expect(Number(row.n), `envelopes of ${row.id}`).toBeGreaterThan(0);
  const files = await rawSql<{
    id: string;
    tip: string | null;
    complete: unknown;
    chunk_count: number | string;
    ciphertext_size: number | string;
    chunks: number | string;
    bytes: number | string | null;
  }>(
    server.database,
    `select a.id, t.id as tip, a.complete, a.chunk_count, a.ciphertext_size,
            (select count(*) from attachment_chunks c where c.attachment_id = a.id) as chunks,
            (select sum(length(c.data)) from attachment_chunks c where c.attachment_id = a.id) as bytes
       from attachments a left join tips t on t.id = a.tip_id`,
  );
  for (const f of files) {
    expect(f.tip, `attachment ${f.id} belongs to a stored tip`).toBeTruthy();
    expect(isTrue(f.complete), `attachment ${f.id} complete`).toBe(true);
    expect(Number(f.chunks), `chunks of ${f.id}`).toBe(Number(f.chunk_count));
    expect(Number(f.bytes ?? 0), `bytes of ${f.id}`).toBe(Number(f.ciphertext_size));
  }
  return envelopes.length;
}

async function assertStoreIntact(): Promise<void> {
  if (TEST_ENGINE === "sqlite") {
    const rows = await rawSql<{ integrity_check: string }>(
      server.database,
      "pragma integrity_check",
    );
    expect(rows.map((r) => r.integrity_check)).toEqual(["ok"]);
  }
  const verdict = await withDb(server, (db) => verifyAuditChain(db));
  expect(verdict.ok).toBe(true);
}

const team = new TeamReader(INSPECTOR);

async function tipIdOf(tip: LoadTip): Promise<string | undefined> {
  const rows = await rawSql<{ id: string }>(
    server.database,
    "select id from tips where receipt_auth_hash = $1",
    [tip.receiptAuthHash],
  );
  return rows[0]?.id;
}

/** Tips acknowledged in earlier rounds, for the staff round. */
const stored: { tip: LoadTip; tipId: string }[] = [];

describe("kill -9 during resident submissions", () => {
  it(`every acknowledged tip survives kill -9 at ${ROUNDS === 1 ? "a random point" : `${ROUNDS} random points`}, nothing half-written`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const tips = await sealLoadTips(readers, TIPS_PER_ROUND, {
        salt: serverEnv(server).receiptSalt,
        attachmentBytes: 200_000,
        attachmentEvery: 4,
        tag: `crash${round}`,
      });
      const addresses = new LoopbackAddresses(20 + round);
      const reports: ReadyReport[] = await prepareReports(server.url, tips, addresses);
      const killAt = randomBetween(6, Math.floor(TIPS_PER_ROUND * 0.6));
      const kill = killSwitch(killAt);
      const results = new Map<LoadTip, HttpResult>();
      await runPool(reports, CONCURRENCY, async (r) => {
        const res = await postReport(server.url, r, addresses.next());
        results.set(r.tip, res);
        if (res.status === 201) kill.onAck();
      });
      expect(kill.fired, "the server was killed mid-run").toBe(true);
      await server.exited;
      expect(server.proc.signalCode).toBe("SIGKILL");

      const acked = [...results].filter(([, r]) => r.status === 201).map(([t]) => t);
      const lost = [...results].filter(([, r]) => r.status === 0).length;
      // Anything else than 201 or "no answer" is a bug (e.g. a 500 while the kill happened).
      const other = [...results].filter(([, r]) => r.status !== 201 && r.status !== 0);
      expect(other.map(([, r]) => r.status)).toEqual([]);

      await restart();
      for (const tip of acked) {
        const tipId = await tipIdOf(tip);
        expect(tipId, `acknowledged ${tip.marker} is stored`).toBeTruthy();
        // …as the very tip its acknowledgement named.
        expect(results.get(tip)!.json.tipId, tip.marker).toBe(tipId);
        expect(JSON.stringify(await team.openPayload(server.database, tipId!))).toContain(
          `[${tip.marker}]`,
        );
        stored.push({ tip, tipId: tipId! });
      }
      // The tipster can follow each acknowledged tip (first and last checked over HTTP).
      for (const tip of [acked[0]!, acked[acked.length - 1]!]) {
        const res = await openStatus(server.url, tip.authSecret, `127.${40 + round}.0.1`);
        expect(res.status, tip.marker).toBe(200);
      }
      const unacked = tips.filter((t) => results.get(t)?.status !== 201);
      let storedUnacked = 0;
      for (const t of unacked) if (await tipIdOf(t)) storedUnacked++;
      await assertNothingHalfWritten();
      await assertStoreIntact();
      summary.push(
        `  round ${round}: killed after ${killAt} acks; sent ${results.size} of ${TIPS_PER_ROUND}, ` +
          `acknowledged ${acked.length}, found after restart ${acked.length}/${acked.length}, ` +
          `no answer ${lost} (stored anyway ${storedUnacked}), integrity ok, audit chain ok`,
      );
    }
  }, 600_000);
});

describe("kill -9 during staff writes", () => {
  it("every acknowledged status change and message survives, and the tipster reads it", async () => {
    expect(stored.length).toBeGreaterThanOrEqual(6);
    const session = await loginAs(server.database, INSPECTOR);
    const csrf = csrfToken(serverEnv(server), session.sessionId);
    const jobs = [];
    for (const { tip, tipId } of stored.slice(0, 24)) {
      const { keys } = await team.tipKeys(server.database, tipId);
      const row = (
        await rawSql<{ pk: Uint8Array }>(
          server.database,
          "select tipster_public_key as pk from tips where id = $1",
          [tipId],
        )
      )[0]!;
      const text = `已受理 ${tip.marker}`;
      const sealed = sealSignedStaffMessage({
        body: { text },
        tipsterPublicKey: new Uint8Array(row.pk),
        keys,
        signer: team.signer(),
        context: { kind: "status", status: "accepted" },
        writtenAtMs: Date.now(),
      });
      jobs.push({
        tip,
        tipId,
        text,
        body: Buffer.from(
          JSON.stringify({
            status: "accepted",
            message: {
              forTipster: Buffer.from(sealed.forTipster).toString("base64url"),
              teamCopy: Buffer.from(sealed.teamCopy).toString("base64url"),
            },
          }),
        ),
      });
    }
    const addresses = new LoopbackAddresses(60);
    const killAt = randomBetween(3, Math.floor(jobs.length / 2));
    const kill = killSwitch(killAt);
    const acked: typeof jobs = [];
    await runPool(jobs, 6, async (job) => {
      const res = await request(server.url, {
        method: "POST",
        path: `/api/staff/tips/${job.tipId}/status`,
        localAddress: addresses.next(),
        headers: {
          Cookie: session.cookie,
          "Content-Type": "application/json",
          "X-CSRF-Token": csrf,
        },
        body: job.body,
      });
      expect([0, 200]).toContain(res.status);
      if (res.status === 200) {
        acked.push(job);
        kill.onAck();
      }
    });
    expect(kill.fired).toBe(true);
    await server.exited;
    await restart();

    for (const job of acked) {
      const history = await rawSql<{ status: string; msg: Uint8Array | null }>(
        server.database,
        "select status, public_message as msg from tip_status_history where tip_id = $1",
        [job.tipId],
      );
      const accepted = history.find((h) => h.status === "accepted");
      expect(accepted, `status change on ${job.tipId}`).toBeTruthy();
      const tips = await rawSql<{ status: string }>(
        server.database,
        "select status from tips where id = $1",
        [job.tipId],
      );
      expect(tips[0]?.status).toBe("accepted");
      const envelope = (
        await rawSql<{ env: Uint8Array }>(
          server.database,
          "select tipster_envelope as env from tips where id = $1",
          [job.tipId],
        )
      )[0]!.env;
      const secret = job.tip.tipsterSecretKey!;
      const tipKeys = openTipKeysAsTipster(new Uint8Array(envelope), secret);
      const opened = openSignedStaffMessage(new Uint8Array(accepted!.msg!), secret, tipKeys);
      expect(opened.body.text).toBe(job.text);
    }
    await assertNothingHalfWritten();
    await assertStoreIntact();
    summary.push(
      `  staff: killed after ${killAt} acks; acknowledged ${acked.length} of ${jobs.length} ` +
        `status changes with a message, found after restart ${acked.length}/${acked.length}`,
    );
  }, 300_000);
});
