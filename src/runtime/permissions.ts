/**
 * The permissions the gateway runs with, in one place: `deno task gateway`,
 * `deno compile`, installed services and test subprocesses all use these
 * (a test checks deno.json's tasks do not drift from them).
 *
 * @module
 */

/** Deno permission flags of the `openclaw` program. */
export const RUN_PERMISSIONS: readonly string[] = Object.freeze([
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
]);
