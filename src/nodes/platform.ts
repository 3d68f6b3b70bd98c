/**
 * Which platform a node is, from what it says (`client.platform` and
 * `client.deviceFamily`): the key of its default command allowlist in
 * `policy.ts`. A platform is only trusted when the two agree.
 *
 * @module
 */

/** Platforms with their own default allowlist. */
export type PlatformId = "ios" | "watchos" | "android" | "macos" | "windows" | "linux" | "unknown";

const CANONICAL = new Set<PlatformId>(["ios", "watchos", "android", "macos", "windows", "linux"]);
const FAMILY_TOKENS: [PlatformId, string[]][] = [
  ["ios", ["iphone", "ipad", "ios"]],
  ["watchos", ["apple watch", "watchos"]],
  ["android", ["android"]],
  ["macos", ["mac"]],
  ["windows", ["windows"]],
  ["linux", ["linux"]],
];

const LEGACY_PREFIXES: [PlatformId, string[]][] = [
  ["ios", ["ios", "ipados"]],
  ["watchos", ["watchos"]],
  ["android", ["android"]],
  ["macos", ["mac", "darwin"]],
  ["windows", ["win"]],
  ["linux", ["linux"]],
];

/** Trimmed, accents stripped, lowercased: how platform labels are compared. */
export function normalizeLabel(value: string | undefined): string {
  const trimmed = (value ?? "").trim();
  return trimmed.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function familyMatches(id: PlatformId, family: string): boolean {
  switch (id) {
    case "ios":
      return family === "" || /^(?:iphone|ipad|ios)$/.test(family);
    case "watchos":
      return family === "apple watch" || family === "watchos";
    case "android":
      return family === "" || family === "android";
    case "macos":
      return family === "mac";
    default:
      return family === id;
  }
}

function nativeLabel(platform: string, family: string): PlatformId | undefined {
  if (/^(?:ios|ipados) \d+(?:\.\d+){0,2}$/.test(platform)) {
    return /^(?:iphone|ipad|ios)$/.test(family) ? "ios" : undefined;
  }
  if (/^watchos \d+(?:\.\d+){0,2}$/.test(platform)) {
    return /^(?:apple watch|watchos)$/.test(family) ? "watchos" : undefined;
  }
  if (/^macos \d+(?:\.\d+){0,2}$/.test(platform)) return family === "mac" ? "macos" : undefined;
  if (/^android \d+(?: \(sdk \d+\))?$/.test(platform)) {
    return family === "android" ? "android" : undefined;
  }
  return undefined;
}

/**
 * The allowlist a node gets from what it says it is: a canonical platform
 * counts only with a matching device family (`linux` + `Linux`), a native
 * label (`iOS 18.1` + `iPhone`) maps to its platform, anything else that
 * names a platform is "unknown", and a node naming none is judged by its
 * device family alone. A node that sends no device family (protocol-3 era
 * clients) is judged by the platform's prefix (`linux…`, `darwin`, `win…`).
 *
 * @example
 * platformId("linux", "Linux") // "linux"
 * platformId("linux", "server") // "unknown"
 */
export function platformId(platform?: string, deviceFamily?: string): PlatformId {
  const raw = normalizeLabel(platform);
  const family = normalizeLabel(deviceFamily);
  if (!family && raw) {
    // Protocol-3 era clients (the 2026.3 node host) send no device family;
    // 2026.9.6 would call them "unknown". Judge them by the platform prefix,
    // as the gateways of their era did.
    const legacy = LEGACY_PREFIXES.find(([, prefixes]) => prefixes.some((p) => raw.startsWith(p)));
    if (legacy) return legacy[0];
  }
  if (CANONICAL.has(raw as PlatformId)) {
    return familyMatches(raw as PlatformId, family) ? raw as PlatformId : "unknown";
  }
  const native = nativeLabel(raw, family);
  if (native) return native;
  if (raw) return "unknown";
  return FAMILY_TOKENS.find(([, tokens]) => tokens.some((t) => family.includes(t)))?.[0] ??
    "unknown";
}
