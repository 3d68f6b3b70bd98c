/**
 * Refuses destinations a fetch from the gateway host must not reach by
 * default: loopback, private, link-local, CGNAT, multicast and unspecified
 * addresses, and names that resolve to them (`web_fetch`), and tells which
 * model servers are self-hosted (the providers' idle watchdog): one notion
 * of "private" for the whole agent.
 *
 * @module
 */

/** Resolves a host name to addresses (the runtime edge; tests replace it). */
export type ResolveHost = (host: string) => Promise<string[]>;

/** Resolves through Deno.resolveDns (A and AAAA). */
export const resolveWithDns: ResolveHost = async (host) => {
  const out: string[] = [];
  const tries = await Promise.allSettled([
    Deno.resolveDns(host, "A"),
    Deno.resolveDns(host, "AAAA"),
  ]);
  for (const t of tries) if (t.status === "fulfilled") out.push(...t.value);
  return out;
};

function ipv4Private(ip: string): boolean {
  const p = ip.split(".").map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return true;
  const [a, b] = p;
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) || (a === 198 && (b === 18 || b === 19)) || a >= 224;
}

/** The eight 16-bit groups of an IPv6 literal, or undefined when it does not parse. */
function ipv6Groups(ip: string): number[] | undefined {
  let s = ip.toLowerCase().replace(/^\[|\]$/g, "").split("%")[0];
  const v4 = s.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    s = s.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const parts = [...head, ...Array(Math.max(fill, 0)).fill("0"), ...tail];
  if (parts.length !== 8 || parts.some((p) => !/^[0-9a-f]{1,4}$/.test(p))) return undefined;
  return parts.map((p) => parseInt(p, 16));
}

function ipv6Private(ip: string): boolean {
  const g = ipv6Groups(ip);
  if (!g) return true; // unparseable: refuse
  const embedded = (hi: number, lo: number) =>
    ipv4Private(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return true; // ::
  if (zeros(7) && g[7] === 1) return true; // ::1
  if (zeros(5) && g[5] === 0xffff) return embedded(g[6], g[7]); // ::ffff:a.b.c.d
  if (zeros(6)) return embedded(g[6], g[7]); // ::a.b.c.d (deprecated compatible form)
  if (g[0] === 0x64 && g[1] === 0xff9b) return embedded(g[6], g[7]); // NAT64
  if (g[0] === 0x2002) return embedded(g[1], g[2]); // 6to4
  return (g[0] & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (g[0] & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (g[0] & 0xff00) === 0xff00; // multicast
}

/** Whether `address` (IPv4 or IPv6 literal) is not a public unicast address. */
export function isPrivateAddress(address: string): boolean {
  return address.includes(":") ? ipv6Private(address) : ipv4Private(address);
}

function isIpLiteral(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(":");
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

function isLocalName(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") ||
    host.endsWith(".internal");
}

/**
 * Whether `url` names the local host or a private network by its text alone
 * (a local name or a private address literal; no DNS). A model server there
 * is self-hosted and gets the longer idle watchdog.
 */
export function isPrivateUrl(url: string): boolean {
  let host: string;
  try {
    host = hostOf(new URL(url));
  } catch {
    return false;
  }
  return isLocalName(host) || (isIpLiteral(host) && isPrivateAddress(host));
}

/**
 * Why `url`'s host may not be fetched, or undefined when it may. A name
 * that resolves to any private address is refused (all answers are checked).
 */
export async function privateDestination(
  url: URL,
  resolve: ResolveHost,
): Promise<string | undefined> {
  const host = hostOf(url);
  if (isLocalName(host)) return `${host} is a local name`;
  if (isIpLiteral(host)) return isPrivateAddress(host) ? `${host} is a private address` : undefined;
  const addresses = await resolve(host);
  if (addresses.length === 0) return `${host} does not resolve`;
  const bad = addresses.find(isPrivateAddress);
  return bad ? `${host} resolves to the private address ${bad}` : undefined;
}
