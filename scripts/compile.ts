/**
 * Builds the single `openclaw` binary for every supported target:
 * `deno task compile:all`. `deno compile` downloads the matching runtime
 * (denort), so this needs the internet; tests never depend on the binary.
 *
 * @module
 */

/** Targets we ship. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
] as const;

/** The same permissions as `deno task gateway`. */
export const PERMISSIONS = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
];

if (import.meta.main) {
  const only = Deno.args.length ? Deno.args : [...TARGETS];
  for (const target of only) {
    const output = `dist/openclaw-${target}`;
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["compile", ...PERMISSIONS, "--target", target, "--output", output, "main.ts"],
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
