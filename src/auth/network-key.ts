/**
 * The key login limits count a client under: an IPv4 address as it is, an IPv6 address by its
 * /64 network (one subscriber usually holds a whole /64, so counting single addresses gave an
 * attacker 2^64 fresh keys), and an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, as a dual-stack
 * socket reports IPv4 peers) as the IPv4 address it carries. Anything unparseable ("unknown" when
 * the runtime gives no address) is kept as given, capped, so such clients still share one key.
 *
 * @example networkKey("2001:db8:1:2:aaaa::1") // "2001:db8:1:2::/64"
 */
export function networkKey(address: string): string {
  const bare = address.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  if (isIPv4(bare)) return canonicalIPv4(bare);
  const groups = ipv6Groups(bare);
  if (!groups) return address.slice(0, 64);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIPv4(text: string): boolean {
  const m = IPV4.exec(text);
  return !!m && m.slice(1).every((octet) => Number(octet) <= 255);
}

/** "010.0.0.1" and "10.0.0.1" are one client. */
function canonicalIPv4(text: string): string {
  return text.split(".").map(Number).join(".");
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a dotted IPv4 tail), or null. */
function ipv6Groups(text: string): number[] | null {
  if (!text.includes(":") || text.length > 45) return null;
  let tail: number[] = [];
  let head = text;
  const lastColon = text.lastIndexOf(":");
  const dotted = text.slice(lastColon + 1);
  if (dotted.includes(".")) {
    if (!isIPv4(dotted)) return null;
    const [a, b, c, d] = dotted.split(".").map(Number) as [number, number, number, number];
    tail = [(a << 8) | b, (c << 8) | d];
    // Keep the colon before the IPv4 part ("::ffff:1.2.3.4" → "::ffff:"), then drop a lone trailing one.
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const explicit = left.length + right.length + tail.length;
  if ([...left, ...right].some(Number.isNaN)) return null;
  if (halves.length === 1) return explicit === 8 ? [...left, ...tail] : null;
  if (explicit > 7) return null;
  return [...left, ...new Array<number>(8 - explicit).fill(0), ...right, ...tail];
}
