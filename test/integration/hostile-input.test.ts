/**
 * Hostile input on every endpoint (issue 11, must show): fast-check properties over every route
 * file in `app/routes/` — the list is generated from the directory, so a new route is swept
 * without anyone adding it here — against one real server.
 *
 * Each request is one of: a malformed or wrong-typed JSON body (fields the routes read, with
 * numbers, arrays, objects, nulls, lone surrogates, bad base64url and oversize strings where they
 * expect something else), a form body with the same, bytes that are not UTF-8 (as JSON, as a
 * form, as text), a broken multipart body (a file name over 255 UTF-8 bytes among them), or
 * oversize; path parameters and query values are hostile too (invalid percent-encoding, invalid
 * UTF-8, oversize, traversal). Requests come signed out and as signed-in staff with a valid CSRF
 * token (so they reach validation, not only the door), each from its own forwarded address
 * (TRUST_PROXY) so per-client limits do not hide the code behind them.
 *
 * Every answer is below 500; every hostile write (anything but GET) is a 4xx (signing out
 * excepted, which redirects whatever it is sent); and the database is unchanged: row counts and a
 * checksum of every table before and after each route's run (sessions without their last-seen
 * time; the audit log may only grow by reads and refusals, and still holds its old head).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfToken } from "~/services/csrf.server";
import { verifyAuditChain } from "~/services/audit.server";
import { loginAs } from "../support/staff-login";
import { REPO_ROOT, startServer, type RunningServer } from "../support/server";
import { createTestTip, serverEnv, withDb } from "../support/tip-fixture";

const isPg = (db: string) => /^postgres(ql)?:\/\//i.test(db);

/** Runs per route; the whole sweep is sized to about a minute on a loaded 2-core machine. */
const RUNS_PER_ROUTE = Number(process.env.HOSTILE_RUNS ?? 14);

// ------------------------------------------------------------------ the routes, from the files
interface Route {
  id: string;
  /** Path segments; `:name` a parameter, `*` the splat. */
  segments: string[];
}

function routes(): Route[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, "app/routes"))
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => f.replace(/\.(ts|tsx)$/, ""))
    .sort()
    .map((id) => ({
      id,
      // Remix flat routes: "." separates segments, "_index" is the index, a leading "_" is a
      // pathless layout, a trailing "_" opts out of nesting, "$x" a parameter, "$" the splat.
      segments: id
        .split(".")
        .filter((s) => s !== "_index" && !s.startsWith("_"))
        .map((s) => s.replace(/_$/, ""))
        .map((s) => (s === "$" ? "*" : s.startsWith("$") ? `:${s.slice(1)}` : s)),
    }));
}

// ------------------------------------------------------------------ hostile values
const OVERSIZE = "字".repeat(70_000); // ~210 KB of UTF-8, past every field limit
const BAD_B64 = [
  "AAAB", // 3 bytes, but as 4 chars with trailing bits set in a 43-char secret below
  "A".repeat(42) + "B", // 43 chars whose unused low bits are not zero (the issue's 500)
  "A===",
  "!!!!",
  "AAAA=",
  "A",
  "a+b/c==",
  "AA AA",
  "\u0000AAA",
];
const hostileString = fc.oneof(
  fc.constantFrom(...BAD_B64),
  fc.constant(OVERSIZE),
  fc.string({ maxLength: 40, unit: "binary" }),
  // lone surrogates: not encodable as UTF-8
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => `x${String.fromCharCode(c)}y`),
  fc.constantFrom("", " ", "\u0000", "../../etc/passwd", "%", "%FF", "<script>", "null", "-1"),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2)),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), hostileString, { maxKeys: 3 }),
  fc.constant(Array.from({ length: 5000 }, () => "A")), // oversize array
);

/** Field names the routes read (zod schemas and forms), so bodies reach the field checks. */
const FIELDS = [
  "status",
  "message",
  "kind",
  "body",
  "forTipster",
  "teamCopy",
  "reason",
  "approve",
  "signature",
  "validUntilMs",
  "op",
  "boxPublicKey",
  "signPublicKey",
  "wrapped",
  "roster",
  "authSecret",
  "receipt",
  "pow",
  "challenge",
  "solution",
  "files",
  "header",
  "payload",
  "envelopes",
  "meta",
  "priority",
  "tipIds",
  "action",
  "label",
  "assigneeId",
  "district",
  "unit",
  "districtId",
  "unitId",
  "category",
  "identity",
  "username",
  "password",
  "code",
  "name",
  "role",
  "homeOrganisation",
  "lang",
  "redirectTo",
  "text",
  "after",
  "since",
  "page",
  "anchor",
  "keyId",
  "nonce",
  "ciphertext",
  "recipients",
  "version",
];
// Form intents that do something with no other field (sign out everywhere, new recovery codes)
// are left out: those are valid requests, not hostile ones.
const INTENTS = [
  "verify",
  "enrol",
  "invite",
  "set-organisation",
  "disable",
  "reply",
  "open",
  "submit",
  "preview",
  "import",
  "x",
  "",
];

