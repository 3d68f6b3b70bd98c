/**
 * Fixture for the crash test: rewrites a config file with writeFileAtomic in
 * a tight loop, alternating large versions, until killed. Prints "ready"
 * once the loop runs.
 *
 * Usage: deno run --allow-read --allow-write _write_loop.ts <path> <padBytes>
 */

import { writeFileAtomic } from "../../src/config/write.ts";

/** A valid config whose padding encodes `n`, with its length recorded for checking. */
export function versionText(n: number, padBytes: number): string {
  const pad = String(n % 10).repeat(padBytes);
  return `// version ${n}\n{\n  meta: { n: ${n}, padLength: ${padBytes}, pad: "${pad}" },\n` +
    `  gateway: { mode: "local" },\n}\n`;
}

if (import.meta.main) {
  const [path, padArg] = Deno.args;
  const padBytes = Number(padArg);
  let n = 1;
  await writeFileAtomic(path, versionText(n++, padBytes));
  console.log("ready");
  for (;;) await writeFileAtomic(path, versionText(n++, padBytes));
}
