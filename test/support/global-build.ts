/**
 * Integration and e2e tests run against the production build. `npm test` builds once and sets
 * CROSSWATCH_BUILT=1; running a project on its own builds here instead.
 */
import { execFileSync } from "node:child_process";
import { REPO_ROOT } from "./server";

export default function setup() {
  if (process.env.CROSSWATCH_BUILT === "1") return;
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: REPO_ROOT, stdio: "inherit" });
  process.env.CROSSWATCH_BUILT = "1";
}
