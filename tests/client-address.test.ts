import { describe, expect, it } from "vitest";
import { clientAddress, parseTrustedProxies, type TrustedProxies } from "../src/entries/client-address.js";

function trusted(text: string): TrustedProxies {
  const parsed = parseTrustedProxies(text);
  if ("invalid" in parsed) throw new Error(`invalid: ${parsed.invalid}`);
  return parsed;
}

describe("client address: happy paths", () => {
  it("without trusted proxies the socket peer is the client", () => {
    expect(clientAddress("203.0.113.7", undefined, trusted(""))).toBe("203.0.113.7");
  });

  it("behind one trusted proxy the hop it appended is the client", () => {
    expect(clientAddress("127.0.0.1", "198.51.100.4", trusted("127.0.0.1"))).toBe("198.51.100.4");
  });

  it("walks from the right past every trusted proxy, by address or CIDR", () => {
    const proxies = trusted("127.0.0.1, 10.0.0.0/8");
    expect(clientAddress("127.0.0.1", "198.51.100.4, 10.1.2.3, 10.200.0.9", proxies)).toBe("198.51.100.4");
  });

  it("IPv6 proxies and clients, by address or CIDR, in any case", () => {
    const proxies = trusted("::1, fd00::/8");
    expect(clientAddress("::1", "2001:DB8::42, fd12:3456::1", proxies)).toBe("2001:db8::42");
    expect(clientAddress("fd00::7", "2001:db8::9", proxies)).toBe("2001:db8::9");
  });

  it("an IPv4-mapped IPv6 peer or hop is its IPv4 address, for matching and as the client", () => {
    expect(clientAddress("::ffff:127.0.0.1", "::ffff:198.51.100.4", trusted("127.0.0.1"))).toBe("198.51.100.4");
    expect(clientAddress("::ffff:203.0.113.7", undefined, trusted(""))).toBe("203.0.113.7");
    expect(clientAddress("127.0.0.1", "198.51.100.4", trusted("::ffff:127.0.0.1"))).toBe("198.51.100.4");
  });

  it("an IPv4-mapped range counts its prefix in IPv6 bits", () => {
    const proxies = trusted("::ffff:10.0.0.0/104");
    expect(proxies.has("10.200.0.1")).toBe(true);
    expect(proxies.has("11.0.0.1")).toBe(false);
  });

  it("hops written with a port", () => {
    const proxies = trusted("127.0.0.1");
    expect(clientAddress("127.0.0.1", "198.51.100.4:5123", proxies)).toBe("198.51.100.4");
    expect(clientAddress("127.0.0.1", "[2001:db8::1]:443", proxies)).toBe("2001:db8::1");
  });

  it("when every hop is a trusted proxy, the leftmost is the client", () => {
    expect(clientAddress("10.0.0.1", "10.0.0.3, 10.0.0.2", trusted("10.0.0.0/24"))).toBe("10.0.0.3");
  });
});

describe("client address: errors", () => {
  it.each(["proxy.example.com", "10.0.0.0/33", "fd00::/129", "10.0.0.1/8/8", "10.0.0.0/-1", "10.0.0.0/", "300.1.1.1", "::ffff:10.0.0.0/8"])(
    "TRUSTED_PROXIES entry %s is refused",
    (entry) => {
      expect(parseTrustedProxies(`127.0.0.1, ${entry}`)).toEqual({ invalid: entry });
    },
  );

  it("an empty or blank list trusts nobody", () => {
    for (const text of [undefined, "", " , "]) {
      expect(clientAddress("127.0.0.1", "198.51.100.4", trusted(text ?? ""))).toBe("127.0.0.1");
    }
  });

  it("a missing peer address is 'unknown', whatever the header says", () => {
    expect(clientAddress(undefined, "198.51.100.4", trusted("127.0.0.1"))).toBe("unknown");
  });
});

describe("client address: security", () => {
  it("X-Forwarded-For from a peer that is not a trusted proxy is ignored", () => {
    expect(clientAddress("203.0.113.7", "198.51.100.4", trusted("127.0.0.1, 10.0.0.0/8"))).toBe("203.0.113.7");
    expect(clientAddress("2001:db8::66", "::1", trusted("::1"))).toBe("2001:db8::66");
  });

  it("addresses a client put in front of the header are never read: the first untrusted hop from the right wins", () => {
    // The client sent "X-Forwarded-For: 10.9.9.9, 1.1.1.1"; the proxy appended the client's real address.
    expect(clientAddress("127.0.0.1", "10.9.9.9, 1.1.1.1, 203.0.113.7", trusted("127.0.0.1, 10.0.0.0/8"))).toBe("203.0.113.7");
  });

  it("a hop that is not an address cannot mint a new key: the walk stops at the last trusted proxy", () => {
    expect(clientAddress("127.0.0.1", "evil-1", trusted("127.0.0.1"))).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "198.51.100.4, unknown, 10.0.0.2", trusted("127.0.0.1, 10.0.0.0/8"))).toBe("10.0.0.2");
    expect(clientAddress("127.0.0.1", "", trusted("127.0.0.1"))).toBe("127.0.0.1");
  });

  it("a subnet trusts only its own range", () => {
    const proxies = trusted("10.0.0.0/24, 2001:db8:1::/48");
    expect(proxies.has("10.0.0.255")).toBe(true);
    expect(proxies.has("10.0.1.0")).toBe(false);
    expect(proxies.has("2001:db8:1:ffff::1")).toBe(true);
    expect(proxies.has("2001:db8:2::1")).toBe(false);
    expect(proxies.has("not an address")).toBe(false);
  });
});
