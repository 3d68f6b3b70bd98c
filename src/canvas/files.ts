/**
 * The canvas file server as a `fetch` handler: `GET|HEAD
 * /__openclaw__/canvas/<path>` from the canvas root. Paths are normalised,
 * `..` and symlinks are refused, the real path must stay inside the real
 * root, a folder serves its `index.html`, HTML gets the bridge script.
 *
 * @module
 */

import { DEMO_PAGE, injectBridge } from "./inject.ts";
import { contentTypeOf } from "../mime.ts";

/** URL prefix of canvas files. */
export const CANVAS_PREFIX = "/__openclaw__/canvas";
/** Largest file served (canvas pages are small; a big file is a mistake or an attack). */
export const MAX_CANVAS_FILE_BYTES = 16 * 1024 * 1024;

/**
 * On every canvas answer. `no-referrer` keeps a capability URL out of the
 * `Referer` of whatever a page links to or loads.
 */
const HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/**
 * The CSP of canvas answers on the gateway's own port: a sandbox without
 * `allow-same-origin`. Canvas pages are files anyone who can steer the agent
 * may write (the default root is in the agent's workspace); on the gateway
 * port they share the control UI's origin, where the UI keeps its device key
 * and token. The sandbox gives each page an opaque origin, so its scripts
 * cannot read the UI's storage or open the control-plane socket (their
 * `Origin` is `null`, which the upgrade refuses). The canvas port
 * (`canvasHost.port`) is another origin already and serves pages as they are.
 */
export const CANVAS_CSP =
  "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads allow-pointer-lock";

/** The headers of every canvas answer (`sandbox`: with {@link CANVAS_CSP}). */
function headersFor(type: string, sandbox: boolean): Record<string, string> {
  return {
    ...HEADERS,
    ...(sandbox ? { "content-security-policy": CANVAS_CSP } : {}),
    "content-type": type,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Creates the root (and the demo `index.html` when the root has none), so a
 * fresh install shows something.
 */
export async function prepareCanvasRoot(root: string): Promise<void> {
  await Deno.mkdir(root, { recursive: true, mode: 0o700 });
  try {
    await Deno.writeTextFile(`${root}/index.html`, DEMO_PAGE, { createNew: true });
  } catch (err) {
    if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
  }
}

/** The segments of a request path under the prefix, or `undefined` when it tries to leave. */
function segments(pathname: string): string[] | undefined {
  let rest: string;
  try {
    rest = decodeURIComponent(pathname.slice(CANVAS_PREFIX.length));
  } catch {
    return undefined;
  }
  if (rest.includes("\0") || rest.includes("\\")) return undefined;
  const parts = rest.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) return undefined;
  return parts;
}

/**
 * Serves one canvas request from `root`; `undefined` when the path is not
 * under the prefix. `liveReload: false` leaves the reload client out of pages;
 * `sandbox: false` (only where the canvas has an origin of its own) drops
 * {@link CANVAS_CSP}.
 */
export async function serveCanvas(
  req: Request,
  root: string,
  opts: { liveReload?: boolean; sandbox?: boolean } = {},
): Promise<Response | undefined> {
  const sandbox = opts.sandbox !== false;
  const text = (status: number, body: string, type = "text/plain; charset=utf-8") =>
    new Response(body, { status, headers: headersFor(type, sandbox) });
  const url = new URL(req.url);
  if (url.pathname !== CANVAS_PREFIX && !url.pathname.startsWith(CANVAS_PREFIX + "/")) {
    return undefined;
  }
  if (req.method !== "GET" && req.method !== "HEAD") return text(405, "Method Not Allowed");
  const parts = segments(url.pathname);
  if (!parts) return text(404, "not found");
  let realRoot: string;
  try {
    realRoot = await Deno.realPath(root);
  } catch {
    return text(404, "not found");
  }
  let path = [realRoot, ...parts].join("/");
  try {
    // lstat every step: a symlink anywhere in the path is refused outright.
    let at = realRoot;
    for (const p of parts) {
      at += "/" + p;
      if ((await Deno.lstat(at)).isSymlink) return text(404, "not found");
    }
    const info = await Deno.stat(path);
    if (info.isDirectory || url.pathname.endsWith("/")) {
      path += "/index.html";
      try {
        const idx = await Deno.lstat(path);
        if (idx.isSymlink || !idx.isFile) throw new Deno.errors.NotFound();
      } catch {
        return text(
          404,
          `<pre>Missing file.\nCreate ${
            escapeHtml(`${realRoot}/${parts.join("/")}${parts.length ? "/" : ""}`)
          }index.html</pre>`,
          "text/html; charset=utf-8",
        );
      }
    }
    const real = await Deno.realPath(path);
    if (real !== realRoot && !real.startsWith(realRoot + "/")) return text(404, "not found");
    const stat = await Deno.stat(real);
    if (!stat.isFile || stat.size > MAX_CANVAS_FILE_BYTES) return text(404, "not found");
    const type = contentTypeOf(real);
    const headers = headersFor(type, sandbox);
    if (type.startsWith("text/html")) {
      const html = injectBridge(await Deno.readTextFile(real), opts);
      return new Response(req.method === "HEAD" ? null : html, { status: 200, headers });
    }
    const body = req.method === "HEAD" ? null : await Deno.readFile(real);
    return new Response(body, { status: 200, headers });
  } catch {
    return text(404, "not found");
  }
}
