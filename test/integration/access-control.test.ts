/**
 * Access-control matrix: EVERY staff route (every app/routes/staff.* file) × every role ×
 * signed out, against the real server. A staff route missing from ROUTES fails the test, so a new
 * page cannot ship without saying who may use it.
 *
 * To extend (cases engineer): add a row to ROUTES for each new route file. For tip routes add
 * actors to ACTORS (e.g. "otherTeam": an inspector of a team not stationed there, "homeLocal":
 * "staff-tj-beichen-local", whose home district is 津南) and give them expectations in `by`.
 * The API under /api/staff/* has its own matrix in test/integration/cases-access.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAs } from "../support/staff-login";
import { REPO_ROOT, startServer, type RunningServer } from "../support/server";

/** Who makes the requests: one demo member per role (session rows via loginAs). */
const ACTORS = {
  inspector: "staff-tj-beichen-inspector1",
  team_leader: "staff-tj-beichen-leader",
  liaison: "staff-tj-beichen-liaison",
  office_admin: "staff-tj-office",
  commission_receiver: "staff-tj-jinnan-commission",
  auditor: "staff-tj-auditor",
} as const satisfies Record<string, string>;
type Actor = keyof typeof ACTORS | "signedOut";
const ROLES = Object.keys(ACTORS) as (keyof typeof ACTORS)[];

interface Row {
  /** The route file under app/routes (without extension). */
  file: string;
  method: "GET" | "POST";
  path: string;
  /** Form body for POST; `csrf: true` adds the actor's valid CSRF token. */
  body?: Record<string, string>;
  csrf?: boolean;
  /** Expected status per actor; `others` covers every actor not listed. */
  by: Partial<Record<Actor, number>> & { others: number };
}

const STAFF_ONLY = (ok: number, allowed: readonly (keyof typeof ACTORS)[] = ROLES) => ({
  signedOut: 401,
  ...Object.fromEntries(allowed.map((r) => [r, ok])),
  others: 403,
});

const ROUTES: Row[] = [
  // Workspace pages: signed out 401, without the permission 403, with it 200.
  { file: "staff._index", method: "GET", path: "/staff", by: STAFF_ONLY(200) },
  { file: "staff.account", method: "GET", path: "/staff/account", by: STAFF_ONLY(200) },
  {
    file: "staff.account",
    method: "POST",
    path: "/staff/account",
    body: { intent: "nothing" },
    csrf: true,
    by: STAFF_ONLY(400), // allowed through to the action, which refuses the unknown intent
  },
  {
    file: "staff.account",
    method: "POST",
    path: "/staff/account",
    body: { intent: "sign-out-everywhere" },
    by: { signedOut: 401, others: 403 }, // no CSRF token: refused for everyone
  },
  {
    file: "staff.audit",
    method: "GET",
    path: "/staff/audit",
    by: STAFF_ONLY(200, ["auditor"]),
  },
  {
    file: "staff.audit",
    method: "GET",
    path: "/staff/audit?page=abc&actor=%00&action=' or 1=1 --",
    by: STAFF_ONLY(200, ["auditor"]),
  },
  {
    file: "staff.admin.staff",
    method: "GET",
    path: "/staff/admin/staff",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.admin.staff",
    method: "POST",
    path: "/staff/admin/staff",
    body: { intent: "invite", username: "" },
    csrf: true,
    by: STAFF_ONLY(400, ["office_admin"]), // bad input: a 400 for the admin, never a 500
  },
  // Cases area (detailed per-tip matrix with other-team and home-district members:
  // test/integration/cases-access.test.ts).
  {
    file: "staff.inbox",
    method: "GET",
    path: "/staff/inbox",
    by: STAFF_ONLY(200, ["inspector", "team_leader", "liaison", "office_admin"]),
  },
  {
    file: "staff.tips.$tipId",
    method: "GET",
    path: "/staff/tips/tip_doesnotexist",
    by: STAFF_ONLY(404, ["inspector", "team_leader", "liaison", "office_admin"]),
  },
  {
    file: "staff.keys",
    method: "GET",
    path: "/staff/keys",
    by: STAFF_ONLY(200, [
      "inspector",
      "team_leader",
      "liaison",
      "office_admin",
      "commission_receiver",
    ]),
  },
  {
    file: "staff.admin.keys",
    method: "GET",
    path: "/staff/admin/keys",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.admin.registry",
    method: "GET",
    path: "/staff/admin/registry",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.admin.registry_.export.$kind",
    method: "GET",
    path: "/staff/admin/registry/export/districts",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.admin.rounds._index",
    method: "GET",
    path: "/staff/admin/rounds",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.admin.rounds.$roundId",
    method: "GET",
    path: "/staff/admin/rounds/tj-r4",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.admin.rounds.$roundId_.teams",
    method: "GET",
    path: "/staff/admin/rounds/tj-r4/teams",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.admin.rosters",
    method: "GET",
    path: "/staff/admin/rosters",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.admin.directory",
    method: "GET",
    path: "/staff/admin/directory",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  // Outcomes area (per-finding matrix with other teams and bodies: route-walk.test.ts).
  {
    file: "staff.findings._index",
    method: "GET",
    path: "/staff/findings",
    by: STAFF_ONLY(200, [
      "inspector",
      "team_leader",
      "liaison",
      "office_admin",
      "commission_receiver",
    ]),
  },
  {
    file: "staff.findings.$findingId",
    method: "GET",
    path: "/staff/findings/fnd_doesnotexist",
    by: STAFF_ONLY(404, [
      "inspector",
      "team_leader",
      "liaison",
      "office_admin",
      "commission_receiver",
    ]),
  },
  {
    file: "staff.clues",
    method: "GET",
    path: "/staff/clues",
    by: STAFF_ONLY(200, ["commission_receiver"]),
  },
  {
    file: "staff.outcomes",
    method: "GET",
    path: "/staff/outcomes",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.outcomes",
    method: "POST",
    path: "/staff/outcomes",
    body: { op: "approve" },
    csrf: true,
    by: STAFF_ONLY(400, ["office_admin"]), // no round: a 400 for the office, never a 500
  },
  {
    file: "staff.rounds.$roundId.scorecard",
    method: "GET",
    path: "/staff/rounds/tj-r4/scorecard",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  {
    file: "staff.rounds.$roundId.scorecard[.]csv",
    method: "GET",
    path: "/staff/rounds/tj-r4/scorecard.csv",
    by: STAFF_ONLY(200, ["office_admin"]),
  },
  // Sign-in pages are public (under /staff only for the cookie path).
  { file: "staff.login", method: "GET", path: "/staff/login", by: { signedOut: 200, others: 302 } },
  {
    file: "staff.login",
    method: "POST",
    path: "/staff/login",
    body: { username: "nobody", password: "wrong" },
    by: { signedOut: 401, others: 303 }, // signed in already: straight to the workspace
  },
  {
    file: "staff.login_.totp",
    method: "GET",
    path: "/staff/login/totp",
    by: { signedOut: 302, others: 200 },
  },
  {
    file: "staff.login_.totp",
    method: "POST",
    path: "/staff/login/totp",
    body: { intent: "verify", code: "000000" },
    by: { others: 303 }, // no half-signed-in session: back to the sign-in page
  },
  { file: "staff.logout", method: "GET", path: "/staff/logout", by: { others: 200 } },
  {
    file: "staff.logout",
    method: "POST",
    path: "/staff/logout",
    body: {},
    by: { signedOut: 303, others: 403 }, // signed in but no CSRF token
  },
  {
    file: "staff.invite.$token",
    method: "GET",
    path: "/staff/invite/not-a-real-invitation-token-000",
    by: { others: 404 },
  },
  {
    file: "staff.invite.$token",
    method: "POST",
    path: "/staff/invite/not-a-real-invitation-token-000",
    body: { password: "long enough password", repeat: "long enough password" },
    by: { others: 404 },
  },
];

/** Every staff route file in the tree (what the build's route manifest is made from). */
function staffRouteFiles(): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, "app/routes"))
    .filter((f) => /^staff[._]/.test(f) || /^staff\.tsx?$/.test(f))
    .map((f) => f.replace(/\.(tsx|ts|jsx|js)$/, ""));
}