const jsonObject = fc
  .dictionary(fc.constantFrom(...FIELDS), hostileValue, { minKeys: 1, maxKeys: 6 })
  .map((o) => JSON.stringify(o));
const notUtf8 = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map((b) => Buffer.concat([Buffer.from('{"receipt":"'), Buffer.from([0xff, 0xfe, 0xc0]), b]));

type Body = { kind: "none" } | { kind: "bytes"; contentType: string | null; data: Buffer | string };

const FORM_CT = "application/x-www-form-urlencoded";
const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  // malformed / wrong-typed JSON
  fc
    .oneof(
      jsonObject,
      fc
        .jsonValue({ maxDepth: 3 })
        .map((v) => JSON.stringify(v))
        .filter((s) => s !== "{}"),
      fc.constantFrom("{", '{"a":', "[]", "null", '"x"', "1e999", '{"__proto__":{"x":1}}'),
    )
    .chain((data) =>
      fc.constantFrom<Body>(
        { kind: "bytes", contentType: "application/json", data },
        { kind: "bytes", contentType: "text/plain", data },
        { kind: "bytes", contentType: null, data },
      ),
    ),
  // form bodies with hostile values (the CSRF field is added for signed-in actors)
  fc
    .tuple(
      fc.constantFrom(...INTENTS),
      fc.dictionary(fc.constantFrom(...FIELDS), hostileString, { maxKeys: 5 }),
      fc.constantFrom("", "%FF%FE", "%", "a=%E4%B8", "a&&=&b"),
    )
    .map(([intent, fields, raw]): Body => {
      const p = new URLSearchParams({ intent, ...fields });
      return { kind: "bytes", contentType: FORM_CT, data: `${p.toString()}&${raw}` };
    }),
  // bytes that are not UTF-8
  notUtf8.chain((data) =>
    fc.constantFrom<Body>(
      { kind: "bytes", contentType: "application/json", data },
      { kind: "bytes", contentType: FORM_CT, data },
      { kind: "bytes", contentType: "application/json; charset=utf-8", data },
    ),
  ),
  // broken multipart
  fc
    .tuple(
      fc.constantFrom(
        "", // boundary declared, no parts
        '--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nx', // never closed
        `--b\r\nContent-Disposition: form-data; name="files"; filename="${"长".repeat(100)}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--b--\r\n`,
        "--b\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--b--\r\n",
        "garbage without a boundary",
      ),
      fc.constantFrom(
        "multipart/form-data; boundary=b",
        "multipart/form-data",
        "multipart/form-data; boundary=",
      ),
    )
    .map(([data, contentType]): Body => ({ kind: "bytes", contentType, data })),
  // oversize bodies
  fc.constantFrom<Body>(
    {
      kind: "bytes",
      contentType: "application/json",
      data: JSON.stringify({ body: "A".repeat(3_000_000) }),
    },
    { kind: "bytes", contentType: FORM_CT, data: `text=${"A".repeat(3_000_000)}` },
  ),
  fc.constant<Body>({ kind: "none" }),
);

const hostileParam = fc.oneof(
  fc.constantFrom(
    "%FF%FE", // invalid UTF-8
    "%E4%B8", // truncated UTF-8
    "%", // invalid percent-encoding
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e",
    "x".repeat(5000),
    "%F0%9F%98", // truncated emoji
    "tip_%ED%A0%80", // an encoded surrogate
  ),
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s)),
);
const hostileQuery = fc.oneof(
  fc.constant(""),
  fc.tuple(fc.constantFrom(...FIELDS), hostileParam).map(([k, v]) => `?${k}=${v}&${k}=2`),
  fc.constantFrom(
    "?%",
    "?a=%FF",
    "?page=99999999999999999999",
    "?page=-1",
    `?q=${"x".repeat(9000)}`,
  ),
);

// ------------------------------------------------------------------ the database, fingerprinted
const CHANGES_ALLOWED = new Set([
  // reads and refusals are audited, by design
  "tip.read",
  "inbox.read",
  "tip.delivered",
  "tip.access.refused",
  "auth.login.failed",
  "account.list",
  "key.fetch",
  "key.list_pending",
  "grant.list",
]);

interface Fingerprint {
  counts: Record<string, number>;
  sums: Record<string, string>;
}

