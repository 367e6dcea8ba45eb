/**
 * What a writer with database access and our source code can do to the audit chain: edit one
 * row and recompute every hash after it, so that the chain alone still verifies. Only an anchor
 * recorded off the server catches it (app/shared/audit-anchor.ts).
 */
import { asc, eq } from "drizzle-orm";
import { withTx, type Db } from "../../db/client";
import { auditLog } from "../../db/schema";
import { GENESIS_HASH, rowHash } from "~/services/audit.server";

export async function rewriteAuditRow(db: Db, seq: number, detail: string): Promise<void> {
  await withTx(db, async (tx) => {
    await tx.update(auditLog).set({ detail }).where(eq(auditLog.seq, seq));
    const rows = await tx.select().from(auditLog).orderBy(asc(auditLog.seq));
    let prev = GENESIS_HASH;
    for (const row of rows) {
      const hash = rowHash(prev, row);
      if (row.seq >= seq)
        await tx.update(auditLog).set({ prevHash: prev, hash }).where(eq(auditLog.seq, row.seq));
      prev = hash;
    }
  });
}
