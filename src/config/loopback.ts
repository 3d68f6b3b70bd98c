/**
 * Whether a bind host is a loopback address, judged on the literal address
 * only: a host name (even `127.attacker-dns.example` or `localhost`) can
 * resolve anywhere, so it never counts as loopback.
 *
 * @module
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The four octets of a dotted-quad IPv4 literal, or `undefined`. */
function ipv4Octets(host: string): number[] | undefined {
  const m = IPV4.exec(host);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** The eight groups of an IPv6 literal (no zone, brackets allowed), or `undefined`. */
function ipv6Groups(host: string): number[] | undefined {
  let h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (!h.includes(":") || !/^[0-9a-f:.]+$/.test(h)) return undefined;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (v4) {
    // `::ffff:127.0.0.1` is `::ffff:7f00:1`.
    const o = ipv4Octets(v4[1]);
    if (!o) return undefined;
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    h = `${h.slice(0, -v4[1].length)}${hex(o[0], o[1])}:${hex(o[2], o[3])}`;
  }
  const parts = h.split("::");
  if (parts.length > 2) return undefined;
  const split = (s: string) => (s ? s.split(":") : []);
  const left = split(parts[0]);
  const right = parts.length === 2 ? split(parts[1]) : [];
  if ([...left, ...right].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const fill = 8 - left.length - right.length;
  if (parts.length === 1 ? fill !== 0 : fill < 1) return undefined;
  return [...left, ...Array(parts.length === 2 ? fill : 0).fill("0"), ...right]
    .map((g) => parseInt(g, 16));
}

/**
 * True only for a literal loopback address: IPv4 `127.0.0.0/8`, IPv6 `::1`,
 * and IPv4-mapped `::ffff:127.x.y.z`. Names are never loopback here.
 *
 * @example
 * ```ts
 * isLiteralLoopback("127.0.0.1"); // true
 * isLiteralLoopback("127.attacker-dns.example"); // false
 * ```
 */
export function isLiteralLoopback(host: string): boolean {
  const v4 = ipv4Octets(host);
  if (v4) return v4[0] === 127;
  const g = ipv6Groups(host);
  if (!g) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  return mapped && g[6] >> 8 === 127;
}