async function fingerprint(database: string): Promise<Fingerprint> {
  const counts: Record<string, number> = {};
  const sums: Record<string, string> = {};
  const add = (table: string, rows: Record<string, unknown>[]) => {
    counts[table] = rows.length;
    const lines = rows
      .map((r) => {
        const copy = { ...r };
        if (table === "sessions") delete copy.last_seen_at; // touched by any signed-in request
        return JSON.stringify(copy, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
      })
      .sort();
    sums[table] = createHash("sha256").update(lines.join("\n")).digest("hex");
  };
  if (!isPg(database)) {
    const conn = new Database(database, { readonly: true });
    try {
      const tables = conn
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        .all() as { name: string }[];
      for (const { name } of tables)
        if (name !== "audit_log")
          add(name, conn.prepare(`select * from "${name}"`).all() as Record<string, unknown>[]);
    } finally {
      conn.close();
    }
  } else {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ tablename: string }>(
        "select tablename from pg_tables where schemaname = current_schema()",
      );
      for (const { tablename } of tables)
        if (tablename !== "audit_log")
          add(tablename, (await client.query(`select * from "${tablename}"`)).rows);
    } finally {
      await client.end();
    }
  }
  return { counts, sums };
}

// ------------------------------------------------------------------ server, actors, fixture
const ACTORS = {
  leader: "staff-tj-beichen-leader",
  office: "staff-tj-office",
  auditor: "staff-tj-auditor",
} as const;
type Actor = keyof typeof ACTORS | "signedOut";

let server: RunningServer;
let realParams: Record<string, string>;
const sessions = new Map<Actor, { cookie: string; csrf: string }>();

