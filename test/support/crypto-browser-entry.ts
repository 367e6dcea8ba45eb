/**
 * Browser entry for the crypto suite and benchmarks: bundled by esbuild (platform browser) and
 * loaded into Chromium by test/e2e/crypto-chromium.test.ts and scripts/bench-crypto.ts.
 */
import * as crypto from "../../crypto/index";
import { patternBytes } from "./crypto-vector-random";
import { runNegativeChecks, runVectorSuite } from "./crypto-vector-suite";

declare global {
  interface Window {
    crosswatchCryptoSuite: typeof api;
  }
}

const api = { crypto, patternBytes, runVectorSuite, runNegativeChecks };
window.crosswatchCryptoSuite = api;
