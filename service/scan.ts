/**
 * Finds other gateway-like services on the machine: units or plists named
 * after openclaw, clawdbot or moltbot (the product's earlier names), or
 * carrying our `OPENCLAW_SERVICE_MARKER`. `gateway status` warns about them
 * and `doctor` offers to remove the legacy ones.
 *
 * @module
 */

import type { ServiceScope } from "./control.ts";
import type { Supervisor } from "./spec.ts";

/** A folder to scan and the scope its services run in. */
export interface ScanDir {
  dir: string;
  scope: ServiceScope;
}

/** One service found by {@link scanServices}. */
export interface FoundService {
  /** Unit name or launchd label. */
  label: string;
  /** The file. */
  path: string;
  scope: ServiceScope;
  /**
   * `legacy`: left by an earlier product name (com.openclaw.*, clawdbot,
   * moltbot); `extra`: some other gateway-like service.
   */
  kind: "legacy" | "extra";
}

const GATEWAY_LIKE = /openclaw|clawdbot|moltbot/i;
const EARLIER_NAMES = /clawdbot|moltbot/i;
const MARKER = /OPENCLAW_SERVICE_MARKER\W+openclaw/;

/**
 * Classifies one service name. `undefined` for names that are not
 * gateway-like, and for this product's profile services
 * (`openclaw-gateway-<p>.service`, `bot.molt.<p>`): separate profiles are
 * the supported way to run several gateways, so they are not warned about.
 */
export function classifyService(
  supervisor: Supervisor,
  label: string,
  hasMarker: boolean,
): FoundService["kind"] | undefined {
  if (supervisor === "systemd") {
    if (/^openclaw-gateway(-[a-z0-9][a-z0-9_-]*)?\.service$/i.test(label)) return undefined;
  } else {
    if (/^bot\.molt\.[a-z0-9][a-z0-9_-]*$/i.test(label)) return undefined;
    if (label.startsWith("com.openclaw.")) return "legacy";
  }
  if (EARLIER_NAMES.test(label)) return "legacy";
  return GATEWAY_LIKE.test(label) || hasMarker ? "extra" : undefined;
}

/**
 * Scans `dirs` for unit files (systemd) or plists (launchd) and returns the
 * gateway-like ones other than `ownPath`, sorted by label. A file named like
 * ours in another folder (the same unit installed both as a user and a
 * system unit) is `extra`: two copies would fight over one port. Missing or
 * unreadable folders are skipped.
 */
export async function scanServices(
  supervisor: Supervisor,
  dirs: ScanDir[],
  ownPath: string,
): Promise<FoundService[]> {
  const suffix = supervisor === "systemd" ? ".service" : ".plist";
  const found: FoundService[] = [];
  const ownName = ownPath.slice(ownPath.lastIndexOf("/") + 1);
  for (const { dir, scope } of dirs) {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.name.endsWith(suffix) || entry.isDirectory) continue;
      const path = `${dir}/${entry.name}`;
      if (path === ownPath) continue;
      const label = supervisor === "systemd" ? entry.name : entry.name.slice(0, -suffix.length);
      const kind = entry.name === ownName
        ? "extra"
        : classifyService(supervisor, label, await hasMarker(path));
      if (kind) found.push({ label, path, scope, kind });
    }
  }
  return found.sort((a, b) => a.label.localeCompare(b.label) || a.path.localeCompare(b.path));
}

/** Reads at most 64 KiB: service files are small, and a huge file is not ours. */
async function hasMarker(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > 65_536) return false;
    return MARKER.test(await Deno.readTextFile(path));
  } catch {
    return false;
  }
}
