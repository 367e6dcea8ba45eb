/**
 * Every route, generated from `app/routes/` (issue 12 items 7 and 8): a route file without an
 * entry in ROUTES below fails the suite and says what to add.
 *
 * 1. Headers, proven on every route against the real server: CSP with a per-request nonce that
 *    every <script> carries and no 'unsafe-inline' script, frame-ancestors 'none', HSTS, nosniff,
 *    Referrer-Policy, Permissions-Policy, and `Cache-Control: no-store` on every page or API that
 *    carries case content or a staff session — on the 200 and on the refusal alike. In demo mode
 *    every page says so (the demo banner).
 * 2. The access matrix: every staff route × actor, where the actor is chosen for their role and
 *    their relation to the tip — own team (leader, inspector), another team, a home-district
 *    member of the own team, a member recused from the tip's district, the office, a receiver of
 *    another body (the district's discipline commission), the auditor, another jurisdiction's
 *    office, and signed out. Tip routes name a 津南 tip (the 北辰 team's), except for the recused
 *    member, whose tip is about 北辰 (where their own team is stationed and they are recused).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfToken } from "~/services/csrf.server";
import { loginAs } from "../support/staff-login";
import { REPO_ROOT, startServer, type RunningServer } from "../support/server";
import { createTestTip, serverEnv } from "../support/tip-fixture";

const ACTORS = {
  leader: "staff-tj-beichen-leader",
  inspector: "staff-tj-beichen-inspector1",
  homeLocal: "staff-tj-jinnan-local",
  otherTeam: "staff-tj-xiqing-leader",
  recused: "staff-tj-xiqing-inspector3",
  office: "staff-tj-office",
  commission: "staff-tj-jinnan-commission",
  auditor: "staff-tj-auditor",
  otherOffice: "staff-sc-office",
} as const;
type Actor = keyof typeof ACTORS | "signedOut";
const ACTOR_NAMES: Actor[] = ["signedOut", ...(Object.keys(ACTORS) as (keyof typeof ACTORS)[])];

interface Fixture {
  /** the 津南 tip, read by the 北辰 team */
  tipId: string;
  /** a 北辰 tip: the 西青 team's, from which the recused member is recused */
  beichenTipId: string;
  revealId: string;
  /** The start of the 津南 tip's ciphertext: must never be in a refusal. */
  payloadStart: string;
  /** The demo's 韩城桥村 finding (the 北辰 team's) and its clue to 津南区纪委监委. */
  findingId: string;
  transferId: string;
}

type Expect = Partial<Record<Actor, number>> & { others: number };
interface Access {
  method: "GET" | "POST";
  /** A JSON body, or one made from the fixture (the ids it needs). */
  body?: unknown;
  by: Expect;
  /** Each actor signs in afresh for this row (it ends the session). */
  fresh?: boolean;
}
interface RouteEntry {
  /** A concrete URL of the route; `actor` picks the tip for tip routes. */
  url: (f: Fixture, actor: Actor) => string;
  /** Carries case content, personal data or a staff session: must be `no-store`. */
  noStore: boolean;
  /** GET answers with an HTML page (checked for script nonces and the demo banner). */
  page: boolean;
  /** Who sees the 200 of the headers walk (signed out when absent). */
  viewer?: Actor;
  /** What the viewer gets when it is not 200 (a reader asking for a file that does not exist). */
  viewerStatus?: number;
  /** Staff routes: expected status for each actor (required for every staff route). */
  access?: Access[];
}

const tipOf = (f: Fixture, actor: Actor) => (actor === "recused" ? f.beichenTipId : f.tipId);
const tipUrl =
  (suffix = "") =>
  (f: Fixture, actor: Actor) =>
    `/api/staff/tips/${tipOf(f, actor)}${suffix}`;

