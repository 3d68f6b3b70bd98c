/**
 * `ls {path?, limit?, after?}`: directory entries in binary name order,
 * JSON-quoted names, `/` after directories, paged with an `after` cursor.
 *
 * @module
 */

import type { Tool } from "../types.ts";
import { TOOL_DEFAULTS } from "./config.ts";
import { displayPath, resolveToolPath } from "./_paths.ts";
import { clip, guarded, optNumber, optString, textResult, ToolFailure } from "./_util.ts";

/** Options of {@link createLsTool}. */
export interface LsToolOptions {
  workspaceOnly: boolean;
}

function byBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The `ls` tool. */
export function createLsTool(opts: LsToolOptions): Tool {
  return {
    name: "ls",
    description:
      "List directory entries in binary filename order, including dotfiles and links. Names are JSON-quoted; / marks actual directories. Pass the returned after cursor with the same path to continue.",
    parameters: {
      type: "object",
      properties: {
        path: { type: "string", description: "Directory; default cwd." },
        limit: { type: "number", description: "Max entries; default 500." },
        after: { type: "string", description: "Filename cursor returned by the previous page." },
      },
    },
    title: (args) => `List ${clip(String(args.path ?? "."), 60)}`,
    execute: guarded(async (args, ctx) => {
      const raw = optString(args, "path", { max: 4096 }) || ".";
      const limit = optNumber(args, "limit", { min: 1, max: 10_000, integer: true }) ??
        TOOL_DEFAULTS.lsLimit;
      const after = optString(args, "after", { max: 4096 });
      const path = await resolveToolPath(raw, { workspace: ctx.workspace, ...opts });
      const shown = displayPath(path, ctx.workspace);
      const info = await Deno.stat(path).catch(() => undefined);
      if (!info) throw new ToolFailure(`Directory not found: ${shown}`);
      if (!info.isDirectory) throw new ToolFailure(`${shown} is not a directory: use read`);
      const entries: Array<{ name: string; dir: boolean }> = [];
      let scanCapped = false;
      for await (const e of Deno.readDir(path)) {
        if (entries.length >= TOOL_DEFAULTS.lsMaxScan) {
          scanCapped = true;
          break;
        }
        if (after !== undefined && byBinary(e.name, after) <= 0) continue;
        entries.push({ name: e.name, dir: e.isDirectory });
      }
      entries.sort((a, b) => byBinary(a.name, b.name));
      const page = entries.slice(0, limit);
      const lines = page.map((e) => JSON.stringify(e.name) + (e.dir ? "/" : ""));
      let text = lines.length ? lines.join("\n") : "(empty directory)";
      const more = entries.length - page.length;
      const nextAfter = more > 0 ? page[page.length - 1].name : undefined;
      if (nextAfter !== undefined) {
        text += `\n\n[${more}${scanCapped ? "+" : ""} more entries. Use after=${
          JSON.stringify(nextAfter)
        } to continue.]`;
      } else if (scanCapped) {
        text += `\n\n[Listing stopped after ${TOOL_DEFAULTS.lsMaxScan} entries.]`;
      }
      return textResult(text, {
        path: shown,
        count: page.length,
        ...(nextAfter !== undefined ? { after: nextAfter } : {}),
        ...(scanCapped ? { scanCapped: true } : {}),
      });
    }),
  };
}
