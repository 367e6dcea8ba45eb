/**
 * Seeds a database file with the demo data and prints the demo logins.
 *
 *   npx tsx scripts/seed.ts <dbfile> [--password <pw>]
 *
 * The password comes from --password, else CROSSWATCH_DEMO_PASSWORD, else a random one that is
 * printed once. Running it again on a seeded file changes nothing.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { closeDb, openDb } from "../db/client";
import { demoLogins, seed } from "../db/seed";

function usage(): never {
  console.error("usage: npx tsx scripts/seed.ts <dbfile> [--password <pw>]");
  process.exit(2);
}

const { values, positionals } = parseArgs({
  options: { password: { type: "string" }, help: { type: "boolean", short: "h" } },
  allowPositionals: true,
});
if (values.help || positionals.length !== 1) usage();
const file = positionals[0] ?? usage();

const password =
  values.password ?? process.env.CROSSWATCH_DEMO_PASSWORD ?? randomBytes(9).toString("base64url");

const db = await openDb(file);
try {
  const result = await seed(db, { now: new Date(), demoPassword: password });
  if (!result.created) {
    console.log(`${file} is already seeded; nothing changed. Demo logins (existing passwords):`);
  } else {
    const c = result.counts;
    console.log(
      `Seeded ${file}: ${c.jurisdictions} jurisdictions, ${c.districts} districts, ${c.units} units, ` +
        `${c.rounds} rounds, ${c.teams} teams, ${c.staff} staff, ${c.stationings} stationings.`,
    );
    console.log(`Rounds started ${result.roundStartsAt.toISOString()}.`);
    console.log(`Demo logins (password: ${password}):`);
  }
  for (const login of demoLogins()) {
    const home = login.homeDistrictNameZh ? ` · home ${login.homeDistrictNameZh}` : "";
    const team = login.teamNameZh ? ` · ${login.teamNameZh}` : "";
    console.log(`  ${login.username.padEnd(16)} ${login.roles.join(",")}${team}${home}`);
  }
} finally {
  await closeDb(db);
}
