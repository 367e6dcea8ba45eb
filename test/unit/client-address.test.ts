/**
 * TRUST_PROXY parsing (one-line refusals for anything Express would misread) and the address
 * buckets per-client limits count by (IPv6 by /64, IPv4-mapped as IPv4).
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv, parseTrustProxy } from "~/env.server";
import { clientBucket } from "../../server/client-address";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

describe("parseTrustProxy", () => {
  it("is off unless set", () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy("")).toBe(false);
    expect(parseTrustProxy("off")).toBe(false);
    expect(parseTrustProxy("false")).toBe(false);
  });

  it("accepts loopback, named ranges, addresses and CIDR ranges", () => {
    expect(parseTrustProxy("loopback")).toEqual(["loopback"]);
    expect(parseTrustProxy(" 10.0.0.0/8, 192.168.1.5 ,fd00::/8,uniquelocal")).toEqual([
      "10.0.0.0/8",
      "192.168.1.5",
      "fd00::/8",
      "uniquelocal",
    ]);
  });

  it.each(["true", "*", "10.0.0.0/33", "fd00::/129", "10.0.0/8", "10.0.0.0/8/1", "proxy.lan", "1"])(
    "refuses %s with a one-line message",
    (value) => {
      expect(() => parseTrustProxy(value)).toThrow(ConfigError);
      expect(() => parseTrustProxy(value)).toThrow(/^TRUST_PROXY: /);
    },
  );

  it("is part of the parsed configuration", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-env-"));
    expect(parseEnv({ DATA_DIR: dir }).trustProxy).toBe(false);
    expect(parseEnv({ DATA_DIR: dir, TRUST_PROXY: "loopback" }).trustProxy).toEqual(["loopback"]);
    expect(() => parseEnv({ DATA_DIR: dir, TRUST_PROXY: "everyone" })).toThrow(ConfigError);
  });
});

describe("clientBucket", () => {
  it("keeps IPv4 addresses and unwraps IPv4-mapped IPv6", () => {
    expect(clientBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(clientBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientBucket("::FFFF:127.0.0.1")).toBe("127.0.0.1");
  });

  it("puts every address of one IPv6 /64 in one bucket, and other /64s elsewhere", () => {
    const a = clientBucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    expect(a).toBe("2001:db8:1:2::/64");
    expect(clientBucket("2001:0db8:0001:0002::1")).toBe(a);
    expect(clientBucket("2001:db8:1:2::ffff%eth0")).toBe(a);
    expect(clientBucket("2001:db8:1:3::1")).not.toBe(a);
    expect(clientBucket("::1")).toBe("0:0:0:0::/64");
    expect(clientBucket("2001:db8::")).toBe("2001:db8:0:0::/64");
  });

  it("is empty without an address", () => {
    expect(clientBucket(undefined)).toBe("");
  });
});
