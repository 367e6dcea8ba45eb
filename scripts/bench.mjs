// `npm run bench`: runs every scripts/bench-*.ts in turn (crypto, pages, inbox, …). Each prints
// `name  measured  target  ratio` rows measured in the same run; benchmarks never fail the build.
// `npm run bench -- crypto` runs only bench-crypto.ts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const only = process.argv.slice(2);
const benches = fs
  .readdirSync("scripts")
  .filter((f) => /^bench-.+\.ts$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f === `bench-${o}.ts`))
  .sort();
if (benches.length === 0) {
  console.error(`bench: nothing matches ${only.join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file} ==`);
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", `scripts/${file}`], {
    stdio: "inherit",
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
