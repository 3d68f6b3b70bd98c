/**
 * Where a file tool may touch: a path is resolved against the workspace,
 * symlinks are followed, and anything that lands outside the workspace's
 * real path is refused (unless `tools.fs.workspaceOnly` is false).
 * Private to tools/.
 *
 * @module
 */

import { ToolFailure } from "./_util.ts";

/** How file tools resolve paths. */
export interface PathPolicy {
  /** Absolute workspace folder. */
  workspace: string;
  /** Refuse paths outside the workspace (default true). */
  workspaceOnly: boolean;
}

/** Collapses `.`/`..`/empty segments of an absolute path. */
function normalizeAbsolute(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return "/" + out.join("/");
}

/** `path` against `base` (absolute stays absolute), normalized. */
export function resolveAgainst(base: string, path: string): string {
  return normalizeAbsolute(path.startsWith("/") ? path : `${base}/${path}`);
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root === "/" ? "/" : `${root}/`);
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.realPath(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw err;
  }
}

async function danglingLink(path: string): Promise<string | undefined> {
  try {
    const st = await Deno.lstat(path);
    return st.isSymlink ? await Deno.readLink(path) : undefined;
  } catch {
    return undefined;
  }
}

/** Symlink hops followed before giving up, as the kernel does (ELOOP). */
const MAX_LINK_HOPS = 40;

/**
 * Resolves the deepest existing ancestor of `lexical` through symlinks and
 * appends the missing tail. A missing component that is a dangling symlink
 * is followed too: writing through it would create its target, so the
 * target is what must stay inside the workspace.
 */
async function resolveMissing(lexical: string, raw: string): Promise<string> {
  let path = lexical;
  for (let hops = 0; hops <= MAX_LINK_HOPS; hops++) {
    let existing = path;
    const tail: string[] = [];
    let real: string | undefined;
    let link: string | undefined;
    while (true) {
      real = await realpathOrUndefined(existing);
      if (real !== undefined || existing === "/") break;
      link = await danglingLink(existing);
      if (link !== undefined) break;
      const i = existing.lastIndexOf("/");
      tail.unshift(existing.slice(i + 1));
      existing = i <= 0 ? "/" : existing.slice(0, i);
    }
    if (link === undefined) return normalizeAbsolute([real ?? "/", ...tail].join("/"));
    const parent = existing.slice(0, existing.lastIndexOf("/")) || "/";
    path = resolveAgainst(parent, [link, ...tail].join("/"));
  }
  throw new ToolFailure(
    `Path ${JSON.stringify(raw)} goes through more than ${MAX_LINK_HOPS} symlinks: ` +
      `give a path without a symlink loop`,
  );
}

/**
 * The real path of `path` (which may not exist yet: the deepest existing
 * ancestor is resolved and the rest appended). Throws a ToolFailure naming
 * the path when it leaves the workspace.
 */
export async function resolveToolPath(raw: string, policy: PathPolicy): Promise<string> {
  if (raw.includes("\0")) throw new ToolFailure(`Path ${JSON.stringify(raw)} contains a NUL byte`);
  const expanded = raw === "~" || raw.startsWith("~/")
    ? `${Deno.env.get("HOME") ?? "/"}${raw.slice(1)}`
    : raw;
  const lexical = resolveAgainst(policy.workspace, expanded);
  const root = (await realpathOrUndefined(policy.workspace)) ?? normalizeAbsolute(policy.workspace);
  const resolved = await resolveMissing(lexical, raw);
  if (policy.workspaceOnly && !isInside(root, resolved)) {
    const how = isInside(root, lexical) ? " through a symlink" : "";
    throw new ToolFailure(
      `Path ${JSON.stringify(raw)} resolves${how} outside the workspace ${root}: ` +
        `use a path inside the workspace (tools.fs.workspaceOnly is on)`,
      { path: raw, resolved, workspace: root },
    );
  }
  return resolved;
}

/** Shows `abs` relative to the workspace when inside it (for messages). */
export function displayPath(abs: string, workspace: string): string {
  const root = normalizeAbsolute(workspace);
  if (abs === root) return ".";
  return abs.startsWith(`${root}/`) ? abs.slice(root.length + 1) : abs;
}
