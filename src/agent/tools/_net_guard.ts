/**
 * Refuses destinations a fetch from the gateway host must not reach by
 * default: loopback, private, link-local, CGNAT, multicast and unspecified
 * addresses, and names that resolve to them. Private to tools/.
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

function ipv6Private(ip: string): boolean {
  const s = ip.toLowerCase().replace(/^\[|\]$/g, "").split("%")[0];
  const mapped = s.match(/^(?:0*:)*(?:ffff:)(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) return ipv4Private(mapped[1]);
  if (s === "::" || s === "::1") return true;
  const first = parseInt(s.split(":")[0] || "0", 16);
  return (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xff00) === 0xff00; // multicast
}

/** Whether `address` (IPv4 or IPv6 literal) is not a public unicast address. */
export function isPrivateAddress(address: string): boolean {
  return address.includes(":") ? ipv6Private(address) : ipv4Private(address);
}

function isIpLiteral(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(":");
}

/**
 * Why `url`'s host may not be fetched, or undefined when it may. A name
 * that resolves to any private address is refused (all answers are checked).
 */
export async function privateDestination(
  url: URL,
  resolve: ResolveHost,
): Promise<string | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (
    host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") ||
    host.endsWith(".internal")
  ) {
    return `${host} is a local name`;
  }
  if (isIpLiteral(host)) return isPrivateAddress(host) ? `${host} is a private address` : undefined;
  const addresses = await resolve(host);
  if (addresses.length === 0) return `${host} does not resolve`;
  const bad = addresses.find(isPrivateAddress);
  return bad ? `${host} resolves to the private address ${bad}` : undefined;
}