let server: RunningServer;
let sessionSecret: Buffer;
const cookies = new Map<string, { cookie: string; sessionId: string }>();

beforeAll(async () => {
  server = await startServer();
  const secrets = JSON.parse(fs.readFileSync(path.join(server.dataDir, "secrets.json"), "utf8"));
  sessionSecret = Buffer.from(secrets.SESSION_SECRET as string, "base64");
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** A fresh session per request: some rows (sign out) end the session they use. */
async function sessionFor(actor: Actor) {
  if (actor === "signedOut") return null;
  const s = await loginAs(server.database, ACTORS[actor]);
  cookies.set(actor, s);
  return s;
}

const csrfFor = (sessionId: string) =>
  createHmac("sha256", sessionSecret).update(`csrf:${sessionId}`).digest("base64url");

describe("access-control matrix", () => {
  it("every staff route file has rows in the matrix", () => {
    const covered = new Set(ROUTES.map((r) => r.file));
    const missing = staffRouteFiles().filter((f) => !covered.has(f));
    expect(missing, "add rows for these routes to ROUTES").toEqual([]);
  });

  const actors: Actor[] = ["signedOut", ...ROLES];
  const present = new Set(staffRouteFiles());
  for (const row of ROUTES) {
    // Rows may be written ahead of their route file; they run once the file exists.
    it.skipIf(!present.has(row.file))(
      `${row.method} ${row.path}`,
      async () => {
        const got: Record<string, number> = {};
        const want: Record<string, number> = {};
        for (const actor of actors) {
          const s = await sessionFor(actor);
          const body = row.method === "POST" ? new URLSearchParams(row.body ?? {}) : undefined;
          if (body && row.csrf && s) body.set("csrf", csrfFor(s.sessionId));
          const res = await fetch(`${server.url}${row.path}`, {
            method: row.method,
            headers: s ? { Cookie: s.cookie } : {},
            body,
            redirect: "manual",
          });
          await res.arrayBuffer();
          got[actor] = res.status;
          want[actor] = row.by[actor] ?? row.by.others;
          // Every staff answer, error pages included, is no-store.
          expect(res.headers.get("cache-control"), `${actor}: no-store`).toBe("no-store");
        }
        expect(got).toEqual(want);
      },
      60_000,
    );
  }
});
