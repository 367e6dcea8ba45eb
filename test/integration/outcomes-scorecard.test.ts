/**
 * The demo's Tianjin round-4 scorecard, computed from the seeded records (never typed in),
 * reproduces the article: 830 / 920 / 543 problems by focus, key-minority share of clues above
 * 60 %, 61 immediate rectifications — on the page, in the CSV, and on the public board.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";
import { staffApi } from "../support/outcomes-fixture";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ env: { CROSSWATCH_DEMO_OUTCOMES: "full" }, timeoutMs: 230_000 });
}, 240_000);
afterAll(async () => {
  await server?.stop();
});

const cell = (html: string, id: string) =>
  new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? null;

describe("seeded round-4 scorecard", () => {
  it("reproduces 830 / 920 / 543, key minority above 60 %, 61 immediate rectifications", async () => {
    const office = await staffApi(server, "staff-tj-office");
    const page = await office.page("/staff/rounds/tj-r4/scorecard");
    expect(page.status).toBe(200);
    expect(cell(page.text, "scorecard-decision")).toBe("830");
    expect(cell(page.text, "scorecard-corruption")).toBe("920");
    expect(cell(page.text, "scorecard-livelihood")).toBe("543");
    expect(cell(page.text, "scorecard-immediate")).toBe("61");
    const share = Number(/([\d.]+)%/.exec(cell(page.text, "scorecard-key-minority") ?? "")?.[1]);
    expect(share).toBeGreaterThan(60);
    const csv = await fetch(`${server.url}/staff/rounds/tj-r4/scorecard.csv`, {
      headers: {
        Cookie: (
          await (await import("../support/staff-login")).loginAs(server.database, "staff-tj-office")
        ).cookie,
      },
    });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const rows = (await csv.text()).replace(/^\uFEFF/, "").split("\r\n");
    expect(rows[1]!.split(",").slice(2, 6)).toEqual(["830", "920", "543", "2293"]);
    // header, round, districts, teams, a blank row, the audit anchor, final newline
    expect(rows).toHaveLength(1 + 1 + 16 + 16 + 1 + 1 + 1);
    expect(rows.at(-2)).toMatch(/^审计链锚点（行数:哈希）,\d+:[0-9a-f]{64},\d{4}-/);
  });

  it("seals every seeded finding to the office, the earliest ones included", async () => {
    const list = await (await staffApi(server, "staff-tj-office")).get("/api/staff/findings");
    expect(list.status).toBe(200);
    const findings = list.json.findings as { envelope: string | null }[];
    expect(findings.length).toBeGreaterThanOrEqual(2293);
    expect(findings.filter((f) => !f.envelope)).toEqual([]);
  });

  it("only an office admin of the round's jurisdiction sees it", async () => {
    for (const who of [
      "staff-sc-office",
      "staff-tj-beichen-leader",
      "staff-tj-jinnan-commission",
    ]) {
      expect(
        (await (await staffApi(server, who)).page("/staff/rounds/tj-r4/scorecard")).status,
      ).toBe(403);
    }
  });

  it("the public board shows the approved round with small cells withheld", async () => {
    const page = await (await fetch(`${server.url}/results?round=tj-r4`)).text();
    // 2,293 problems published, the three focuses as the scorecard has them.
    expect(page).toContain("2,293");
    expect(page).toContain("830");
    const feed = await (await fetch(`${server.url}/results.atom`)).text();
    expect((feed.match(/<entry>/g) ?? []).length).toBe(17); // 16 Tianjin districts + 雷波县
  });
});
