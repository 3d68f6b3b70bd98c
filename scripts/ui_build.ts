/**
 * `deno task ui:build`: copies the control UI sources (`src/ui/app/`) into
 * `ui-dist/` with content-hashed asset names, so the gateway can serve them
 * with immutable caching. `ui-dist/` is committed: a fresh clone serves it.
 *
 * @module
 */

import { contentHash } from "../src/ui/assets.ts";

const SRC = new URL("../src/ui/app/", import.meta.url);
const OUT = new URL("../ui-dist/", import.meta.url);

async function main(): Promise<void> {
  await Deno.remove(OUT, { recursive: true }).catch(() => {});
  await Deno.mkdir(new URL("assets/", OUT), { recursive: true });
  let html = await Deno.readTextFile(new URL("index.html", SRC));
  let total = 0;
  for (const name of ["app.js", "style.css"]) {
    const bytes = await Deno.readFile(new URL(name, SRC));
    const dot = name.lastIndexOf(".");
    const hashed = `${name.slice(0, dot)}-${await contentHash(bytes)}${name.slice(dot)}`;
    await Deno.writeFile(new URL(`assets/${hashed}`, OUT), bytes);
    html = html.replace(`"./${name}"`, `"./assets/${hashed}"`);
    total += await gzipSize(bytes);
  }
  await Deno.writeTextFile(new URL("index.html", OUT), html);
  total += await gzipSize(new TextEncoder().encode(html));
  console.log(`ui-dist written; first load ${total} bytes gzip`);
}

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

if (import.meta.main) await main();
