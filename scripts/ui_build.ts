/**
 * `deno task ui:build`: bundles the control UI (`src/ui/app/main.js` with
 * Lit, and `style.css` with its `styles/*.css` parts) with esbuild into
 * `ui-dist/` under content-hashed names, so the gateway serves them with
 * immutable caching. `ui-dist/` is committed: a
 * fresh clone (and `deno task compile`) serves it without building.
 *
 * esbuild resolves `lit` from a local `node_modules/` (the task runs with
 * `--node-modules-dir=auto`; the folder is git-ignored).
 *
 * @module
 */

import * as esbuild from "esbuild";
import { contentHash } from "../src/ui/assets.ts";

const SRC = new URL("../src/ui/app/", import.meta.url);
const OUT = new URL("../ui-dist/", import.meta.url);

/** Builds into `out`; returns the first-load size (gzip bytes of html + js + css). */
export async function buildUi(out: URL = OUT): Promise<number> {
  const options = {
    bundle: true,
    target: "es2022",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "warning",
  } as const;
  const js = await esbuild.build({
    ...options,
    entryPoints: [new URL("main.js", SRC).pathname],
    format: "esm",
  });
  // style.css @imports its parts (styles/*.css) in cascade order: one file out.
  const css = await esbuild.build({
    ...options,
    entryPoints: [new URL("style.css", SRC).pathname],
    target: ["chrome111", "firefox113", "safari16.2"],
  });
  await esbuild.stop();
  await Deno.remove(out, { recursive: true }).catch(() => {});
  await Deno.mkdir(new URL("assets/", out), { recursive: true });
  let html = await Deno.readTextFile(new URL("index.html", SRC));
  const files: Array<[string, Uint8Array]> = [
    ["main.js", js.outputFiles[0].contents],
    ["style.css", css.outputFiles[0].contents],
  ];
  let total = 0;
  for (const [name, bytes] of files) {
    const dot = name.lastIndexOf(".");
    const stem = name === "main.js" ? "app" : name.slice(0, dot);
    const hashed = `${stem}-${await contentHash(bytes)}${name.slice(dot)}`;
    await Deno.writeFile(new URL(`assets/${hashed}`, out), bytes);
    html = html.replace(`"./${name}"`, `"./assets/${hashed}"`);
    total += await gzipSize(bytes);
  }
  await Deno.writeTextFile(new URL("index.html", out), html);
  return total + await gzipSize(new TextEncoder().encode(html));
}

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

if (import.meta.main) {
  // `--out DIR` builds elsewhere (the freshness test compares it with ui-dist/).
  const at = Deno.args.indexOf("--out");
  const out = at >= 0 ? new URL(`file://${Deno.realPathSync(Deno.args[at + 1])}/`) : OUT;
  const total = await buildUi(out);
  console.log(`${out === OUT ? "ui-dist" : out.pathname} written; first load ${total} bytes gzip`);
}
