/**
 * Writes files the gateway owns: atomically (temp file, fsync, rename), with
 * a `.bak` of the previous version, private permissions, and a private
 * folder. A crash at any point leaves the old file or the new one, never a
 * truncated one.
 *
 * @module
 */

/**
 * Creates `dir` (and parents) as 0700, and tightens it to 0700 when it
 * already exists: mkdir's mode is masked by umask and leaves existing
 * folders alone, and a private file in an open folder can be swapped out.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  if (Deno.build.os !== "windows") await Deno.chmod(dir, 0o700);
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Keep the previous version as `<path>.bak` (default true). */
  backup?: boolean;
  mode?: number;
}

/** Replaces `path` with `text` atomically. */
export async function writeFileAtomic(
  path: string,
  text: string,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  await ensurePrivateDir(dir);
  const mode = opts.mode ?? 0o600;
  const tmp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const file = await Deno.open(tmp, { write: true, createNew: true, mode });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } catch (err) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
  file.close();
  try {
    await Deno.chmod(tmp, mode);
    if (opts.backup !== false) {
      try {
        // A hard link keeps the old version without a window where `path` is missing.
        await Deno.remove(`${path}.bak`).catch(() => {});
        await Deno.link(path, `${path}.bak`);
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) {
          await Deno.copyFile(path, `${path}.bak`).catch(() => {});
        }
      }
      // The old file may have been looser (a hand-made 0644 config): the copy is private.
      await Deno.chmod(`${path}.bak`, mode).catch(() => {});
    }
    await Deno.rename(tmp, path);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
  // Make the rename itself durable.
  try {
    const d = await Deno.open(dir, { read: true });
    try {
      await d.sync();
    } finally {
      d.close();
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic.
  }
}
