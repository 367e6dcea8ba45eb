/**
 * The account lifecycle over HTTP on the real server: the office admin invites a member, the
 * member sets a password from the one-time link, enrols TOTP (code computed from the key shown
 * on the page), sees recovery codes once, signs in later with a recovery code; the admin
 * disables (sessions die at once) and resets (new link). The auditor sees it all, chain intact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentTotp, DEMO_TOTP_SECRET } from "~/services/totp.server";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0]!;
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
const get = (path: string, cookie?: string) =>
  fetch(`${server.url}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
const post = (path: string, cookie: string | undefined, body: Record<string, string>) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: cookie ? { Cookie: cookie } : {},
    body: new URLSearchParams(body),
    redirect: "manual",
  });

async function passwordStep(username: string, password: string): Promise<string> {
  const r = await post("/staff/login", undefined, { username, password });
  expect(r.status).toBe(303);
  return cookieOf(r);
}

async function secondStep(pending: string, code: string, intent = "verify") {
  const page = await (await get("/staff/login/totp", pending)).text();
  return post("/staff/login/totp", pending, { csrf: csrfOf(page), intent, code });
}

async function signInDemo(username: string) {
  const pending = await passwordStep(username, "crosswatch-demo");
  const r = await secondStep(pending, await currentTotp(DEMO_TOTP_SECRET));
  expect(r.status).toBe(303);
  return cookieOf(r);
}

describe("invitation, enrolment, disable and reset", () => {
  it("runs the whole lifecycle", async () => {
    const admin = await signInDemo("tj.office");
    const adminPage = await (await get("/staff/admin/staff", admin)).text();
    expect(adminPage).toContain("bc.inspector1");
    const csrf = csrfOf(adminPage);

    // Invite a new inspector (home district 津南 is allowed; keys decide what they can read).
    const invited = await post("/staff/admin/staff", admin, {
      csrf,
      intent: "invite",
      username: "bc.newcomer",
      displayName: "新组员",
      role: "inspector",
      homeDistrictId: "",
    });
    expect(invited.status).toBe(200);
    const html = await invited.text();
    const link = /\/staff\/invite\/([A-Za-z0-9_-]+)/.exec(html)![0]!;
    // The same username again: a localized 409.
    const dup = await post("/staff/admin/staff", admin, {
      csrf,
      intent: "invite",
      username: "BC.Newcomer",
      displayName: "x",
      role: "inspector",
    });
    expect(dup.status).toBe(409);

    // Accept: short password refused, then set a good one.
    expect((await get(link)).status).toBe(200);
    expect((await post(link, undefined, { password: "short", repeat: "short" })).status).toBe(400);
    const pw = "correct horse battery";
    const accepted = await post(link, undefined, { password: pw, repeat: pw });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe("/staff/login/totp");
    // The link is single-use.
    expect((await get(link)).status).toBe(404);

    // Enrol: the page shows the key; a first code confirms it and shows 10 recovery codes once.
    const pending = cookieOf(accepted);
    const enrolPage = await (await get("/staff/login/totp", pending)).text();
    expect(enrolPage).toContain("data:image/svg+xml;base64,");
    const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(enrolPage)![1]!.replace(/ /g, "");
    const enrolled = await post("/staff/login/totp", pending, {
      csrf: csrfOf(enrolPage),
      intent: "enrol",
      code: await currentTotp(secret),
    });
    expect(enrolled.status).toBe(200);
    const codesHtml = await enrolled.text();
    const codes = [
      ...codesHtml.matchAll(/<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code>/g),
    ].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    const member = pending; // upgraded in place: no new cookie
    expect((await get("/staff", member)).status).toBe(200);

    // Later: sign in with a recovery code instead of TOTP.
    const again = await passwordStep("bc.newcomer", pw);
    const viaRecovery = await secondStep(again, codes[3]!);
    expect(viaRecovery.status).toBe(303);
    const member2 = cookieOf(viaRecovery);
    expect((await get("/staff", member2)).status).toBe(200);

    // An inspector cannot manage staff.
    expect((await get("/staff/admin/staff", member2)).status).toBe(403);

    // Disable: every session of the member dies at once; password sign-in fails like a typo.
    const list = await (await get("/staff/admin/staff", admin)).text();
    const ids = [...list.matchAll(/name="staffId" value="([^"]+)"/g)].map((m) => m[1]!);
    const newcomerId = ids.find((id) => id.startsWith("staff-") && !id.startsWith("staff-tj-"))!;
    expect(newcomerId).toBeTruthy();
    const disabled = await post("/staff/admin/staff", admin, {
      csrf,
      intent: "disable",
      staffId: newcomerId,
    });
    expect(disabled.status).toBe(200);
    expect((await get("/staff", member)).status).toBe(401);
    expect((await get("/staff", member2)).status).toBe(401);
    expect(
      (await post("/staff/login", undefined, { username: "bc.newcomer", password: pw })).status,
    ).toBe(401);

    // Reset: a new one-time link; the old password no longer works.
    const reset = await post("/staff/admin/staff", admin, {
      csrf,
      intent: "reset",
      staffId: newcomerId,
    });
    expect(reset.status).toBe(200);
    expect(await reset.text()).toMatch(/\/staff\/invite\/[A-Za-z0-9_-]+/);

    // Another office's admin cannot touch a Tianjin member (404), and CSRF is required.
    const sc = await signInDemo("sc.office");
    const scPage = await (await get("/staff/admin/staff", sc)).text();
    expect(scPage).not.toContain("bc.newcomer");
    const cross = await post("/staff/admin/staff", sc, {
      csrf: csrfOf(scPage),
      intent: "disable",
      staffId: newcomerId,
    });
    expect(cross.status).toBe(404);
    expect(
      (await post("/staff/admin/staff", admin, { intent: "disable", staffId: newcomerId })).status,
    ).toBe(403);

    // The auditor sees the account actions and an intact chain.
    const auditor = await signInDemo("tj.auditor");
    const audit = await (await get("/staff/audit?action=account.", auditor)).text();
    for (const a of [
      "account.create",
      "account.invite",
      "account.invite.accept",
      "account.totp.enrol",
      "account.disable",
      "account.reset",
    ]) {
      expect(audit, a).toContain(a);
    }
    expect(audit).toMatch(/哈希链完整/);
  }, 120_000);
});
