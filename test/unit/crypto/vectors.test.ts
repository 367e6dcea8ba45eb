import { describe, expect, it } from "vitest";
import { runNegativeChecks, runVectorSuite, suiteNames } from "../../support/crypto-vector-suite";

// The same suite runs inside Chromium in test/e2e/crypto-chromium.test.ts.
const names = suiteNames();

describe("known-answer vectors (Node)", async () => {
  const results = await runVectorSuite();
  it.each(names.vectors)("%s", (name) => {
    const r = results.find((x) => x.name === name);
    expect(r, name).toBeDefined();
    expect(r!.detail ?? "").toBe("");
    expect(r!.ok).toBe(true);
  });
});

describe("negative checks (Node)", async () => {
  const results = await runNegativeChecks();
  it.each(names.negative)("%s", (name) => {
    const r = results.find((x) => x.name === name);
    expect(r!.detail ?? "").toBe("");
    expect(r!.ok).toBe(true);
  });
});
