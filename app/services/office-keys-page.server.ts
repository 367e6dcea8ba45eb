/** The office keys page's revoke form (/staff/admin/keys): CSRF, confirmation, revocation. */
import { inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { districts } from "../../db/schema";
import type { Env } from "../env.server";
import { assertCsrf } from "./csrf.server";
import { revokeMemberKey, RevokeError } from "./key-revocation.server";
import type { StaffSession } from "./sessions.server";

const RevokeForm = z.object({
  keyId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/), // no NUL: PostgreSQL refuses it in a query (a 500)
  confirm: z.literal("yes"),
});

export type RevokeActionBody =
  | { error: "badInput" | RevokeError["code"] }
  | {
      affected: {
        kind: string;
        rosterId: string;
        districts: { id: string; zh: string; en: string }[];
      }[];
    };

export async function revokeKeyAction(
  db: Db,
  env: Env,
  session: StaffSession,
  request: Request,
): Promise<{ status: number; body: RevokeActionBody }> {
  const form = await request.formData().catch(() => undefined);
  assertCsrf(env, session.sessionId, request, form);
  const parsed = RevokeForm.safeParse(Object.fromEntries(form ?? []));
  if (!parsed.success) return { status: 400, body: { error: "badInput" } };
  try {
    const affected = await revokeMemberKey(db, session, parsed.data.keyId);
    const ids = [...new Set(affected.flatMap((a) => a.districtIds))];
    const names = new Map(
      ids.length === 0
        ? []
        : (await db.select().from(districts).where(inArray(districts.id, ids))).map((d) => [
            d.id,
            { id: d.id, zh: d.nameZh, en: d.nameEn },
          ]),
    );
    return {
      status: 200,
      body: {
        affected: affected.map((a) => ({
          kind: a.kind,
          rosterId: a.rosterId,
          districts: a.districtIds.map((id) => names.get(id) ?? { id, zh: id, en: id }),
        })),
      },
    };
  } catch (err) {
    if (err instanceof RevokeError) return { status: 404, body: { error: err.code } };
    throw err;
  }
}
