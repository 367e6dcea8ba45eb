// `npm run db:generate [-- --name x]`: drizzle-kit generate for both engines from the one schema
// (ADR 009). The dialect follows DATABASE_URL (db/dialect.ts); nothing connects to a database.
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
for (const [dialect, url] of [
  ["sqlite", ""],
  ["pg", "postgres://drizzle-kit-generate/none"],
]) {
  console.log(`db:generate: ${dialect}`);
  const r = spawnSync(process.execPath, ["node_modules/drizzle-kit/bin.cjs", "generate", ...args], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: url },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
