/**
 * Logs a staff member in the way tests should: by writing a session row straight into the
 * server's database (its SQLite file in WAL mode, or its PostgreSQL database), then sending the
 * cookie.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { closeDb, openDb, withTx } from "../../db/client";
import { createSession, SESSION_COOKIE } from "../../app/services/sessions.server";
import { registerCanary } from "./log-capture";

export async function loginAs(
  database: string,
  staffId: string,
  opts: { secondFactor?: boolean } = {},
) {
  const db = await openDb(database, { migrate: false });
  try {
    const { token, id } = await withTx(db, (tx) =>
      createSession(tx, staffId, { secondFactor: opts.secondFactor ?? true }),
    );
    registerCanary("session-token", token);
    return { cookie: `${SESSION_COOKIE}=${token}`, sessionId: id, token };
  } finally {
    await closeDb(db);
  }
}

/**
 * A browser context signed in as `staffId` the way the sign-in page leaves it: one session cookie
 * per staff path (/staff and /api/staff), never sent to public pages.
 */
export async function staffBrowserContext(
  browser: Browser,
  database: string,
  staffId: string,
  viewport = { width: 390, height: 844 },
): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport });
  await signInContext(ctx, database, staffId);
  return ctx;
}

/** Puts a fresh sign-in session of `staffId` into a browser context (replacing any other). */
export async function signInContext(ctx: BrowserContext, database: string, staffId: string) {
  const { token } = await loginAs(database, staffId);
  await ctx.clearCookies({ name: SESSION_COOKIE });
  await ctx.addCookies(
    ["/staff", "/api/staff"].map((p) => ({
      name: SESSION_COOKIE,
      value: token,
      domain: "127.0.0.1",
      path: p,
      httpOnly: true,
      sameSite: "Lax" as const,
    })),
  );
}
