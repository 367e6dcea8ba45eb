/**
 * Who is asking, for per-client rate limits only. The server never stores or logs an address:
 * it reduces the client's address to a bucket and hands the app a keyed hash of that bucket
 * (`context.clientKey`, random key per process).
 *
 * - The address is the TCP peer's, unless the peer is a proxy listed in TRUST_PROXY: then
 *   Express (`trust proxy`, proxy-addr) takes it from X-Forwarded-For, skipping trusted hops
 *   from the right, so a client cannot choose its own address by sending the header.
 * - IPv6 clients are bucketed by their /64: one household or phone gets a whole /64 and can
 *   pick any address inside it, so per-address limits would be no limit at all. IPv4-mapped IPv6
 *   (::ffff:a.b.c.d) is the IPv4 address.
 */
import net from "node:net";

/** The rate-limit bucket of an address: IPv4 as is, IPv6 by its first 64 bits. */
export function clientBucket(address: string | undefined): string {
  if (!address) return "";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (net.isIPv4(address)) return address;
  if (!net.isIPv6(address)) return address;
  return `${ipv6Groups(address).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const zone = address.indexOf("%");
  const bare = zone >= 0 ? address.slice(0, zone) : address;
  const [head, tail] = bare.includes("::") ? bare.split("::") : [bare, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4 handled above; 64:ff9b::1.2.3.4 here) is two groups.
  const expand = (parts: string[]) =>
    parts.flatMap((p) => {
      if (!p.includes(".")) return [p];
      const [a, b, c, d] = p.split(".").map(Number) as [number, number, number, number];
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const l = expand(left);
  const r = expand(right);
  const middle = tail === null ? [] : Array(8 - l.length - r.length).fill("0");
  return [...l, ...middle, ...r].map((g) => parseInt(g || "0", 16).toString(16));
}
