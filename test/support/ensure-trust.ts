/**
 * Unit tests import app code that reads the build's office trust file
 * (app/shared/generated/trusted-offices.json). `npm test` builds first; a bare
 * `npx vitest run --project unit` on a fresh checkout makes the demo file here.
 */
import fs from "node:fs";
import { TRUST_FILE, writeTrustConfig } from "../../scripts/office-trust";

export default function setup(): void {
  if (!fs.existsSync(TRUST_FILE)) writeTrustConfig();
}
