/**
 * The inspection office's pages over HTTP against the real built server (issue 10):
 *
 * - Registry (item 1): a 100-row units file with 3 bad rows imports nothing and the page lists all
 *   3 with their row numbers and reasons (preview and import alike); a clean file is previewed,
 *   imported in one step, exported and re-imported unchanged; another office's ids are refused.
 * - Rounds (item 3): a new zone round carrying over round 4's teams gets a plan from the planner
 *   (no team at home, none back where it was); a hand edit that breaks a rule is refused with the
 *   rule named; publishing the plan changes who reads NEW tips at once — the 北辰 team no longer
 *   gets 津南 tips from the next report on, and once the office signs the drafted rosters it reads
 *   the district it was sent to instead.
 * - Revocation (item 3): the office revokes a member's key on /staff/admin/keys; routing drops it
 *   from the next tip on, although the signed roster still lists it; the page names the rosters
 *   to sign again, and one signing step publishes them without the key.
 */
import { and, count, desc, eq, gt, inArray, isNull, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64urlDecode, base64urlEncode, signRoster } from "../../crypto/index";
import { formatDate } from "~/i18n/translate";
import { HOME_ORGANISATION_MAX_LENGTH } from "~/shared/home-organisation";
import { csrfToken } from "~/services/csrf.server";
import { closeDb, openDb, withTx, type Db } from "../../db/client";
import {
  auditLog,
  receivingBodies,
  recusals,
  rosters,
  staffKeys,
  staffUsers,
  stationings,
  teamMembers,
  teams,
  tipEnvelopes,
  tips,
  units,
  zones,
} from "../../db/schema";
import { fetchFresh, reportReaders, sendSealedReport } from "../support/report-fixture";
import { startServer, type RunningServer } from "../support/server";
import { loginAs } from "../support/staff-login";
import { DEMO_KEY_PASSPHRASE, serverEnv } from "../support/tip-fixture";
import { unwrapStaffKeysCached } from "../support/kdf-cache";

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

async function signedIn(staffId: string, lang?: "en") {
  const s = await loginAs(server.database, staffId);
  return {
    cookie: s.cookie + (lang ? `; lang=${lang}` : ""),
    csrf: csrfToken(serverEnv(server), s.sessionId),
  };
}

/** Posts the registry form as the browser does without JavaScript (multipart, file attached). */
async function postRegistry(
  staffId: string,
  fields: { intent: "preview" | "import"; kind: string; file?: string; csv?: string },
  lang?: "en",
) {
  const who = await signedIn(staffId, lang);
  const form = new FormData();
  form.append("csrf", who.csrf);
  form.append("intent", fields.intent);
  form.append("kind", fields.kind);
  if (fields.file !== undefined)
    form.append("file", new Blob([fields.file], { type: "text/csv" }), "units.csv");
  if (fields.csv !== undefined) form.append("csv", fields.csv);
  const res = await fetchFresh(`${server.url}/staff/admin/registry`, {
    method: "POST",
    headers: { Cookie: who.cookie },
    body: form,
  });
  return { status: res.status, html: await res.text() };
}

/** The (row, code) pairs of the page's error table. */
const errorRows = (html: string) =>
  [...html.matchAll(/<tr data-row="(\d+)" data-code="([a-z_]+)"/g)].map((m) => [
    Number(m[1]),
    m[2],
  ]);

const countUnits = (prefix: string) =>
  withDb(async (db) => {
    const [r] = await db
      .select({ n: count() })
      .from(units)
      .where(like(units.id, `${prefix}%`));
    return r?.n ?? 0;
  });

function unitsFile(prefix: string, n: number, bad: Record<number, string> = {}): string {
  const lines = ["id,district_id,kind,name_zh,name_en"];
  for (let i = 0; i < n; i++)
    lines.push(bad[i] ?? `${prefix}${i},tj-jinnan,village,津南第${i}村,"Jinnan Village ${i}"`);
  return lines.join("\r\n") + "\r\n";
}

