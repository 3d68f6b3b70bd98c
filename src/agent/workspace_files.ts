/**
 * Reading the workspace files the system prompt injects (spec `agent.md`
 * section 4.1), every turn. The reads run in parallel, and a
 * {@link WorkspaceFileCache} turns an unchanged file into one `lstat`: the
 * serial open/stat/read/close of seven files was a visible part of the time
 * to first token.
 *
 * @module
 */

/**
 * Files the prompt injects, in order. TOOLS.md is injected when the
 * operator has one (the issue asks for it; 2026.9.6 dropped it), but not
 * seeded. MEMORY.md only when present.
 */
export const INJECTED_FILES = [
  "AGENTS.md",
  "SOUL.md",
  "TOOLS.md",
  "IDENTITY.md",
  "USER.md",
  "BOOTSTRAP.md",
  "MEMORY.md",
] as const;

/** Bytes read at most from one workspace file (head and tail beyond it). */
export const MAX_FILE_READ_BYTES = 2 * 1024 * 1024;

/** Files kept by one cache; past this it starts over (workspaces come and go). */
export const MAX_CACHED_FILES = 256;

/** Characters at most of one cached file; bigger files are read every turn. */
export const MAX_CACHED_CHARS = 256 * 1024;

/**
 * A file modified this recently is not cached: an edit in the same
 * timestamp tick, keeping the size, would look unchanged (git's "racily
 * clean" rule).
 */
export const RACY_MS = 2_000;

/** One workspace file as the prompt sees it. */
export interface WorkspaceFile {
  name: string;
  /** Absolute path (the prompt heading). */
  path: string;
  /** Undefined when missing. */
  content?: string;
  /** Characters in the file (bytes when only head and tail were read). */
  rawChars: number;
}

interface Cached {
  stamp: string;
  content: string;
  rawChars: number;
}

/**
 * Workspace file contents kept between turns, keyed by real path and
 * checked by `lstat` (inode, size, mtime, ctime) on every turn, so an edited
 * SOUL.md is seen by the next turn. Symlinks are never cached: their target
 * is resolved and checked against the workspace each time.
 */
export class WorkspaceFileCache {
  readonly #files = new Map<string, Cached>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Files held now (tests). */
  get size(): number {
    return this.#files.size;
  }

  /** The content of `real` when `info` still describes what was read. */
  get(real: string, info: Deno.FileInfo): Cached | undefined {
    const hit = this.#files.get(real);
    return hit && hit.stamp === stampOf(info) ? hit : undefined;
  }

  /** Keeps what was read from `real`, whose `lstat` before the read was `info`. */
  set(real: string, info: Deno.FileInfo, read: { text: string; chars: number }): void {
    const mtime = info.mtime?.getTime();
    if (mtime === undefined || this.#now() - mtime < RACY_MS) {
      this.#files.delete(real);
      return;
    }
    if (read.text.length > MAX_CACHED_CHARS) return;
    if (this.#files.size >= MAX_CACHED_FILES) this.#files.clear();
    this.#files.set(real, { stamp: stampOf(info), content: read.text, rawChars: read.chars });
  }
}

function stampOf(info: Deno.FileInfo): string {
  return `${info.ino}:${info.size}:${info.mtime?.getTime()}:${info.ctime?.getTime()}`;
}

/**
 * Reads the injectable files of a workspace (missing ones with no
 * content; a symlink whose real path is outside the workspace gets a
 * marker instead of its content). Files over {@link MAX_FILE_READ_BYTES} are read as head and
 * tail only: the prompt keeps at most 20000 characters of a file anyway.
 * With `cache`, an unchanged regular file is not read again.
 */
export async function loadWorkspaceFiles(
  dir: string,
  opts: { includeMemory?: boolean; cache?: WorkspaceFileCache } = {},
): Promise<WorkspaceFile[]> {
  const root = await Deno.realPath(dir).catch(() => dir);
  const names = INJECTED_FILES.filter((n) => n !== "MEMORY.md" || opts.includeMemory !== false);
  return await Promise.all(names.map((name) => loadOne(dir, root, name, opts.cache)));
}

async function loadOne(
  dir: string,
  root: string,
  name: string,
  cache: WorkspaceFileCache | undefined,
): Promise<WorkspaceFile> {
  const path = `${dir}/${name}`;
  const missing = { name, path, rawChars: 0 };
  // A regular file (not a link) in the real root is `${root}/${name}`:
  // one lstat tells whether what was read last time is still there.
  const info = cache ? await Deno.lstat(path).catch(() => undefined) : undefined;
  if (cache && !info) return missing;
  const plain = info?.isFile === true && !info.isSymlink;
  if (plain) {
    const hit = cache!.get(`${root}/${name}`, info!);
    if (hit) return { name, path, content: hit.content, rawChars: hit.rawChars };
  }
  const real = plain ? `${root}/${name}` : await Deno.realPath(path).catch(() => undefined);
  if (real !== undefined && root !== "/" && !real.startsWith(`${root}/`)) {
    // A link out of the workspace (MEMORY.md -> ~/.openclaw/openclaw.json)
    // must not put that file in the system prompt.
    const marker = `[SKIPPED] ${name} links outside the workspace; it is not injected`;
    return { name, path, content: marker, rawChars: marker.length };
  }
  const read = await readCapped(real ?? path, MAX_FILE_READ_BYTES);
  if (!read) return missing;
  if (plain && read.ino !== info!.ino) {
    // Swapped between the lstat and the open (perhaps for a link): check again, uncached.
    return await loadOne(dir, root, name, undefined);
  }
  if (plain) cache!.set(`${root}/${name}`, info!, read);
  return { name, path, content: read.text, rawChars: read.chars };
}

async function readCapped(
  path: string,
  max: number,
): Promise<{ text: string; chars: number; ino: number | null } | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw err;
  }
  try {
    const st = await file.stat();
    if (!st.isFile) return undefined;
    if (st.size <= max) {
      const text = new TextDecoder().decode(await readAll(file, st.size));
      return { text, chars: text.length, ino: st.ino };
    }
    const half = Math.floor(max / 2);
    const head = await readAll(file, half);
    await file.seek(st.size - half, Deno.SeekMode.Start);
    const tail = await readAll(file, half);
    const dec = new TextDecoder();
    return { text: `${dec.decode(head)}\n${dec.decode(tail)}`, chars: st.size, ino: st.ino };
  } finally {
    file.close();
  }
}

async function readAll(file: Deno.FsFile, n: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await file.read(buf.subarray(got));
    if (r === null) break;
    got += r;
  }
  return buf.subarray(0, got);
}
