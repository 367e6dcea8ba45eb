import { afterEach, describe, expect, it, vi } from "vitest";
import * as c from "../../../crypto/index";
import { importX25519SecretKey } from "../../../crypto/x25519-native";

function makeTips(n: number) {
  const staff = c.generateStaffKeys();
  const other = c.generateStaffKeys();
  const items = Array.from({ length: n }, (_, i) => {
    const s = c.sealTip({
      payload: { i },
      recipients: [{ id: "s", boxPublicKey: staff.boxPublicKey }],
      tipsterPublicKey: other.boxPublicKey,
    });
    return { payload: s.payload, envelope: s.envelopes[0]!.envelope };
  });
  return { staff, other, items };
}

async function checkBulk(): Promise<void> {
  const { staff, other, items } = makeTips(20);
  const bad = [
    { payload: items[0]!.payload, envelope: items[1]!.envelope }, // payload from another tip
    { payload: items[0]!.payload, envelope: items[0]!.envelope.subarray(0, 50) },
    {
      payload: items[0]!.payload,
      envelope: new Uint8Array([0x12, ...items[0]!.envelope.subarray(1)]),
    },
    {
      payload: items[0]!.payload,
      envelope: c.sealTip({
        payload: {},
        recipients: [{ id: "o", boxPublicKey: other.boxPublicKey }],
        tipsterPublicKey: other.boxPublicKey,
      }).envelopes[0]!.envelope,
    },
    // low-order ephemeral public key (all zeros): WebCrypto refuses, tweetnacl fallback decides
    { payload: items[0]!.payload, envelope: new Uint8Array([0x11, ...new Uint8Array(105)]) },
  ];
  const results = await c.openTipsAsStaff([...items, ...bad], staff.boxSecretKey);
  expect(results.length).toBe(items.length + bad.length);
  items.forEach((item, i) => {
    const r = results[i]!;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.payload).toEqual({ i });
    const single = c.openTipAsStaff({ ...item, boxSecretKey: staff.boxSecretKey });
    expect(c.toHex(r.value.keys.root)).toBe(c.toHex(single.keys.root));
  });
  const codes = results.slice(items.length).map((r) => (r.ok ? "ok" : r.error.code));
  expect(codes).toEqual(["auth_failed", "truncated", "bad_version", "auth_failed", "auth_failed"]);
}

describe("openTipsAsStaff (bulk)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("matches single opening and types per-item failures (native X25519)", async () => {
    expect(await importX25519SecretKey(new Uint8Array(32).fill(5))).not.toBeNull();
    await checkBulk();
  });

  it("gives the same results without WebCrypto (tweetnacl fallback)", async () => {
    const real = globalThis.crypto;
    vi.stubGlobal("crypto", { getRandomValues: real.getRandomValues.bind(real) });
    expect(globalThis.crypto.subtle).toBeUndefined();
    await checkBulk();
  });

  it("types malformed items instead of throwing", async () => {
    const staff = c.generateStaffKeys();
    const items = [null, {}, { payload: 1, envelope: "x" }] as unknown as {
      payload: Uint8Array;
      envelope: Uint8Array;
    }[];
    const results = await c.openTipsAsStaff(items, staff.boxSecretKey);
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual([
      "bad_input",
      "bad_input",
      "bad_input",
    ]);
  });
});
