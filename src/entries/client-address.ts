import { BlockList, isIP } from "node:net";

/**
 * The reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES): addresses and CIDR
 * ranges, IPv4 and IPv6. An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is the IPv4 one.
 */
export interface TrustedProxies {
  has(address: string): boolean;
  readonly size: number;
}

/** Parses `10.0.0.1, 10.1.0.0/16, ::1, fd00::/8`; returns the first entry that is neither an address nor a CIDR as `invalid`. */
export function parseTrustedProxies(text: string | undefined): TrustedProxies | { invalid: string } {
  const list = new BlockList();
  const entries = (text ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    const [raw, bits, ...rest] = entry.split("/");
    const address = normalize(raw!);
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    if (!family || rest.length) return { invalid: entry };
    if (bits === undefined) {
      list.addAddress(address, family === 4 ? "ipv4" : "ipv6");
      continue;
    }
    // A mapped range's prefix counts IPv6 bits: ::ffff:10.0.0.0/104 is 10.0.0.0/8. Under /96 it
    // would reach beyond IPv4-mapped space, which an IPv4 range cannot say, so it is refused.
    const mapped = family === 4 && address !== raw!.toLowerCase();
    const prefix = Number(bits) - (mapped ? 96 : 0);
    if (!/^\d{1,3}$/.test(bits) || prefix < 0 || prefix > max) return { invalid: entry };
    list.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return {
    size: entries.length,
    has(addr) {
      const address = normalize(addr);
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
    },
  };
}

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy. Then
 * X-Forwarded-For is read from the right (each proxy appends the address it was reached from),
 * skipping trusted proxies; the first hop that is not one is the client. Hops further left were
 * written by the client and are never read. A hop that is not an address (a proxy that passed a
 * forged header through) ends the walk at the last trusted proxy, so made-up values cannot mint
 * new rate-limit keys.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  let client = peer ? normalize(peer) : "unknown";
  if (!peer || trusted.size === 0 || !trusted.has(client) || !forwardedFor) return client;
  const hops = forwardedFor.split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalize(stripPort(hops[i]!.trim()));
    if (!isIP(hop)) return client;
    client = hop;
    if (!trusted.has(hop)) return client;
  }
  return client;
}

/** `::ffff:192.0.2.1` → `192.0.2.1` (a dual-stack socket's IPv4 peer), lower-case IPv6. */
function normalize(address: string): string {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  return mapped && isIP(mapped[1]!) === 4 ? mapped[1]! : lower;
}

/** Some proxies write `192.0.2.1:4711` or `[2001:db8::1]:4711`. */
function stripPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  return v4WithPort ? v4WithPort[1]! : hop;
}
