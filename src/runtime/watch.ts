/**
 * The file-watching edge (`Deno.watchFs`) behind a small interface. It
 * watches the file's folder, not the file: editors save by writing a temp
 * file and renaming it over the original, which a watch on the old inode
 * would miss. Events are filtered to the file's name.
 *
 * @module
 */

/** A running watch. */
export interface FileWatch {
  /** Stops watching; resolves once the underlying watcher is closed. */
  close(): Promise<void>;
}

/** Calls `onChange` whenever `path` may have changed (create, write, rename, remove). */
export type WatchFile = (path: string, onChange: () => void) => FileWatch;

/** Options of {@link watchFileFs}. */
export interface WatchFsOptions {
  /** Wait between attempts while the folder is missing (default 500 ms). */
  retryMs?: number;
  /** Told when the folder cannot be watched (once per outage). */
  onError?: (message: string) => void;
}

function split(path: string): { dir: string; name: string } {
  path = path.replace(/\/+$/, "");
  const i = path.lastIndexOf("/");
  if (i < 0) return { dir: ".", name: path };
  return { dir: i === 0 ? "/" : path.slice(0, i), name: path.slice(i + 1) };
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Watches `path` through its folder with `Deno.watchFs`. A missing folder is
 * retried until it appears; a folder that vanishes is watched again once it
 * is back, with one `onChange` then (the file may have changed meanwhile).
 */
export function watchFileFs(opts: WatchFsOptions = {}): WatchFile {
  const retryMs = opts.retryMs ?? 500;
  return (path, onChange) => {
    const { dir, name } = split(path);
    let closed = false;
    let watcher: Deno.FsWatcher | undefined;
    let wake: (() => void) | undefined;
    const pause = () =>
      new Promise<void>((resolve) => {
        const t = setTimeout(done, retryMs);
        function done() {
          clearTimeout(t);
          wake = undefined;
          resolve();
        }
        wake = done;
      });

    const loop = async () => {
      let first = true;
      let reported = false;
      while (!closed) {
        try {
          watcher = Deno.watchFs(dir, { recursive: false });
        } catch (err) {
          if (!reported) {
            reported = true;
            opts.onError?.(
              `Cannot watch ${dir} (${(err as Error).message}); retrying every ${retryMs} ms`,
            );
          }
          first = false; // once it can be watched, the file may have changed meanwhile
          await pause();
          continue;
        }
        reported = false;
        if (!first) onChange();
        first = false;
        try {
          for await (const event of watcher) {
            if (event.kind === "remove" && event.paths.includes(dir)) {
              // The folder itself is gone: this watch is dead, watch again once it is back.
              onChange();
              watcher.close();
              break;
            }
            // Some platforms report folder-level events without paths: treat as a change.
            if (event.paths.length === 0 || event.paths.some((p) => basename(p) === name)) {
              onChange();
            }
          }
        } catch {
          // The folder went away or the watcher broke: fall through and retry.
        }
        watcher = undefined;
        if (!closed) await pause();
      }
    };
    const running = loop();
    return {
      async close() {
        closed = true;
        try {
          watcher?.close();
        } catch { /* already closed */ }
        wake?.();
        await running;
      },
    };
  };
}

/** Calls `onChange` whenever something under the folder `root` may have changed. */
export type WatchTree = (root: string, onChange: () => void) => FileWatch;

/** Whether a changed path should be ignored (dotfiles, `node_modules`: editor and tool noise). */
function ignored(root: string, path: string): boolean {
  // Only the part under the root counts: the root itself may sit in `~/.openclaw`.
  if (!path.startsWith(root + "/")) return false;
  return path.slice(root.length + 1).split("/").some((p) =>
    p.startsWith(".") || p === "node_modules"
  );
}

/**
 * Watches the folder `root` and everything under it with a recursive
 * `Deno.watchFs`. A watcher that fails is reported through `onError` once
 * and not restarted (live reload is a convenience: the files still serve).
 */
export function watchTreeFs(opts: { onError?: (message: string) => void } = {}): WatchTree {
  return (root, onChange) => {
    let watcher: Deno.FsWatcher | undefined;
    try {
      watcher = Deno.watchFs(root, { recursive: true });
    } catch (err) {
      opts.onError?.(`Cannot watch ${root} (${(err as Error).message}); live reload is off`);
      return { close: () => Promise.resolve() };
    }
    const w = watcher;
    const running = (async () => {
      try {
        for await (const event of w) {
          if (event.kind === "access") continue;
          if (event.paths.length === 0 || event.paths.some((p) => !ignored(root, p))) onChange();
        }
      } catch (err) {
        opts.onError?.(`Watching ${root} stopped (${(err as Error).message}); live reload is off`);
      }
    })();
    return {
      async close() {
        try {
          w.close();
        } catch { /* already closed */ }
        await running;
      },
    };
  };
}
