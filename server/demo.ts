/**
 * Demo mode: seed an empty database with the demo data (DESIGN §2) and print the demo logins.
 * Production mode never calls this.
 */
import type { Env } from "../app/env.server";
import type { Db } from "../db/client";
import { seed } from "../db/seed";

export const DEMO_PASSWORD = "crosswatch-demo";

export async function seedDemo(db: Db, _env: Env): Promise<void> {
  const result = await seed(db, { now: new Date(), demoPassword: DEMO_PASSWORD });
  if (!result.created) return;
  console.log("crosswatch: demo data created. Demo logins (password %s):", DEMO_PASSWORD);
  for (const login of result.logins) {
    console.log(`  ${login.username.padEnd(22)} ${login.description}`);
  }
}