describe("office registry import and export", () => {
  it("a 100-row file with 3 bad rows imports nothing and lists all 3 with row numbers", async () => {
    const file = unitsFile("tj-jinnan-new-", 100, {
      6: "tj-jinnan-new-6,tj-nowhere,village,六村,Village 6", // row 8
      41: "tj-jinnan-new-41,tj-jinnan,castle,四十一村,Village 41", // row 43
      98: "tj-jinnan-new-98,tj-jinnan,village,,Village 98", // row 100
    });
    for (const intent of ["preview", "import"] as const) {
      const res = await postRegistry("staff-tj-office", { intent, kind: "units", file });
      expect(res.status).toBe(400);
      expect(errorRows(res.html)).toEqual([
        [8, "unknown_district"],
        [43, "bad_kind"],
        [100, "required"],
      ]);
      expect(res.html).toContain("这份文件有 3 行有问题，什么都没有导入");
      expect(res.html).toContain("本办登记册中没有这个区县");
      expect(await countUnits("tj-jinnan-new-")).toBe(0);
    }
    const en = await postRegistry(
      "staff-tj-office",
      { intent: "import", kind: "units", file },
      "en",
    );
    expect(en.html).toContain("3 rows of this file have problems: nothing was imported.");
    expect(en.html).toContain("not one of the allowed kinds");
    const audited = await withDb((db) =>
      db.select().from(auditLog).where(eq(auditLog.action, "registry.import")),
    );
    expect(audited).toHaveLength(0);
  });

  it("a clean file is previewed, imported at once, exported and re-imported unchanged", async () => {
    const file = unitsFile("tj-jinnan-ok-", 100);
    const preview = await postRegistry("staff-tj-office", {
      intent: "preview",
      kind: "units",
      file,
    });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain("共 100 行，检查通过：新增 100 条，修改 0 条，未变 0 条");
    expect(await countUnits("tj-jinnan-ok-")).toBe(0); // a preview writes nothing

    // Confirming sends the previewed text back in the form's hidden field.
    const imported = await postRegistry("staff-tj-office", {
      intent: "import",
      kind: "units",
      csv: file,
    });
    expect(imported.status).toBe(200);
    expect(imported.html).toContain("新增 100 条");
    expect(await countUnits("tj-jinnan-ok-")).toBe(100);
    const [audit] = await withDb((db) =>
      db.select().from(auditLog).where(eq(auditLog.action, "registry.import")),
    );
    expect(audit?.actorId).toBe("staff-tj-office");
    expect(audit?.detail).not.toContain("Jinnan Village"); // counts only, never names

    const who = await signedIn("staff-tj-office");
    const exported = await fetchFresh(`${server.url}/staff/admin/registry/export/units`, {
      headers: { Cookie: who.cookie },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toContain("text/csv");
    expect(exported.headers.get("cache-control")).toContain("no-store");
    const bytes = Buffer.from(await exported.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // spreadsheets then read UTF-8
    const csv = bytes.toString("utf8");
    expect(csv.startsWith("\uFEFFid,district_id,kind,name_zh,name_en\r\n")).toBe(true);
    expect(csv).toContain("tj-jinnan-ok-99,tj-jinnan,village,津南第99村,Jinnan Village 99");
    expect(csv).toContain("tj-jinnan-hanchengqiao,tj-jinnan,village,韩城桥村");
    expect(csv).not.toContain("sc-"); // only this office's registry

    const again = await postRegistry("staff-tj-office", {
      intent: "preview",
      kind: "units",
      file: csv,
    });
    expect(again.status).toBe(200);
    expect(again.html).toMatch(/新增 0 条，修改 0 条，未变 \d+ 条/);

    // A rename is a change, imported in place.
    const renamed = await postRegistry("staff-tj-office", {
      intent: "import",
      kind: "units",
      file: "id,district_id,kind,name_zh,name_en\ntj-jinnan-ok-5,tj-jinnan,community,津南五社区,Jinnan Community 5\n",
    });
    expect(renamed.html).toContain("新增 0 条，修改 1 条，未变 0 条");
    const [row] = await withDb((db) =>
      db.select().from(units).where(eq(units.id, "tj-jinnan-ok-5")),
    );
    expect(row).toMatchObject({ kind: "community", nameZh: "津南五社区" });
  });

  it("receiving bodies: a bad kind is reported with its row number, nothing half-imported; export → import round-trips; a body is never moved", async () => {
    const rows = [
      "id,district_id,kind,name_zh,name_en",
      "tj-hexi-court,tj-hexi,court,河西区人民法院,Hexi District Court",
      "tj-hexi-audit,tj-hexi,audit,河西区审计局,Hexi District Audit Bureau", // row 3
      "tj-procuratorate,,procuratorate,天津市人民检察院,Tianjin People's Procuratorate",
    ];
    const bodyRows = () =>
      withDb((db) =>
        db
          .select()
          .from(receivingBodies)
          .where(
            inArray(receivingBodies.id, ["tj-hexi-court", "tj-hexi-audit", "tj-procuratorate"]),
          ),
      );
    for (const intent of ["preview", "import"] as const) {
      const res = await postRegistry("staff-tj-office", {
        intent,
        kind: "receiving_bodies",
        file: rows.join("\n"),
      });
      expect(res.status).toBe(400);
      expect(errorRows(res.html)).toEqual([[3, "bad_kind"]]);
      expect(await bodyRows()).toHaveLength(0);
    }
    const fixed = rows.map((r) => r.replace(",audit,", ",audit_office,")).join("\n");
    const imported = await postRegistry("staff-tj-office", {
      intent: "import",
      kind: "receiving_bodies",
      file: fixed,
    });
    expect(imported.status).toBe(200);
    expect(imported.html).toContain("新增 3 条，修改 0 条");
    expect(
      Object.fromEntries((await bodyRows()).map((b) => [b.id, [b.districtId, b.kind]])),
    ).toEqual({
      "tj-hexi-court": ["tj-hexi", "court"],
      "tj-hexi-audit": ["tj-hexi", "audit_office"],
      "tj-procuratorate": [null, "procuratorate"],
    });

    // Another office's body, and another office reusing one of these ids (refused).
    const sc = await postRegistry("staff-sc-office", {
      intent: "import",
      kind: "receiving_bodies",
      file: "id,district_id,kind,name_zh,name_en\nsc-leibo-court,sc-leibo,court,雷波县人民法院,Leibo County Court\n",
    });
    expect(sc.status).toBe(200);
    const reused = await postRegistry("staff-sc-office", {
      intent: "preview",
      kind: "receiving_bodies",
      file: "id,district_id,kind,name_zh,name_en\ntj-hexi-court,sc-leibo,court,法院,Court\n",
    });
    expect(errorRows(reused.html)).toEqual([[2, "foreign_id"]]);

    const who = await signedIn("staff-tj-office");
    const exported = await fetchFresh(
      `${server.url}/staff/admin/registry/export/receiving_bodies`,
      { headers: { Cookie: who.cookie } },
    );
    expect(exported.status).toBe(200);
    const csv = (await exported.text()).replace(/^\uFEFF/, "");
    expect(csv.startsWith("id,district_id,kind,name_zh,name_en\r\n")).toBe(true);
    expect(csv).toContain("tj-hexi-audit,tj-hexi,audit_office,河西区审计局");
    expect(csv).toContain("tj-procuratorate,,procuratorate,天津市人民检察院");
    expect(csv).not.toContain("sc-leibo-court"); // only this office's bodies
    const again = await postRegistry("staff-tj-office", {
      intent: "preview",
      kind: "receiving_bodies",
      file: csv,
    });
    expect(again.status).toBe(200);
    expect(again.html).toMatch(/新增 0 条，修改 0 条，未变 \d+ 条/);

    // Moving a body to another district (or to the whole city) is refused with its row.
    const moved = await postRegistry("staff-tj-office", {
      intent: "import",
      kind: "receiving_bodies",
      file: "id,district_id,kind,name_zh,name_en\ntj-hexi-court,tj-heping,court,法院,Court\ntj-procuratorate,tj-hexi,procuratorate,检察院,P\n",
    });
    expect(moved.status).toBe(400);
    expect(errorRows(moved.html)).toEqual([
      [2, "moved_body"],
      [3, "moved_body"],
    ]);
    expect(
      Object.fromEntries((await bodyRows()).map((b) => [b.id, [b.districtId, b.nameZh]])),
    ).toMatchObject({
      "tj-hexi-court": ["tj-hexi", "河西区人民法院"],
      "tj-procuratorate": [null, "天津市人民检察院"],
    });
  });

  it("refuses another office's ids, unknown kinds and files that are not text, with a 4xx", async () => {
    const foreign = await postRegistry("staff-sc-office", {
      intent: "import",
      kind: "zones",
      file: "id,name_zh,name_en\ntj-zone-ring,环城,Ring\n",
    });
    expect(foreign.status).toBe(400);
    expect(errorRows(foreign.html)).toEqual([[2, "foreign_id"]]);
    const [ring] = await withDb((db) =>
      db
        .select()
        .from(zones)
        .where(and(eq(zones.id, "tj-zone-ring"), eq(zones.jurisdictionId, "tianjin"))),
    );
    expect(ring?.nameZh).toBe("环城四区");

    const binary = await postRegistry("staff-tj-office", {
      intent: "preview",
      kind: "units",
      file: "\0\u0001PK",
    });
    expect(binary.status).toBe(400);
    expect(binary.html).toContain('data-file-error="not_text"');

    const missing = await postRegistry("staff-tj-office", {
      intent: "preview",
      kind: "districts",
      file: "id,name_zh\nx,y\n",
    });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('data-file-error="missing_columns"');

    const badKind = await postRegistry("staff-tj-office", { intent: "preview", kind: "teams" });
    expect(badKind.status).toBe(400);

    const notOffice = await postRegistry("staff-tj-beichen-leader", {
      intent: "preview",
      kind: "units",
      file: unitsFile("x-", 1),
    });
    expect(notOffice.status).toBe(403);
  });
});

// ---------------------------------------------------------------- rounds and the planner

const BEICHEN_READERS = ["staff-tj-beichen-leader", "staff-tj-beichen-inspector1"];

/** A report about `district` sealed to whoever routing offers now; who got an envelope. */
async function newTipReaders(district: string) {
  const readers = (await reportReaders(server, district)).map((r) => ({
    staffKeyId: r.id,
    boxPublicKey: base64urlEncode(r.boxPublicKey),
  }));
  const sent = await sendSealedReport(server, readers, { district });
  expect(sent.status).toBe(201);
  // The 201 names the stored tip (its stored time is only the day: several tips share it).
  const tipId = (sent.json as { tipId?: string }).tipId!;
  return withDb(async (db) => {
    const [tip] = await db.select().from(tips).where(eq(tips.id, tipId)).limit(1);
    const env = await db.select().from(tipEnvelopes).where(eq(tipEnvelopes.tipId, tip!.id));
    return { routedTo: tip!.routedTo, staffIds: env.map((e) => e.staffId).sort() };
  });
}

async function postForm(staffId: string, url: string, fields: [string, string][], lang?: "en") {
  const who = await signedIn(staffId, lang);
  const body = new URLSearchParams([["csrf", who.csrf], ...fields]);
  const res = await fetchFresh(`${server.url}${url}`, {
    method: "POST",
    headers: { Cookie: who.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body,
    redirect: "manual",
  });
  return { status: res.status, location: res.headers.get("location"), html: await res.text() };
}

async function getPage(staffId: string, url: string, lang?: "en") {
  const who = await signedIn(staffId, lang);
  const res = await fetchFresh(`${server.url}${url}`, { headers: { Cookie: who.cookie } });
  return { status: res.status, html: await res.text() };
}

/** Records each member's home organisation on the staff page, as the 天津 office admin. */
async function recordOrganisations(organisations: Record<string, string>) {
  for (const [staffId, organisation] of Object.entries(organisations)) {
    const res = await postForm("staff-tj-office", "/staff/admin/staff", [
      ["intent", "set-organisation"],
      ["staffId", staffId],
      ["homeOrganisation", organisation],
    ]);
    expect(res.status).toBe(200);
  }
}

/** The target each team's select shows (the planner's proposal on a fresh page). */
function shownPlan(html: string): Map<string, string> {
  const plan = new Map<string, string>();
  for (const m of html.matchAll(/<select name="target:([^"]+)"[^>]*>(.*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)" selected=""/.exec(m[2]!);
    if (chosen?.[1]) plan.set(m[1]!, chosen[1]);
  }
  return plan;
}

/** Signs every due roster draft with the office key, as the admin's browser does; their ids. */
async function signDueRosters(): Promise<string[]> {
  const who = await signedIn("staff-tj-office");
  const res = await fetchFresh(`${server.url}/api/staff/rosters`, {
    headers: { Cookie: who.cookie, "X-CSRF-Token": who.csrf },
  });
  const drafts = (
    (await res.json()) as {
      drafts: { bytes: string | null; upToDate: boolean; rosterId: string }[];
    }
  ).drafts;
  const [officeKeyRow] = await withDb((db) =>
    db
      .select()
      .from(staffKeys)
      .where(and(eq(staffKeys.staffId, "staff-tj-office"), eq(staffKeys.status, "active"))),
  );
  const { signSecretKey } = await unwrapStaffKeysCached(
    new Uint8Array(officeKeyRow!.wrappedSecretKey),
    DEMO_KEY_PASSPHRASE,
  );
  const signed: string[] = [];
  for (const d of drafts.filter((x) => x.bytes !== null && !x.upToDate)) {
    const post = await fetchFresh(`${server.url}/api/staff/rosters`, {
      method: "POST",
      headers: {
        Cookie: who.cookie,
        "X-CSRF-Token": who.csrf,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({
        roster: d.bytes,
        signature: base64urlEncode(signRoster(base64urlDecode(d.bytes!), signSecretKey)),
      }),
    });
    expect(post.status).toBe(200);
    signed.push(d.rosterId);
  }
  return signed;
}

const shanghaiDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe("office staff: home organisation (issue 10 item 2)", () => {
  const url = "/staff/admin/staff";

  it("the invitation form stores it and the staff page shows and edits it, audited; a bad name is a localized 400 that changes nothing", async () => {
    const invite = (username: string, homeOrganisation: string, lang?: "en") =>
      postForm(
        "staff-tj-office",
        url,
        [
          ["intent", "invite"],
          ["displayName", "何组员"],
          ["username", username],
          ["role", "inspector"],
          ["homeDistrictId", "tj-beichen"],
          ["homeOrganisation", homeOrganisation],
        ],
        lang,
      );
    const invited = await invite("bc.org.member", "  北辰区委巡察办 ");
    expect(invited.status).toBe(200);
    expect(invited.html).toContain('data-testid="invite-link"');
    const [row] = await withDb((db) =>
      db.select().from(staffUsers).where(eq(staffUsers.username, "bc.org.member")),
    );
    expect(row).toMatchObject({ homeDistrictId: "tj-beichen", homeOrganisation: "北辰区委巡察办" });
    const page = await getPage("staff-tj-office", url);
    expect(page.html).toContain('data-home-organisation="北辰区委巡察办"');
    expect(page.html).toContain("家乡区县：北辰区 · 派出单位：北辰区委巡察办");
    const created = await withDb((db) =>
      db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "account.create"), eq(auditLog.objectId, row!.id))),
    );
    expect(JSON.parse(created[0]!.detail!)).toMatchObject({ homeOrganisation: "北辰区委巡察办" });

    // Edited on the staff page: stored, shown, audited with the old and the new name.
    const edit = (homeOrganisation: string, lang?: "en") =>
      postForm(
        "staff-tj-office",
        url,
        [
          ["intent", "set-organisation"],
          ["staffId", row!.id],
          ["homeOrganisation", homeOrganisation],
        ],
        lang,
      );
    expect((await edit("北辰区纪委监委")).status).toBe(200);
    expect((await getPage("staff-tj-office", url, "en")).html).toContain(
      "Home district: Beichen District · Home organisation: 北辰区纪委监委",
    );
    const edits = await withDb((db) =>
      db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "account.organisation"), eq(auditLog.objectId, row!.id))),
    );
    expect(edits.map((a) => [a.actorId, JSON.parse(a.detail!)])).toEqual([
      ["staff-tj-office", { from: "北辰区委巡察办", to: "北辰区纪委监委" }],
    ]);

    // Too long, or with a control or bidirectional-override character: a localized 400.
    const long = "巡".repeat(HOME_ORGANISATION_MAX_LENGTH + 1);
    const tooLong = await invite("bc.org.long", long);
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain(`派出单位名称最多 ${HOME_ORGANISATION_MAX_LENGTH} 个字。`);
    const control = await edit("北辰区\u202e办察巡委");
    expect(control.status).toBe(400);
    expect(control.html).toContain("派出单位名称不能包含控制字符或不可见的格式字符。");
    const nul = await invite("bc.org.nul", "北辰\u0000区委巡察办", "en");
    expect(nul.status).toBe(400);
    expect(nul.html).toContain("must not contain control or invisible formatting characters");
    const longEdit = await edit(long, "en");
    expect(longEdit.status).toBe(400);
    expect(longEdit.html).toContain(`can be at most ${HOME_ORGANISATION_MAX_LENGTH} characters`);
    // Nothing changed: no account for the refused invitations, the name as it was.
    const after = await withDb((db) =>
      db.select().from(staffUsers).where(like(staffUsers.username, "bc.org.%")),
    );
    expect(after.map((u) => [u.username, u.homeOrganisation])).toEqual([
      ["bc.org.member", "北辰区纪委监委"],
    ]);
    // Another office's member is not found.
    const foreign = await postForm("staff-tj-office", url, [
      ["intent", "set-organisation"],
      ["staffId", "staff-sc-office"],
      ["homeOrganisation", "x"],
    ]);
    expect(foreign.status).toBe(404);
  }, 120_000);

  it("the staff page filters by name, username, organisation or home district; a value its form cannot send is a localized 400 showing everyone", async () => {
    const count = (html: string) => Number(/data-filter-count="(\d+)"/.exec(html)?.[1]);
    const all = await getPage("staff-tj-office", url);
    const total = count(all.html);
    expect(total).toBeGreaterThan(50);
    const byName = await getPage("staff-tj-office", `${url}?q=${encodeURIComponent("王建华")}`);
    expect(byName.status).toBe(200);
    expect(count(byName.html)).toBe(1);
    expect(byName.html).toContain(`显示 1 / ${total} 人`);
    // Home district, in English: only 北辰 people, and each card says so.
    const beichen = await getPage("staff-tj-office", `${url}?home=tj-beichen&q=`, "en");
    const shown = count(beichen.html);
    expect(shown).toBeGreaterThan(1);
    expect(shown).toBeLessThan(total);
    expect(beichen.html.match(/Home district: Beichen District/g)?.length).toBe(shown);
    const nobody = await getPage("staff-tj-office", `${url}?q=no-such-person-here`);
    expect(count(nobody.html)).toBe(0);
    expect(nobody.html).toContain("没有符合条件的人员。");
    const foreign = await getPage("staff-tj-office", `${url}?home=sc-leibo`);
    expect(foreign.status).toBe(400);
    expect(foreign.html).toContain("没有这个区县，已显示全部人员。");
    expect(count(foreign.html)).toBe(total);
    const long = await getPage("staff-tj-office", `${url}?q=${"x".repeat(81)}`, "en");
    expect(long.status).toBe(400);
    expect(long.html).toContain("Search for at most 80 characters.");
  });
});