beforeAll(async () => {
  server = await startServer({ env: { TRUST_PROXY: "127.0.0.1" } });
  const tip = await createTestTip(server, { text: "韩城桥村干部虚报冒领补偿款（恶意输入扫描）" });
  realParams = {
    tipId: tip.tipId,
    districtId: "tj-jinnan",
    fileId: "att_doesnotexist",
    keyId: "key_doesnotexist",
    revealId: "rev_doesnotexist",
    token: "not-a-token",
    kind: "districts",
    roundId: "round-doesnotexist",
    findingId: "fnd_doesnotexist",
    transferId: "ct_doesnotexist",
  };
  for (const [actor, id] of Object.entries(ACTORS) as [keyof typeof ACTORS, string][]) {
    const s = await loginAs(server.database, id);
    sessions.set(actor, { cookie: s.cookie, csrf: csrfToken(serverEnv(server), s.sessionId) });
  }
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

let addressCounter = 0;
/** A different client address for every request (TRUST_PROXY trusts the loopback peer). */
const nextAddress = () => {
  addressCounter++;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
};

async function send(
  method: string,
  url: string,
  actor: Actor,
  body: Body,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { "X-Forwarded-For": nextAddress() };
  const s = actor === "signedOut" ? undefined : sessions.get(actor);
  let data: Buffer | string | undefined;
  if (body.kind === "bytes") {
    data = body.data;
    if (body.contentType) headers["Content-Type"] = body.contentType;
    if (s && body.contentType === FORM_CT)
      data = Buffer.concat([Buffer.from(`csrf=${encodeURIComponent(s.csrf)}&`), Buffer.from(data)]);
  }
  if (s) {
    headers.Cookie = s.cookie;
    headers["X-CSRF-Token"] = s.csrf;
  }
  // node:http, not fetch: like a browser or curl it takes the answer as soon as it comes, even
  // while an oversize upload is still being sent (fetch waits for the upload to finish).
  const payload =
    method === "GET" || method === "HEAD" || data === undefined
      ? undefined
      : typeof data === "string"
        ? Buffer.from(data)
        : data;
  if (payload) headers["Content-Length"] = String(payload.length);
  return await new Promise((resolve, reject) => {
    const req = http.request(
      `${server.url}${url}`,
      { method, headers, agent: false, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in 60 s: ${method} ${url}`)));
    req.on("error", (err: NodeJS.ErrnoException) => {
      // A server that refuses an upload before reading it (a large body of the wrong type) closes
      // the connection once it has answered; while the client is still sending, the client's
      // kernel may then see a reset (the server's had unread bytes) and drop the answer. That is
      // a refusal, not a crash: the server must still answer the next request (and the database
      // checks below still run).
      const resetDuringUpload =
        payload !== undefined && (err.code === "ECONNRESET" || err.code === "EPIPE");
      if (!resetDuringUpload) return reject(err);
      fetch(`${server.url}/safety`).then(
        (alive) =>
          alive.ok
            ? resolve({ status: RESET_DURING_UPLOAD, text: "" })
            : reject(new Error(`server answered ${alive.status} after a reset upload: ${url}`)),
        reject,
      );
    });
    if (payload) req.write(payload);
    req.end();
  });
}

/** `send`'s status when the connection was reset while the body was still being sent. */
const RESET_DURING_UPLOAD = -1;

// ------------------------------------------------------------------ the sweep
const ROUTES = routes();

describe("hostile input on every endpoint", () => {
  it("the sweep covers every route file", () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(30);
    // Every parameter the routes use has a real value, so requests can also reach past lookups.
    const params = new Set(
      ROUTES.flatMap((r) => r.segments.filter((s) => s.startsWith(":")).map((s) => s.slice(1))),
    );
    expect([...params].filter((p) => !(p in realParams))).toEqual([]);
  });

  for (const route of ROUTES) {
    it(`${route.id}: never a 500, hostile writes are 4xx, the database is unchanged`, async () => {
      const before = await fingerprint(server.database);
      const chainBefore = await withDb(server, (db) => verifyAuditChain(db));
      expect(chainBefore.ok).toBe(true);
      const failures: string[] = [];
      // Signing out redirects whatever it is sent; so does the second factor without a pending
      // sign-in (back to the first step) — before either reads any input.
      const signingOut = /^staff\.(logout|login_\.totp)$/.test(route.id);
      // The sign-in doors and signing out are for the signed-out: signed in, sign-in redirects
      // to the workspace and signing out (rightly) ends the session.
      const signedOutOnly = signingOut || /^staff\.login(_\.totp)?$/.test(route.id);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH"),
          // Signing out is tried signed out only: signed in, it would (rightly) end the session.
          fc.constantFrom<Actor>(
            ...(signedOutOnly
              ? ["signedOut" as const]
              : (["signedOut", "leader", "office", "auditor"] as const)),
          ),
          fc.array(fc.oneof(fc.constant(null), hostileParam), { minLength: 3, maxLength: 3 }),
          hostileQuery,
          bodyArb,
          async (method, actor, paramChoice, query, body) => {
            let i = 0;
            let hostilePath = false;
            const urlPath =
              "/" +
              route.segments
                .map((s) => {
                  if (!s.startsWith(":") && s !== "*") return s;
                  const choice = paramChoice[i++ % 3];
                  if (choice === null || choice === undefined)
                    return s === "*" ? "no-such-page" : realParams[s.slice(1)]!;
                  hostilePath = true;
                  return choice;
                })
                .join("/");
            const url = `${urlPath === "/" ? "/" : urlPath}${query}`;
            const res = await send(method, url, actor, body);
            const where = `${method} ${url.slice(0, 120)} as ${actor} with ${body.kind === "bytes" ? `${body.contentType} ${String(body.data).slice(0, 80)}` : "no body"}`;
            if (res.status === RESET_DURING_UPLOAD) return true; // refused unread (see `send`)
            if (res.status >= 500)
              failures.push(`${where} → ${res.status} ${res.text.slice(0, 200)}`);
            else if (method !== "GET" && !signingOut && (res.status < 400 || res.status >= 500))
              failures.push(`${where} → ${res.status} (a hostile write must be a 4xx)`);
            else if (
              method === "GET" &&
              hostilePath &&
              res.status < 400 &&
              route.id !== "$" &&
              // A "%2e%2e" segment is a dot segment to the URL parser: fetch sends the request
              // to another path (/api/staff/tips/%2e%2e/findings is /api/staff/findings), which
              // is not this route with a malformed parameter.
              new URL(urlPath, server.url).pathname === urlPath
            )
              failures.push(`${where} → ${res.status} (a malformed path parameter must be a 4xx)`);
            // Every failure is collected (and shown below) rather than stopping at the first.
            return true;
          },
        ),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      expect(failures).toEqual([]);
      const after = await fingerprint(server.database);
      expect(after.counts, "row counts").toEqual(before.counts);
      expect(after.sums, "table checksums").toEqual(before.sums);
      // The audit log still holds its old head and grew only by audited reads and refusals.
      const chainAfter = await withDb(server, (db) =>
        verifyAuditChain(db, {
          anchors: [{ rows: chainBefore.rows, hash: (chainBefore as { head: string }).head }],
        }),
      );
      expect(chainAfter.ok, JSON.stringify(chainAfter)).toBe(true);
      const grown = await withDb(server, async (db) => {
        const { auditLog } = await import("../../db/schema");
        const { gt } = await import("drizzle-orm");
        return db
          .select({ action: auditLog.action })
          .from(auditLog)
          .where(gt(auditLog.seq, chainBefore.rows));
      });
      expect(grown.map((r) => r.action).filter((a) => !CHANGES_ALLOWED.has(a))).toEqual([]);
    }, 120_000);
  }
});
