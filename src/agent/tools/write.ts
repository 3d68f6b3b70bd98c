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
      await Deno.writeTextFile(path, content);
      return textResult(`Successfully wrote ${bytes} bytes to ${shown}`, {
        path: shown,
        bytes,
        created: info === undefined,
      });
    }),
  };
}