describe("office teams and recusals", () => {
  const url = "/staff/admin/rounds/tj-r4/teams";
  const inspector = "staff-tj-beichen-inspector1";
  const change = (fields: [string, string][], staffId = "staff-tj-office", to = url) =>
    postForm(staffId, to, fields);

  it("a recusal and a removal take effect at once; every change is audited", async () => {
    const page = await getPage("staff-tj-office", url);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-team="tj-r4-team-beichen"');
    expect(page.html).toContain(`data-member="${inspector}"`);
    expect((await getPage("staff-sc-office", url)).status).toBe(404);
    expect((await getPage("staff-tj-beichen-leader", url)).status).toBe(403);
    const seqBefore = await withDb(async (db) => {
      const [last] = await db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
      return last?.seq ?? 0;
    });

    // Recused from 津南: the next 津南 tip is not sealed to him; his leader still reads it.
    const recused = await change([
      ["intent", "add-recusal"],
      ["staffId", inspector],
      ["districtId", "tj-jinnan"],
      ["unitId", ""],
      ["reason", "配偶在津南区任职"],
    ]);
    expect(recused.status).toBe(200);
    const during = await newTipReaders("tj-jinnan");
    expect(during.staffIds).toContain("staff-tj-beichen-leader");
    expect(during.staffIds).not.toContain(inspector);
    const again = await change([
      ["intent", "add-recusal"],
      ["staffId", inspector],
      ["districtId", "tj-jinnan"],
      ["unitId", ""],
      ["reason", "again"],
    ]);
    expect(again.status).toBe(409);
    expect(again.html).toContain('data-error="duplicate_recusal"');
    expect((await getPage("staff-tj-office", url)).html).toContain("配偶在津南区任职");

    // Withdrawn: he reads new 津南 tips again.
    const [recusal] = await withDb((db) =>
      db
        .select()
        .from(recusals)
        .where(and(eq(recusals.staffId, inspector), isNull(recusals.withdrawnAt))),
    );
    expect(recusal?.unitId).toBeNull();
    expect(
      (
        await change([
          ["intent", "withdraw-recusal"],
          ["recusalId", recusal!.id],
        ])
      ).status,
    ).toBe(200);
    expect((await newTipReaders("tj-jinnan")).staffIds).toContain(inspector);

    // Removed from the team: no new tip for him from the next one on, although the signed
    // roster still lists his key. Back in the team, the roster lets him read again.
    const member: [string, string][] = [
      ["teamId", "tj-r4-team-beichen"],
      ["staffId", inspector],
    ];
    expect((await change([["intent", "remove-member"], ...member])).status).toBe(200);
    expect((await newTipReaders("tj-jinnan")).staffIds).not.toContain(inspector);
    expect((await change([["intent", "add-member"], ...member, ["role", "member"]])).status).toBe(
      200,
    );
    expect((await newTipReaders("tj-jinnan")).staffIds).toContain(inspector);

    const audit = await withDb((db) =>
      db.select().from(auditLog).where(gt(auditLog.seq, seqBefore)).orderBy(auditLog.seq),
    );
    expect(
      audit.map((a) => a.action).filter((a) => a.startsWith("team.") || a.startsWith("recusal.")),
    ).toEqual(["recusal.add", "recusal.withdraw", "team.member.remove", "team.member.add"]);
    expect(audit.find((a) => a.action === "recusal.add")?.actorId).toBe("staff-tj-office");
  }, 180_000);

  it("refuses what breaks a rule with a localized 4xx, and forms a mixed assistance team", async () => {
    const leader = await change([
      ["intent", "set-role"],
      ["teamId", "tj-r4-team-beichen"],
      ["staffId", inspector],
      ["role", "leader"],
    ]);
    expect(leader.status).toBe(409);
    expect(leader.html).toContain("一个巡察组只能有一名组长");
    const elsewhere = await change([
      ["intent", "add-member"],
      ["teamId", "tj-r4-team-beichen"],
      ["staffId", "staff-tj-xiqing-inspector1"],
      ["role", "member"],
    ]);
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.html).toContain('data-error="in_other_team"');
    const noHome = await change([
      ["intent", "add-member"],
      ["teamId", "tj-r4-team-beichen"],
      ["staffId", "staff-tj-office"],
      ["role", "member"],
    ]);
    expect(noHome.status).toBe(400);
    expect(noHome.html).toContain('data-error="no_home"');
    const badUnit = await change([
      ["intent", "add-recusal"],
      ["staffId", inspector],
      ["districtId", "tj-jinnan"],
      ["unitId", "tj-xiqing-xiliu"],
      ["reason", "x"],
    ]);
    expect(badUnit.status).toBe(400);
    expect(badUnit.html).toContain('data-error="bad_unit"');
    const homeless = await change([
      ["intent", "create-team"],
      ["nameZh", "无来源组"],
      ["nameEn", "No home"],
      ["homeDistrictId", ""],
    ]);
    expect(homeless.status).toBe(400);
    expect(homeless.html).toContain('data-error="bad_district"');
    const junk = await change([
      ["intent", "add-member"],
      ["teamId", "tj-r4-team-beichen"],
    ]);
    expect(junk.status).toBe(400);
    expect(junk.html).toContain('data-error="badInput"');
    const foreign = await change([
      ["intent", "add-member"],
      ["teamId", "tj-r4-team-beichen"],
      ["staffId", "staff-sc-office"],
      ["role", "member"],
    ]);
    expect(foreign.status).toBe(400);
    expect(foreign.html).toContain('data-error="bad_member"');
    const teamCount = await withDb(
      async (db) => (await db.select().from(teams).where(eq(teams.roundId, "tj-r4"))).length,
    );
    expect(teamCount).toBe(16);

    // 四川's assistance round: a mixed team without a home district.
    const sc = "/staff/admin/rounds/sc-r1/teams";
    const mixed = await change(
      [
        ["intent", "create-team"],
        ["nameZh", "第四帮扶组"],
        ["nameEn", "Assistance team 4"],
        ["homeDistrictId", ""],
      ],
      "staff-sc-office",
      sc,
    );
    expect(mixed.status).toBe(200);
    const [made] = await withDb((db) =>
      db
        .select()
        .from(teams)
        .where(and(eq(teams.roundId, "sc-r1"), eq(teams.nameZh, "第四帮扶组"))),
    );
    expect(made?.homeDistrictId).toBeNull();
    expect((await getPage("staff-sc-office", sc)).html).toContain("第四帮扶组");
  }, 120_000);
});

