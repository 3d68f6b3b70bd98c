/**
 * Which local files `send` may upload, and reading them within the cap.
 *
 * `send` is an `operator.write` method: a client that may write messages
 * must not be able to read the gateway host's files through it (the config
 * holds the gateway token and bot tokens). So a local `mediaUrl` is only
 * read when its real path (symlinks resolved) lies under a media root: the
 * agents' workspaces, `$STATE/media`, and the folders the operator lists in
 * `channels.mediaLocalRoots`. The state dir, the config file and token
 * files are refused even under a listed root. Every refusal, a missing file
 * included, gets the same message, so `send` is no existence oracle.
 *
 * @module
 */

import { invalidRequest } from "../errors.ts";
import type { OutboundMedia } from "./types.ts";

/** Where local media may come from (resolved from the config; see `resolveMediaPolicy`). */
export interface LocalMediaPolicy {
  /** Built-in roots (agent workspaces, `$STATE/media`): allowed even inside the state dir. */
  builtInRoots: string[];
  /** `channels.mediaLocalRoots`: absolute folders; nothing in `deny` is served from them. */
  roots: string[];
  /** Never read: the state dir (outside the built-in roots), the config file, token files. */
  deny: string[];
}

/** Inputs of {@link resolveMediaPolicy}. */
export interface MediaPolicyInputs {
  stateDir: string;
  configPath: string;
  /** Every agent workspace. */
  workspaces: string[];
  /** `channels.mediaLocalRoots` as configured. */
  configured?: unknown;
  /** Files holding secrets (Telegram `tokenFile`s). */
  secretFiles?: string[];
  home?: string;
}

/** Builds the policy; `issues` name a bad `channels.mediaLocalRoots` entry and what to do. */
export function resolveMediaPolicy(
  inputs: MediaPolicyInputs,
): { policy: LocalMediaPolicy; issues: string[] } {
  const issues: string[] = [];
  const expand = (p: string) =>
    inputs.home && (p === "~" || p.startsWith("~/")) ? `${inputs.home}${p.slice(1)}` : p;
  const roots: string[] = [];
  const list = inputs.configured === undefined ? [] : inputs.configured;
  if (!Array.isArray(list)) {
    issues.push(
      "channels.mediaLocalRoots must be a list of absolute folder paths (for example " +
        '["~/Pictures"])',
    );
  } else {
    for (const entry of list) {
      const p = typeof entry === "string" ? expand(entry.trim()) : "";
      if (!p.startsWith("/")) {
        issues.push(
          `channels.mediaLocalRoots entry ${
            JSON.stringify(entry)
          } is not an absolute folder path: use "/..." or "~/..."`,
        );
      } else roots.push(trimSlash(p));
    }
  }
  const stateDir = trimSlash(inputs.stateDir);
  return {
    policy: {
      builtInRoots: [...inputs.workspaces.map(trimSlash), `${stateDir}/media`],
      roots,
      deny: [stateDir, inputs.configPath, ...(inputs.secretFiles ?? [])].map(trimSlash),
    },
    issues,
  };
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, "") : p;
}

/** `path` is `dir` or below it (both absolute, normalised). */
function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === "/" ? "/" : `${dir}/`);
}

async function real(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    return path;
  }
}

/**
 * Whether `file` (a real path) may be sent: under a built-in root that is
 * not itself the state dir (or above it), or under a configured root and
 * outside everything denied. Token and config files are never allowed.
 */
async function allowed(file: string, policy: LocalMediaPolicy): Promise<boolean> {
  const deny = await Promise.all(policy.deny.map(real));
  if (deny.slice(1).some((d) => file === d)) return false;
  const stateDir = deny[0];
  for (const r of await Promise.all(policy.builtInRoots.map(real))) {
    // A workspace set to the state dir (or above it) opens nothing of the state dir.
    if (!within(file, r)) continue;
    if (within(stateDir, r) && within(file, stateDir)) continue;
    return true;
  }
  for (const r of await Promise.all(policy.roots.map(real))) {
    if (within(file, r) && !deny.some((d) => within(file, d))) return true;
  }
  return false;
}

/**
 * Loads one `mediaUrl`: an http(s) URL is passed on as is (the channel
 * fetches it); a local path or `file://` URL is read when the policy allows
 * it, within `maxBytes`. Throws `INVALID_REQUEST`.
 */
export async function loadSendMedia(
  ref: string,
  opts: { maxBytes: number; policy?: LocalMediaPolicy },
): Promise<OutboundMedia> {
  if (/^https?:\/\//i.test(ref)) {
    return { url: ref, name: new URL(ref).pathname.split("/").pop() || "file" };
  }
  let path = ref;
  if (/^file:/i.test(ref)) {
    try {
      const url = new URL(ref);
      path = url.host ? "" : decodeURIComponent(url.pathname);
    } catch {
      path = "";
    }
  }
  if (!path.startsWith("/")) {
    throw invalidRequest(
      `Media path ${JSON.stringify(ref)} is not absolute: pass an absolute path or a URL`,
    );
  }
  const refused = () =>
    invalidRequest(
      `Media ${JSON.stringify(ref)} cannot be sent: a local file must be a regular file in the ` +
        "agent workspace, $STATE/media or a folder listed in channels.mediaLocalRoots (never the " +
        "state dir or the config)",
    );
  let file: string;
  try {
    file = await Deno.realPath(path);
  } catch {
    throw refused();
  }
  if (!opts.policy || !await allowed(file, opts.policy)) throw refused();
  let handle: Deno.FsFile;
  try {
    handle = await Deno.open(file, { read: true });
  } catch {
    throw refused();
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile) throw refused();
    const tooBig = (n: number) =>
      invalidRequest(
        `Media file ${
          JSON.stringify(ref)
        } is ${n} bytes, over the ${opts.maxBytes}-byte cap: send a smaller file`,
      );
    if (stat.size > opts.maxBytes) throw tooBig(stat.size);
    // Read at most one byte past the cap: a file that grew since stat is still refused.
    const buf = new Uint8Array(Math.min(stat.size, opts.maxBytes) + 1);
    let size = 0;
    while (size < buf.length) {
      const n = await handle.read(buf.subarray(size));
      if (n === null) break;
      size += n;
    }
    if (size > opts.maxBytes) throw tooBig(size);
    if (size > stat.size) {
      throw invalidRequest(
        `Media file ${JSON.stringify(ref)} changed while it was read: try again`,
      );
    }
    return { data: buf.slice(0, size), name: path.split("/").pop() || "file" };
  } finally {
    handle.close();
  }
}
