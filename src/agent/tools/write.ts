/**
 * `write {path, content}`: creates or overwrites a file, creating parents.
 *
 * @module
 */

import type { Tool } from "../types.ts";
import { TOOL_DEFAULTS } from "./config.ts";
import { displayPath, resolveToolPath } from "./_paths.ts";
import { byteLength, clip, guarded, reqString, textResult, ToolFailure } from "./_util.ts";

/** Options of {@link createWriteTool}. */
export interface WriteToolOptions {
  workspaceOnly: boolean;
  maxBytes?: number;
}

/**
 * Writes `content` to a temp file beside `path` and renames it over
 * `path`. A rename replaces a symlink planted at `path` after it was
 * checked instead of following it out of the workspace, and a reader never
 * sees half a file.
 */
async function replaceFile(path: string, content: string, mode: number | undefined) {
  const dir = path.slice(0, path.lastIndexOf("/")) || "/";
  const name = path.slice(path.lastIndexOf("/") + 1);
  const temp = `${dir}/.${name}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(temp, content, { createNew: true, mode: mode ?? 0o644 });
    if (mode !== undefined) await Deno.chmod(temp, mode & 0o7777);
    await Deno.rename(temp, path);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
}

/** The `write` tool. */
export function createWriteTool(opts: WriteToolOptions): Tool {
  const maxBytes = opts.maxBytes ?? TOOL_DEFAULTS.fileMaxBytes;
  return {
    name: "write",
    description: "Write/overwrite file; creates parent directories.",
    parameters: {
      type: "object",
      required: ["path", "content"],
      properties: {
        path: { type: "string", description: "File path; relative/absolute." },
        content: { type: "string", description: "File content." },
      },
    },
    title: (args) => `Write ${clip(String(args.path ?? ""), 60)}`,
    execute: guarded(async (args, ctx) => {
      const raw = reqString(args, "path", { max: 4096 });
      const content = reqString(args, "content", { allowEmpty: true });
      const bytes = byteLength(content);
      if (bytes > maxBytes) {
        throw new ToolFailure(
          `Content for ${raw} is ${bytes} bytes, over the ${maxBytes}-byte limit: write it in parts`,
        );
      }
      const path = await resolveToolPath(raw, { workspace: ctx.workspace, ...opts });
      const shown = displayPath(path, ctx.workspace);
      const info = await Deno.stat(path).catch(() => undefined);
      if (info?.isDirectory) {
        throw new ToolFailure(`${shown} is a directory: give a file path`);
      }
      if (info && !info.isFile) {
        throw new ToolFailure(`${shown} is not a regular file: write only replaces regular files`);
      }
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { recursive: true });
      await replaceFile(path, content, info?.mode ?? undefined);
      return textResult(`Successfully wrote ${bytes} bytes to ${shown}`, {
        path: shown,
        bytes,
        created: info === undefined,
      });
    }),
  };
}
