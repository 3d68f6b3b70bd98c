/**
 * CIDR ranges (`192.168.1.0/24`, `fd7a:115c:a1e0::/48`, or a bare address)
 * for `gateway.nodes.pairing.autoApproveCidrs`. IPv4-mapped IPv6 peers
 * (`::ffff:192.168.1.5`) match IPv4 ranges.
 *
 * @module
 */

/** A parsed range: the address bytes (4 or 16) and the prefix length. */
export interface Cidr {
  bytes: Uint8Array;
  prefix: number;
}

function parseV4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i]) || Number(parts[i]) > 255) return undefined;
    out[i] = Number(parts[i]);
  }
  return out;
}

function parseV6(text: string): Uint8Array | undefined {
  let tail: Uint8Array | undefined;
  let body = text;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    // An embedded IPv4 tail (`::ffff:1.2.3.4`) counts as two groups.
    tail = parseV4(text.slice(lastColon + 1));
    if (!tail) return undefined;
    body = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i])) return undefined;
    const n = parseInt(all[i], 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (tail) out.set(tail, 12);
  return out;
}

/** The bytes of an IPv4 or IPv6 address (an IPv4-mapped one as IPv4), or `undefined`. */
export function parseAddress(text: string): Uint8Array | undefined {
  const bare = text.trim().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const v4 = parseV4(bare);
  if (v4) return v4;
  const v6 = parseV6(bare);
  if (!v6) return undefined;
  const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? v6.slice(12) : v6;
}

/** Parses `addr/prefix` (or a bare address: one host); `undefined` when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const bytes = parseAddress(addr);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return { bytes, prefix: Number(prefixText) };
}

/** Whether `ip` lies in `range`. */
export function inCidr(ip: string, range: Cidr): boolean {
  const bytes = parseAddress(ip);
  if (!bytes || bytes.length !== range.bytes.length) return false;
  let bits = range.prefix;
  for (let i = 0; i < bytes.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (range.bytes[i] & mask)) return false;
  }
  return true;
}

/** Whether `ip` lies in any of `ranges` (text; malformed entries never match). */
export function inAnyCidr(ip: string, ranges: readonly string[]): boolean {
  return ranges.some((r) => {
    const range = parseCidr(r);
    return range !== undefined && inCidr(ip, range);
  });
}
