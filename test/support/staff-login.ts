/**
 * Logs a staff member in the way tests should: by writing a session row straight into the
 * server's database file (WAL lets both processes use it), then sending the cookie.
 */
import { openDb } from "../../db/client";
import { createSession, SESSION_COOKIE } from "../../app/services/sessions.server";

export function loginAs(dbPath: string, staffId: string, opts: { secondFactor?: boolean } = {}) {
  const db = openDb(dbPath, { migrate: false });
  try {
    const { token, id } = createSession(db, staffId, { secondFactor: opts.secondFactor ?? true });
    return { cookie: `${SESSION_COOKIE}=${token}`, sessionId: id, token };
  } finally {
    db.$client.close();
  }
}
