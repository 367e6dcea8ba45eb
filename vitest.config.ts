import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve(__dirname, "app") };

/**
 * Three layers, one command (`npm test` → scripts/test.mjs builds once, then runs all three):
 * - unit: pure functions and in-memory databases;
 * - integration: the real built server on a free port with a temp database file, over HTTP;
 * - e2e: Debian's Chromium driven by playwright-core against the real server.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          // Makes the build's office trust file if no build has yet (app/shared/trusted-offices).
          globalSetup: ["test/support/ensure-trust.ts"],
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          // argon2id and property tests are CPU-bound; a busy 2-core machine needs headroom.
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          globalSetup: ["test/support/global-build.ts", "test/support/global-log-capture.ts"],
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          globalSetup: ["test/support/global-build.ts", "test/support/global-log-capture.ts"],
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser at a time on a 2-core machine.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
