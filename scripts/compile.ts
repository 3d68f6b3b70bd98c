/**
 * Builds the single `openclaw` binary for every supported target:
 * `deno task compile:all`. `deno compile` downloads the matching runtime
 * (denort), so this needs the internet; tests never depend on the binary.
 *
 * @module
 */

import { RUN_PERMISSIONS } from "../src/runtime/permissions.ts";
import { compileIncludes } from "../src/runtime/lazy_import.ts";

/**
 * Flags of every build: the gateway's permissions, and `--include` for the
 * modules loaded on first use (`deno compile` embeds only what it can see).
 */
// `ui-dist/` is the built control UI, read at run time from beside the sources.
export const COMPILE_ARGS: readonly string[] = [
  ...RUN_PERMISSIONS,
  ...compileIncludes(),
  "--include",
  "ui-dist",
];

/** Targets we ship. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
] as const;

if (import.meta.main) {
  const only = Deno.args.length ? Deno.args : [...TARGETS];
  for (const target of only) {
    const output = `dist/openclaw-${target}`;
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["compile", ...COMPILE_ARGS, "--target", target, "--output", output, "main.ts"],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (code !== 0) {
      console.error(`deno compile failed for ${target} (exit ${code})`);
      Deno.exit(code);
    }
    console.log(`built ${output}`);
  }
}
