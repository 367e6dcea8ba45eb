/**
 * The inspection office's pages over HTTP against the real built server (issue 10):
 *
 * - Registry (item 1): a 100-row units file with 3 bad rows imports nothing and the page lists all
 *   3 with their row numbers and reasons (preview and import alike); a clean file is previewed,
 *   imported in one step, exported and re-imported unchanged; another office's ids are refused.
 */
import { and, count, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfToken } from "~/services/csrf.server";
import { closeDb, openDb, type Db } from "../../db/client";
import { auditLog, units, zones } from "../../db/schema";
import { fetchFresh } from "../support/report-fixture";
import { startServer, type RunningServer } from "../support/server";
import { loginAs } from "../support/staff-login";
import { serverEnv } from "../support/tip-fixture";

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