/** Readers of the tip: the 北辰 leader and inspector; other staff 403; signed out 401. */
const TEAM = (ok: number): Expect => ({ signedOut: 401, leader: ok, inspector: ok, others: 403 });
/** Every signed-in member may (their own account, their own key…). */
const ANY_STAFF = (ok: number, except: Partial<Record<Actor, number>> = {}): Expect => ({
  signedOut: 401,
  others: ok,
  ...except,
});
/** Holders of tip:read:team: team members and office admins (the inbox is empty for offices). */
const TIP_READERS = (ok: number): Expect => ({
  signedOut: 401,
  commission: 403,
  auditor: 403,
  others: ok,
});

/** The 韩城桥村 finding's readers: its team, the office, and the receiver of its clue. */
const FINDING_READERS = (ok: number): Expect => ({
  signedOut: 401,
  leader: ok,
  inspector: ok,
  office: ok,
  commission: ok,
  others: 403,
});
/** Every holder of finding:write:team reaches validation; nobody else does. */
const FINDING_WRITERS = (ok: number): Expect => ({
  signedOut: 401,
  office: 403,
  commission: 403,
  auditor: 403,
  otherOffice: 403,
  others: ok,
});
const OFFICE_ONLY = (ok: number): Expect => ({ signedOut: 401, office: ok, others: 403 });
const findingUrl =
  (suffix = "") =>
  (f: Fixture) =>
    `/api/staff/findings/${f.findingId}${suffix}`;

