/**
 * The first config file: `gateway.mode: "local"` and a fresh token. Shared by
 * the first `openclaw gateway` run, `openclaw setup` and `openclaw doctor
 * --fix`, so all three write the same file.
 *
 * @module
 */

import { writeFileAtomic } from "./write.ts";

/** Random bytes in a generated gateway token. */
export const TOKEN_BYTES = 32;

/** A fresh gateway token: {@link TOKEN_BYTES} random bytes, base64url (43 characters). */
export function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Options of {@link newConfigText}. */
export interface NewConfigOptions {
  /** The command that writes the file, named in its first line (default `openclaw gateway`). */
  by?: string;
  /** `agents.defaults.workspace`, when not the default. */
  workspace?: string;
  /** `canvasHost.root`, when not the default. */
  canvasRoot?: string;
}

/**
 * The text of a new config file (JSON5) running locally with `token`.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile(path, newConfigText(generateToken(), { by: "openclaw setup" }));
 * ```
 */
export function newConfigText(token: string, opts: NewConfigOptions = {}): string {
  const lines = [
    `// OpenClaw gateway config (JSON5). Created by "${opts.by ?? "openclaw gateway"}".`,
    "{",
    "  gateway: {",
    '    mode: "local",',
    `    auth: { mode: "token", token: ${JSON.stringify(token)} },`,
    "  },",
  ];
  if (opts.workspace) {
    lines.push(`  agents: { defaults: { workspace: ${JSON.stringify(opts.workspace)} } },`);
  }
  if (opts.canvasRoot) lines.push(`  canvasHost: { root: ${JSON.stringify(opts.canvasRoot)} },`);
  lines.push("}", "");
  return lines.join("\n");
}

/** Writes a new config with a fresh token at `path` (the gateway's first run). */
export async function bootstrapConfig(path: string): Promise<void> {
  await writeFileAtomic(path, newConfigText(generateToken()), { backup: false });
}