describe("office rounds: plan and publish", () => {
  it("publishing a plan changes who can read new tips at once", async () => {
    // Before: the 北辰 team (round 4) reads new 津南 tips.
    const before = await newTipReaders("tj-jinnan");
    expect(before.routedTo).toBe("team");
    expect(before.staffIds).toEqual(expect.arrayContaining(BEICHEN_READERS));

    const created = await postForm("staff-tj-office", "/staff/admin/rounds", [
      ["intent", "create"],
      ["nameZh", "天津市第五轮巡察"],
      ["nameEn", "Tianjin round 5"],
      ["mode", "zone"],
      ["startDate", shanghaiDate(Date.now())],
      ["endDate", shanghaiDate(Date.now() + 39 * 86_400_000)],
      ["sourceRoundId", "tj-r4"],
    ]);
    expect(created.status).toBe(302);
    const roundUrl = created.location!;
    expect(roundUrl).toMatch(/^\/staff\/admin\/rounds\/rnd_/);
    const roundId = roundUrl.split("/").pop()!;

    const page = await getPage("staff-tj-office", roundUrl);
    expect(page.status).toBe(200);
    const plan = shownPlan(page.html);
    expect(plan.size).toBe(16);
    const roundTeams = await withDb((db) =>
      db.select().from(teams).where(eq(teams.roundId, roundId)),
    );
    expect(roundTeams).toHaveLength(16);
    const home = new Map(roundTeams.map((t) => [t.id, t.homeDistrictId]));
    for (const [teamId, target] of plan) expect(target).not.toBe(home.get(teamId));
    const beichenTeam = roundTeams.find((t) => t.homeDistrictId === "tj-beichen")!;
    const beichenTarget = plan.get(beichenTeam.id)!;
    expect(["tj-dongli", "tj-xiqing"]).toContain(beichenTarget); // in-zone, not 津南 again
    // The whole team came along, with its members.
    const carried = await withDb((db) =>
      db.select().from(teamMembers).where(eq(teamMembers.teamId, beichenTeam.id)),
    );
    expect(carried.map((m) => m.staffId)).toEqual(expect.arrayContaining(BEICHEN_READERS));

    // A hand edit sending the 北辰 team back to 津南 is refused, the rule named; nothing stored.
    const jinnanTeam = [...plan].find(([, d]) => d === "tj-jinnan")![0];
    const edited = new Map(plan);
    edited.set(beichenTeam.id, "tj-jinnan");
    edited.set(jinnanTeam, beichenTarget);
    const refused = await postForm("staff-tj-office", roundUrl, [
      ["intent", "publish"],
      ...[...edited].map(([t, d]) => [`target:${t}`, d] as [string, string]),
    ]);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('data-violation="pairing"');
    expect(refused.html).toContain("上一轮已巡察过这里");
    const none = await withDb((db) =>
      db.select().from(stationings).innerJoin(teams, eq(teams.id, stationings.teamId)),
    );
    expect(none.filter((r) => r.teams.roundId === roundId)).toHaveLength(0);

    // Publish the proposal.
    const published = await postForm("staff-tj-office", roundUrl, [
      ["intent", "publish"],
      ...[...plan].map(([t, d]) => [`target:${t}`, d] as [string, string]),
    ]);
    expect(published.status).toBe(302);
    expect((await getPage("staff-tj-office", roundUrl)).html).toContain('data-published="16"');

    // At once: the 北辰 team gets no new 津南 tip (its round-4 stationing ended); the new 津南
    // team's roster is not signed yet, so the office's fallback readers get it.
    const handedOver = await newTipReaders("tj-jinnan");
    expect(handedOver.routedTo).toBe("office");
    for (const id of BEICHEN_READERS) expect(handedOver.staffIds).not.toContain(id);

    // The office signs the drafted rosters (as its admin's browser does): the 北辰 team now reads
    // new tips about the district it was sent to.
    const signed = await signDueRosters();
    expect(signed.length).toBeGreaterThan(0);
    const there = await newTipReaders(beichenTarget);
    expect(there.routedTo).toBe("team");
    expect(there.staffIds).toEqual(expect.arrayContaining(BEICHEN_READERS));
    const jinnanNow = await newTipReaders("tj-jinnan");
    for (const id of BEICHEN_READERS) expect(jinnanNow.staffIds).not.toContain(id);

    const audit = await withDb((db) =>
      db.select().from(auditLog).where(eq(auditLog.objectId, roundId)),
    );
    expect(audit.map((a) => a.action)).toEqual(["round.create", "round.publish"]);
  }, 240_000);

  it("refuses bad round forms and a second publication with a localized 4xx", async () => {
    const bad = await postForm("staff-tj-office", "/staff/admin/rounds", [
      ["intent", "create"],
      ["nameZh", "x"],
      ["nameEn", "x"],
      ["mode", "zone"],
      ["startDate", "2026-13-40"],
      ["endDate", "2026-01-01"],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("结束日期不能早于开始日期");
    const again = await postForm("staff-tj-office", "/staff/admin/rounds/tj-r4", [
      ["intent", "publish"],
      ["target:tj-r4-team-beichen", "tj-jinnan"],
    ]);
    expect(again.status).toBe(409);
    const foreign = await getPage("staff-sc-office", "/staff/admin/rounds/tj-r4");
    expect(foreign.status).toBe(404);
  });
});

describe("office revokes a key", () => {
  it("routing drops it at once; the page names the rosters to re-sign; one step re-signs them", async () => {
    const [key] = await withDb((db) =>
      db
        .select()
        .from(staffKeys)
        .where(
          and(eq(staffKeys.staffId, "staff-tj-beichen-inspector1"), eq(staffKeys.status, "active")),
        ),
    );
    // Refused without the confirmation, and for a key of another office.
    expect(
      (await postForm("staff-tj-office", "/staff/admin/keys", [["keyId", key!.id]])).status,
    ).toBe(400);
    expect(
      (
        await postForm("staff-sc-office", "/staff/admin/keys", [
          ["keyId", key!.id],
          ["confirm", "yes"],
        ])
      ).status,
    ).toBe(404);

    const revoked = await postForm("staff-tj-office", "/staff/admin/keys", [
      ["keyId", key!.id],
      ["confirm", "yes"],
    ]);
    expect(revoked.status).toBe(200);
    expect(revoked.html).toContain("新的举报从现在起不再加密给这把密钥");
    const affected = [...revoked.html.matchAll(/data-affected="([^"]+)"/g)].map((m) => m[1]!);
    expect(affected.length).toBeGreaterThan(0);

    // The roster the 北辰 team reads by still lists the key; routing drops it anyway.
    const [stationing] = await withDb((db) =>
      db.select().from(stationings).where(eq(stationings.id, affected[0]!)),
    );
    const district = stationing!.targetDistrictId;
    const now = await newTipReaders(district);
    expect(now.routedTo).toBe("team");
    expect(now.staffIds).toContain("staff-tj-beichen-leader");
    expect(now.staffIds).not.toContain("staff-tj-beichen-inspector1");

    // The drafts of exactly those rosters are due, without the key; one POST each re-signs them.
    const who = await signedIn("staff-tj-office");
    const drafts = (
      (await (
        await fetchFresh(`${server.url}/api/staff/rosters`, {
          headers: { Cookie: who.cookie, "X-CSRF-Token": who.csrf },
        })
      ).json()) as {
        drafts: {
          rosterId: string;
          bytes: string | null;
          upToDate: boolean;
          readers: { memberId: string }[];
        }[];
      }
    ).drafts;
    const due = drafts.filter((d) => !d.upToDate && d.bytes !== null).map((d) => d.rosterId);
    expect(due.sort()).toEqual([...affected].sort());
    for (const d of drafts.filter((x) => affected.includes(x.rosterId)))
      expect(d.readers.map((r) => r.memberId)).not.toContain("staff-tj-beichen-inspector1");

    // One signing step publishes them all without the key; routing stays as it was.
    expect((await signDueRosters()).sort()).toEqual([...affected].sort());
    expect((await newTipReaders(district)).staffIds).not.toContain("staff-tj-beichen-inspector1");

    const audit = await withDb((db) =>
      db.select().from(auditLog).where(eq(auditLog.objectId, key!.id)),
    );
    expect(audit.map((a) => [a.action, a.actorId])).toContainEqual([
      "key.revoke",
      "staff-tj-office",
    ]);
  }, 180_000);
});

/** The key directory's district cards: who reads, how tips are routed, which warnings. */
function directoryCards(html: string) {
  const heads = [
    ...html.matchAll(/data-district="([^"]+)" data-routed="([^"]+)" data-warnings="([^"]*)"/g),
  ];
  return new Map(
    heads.map((m, i) => {
      const body = html.slice(m.index, heads[i + 1]?.index ?? html.length);
      return [
        m[1]!,
        {
          routed: m[2]!,
          warnings: m[3]!.split(" ").filter(Boolean),
          readers: [...body.matchAll(/data-reader="([^"]+)"/g)].map((r) => r[1]!).sort(),
          html: body,
        },
      ];
    }),
  );
}

describe("office key directory", () => {
  it("lists who reads each district now; flags a district without a current roster and a stationing ending in 3 days", async () => {
    const directory = async (lang?: "en") => {
      const who = await signedIn("staff-tj-office", lang);
      const res = await fetchFresh(`${server.url}/staff/admin/directory`, {
        headers: { Cookie: who.cookie },
      });
      expect(res.status).toBe(200);
      return directoryCards(await res.text());
    };
    const first = await directory();
    expect(first.size).toBe(16);
    // A district a stationed team reads: the page lists exactly who gets a new tip's envelopes.
    const [district, card] = [...first].find(([, c]) => c.routed === "team")!;
    expect(card.warnings).not.toContain("unsigned");
    expect(card.readers).toEqual((await newTipReaders(district)).staffIds);

    const stationed = await withDb((db) =>
      db.select().from(stationings).where(eq(stationings.targetDistrictId, district)),
    );
    const current = stationed.filter(
      (s) => s.startsAt.getTime() <= Date.now() && s.endsAt.getTime() > Date.now(),
    );
    expect(current.length).toBeGreaterThan(0);

    // Its rosters gone (as if never signed): the team is stationed without a current roster.
    const saved = await withDb((db) =>
      db
        .select()
        .from(rosters)
        .where(
          inArray(
            rosters.rosterId,
            current.map((s) => s.id),
          ),
        ),
    );
    expect(saved.length).toBeGreaterThan(0);
    await withDb((db) =>
      withTx(db, (tx) =>
        tx.delete(rosters).where(
          inArray(
            rosters.id,
            saved.map((r) => r.id),
          ),
        ),
      ),
    );
    try {
      const unsigned = (await directory()).get(district)!;
      expect(unsigned.warnings).toContain("unsigned");
      expect(unsigned.routed).not.toBe("team");
      expect(unsigned.readers).not.toEqual(expect.arrayContaining(card.readers));
      expect(unsigned.html).toContain("但没有有效的签发名单");
      const en = (await directory("en")).get(district)!;
      expect(en.html).toContain("is stationed but has no current signed roster");
    } finally {
      await withDb((db) => withTx(db, (tx) => tx.insert(rosters).values(saved)));
    }
    expect((await directory()).get(district)!.readers).toEqual(card.readers);

    // Its stationing ends in 3 days and nothing follows: flagged with the day the readers stop.
    const endsAt = new Date(Date.now() + 3 * 86_400_000);
    await withDb((db) =>
      withTx(db, (tx) =>
        tx.update(stationings).set({ endsAt }).where(eq(stationings.id, current[0]!.id)),
      ),
    );
    try {
      const ending = (await directory()).get(district)!;
      expect(ending.warnings).toContain("ending_soon");
      expect(ending.readers).toEqual(card.readers);
      expect(ending.html).toContain(formatDate("zh-CN", endsAt));
      expect(ending.html).toContain("之后没有安排接替的巡察组");
      // Districts whose stationing runs on are not flagged as ending.
      const others = [...(await directory())].filter(([id]) => id !== district);
      for (const [, c] of others) expect(c.warnings).not.toContain("ending_soon");
    } finally {
      await withDb((db) =>
        withTx(db, (tx) =>
          tx
            .update(stationings)
            .set({ endsAt: current[0]!.endsAt })
            .where(eq(stationings.id, current[0]!.id)),
        ),
      );
    }

    // Another office sees its own districts only.
    const who = await signedIn("staff-sc-office");
    const sc = await fetchFresh(`${server.url}/staff/admin/directory`, {
      headers: { Cookie: who.cookie },
    });
    expect(sc.status).toBe(200);
    expect([...directoryCards(await sc.text()).keys()].some((id) => id.startsWith("tj-"))).toBe(
      false,
    );
  }, 180_000);
});

describe("office rounds: an assistance round (mixed teams)", () => {
  /** The value each `<select name="<prefix>…">` of the page shows, by the rest of its name. */
  function shownSelects(html: string, prefix: string): Map<string, string> {
    const out = new Map<string, string>();
    const re = new RegExp(`<select name="${prefix}([^"]+)"[^>]*>(.*?)</select>`, "g");
    for (const m of html.matchAll(re)) {
      const chosen = /<option value="([^"]*)" selected=""/.exec(m[2]!);
      out.set(m[1]!, chosen?.[1] ?? "");
    }
    return out;
  }

  it("mixes candidates of one home district by their organisation; a member without one is refused and flagged, localized", async () => {
    const created = await postForm("staff-tj-office", "/staff/admin/rounds", [
      ["intent", "create"],
      ["nameZh", "天津市协作巡察（按派出单位混编）"],
      ["nameEn", "Tianjin assistance round (mixed by organisation)"],
      ["mode", "assistance"],
      ["startDate", shanghaiDate(Date.now())],
      ["endDate", shanghaiDate(Date.now() + 29 * 86_400_000)],
    ]);
    expect(created.status).toBe(302);
    const roundUrl = created.location!;
    const roundId = roundUrl.split("/").pop()!;
    const teamsUrl = `${roundUrl}/teams`;
    const teamNames: [string, string][] = [
      ["第一协作组", "Assistance team 1"],
      ["第二协作组", "Assistance team 2"],
    ];
    for (const [nameZh, nameEn] of teamNames)
      expect(
        (
          await postForm("staff-tj-office", teamsUrl, [
            ["intent", "create-team"],
            ["nameZh", nameZh],
            ["nameEn", nameEn],
            ["homeDistrictId", ""],
          ])
        ).status,
      ).toBe(200);
    const roundTeams = await withDb((db) =>
      db.select().from(teams).where(eq(teams.roundId, roundId)).orderBy(teams.nameEn),
    );
    const [t1, t2] = roundTeams.map((t) => t.id);
    const add = (teamId: string, staffId: string, role: string, lang?: "en") =>
      postForm(
        "staff-tj-office",
        teamsUrl,
        [
          ["intent", "add-member"],
          ["teamId", teamId],
          ["staffId", staffId],
          ["role", role],
        ],
        lang,
      );

    // Nobody without a recorded organisation joins an assistance team (the page says why).
    await recordOrganisations({ "staff-tj-beichen-inspector2": "" });
    const refused = await add(t1!, "staff-tj-beichen-inspector2", "member");
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('data-error="no_organisation"');
    expect(refused.html).toContain("该人员没有登记派出单位，不能加入帮扶轮次的巡察组");
    const refusedEn = await add(t1!, "staff-tj-beichen-inspector2", "member", "en");
    expect(refusedEn.status).toBe(400);
    expect(refusedEn.html).toContain("has no home organisation on record");
    expect(
      await withDb((db) =>
        db
          .select()
          .from(teamMembers)
          .where(inArray(teamMembers.teamId, [t1!, t2!])),
      ),
    ).toEqual([]);

    // Four 北辰 inspectors, all living in 北辰区, from two offices; the seats come from 西青 and
    // 北辰 (visiting) and from 和平 and 河东 (local to each team's target).
    const BC = "北辰区委巡察办";
    const JW = "北辰区纪委监委";
    const organisations: Record<string, string> = {
      "staff-tj-beichen-leader": BC,
      "staff-tj-beichen-liaison": BC,
      "staff-tj-xiqing-leader": "西青区委巡察办",
      "staff-tj-xiqing-liaison": "西青区委巡察办",
      "staff-tj-beichen-inspector1": BC,
      "staff-tj-beichen-inspector2": BC,
      "staff-tj-beichen-inspector3": JW,
      "staff-tj-beichen-inspector4": JW,
      "staff-tj-heping-leader": "和平区委巡察办",
      "staff-tj-heping-liaison": "和平区委巡察办",
      "staff-tj-hedong-leader": "河东区委巡察办",
      "staff-tj-hedong-liaison": "河东区委巡察办",
    };
    await recordOrganisations(organisations);
    // Put in as the teams page allows (same-office inspectors together); the planner re-mixes.
    const cast: [string, string, string][] = [
      [t1!, "staff-tj-beichen-leader", "leader"],
      [t1!, "staff-tj-beichen-liaison", "liaison"],
      [t1!, "staff-tj-beichen-inspector1", "member"],
      [t1!, "staff-tj-beichen-inspector2", "member"],
      [t1!, "staff-tj-heping-leader", "deputy_leader"],
      [t1!, "staff-tj-heping-liaison", "liaison"],
      [t2!, "staff-tj-xiqing-leader", "leader"],
      [t2!, "staff-tj-xiqing-liaison", "liaison"],
      [t2!, "staff-tj-beichen-inspector3", "member"],
      [t2!, "staff-tj-beichen-inspector4", "member"],
      [t2!, "staff-tj-hedong-leader", "deputy_leader"],
      [t2!, "staff-tj-hedong-liaison", "liaison"],
    ];
    for (const [teamId, staffId, role] of cast)
      expect((await add(teamId, staffId, role)).status).toBe(200);
    const teamsPage = await getPage("staff-tj-office", teamsUrl);
    expect(teamsPage.html).toContain(`data-organisation="${JW}"`);

    // The round page shows each person's organisation; as formed, both teams draw their
    // inspectors from one office each: flagged by the office's name.
    const page = await getPage("staff-tj-office", roundUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-organisation="${JW}"`);
    // Teams in the order the office made them (第一 before 第二), not by their random ids.
    const listed = [...page.html.matchAll(/<tr data-team="([^"]+)"/g)].map((m) => m[1]);
    expect(listed).toEqual([t1, t2]);
    const teamsListed = [...teamsPage.html.matchAll(/<article[^>]*data-team="([^"]+)"/g)];
    expect(teamsListed.map((m) => m[1]).slice(-2)).toEqual([t1, t2]);
    const targets: [string, string][] = [
      [`target:${t1}`, "u:tj-heping-jinhua"],
      [`target:${t2}`, "u:tj-hedong-heshun"],
    ];
    const placements = (roles: [string, string, string][]): [string, string][] =>
      roles.flatMap(([teamId, staffId, role]): [string, string][] => [
        [`team:${staffId}`, teamId],
        [`role:${staffId}`, role],
      ]);
    const checked = await postForm("staff-tj-office", roundUrl, [
      ["intent", "check"],
      ...targets,
      ...placements(cast),
    ]);
    expect(checked.html).toContain('data-warning="single_origin"');
    expect(checked.html).toContain(`第一协作组的外地干部都来自${BC}，建议混合编组`);

    // The planner's proposal: each team gets one inspector of each office.
    const proposed = await postForm("staff-tj-office", roundUrl, [
      ["intent", "propose"],
      ...targets,
      ...placements(cast),
    ]);
    expect(proposed.status).toBe(200);
    const teamOf = shownSelects(proposed.html, "team:");
    for (const teamId of [t1!, t2!]) {
      const offices = ["1", "2", "3", "4"]
        .map((n) => `staff-tj-beichen-inspector${n}`)
        .filter((id) => teamOf.get(id) === teamId)
        .map((id) => organisations[id]);
      expect(offices.sort()).toEqual([JW, BC].sort());
    }
    expect(proposed.html).not.toContain('data-warning="single_origin"');

    // A member whose organisation is cleared afterwards is flagged on the round page, and
    // publishing is refused until it is recorded again.
    await recordOrganisations({ "staff-tj-beichen-inspector4": "" });
    const flagged = await getPage("staff-tj-office", roundUrl);
    expect(flagged.html).toContain('data-violation="organisation_missing"');
    expect(flagged.html).toContain("没有登记派出单位");
    const publish = await postForm("staff-tj-office", roundUrl, [
      ["intent", "publish"],
      ...targets,
      ...placements(cast),
    ]);
    expect(publish.status).toBe(400);
    expect(publish.html).toContain('data-violation="organisation_missing"');
    expect(
      await withDb((db) =>
        db
          .select()
          .from(stationings)
          .where(inArray(stationings.teamId, [t1!, t2!])),
      ),
    ).toEqual([]);
    await recordOrganisations({ "staff-tj-beichen-inspector4": JW });
  }, 240_000);

  it("planned and published on the round page, it changes who reads new tips of its county; a broken rule is flagged and refused", async () => {
    const leader = "staff-tj-beichen-leader"; // visiting, holds a key
    const cast: [string, string][] = [
      [leader, "leader"],
      ["staff-tj-beichen-liaison", "liaison"],
      ["staff-tj-beichen-inspector1", "member"],
      ["staff-tj-heping-leader", "deputy_leader"], // local: home 和平区
      ["staff-tj-heping-liaison", "liaison"], // local
    ];
    // Before: nobody of the mixed team reads new 和平 tips.
    const before = await newTipReaders("tj-heping");
    expect(before.staffIds).not.toContain(leader);

    const created = await postForm("staff-tj-office", "/staff/admin/rounds", [
      ["intent", "create"],
      ["nameZh", "天津市协作帮扶巡察"],
      ["nameEn", "Tianjin assistance round"],
      ["mode", "assistance"],
      ["startDate", shanghaiDate(Date.now())],
      ["endDate", shanghaiDate(Date.now() + 29 * 86_400_000)],
    ]);
    expect(created.status).toBe(302);
    const roundUrl = created.location!;
    const roundId = roundUrl.split("/").pop()!;
    // The teams page forms the mixed team: dual leaders (visiting leader, local deputy) and
    // dual liaisons.
    const teamsUrl = `${roundUrl}/teams`;
    const made = await postForm("staff-tj-office", teamsUrl, [
      ["intent", "create-team"],
      ["nameZh", "和平协作组"],
      ["nameEn", "Heping assistance team"],
      ["homeDistrictId", ""],
    ]);
    expect(made.status).toBeLessThan(400);
    const [team] = await withDb((db) => db.select().from(teams).where(eq(teams.roundId, roundId)));
    await recordOrganisations({
      [leader]: "北辰区委巡察办",
      "staff-tj-beichen-liaison": "北辰区委巡察办",
      "staff-tj-beichen-inspector1": "北辰区纪委监委",
      "staff-tj-heping-leader": "和平区委巡察办",
      "staff-tj-heping-liaison": "和平区委巡察办",
    });
    for (const [staffId, role] of cast) {
      const added = await postForm("staff-tj-office", teamsUrl, [
        ["intent", "add-member"],
        ["teamId", team!.id],
        ["staffId", staffId],
        ["role", role],
      ]);
      expect(added.status).toBeLessThan(400);
    }

    // The round page aims the team at its deputy's county and shows the teams page's roles.
    const page = await getPage("staff-tj-office", roundUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain("data-assistance-plan");
    expect(shownSelects(page.html, "target:").get(team!.id)).toBe("d:tj-heping");
    expect(Object.fromEntries(shownSelects(page.html, "role:"))).toEqual(Object.fromEntries(cast));
    expect(page.html).toContain("data-plan-ok");

    // The planner proposes the same seats (only 北辰's leader can lead as a visitor, …).
    const fields = (roles: [string, string][], target = "d:tj-heping"): [string, string][] => [
      [`target:${team!.id}`, target],
      ...roles.flatMap(([staffId, role]): [string, string][] => [
        [`team:${staffId}`, team!.id],
        [`role:${staffId}`, role],
      ]),
    ];
    const proposed = await postForm("staff-tj-office", roundUrl, [
      ["intent", "propose"],
      ...fields(cast.map(([s]) => [s, "member"])),
    ]);
    expect(proposed.status).toBe(200);
    expect(Object.fromEntries(shownSelects(proposed.html, "role:"))).toEqual(
      Object.fromEntries(cast),
    );

    // Two leaders, one of them local (the teams page allows two): flagged, publishing refused.
    const twoLeaders = cast.map(([s, r]): [string, string] =>
      s === "staff-tj-heping-leader" ? [s, "leader"] : [s, r],
    );
    const refused = await postForm("staff-tj-office", roundUrl, [
      ["intent", "publish"],
      ...fields(twoLeaders),
    ]);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('data-violation="leader_local"');
    expect(refused.html).toContain('data-violation="missing_seat"');
    expect(refused.html).toContain("组长须由外地干部担任");
    // A team aimed nowhere is refused too.
    const aimless = await postForm("staff-tj-office", roundUrl, [
      ["intent", "publish"],
      ...fields(cast, ""),
    ]);
    expect(aimless.status).toBe(400);
    expect(aimless.html).toContain('data-violation="team_untargeted"');
    const none = await withDb((db) =>
      db.select().from(stationings).where(eq(stationings.teamId, team!.id)),
    );
    expect(none).toHaveLength(0);

    // Publish one unit of 和平区 for the team.
    const published = await postForm("staff-tj-office", roundUrl, [
      ["intent", "publish"],
      ...fields(cast, "u:tj-heping-jinhua"),
    ]);
    expect(published.status).toBe(302);
    expect((await getPage("staff-tj-office", roundUrl)).html).toContain('data-published="1"');
    const [st] = await withDb((db) =>
      db.select().from(stationings).where(eq(stationings.teamId, team!.id)),
    );
    expect(st!.targetDistrictId).toBe("tj-heping");

    // Until the office signs the new roster, 和平 tips go to its fallback readers; then the
    // visiting members read them, and no local member is sent a key.
    const unsigned = await newTipReaders("tj-heping");
    expect(unsigned.routedTo).toBe("office");
    expect(unsigned.staffIds).not.toContain(leader);
    expect(await signDueRosters()).not.toHaveLength(0);
    const after = await newTipReaders("tj-heping");
    expect(after.routedTo).toBe("team");
    expect(after.staffIds).toContain(leader);
    expect(after.staffIds.filter((s) => s.startsWith("staff-tj-heping-"))).toEqual([]);
    const audit = await withDb((db) =>
      db.select().from(auditLog).where(eq(auditLog.objectId, roundId)),
    );
    expect(audit.map((a) => a.action)).toEqual(["round.create", "round.publish"]);
  }, 240_000);
});