const ROUTES: Record<string, RouteEntry> = {
  // ---------------------------------------------------------------- public
  $: { url: () => "/no-such-page", noStore: false, page: true },
  _index: { url: () => "/", noStore: false, page: true },
  "districts.$districtId": { url: () => "/districts/tj-jinnan", noStore: false, page: true },
  report: { url: () => "/report", noStore: true, page: true },
  safety: { url: () => "/safety", noStore: false, page: true },
  status: { url: () => "/status", noStore: true, page: true },
  lang: { url: () => "/lang", noStore: false, page: false },
  "api.pow": { url: () => "/api/pow", noStore: true, page: false },
  "api.report": { url: () => "/api/report", noStore: true, page: false },
  "api.report.readers": {
    url: () => "/api/report/readers?district=tj-jinnan&unit=tj-jinnan-hanchengqiao",
    noStore: true,
    page: false,
  },
  "api.status.open": { url: () => "/api/status/open", noStore: true, page: false },
  "api.status.reply": { url: () => "/api/status/reply", noStore: true, page: false },
  "results._index": { url: () => "/results", noStore: false, page: true },
  "results[.]atom": { url: () => "/results.atom", noStore: false, page: false },
  // ---------------------------------------------------------------- staff sign-in
  "staff.login": { url: () => "/staff/login", noStore: true, page: true },
  "staff.login_.totp": { url: () => "/staff/login/totp", noStore: true, page: true },
  "staff.invite.$token": { url: () => "/staff/invite/not-a-token", noStore: true, page: true },
  "staff.logout": {
    url: () => "/staff/logout",
    noStore: true,
    page: false,
    access: [{ method: "POST", fresh: true, by: ANY_STAFF(303, { signedOut: 303 }) }],
  },
  // ---------------------------------------------------------------- staff pages
  "staff._index": {
    url: () => "/staff",
    noStore: true,
    page: true,
    viewer: "leader",
    access: [{ method: "GET", by: ANY_STAFF(200) }],
  },
  "staff.account": {
    url: () => "/staff/account",
    noStore: true,
    page: true,
    viewer: "leader",
    access: [{ method: "GET", by: ANY_STAFF(200) }],
  },
  "staff.inbox": {
    url: () => "/staff/inbox",
    noStore: true,
    page: true,
    viewer: "leader",
    access: [{ method: "GET", by: TIP_READERS(200) }],
  },
  "staff.tips.$tipId": {
    url: (f, a) => `/staff/tips/${tipOf(f, a)}`,
    noStore: true,
    page: true,
    viewer: "leader",
    access: [{ method: "GET", by: TEAM(200) }],
  },
  "staff.keys": {
    url: () => "/staff/keys",
    noStore: true,
    page: true,
    viewer: "leader",
    access: [{ method: "GET", by: ANY_STAFF(200, { auditor: 403 }) }],
  },
  "staff.admin.keys": {
    url: () => "/staff/admin/keys",
    noStore: true,
    page: true,
    viewer: "office",
    access: [
      { method: "GET", by: { signedOut: 401, office: 200, otherOffice: 200, others: 403 } },
      // Revoking without the confirmation: a localized 400 for offices, nobody else gets in.
      {
        method: "POST",
        body: { keyId: "key_none" },
        by: { signedOut: 401, office: 400, otherOffice: 400, others: 403 },
      },
    ],
  },
  "staff.admin.registry": {
    url: () => "/staff/admin/registry",
    noStore: true,
    page: true,
    viewer: "office",
    access: [
      { method: "GET", by: { signedOut: 401, office: 200, otherOffice: 200, others: 403 } },
      // Not a multipart form: the office gets a localized 400, nobody else gets in.
      {
        method: "POST",
        body: { kind: "units" },
        by: { signedOut: 401, office: 400, otherOffice: 400, others: 403 },
      },
    ],
  },
  "staff.admin.registry_.export.$kind": {
    url: () => "/staff/admin/registry/export/units",
    noStore: true,
    page: false,
    viewer: "office",
    access: [{ method: "GET", by: { signedOut: 401, office: 200, otherOffice: 200, others: 403 } }],
  },
  "staff.admin.rounds._index": {
    url: () => "/staff/admin/rounds",
    noStore: true,
    page: true,
    viewer: "office",
    access: [
      { method: "GET", by: { signedOut: 401, office: 200, otherOffice: 200, others: 403 } },
      {
        method: "POST",
        body: { intent: "create" },
        by: { signedOut: 401, office: 400, otherOffice: 400, others: 403 },
      },
    ],
  },
  "staff.admin.rounds.$roundId": {
    url: () => "/staff/admin/rounds/tj-r4",
    noStore: true,
    page: true,
    viewer: "office",
    access: [
      // Each office sees its own rounds only: another office gets 404, not the round.
      { method: "GET", by: { signedOut: 401, office: 200, otherOffice: 404, others: 403 } },
      {
        method: "POST",
        body: { intent: "nothing" },
        by: { signedOut: 401, office: 400, otherOffice: 400, others: 403 },
      },
    ],
  },
  "staff.admin.rounds.$roundId_.teams": {
    url: () => "/staff/admin/rounds/tj-r4/teams",
    noStore: true,
    page: true,
    viewer: "office",
    access: [
      // Each office forms its own rounds' teams only: another office gets 404.
      { method: "GET", by: { signedOut: 401, office: 200, otherOffice: 404, others: 403 } },
      {
        method: "POST",
        body: { intent: "nothing" },
        by: { signedOut: 401, office: 400, otherOffice: 400, others: 403 },
      },
    ],
  },
  "staff.admin.rosters": {
    url: () => "/staff/admin/rosters",
    noStore: true,
    page: true,
    viewer: "office",
    access: [{ method: "GET", by: { signedOut: 401, office: 200, otherOffice: 200, others: 403 } }],
  },
  "staff.admin.directory": {
    url: () => "/staff/admin/directory",
    noStore: true,
    page: true,
    viewer: "office",
    access: [{ method: "GET", by: { signedOut: 401, office: 200, otherOffice: 200, others: 403 } }],
  },
  "staff.admin.staff": {
    url: () => "/staff/admin/staff",
    noStore: true,
    page: true,
    viewer: "office",
    access: [{ method: "GET", by: { signedOut: 401, office: 200, otherOffice: 200, others: 403 } }],
  },
  "staff.audit": {
    url: () => "/staff/audit",
    noStore: true,
    page: true,
    viewer: "auditor",
    access: [{ method: "GET", by: { signedOut: 401, auditor: 200, others: 403 } }],
  },
  "staff.findings._index": {
    url: () => "/staff/findings",
    noStore: true,
    page: true,
    viewer: "leader",
    access: [{ method: "GET", by: ANY_STAFF(200, { auditor: 403 }) }],
  },
  "staff.findings.$findingId": {
    url: (f) => `/staff/findings/${f.findingId}`,
    noStore: true,
    page: true,
    viewer: "leader",
    access: [{ method: "GET", by: FINDING_READERS(200) }],
  },
  "staff.clues": {
    url: () => "/staff/clues",
    noStore: true,
    page: true,
    viewer: "commission",
    access: [{ method: "GET", by: { signedOut: 401, commission: 200, others: 403 } }],
  },
  "staff.outcomes": {
    url: () => "/staff/outcomes",
    noStore: true,
    page: true,
    viewer: "office",
    access: [{ method: "GET", by: { signedOut: 401, office: 200, otherOffice: 200, others: 403 } }],
  },
  "staff.rounds.$roundId.scorecard": {
    url: () => "/staff/rounds/tj-r4/scorecard",
    noStore: true,
    page: true,
    viewer: "office",
    access: [{ method: "GET", by: OFFICE_ONLY(200) }],
  },
  "staff.rounds.$roundId.scorecard[.]csv": {
    url: () => "/staff/rounds/tj-r4/scorecard.csv",
    noStore: true,
    page: false,
    viewer: "office",
    access: [{ method: "GET", by: OFFICE_ONLY(200) }],
  },
  // ---------------------------------------------------------------- staff API
  "api.staff.findings._index": {
    url: () => "/api/staff/findings",
    noStore: true,
    page: false,
    viewer: "leader",
    access: [
      { method: "GET", by: ANY_STAFF(200, { auditor: 403 }) },
      { method: "POST", body: {}, by: FINDING_WRITERS(400) },
    ],
  },
  "api.staff.findings.$findingId._index": {
    url: findingUrl(),
    noStore: true,
    page: false,
    viewer: "leader",
    access: [
      { method: "GET", by: FINDING_READERS(200) },
      // An edit that is no sealed body: the team reaches the check, nobody else does.
      { method: "POST", body: { op: "body", body: "AAAA" }, by: TEAM(400) },
    ],
  },
  "api.staff.findings.$findingId.files.$fileId": {
    url: findingUrl("/files/rf_doesnotexist"),
    noStore: true,
    page: false,
    viewer: "leader",
    viewerStatus: 404,
    // Evidence is for the team and the office, never the receiver.
    access: [
      {
        method: "GET",
        by: { signedOut: 401, leader: 404, inspector: 404, office: 404, others: 403 },
      },
    ],
  },
  "api.staff.findings.$findingId.notify": {
    url: findingUrl("/notify"),
    noStore: true,
    page: false,
    // A message for a tip that is not linked: the team learns that; nobody else gets that far.
    access: [
      {
        method: "POST",
        body: { tipMessages: [{ tipId: "tip_notlinked", forTipster: "AAAA", teamCopy: "AAAA" }] },
        by: TEAM(409),
      },
    ],
  },
  "api.staff.findings.$findingId.resolutions": {
    url: findingUrl("/resolutions"),
    noStore: true,
    page: false,
    access: [
      {
        method: "POST",
        body: {
          kind: "refund",
          resolvedAt: "2026-01-01T00:00:00Z",
          details: "AAAA",
          tipMessages: [],
        },
        by: TEAM(400),
      },
    ],
  },
  "api.staff.findings.$findingId.tips": {
    url: findingUrl("/tips"),
    noStore: true,
    page: false,
    // The team links its 津南 tip (again: a no-op); nobody else may link.
    access: [
      { method: "POST", body: (f: Fixture) => ({ op: "link", tipId: f.tipId }), by: TEAM(200) },
    ],
  },
  "api.staff.findings.$findingId.transfers": {
    url: findingUrl("/transfers"),
    noStore: true,
    page: false,
    viewer: "leader",
    access: [
      { method: "GET", by: TEAM(200) },
      {
        method: "POST",
        body: { bodyId: "rb_doesnotexist", envelopes: [], tipMessages: [] },
        by: TEAM(400),
      },
    ],
  },
  "api.staff.clues._index": {
    url: () => "/api/staff/clues",
    noStore: true,
    page: false,
    viewer: "commission",
    access: [{ method: "GET", by: { signedOut: 401, commission: 200, others: 403 } }],
  },
  "api.staff.clues.$transferId": {
    url: (f) => `/api/staff/clues/${f.transferId}`,
    noStore: true,
    page: false,
    viewer: "commission",
    access: [
      { method: "GET", by: { signedOut: 401, commission: 200, others: 403 } },
      // A note that is no sealed note: only the receiver reaches the check.
      {
        method: "POST",
        body: { outcome: "closed", note: "AAAA" },
        by: { signedOut: 401, commission: 400, others: 403 },
      },
    ],
  },
  "api.staff.rounds.$roundId.look-back": {
    url: () => "/api/staff/rounds/tj-r4/look-back",
    noStore: true,
    page: false,
    // A check before the round's look-back is open: the office learns that; nobody else may ask.
    access: [
      {
        method: "POST",
        body: (f: Fixture) => ({
          op: "check",
          findingId: f.findingId,
          problemConfirmed: true,
          rectification: "verified",
        }),
        by: OFFICE_ONLY(400),
      },
    ],
  },
  "api.staff.tips.$tipId.findings": {
    url: tipUrl("/findings"),
    noStore: true,
    page: false,
    viewer: "leader",
    access: [{ method: "GET", by: TEAM(200) }],
  },
  "api.staff.inbox": {
    url: () => "/api/staff/inbox",
    noStore: true,
    page: false,
    viewer: "leader",
    access: [{ method: "GET", by: TIP_READERS(200) }],
  },
  "api.staff.tips.$tipId._index": {
    url: tipUrl(),
    noStore: true,
    page: false,
    viewer: "leader",
    access: [{ method: "GET", by: TEAM(200) }],
  },
  "api.staff.tips.$tipId.files.$fileId": {
    url: tipUrl("/files/att_doesnotexist"),
    noStore: true,
    page: false,
    viewer: "leader",
    viewerStatus: 404,
    // The readers learn the file does not exist; nobody else learns anything about the tip.
    access: [{ method: "GET", by: TEAM(404) }],
  },
  "api.staff.tips.$tipId.identity": {
    url: tipUrl("/identity"),
    noStore: true,
    page: false,
    viewer: "leader",
    viewerStatus: 403, // nobody holds an approved request for it here
    access: [
      // No approved request yet: the block is served to nobody.
      { method: "GET", by: { signedOut: 401, others: 403 } },
      // A reason too short to be one: a reader gets 400, everybody else still 403.
      { method: "POST", body: { reason: "看" }, by: TEAM(400) },
    ],
  },
  "api.staff.tips.$tipId.shares": {
    url: tipUrl("/shares"),
    noStore: true,
    page: false,
    // A reason too short to be one: a visiting reader gets 400, everybody else 403.
    access: [
      {
        method: "POST",
        body: { staffKeyId: "key_nope", envelope: "AAAA", reason: "看" },
        by: TEAM(400),
      },
    ],
  },
  "api.staff.tips.$tipId.messages": {
    url: tipUrl("/messages"),
    noStore: true,
    page: false,
    access: [{ method: "POST", body: { kind: "internal_note", body: "AA" }, by: TEAM(400) }],
  },
  "api.staff.tips.$tipId.read": {
    url: tipUrl("/read"),
    noStore: true,
    page: false,
    access: [{ method: "POST", body: {}, by: TEAM(200) }],
  },
  "api.staff.tips.$tipId.status": {
    url: tipUrl("/status"),
    noStore: true,
    page: false,
    // A valid body, so that access (not validation) decides.
    access: [{ method: "POST", body: { status: "under_review", message: null }, by: TEAM(200) }],
  },
  "api.staff.tips.$tipId.triage": {
    url: tipUrl("/triage"),
    noStore: true,
    page: false,
    access: [{ method: "POST", body: { priority: "high" }, by: TEAM(200) }],
  },
  "api.staff.tips.bulk": {
    url: () => "/api/staff/tips/bulk",
    noStore: true,
    page: false,
    // Members who may triage reach validation (an empty selection is a 400); nobody else does.
    access: [
      {
        method: "POST",
        body: {},
        by: {
          signedOut: 401,
          office: 403,
          commission: 403,
          auditor: 403,
          otherOffice: 403,
          others: 400,
        },
      },
    ],
  },
  "api.staff.reveals.$revealId": {
    url: (f) => `/api/staff/reveals/${f.revealId}`,
    noStore: true,
    page: false,
    // Only the team's leader may decide (here: decline); another team's leader is refused.
    access: [
      {
        method: "POST",
        body: { approve: false },
        by: { signedOut: 401, leader: 200, others: 403 },
      },
    ],
  },
  "api.staff.keys._index": {
    url: () => "/api/staff/keys",
    noStore: true,
    page: false,
    viewer: "leader",
    access: [{ method: "GET", by: ANY_STAFF(200, { auditor: 403 }) }],
  },
  "api.staff.keys.$keyId.approve": {
    url: () => "/api/staff/keys/key_doesnotexist/approve",
    noStore: true,
    page: false,
    access: [
      {
        method: "POST",
        body: { signature: "AAAA", validUntilMs: 1 },
        // Office admins reach the lookup (no such key); nobody else gets that far.
        by: { signedOut: 401, office: 404, otherOffice: 404, others: 403 },
      },
    ],
  },
  "api.staff.rosters": {
    url: () => "/api/staff/rosters",
    noStore: true,
    page: false,
    viewer: "office",
    access: [
      // Each office drafts its own jurisdiction's rosters; nobody else may read or publish.
      { method: "GET", by: { signedOut: 401, office: 200, otherOffice: 200, others: 403 } },
      {
        method: "POST",
        body: { roster: "!!", signature: "??" },
        by: { signedOut: 401, office: 400, otherOffice: 400, others: 403 },
      },
    ],
  },
  "api.staff.grants": {
    url: () => "/api/staff/grants",
    noStore: true,
    page: false,
    viewer: "leader",
    access: [
      {
        method: "GET",
        by: {
          signedOut: 401,
          office: 403,
          commission: 403,
          auditor: 403,
          otherOffice: 403,
          others: 200,
        },
      },
    ],
  },
};

/** Route ids as Remix names them: the file name without its extension. */
function routeFiles(): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, "app/routes"))
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => f.replace(/\.(ts|tsx)$/, ""))
    .sort();
}
const isStaffRoute = (id: string) =>
  (id.startsWith("staff.") && !/^staff\.(login|login_\.totp|invite\.\$token)$/.test(id)) ||
  id.startsWith("api.staff.");

let server: RunningServer;
let fx: Fixture;
const sessions = new Map<Actor, { cookie: string; csrf: string }>();

beforeAll(async () => {
  // "cases": the demo's 韩城桥村 finding and its clue, for the outcomes routes.
  server = await startServer({ env: { CROSSWATCH_DEMO_OUTCOMES: "cases" }, timeoutMs: 170_000 });
  const tip = await createTestTip(server, {
    text: "韩城桥村干部虚报冒领拆迁补偿款（路由遍历）",
    identity: { name: "路由遍历的举报人", phone: "13800000001" },
  });
  const beichen = await createTestTip(server, {
    districtId: "tj-beichen",
    unitId: null,
    text: "北辰区某街道违规发放补贴（路由遍历）",
  });
  for (const actor of Object.keys(ACTORS) as (keyof typeof ACTORS)[]) {
    const s = await loginAs(server.database, ACTORS[actor]);
    sessions.set(actor, { cookie: s.cookie, csrf: csrfToken(serverEnv(server), s.sessionId) });
  }
  fx = {
    tipId: tip.tipId,
    beichenTipId: beichen.tipId,
    revealId: "",
    payloadStart: "",
    findingId: "",
    transferId: "",
  };
  const clues = JSON.parse((await call("commission", "GET", "/api/staff/clues")).text) as {
    clues: { id: string; findingId: string }[];
  };
  fx.findingId = clues.clues[0]!.findingId;
  fx.transferId = clues.clues[0]!.id;
  const opened = await call("leader", "GET", tipUrl()(fx, "leader"));
  fx.payloadStart = (
    JSON.parse(opened.text) as { ciphertext: { payload: string } }
  ).ciphertext.payload.slice(0, 60);
  const asked = await call("inspector", "POST", tipUrl("/identity")(fx, "inspector"), {
    reason: "需要当面核实补偿款发放情况（路由遍历）",
  });
  expect(asked.status).toBe(200);
  fx.revealId = (JSON.parse(asked.text) as { id: string }).id;
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

async function call(
  actor: Actor,
  method: "GET" | "POST",
  url: string,
  body?: unknown,
  fresh = false,
) {
  const headers: Record<string, string> = {};
  let s = actor === "signedOut" ? undefined : sessions.get(actor);
  if (s && fresh) {
    const n = await loginAs(server.database, ACTORS[actor as keyof typeof ACTORS]);
    s = { cookie: n.cookie, csrf: csrfToken(serverEnv(server), n.sessionId) };
  }
  if (s) {
    headers.Cookie = s.cookie;
    headers["X-CSRF-Token"] = s.csrf;
  }
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers,
    body: body === undefined ? (method === "POST" ? "" : undefined) : JSON.stringify(body),
    redirect: "manual",
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe("the route list", () => {
  it("has an entry for every file in app/routes/, and none for a file that is gone", () => {
    const files = routeFiles();
    const missing = files.filter((f) => !(f in ROUTES));
    const stale = Object.keys(ROUTES).filter((r) => !files.includes(r));
    expect(
      missing.map(
        (f) =>
          `app/routes/${f} has no entry in ROUTES (test/integration/route-walk.test.ts): add its URL, ` +
          `whether it carries case content (noStore), and${isStaffRoute(f) ? " — a staff route — the expected status for every actor (access)" : " whether it is a page"}`,
      ),
    ).toEqual([]);
    expect(stale, "entries for route files that no longer exist").toEqual([]);
  });

  it("every staff route has an access row for every actor", () => {
    const without = Object.keys(ROUTES).filter(
      (r) => isStaffRoute(r) && !ROUTES[r]!.access?.length,
    );
    expect(without, "staff routes without an access matrix entry").toEqual([]);
  });
});

function checkHeaders(
  where: string,
  res: { status: number; headers: Headers; text: string },
  entry: RouteEntry,
) {
  const h = res.headers;
  const csp = h.get("content-security-policy") ?? "";
  const directives = new Map(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );
  const scriptSrc = directives.get("script-src") ?? [];
  const problems: string[] = [];
  const nonce = scriptSrc.find((v) => /^'nonce-[A-Za-z0-9+/=_-]{16,}'$/.test(v));
  if (!nonce) problems.push(`script-src has no nonce: ${csp}`);
  if (scriptSrc.includes("'unsafe-inline'") || scriptSrc.includes("'unsafe-eval'"))
    problems.push(`script-src allows inline or eval: ${scriptSrc.join(" ")}`);
  if ((directives.get("frame-ancestors") ?? []).join(" ") !== "'none'")
    problems.push("frame-ancestors is not 'none'");
  if ((directives.get("object-src") ?? []).join(" ") !== "'none'")
    problems.push("object-src is not 'none'");
  const hsts = /max-age=(\d+)/.exec(h.get("strict-transport-security") ?? "");
  if (!hsts || Number(hsts[1]) < 31_536_000) problems.push("HSTS missing or under a year");
  if (h.get("x-content-type-options") !== "nosniff") problems.push("nosniff missing");
  if (h.get("referrer-policy") !== "no-referrer")
    problems.push("Referrer-Policy is not no-referrer");
  if (
    !/camera=\(\)/.test(h.get("permissions-policy") ?? "") ||
    !/geolocation=\(\)/.test(h.get("permissions-policy") ?? "")
  )
    problems.push("Permissions-Policy does not deny camera and geolocation");
  if (entry.noStore && !/no-store/.test(h.get("cache-control") ?? ""))
    problems.push(`Cache-Control is "${h.get("cache-control")}", not no-store`);
  if (entry.page && res.status === 200 && /text\/html/.test(h.get("content-type") ?? "")) {
    const value = nonce?.slice("'nonce-".length, -1);
    const scripts = [...res.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    const bad = scripts.filter((s) => !s.includes(`nonce="${value}"`) && !/\bsrc=/.test(s));
    if (bad.length) problems.push(`${bad.length} inline <script> without this response's nonce`);
    if (!res.text.includes('data-testid="demo-banner"'))
      problems.push("no demo banner in demo mode");
  }
  return problems.map((p) => `${where} → ${res.status}: ${p}`);
}

describe("headers on every route (issue 12 item 7)", () => {
  it("every route, signed out and as its viewer, on GET and POST", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [id, entry] of Object.entries(ROUTES)) {
      const viewers: Actor[] = entry.viewer ? ["signedOut", entry.viewer] : ["signedOut"];
      for (const actor of viewers) {
        const url = entry.url(fx, actor);
        for (const method of ["GET", "POST"] as const) {
          const res = await call(actor, method, url, method === "POST" ? {} : undefined);
          expect(res.status, `${method} ${url} (${id}) as ${actor}`).toBeLessThan(500);
          problems.push(...checkHeaders(`${method} ${url} (${id}) as ${actor}`, res, entry));
          checked++;
        }
      }
      // The 200 the viewer should get (pages and readable APIs), so the walk is not all refusals.
      if (entry.viewer) {
        const res = await call(entry.viewer, "GET", entry.url(fx, entry.viewer));
        expect(res.status, `GET ${id} as ${entry.viewer}`).toBe(entry.viewerStatus ?? 200);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(2 * Object.keys(ROUTES).length);
  }, 300_000);
});

describe("access matrix: every staff route × actor (issue 12 item 8)", () => {
  for (const [id, entry] of Object.entries(ROUTES)) {
    for (const row of entry.access ?? []) {
      it(`${row.method} ${id}`, async () => {
        const got: Record<string, number> = {};
        const want: Record<string, number> = {};
        for (const actor of ACTOR_NAMES) {
          const body =
            typeof row.body === "function" ? (row.body as (f: Fixture) => unknown)(fx) : row.body;
          const res = await call(actor, row.method, entry.url(fx, actor), body, row.fresh);
          got[actor] = res.status;
          want[actor] = row.by[actor] ?? row.by.others;
          // A refusal never carries the tip's ciphertext.
          if (res.status >= 400) expect(res.text).not.toContain(fx.payloadStart);
        }
        if (process.env.ROUTE_WALK_PRINT) console.log(id, row.method, JSON.stringify(got));
        expect(got).toEqual(want);
      }, 120_000);
    }
  }
});
