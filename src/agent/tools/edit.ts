/**
 * `edit {path, edits:[{oldText,newText}]}`: exact replacements. Every
 * `oldText` must match the original file exactly once and edits must not
 * overlap; otherwise nothing is written and the error says which edit and why.
 *
 * @module
 */

import type { Tool } from "../types.ts";
import { TOOL_DEFAULTS } from "./config.ts";
import { displayPath, resolveToolPath } from "./_paths.ts";
import { clip, guarded, reqString, textResult, ToolFailure } from "./_util.ts";

/** Options of {@link createEditTool}. */
export interface EditToolOptions {
  workspaceOnly: boolean;
  maxBytes?: number;
}

/** Most edits one call may carry. */
const MAX_EDITS = 100;

function countOccurrences(haystack: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
    at.push(i);
    if (at.length > 1) break;
  }
  return at;
}

/** Applies the edits to `text`; throws a ToolFailure naming the failing edit. */
function applyEdits(
  text: string,
  edits: Array<{ oldText: string; newText: string }>,
  shown: string,
): string {
  const spans: Array<{ start: number; end: number; newText: string; n: number }> = [];
  edits.forEach((e, i) => {
    const n = i + 1;
    if (e.oldText.length === 0) {
      throw new ToolFailure(
        `Edit ${n} for ${shown} has an empty oldText: copy the exact text to replace`,
      );
    }
    const at = countOccurrences(text, e.oldText);
    if (at.length === 0) {
      throw new ToolFailure(
        `Edit ${n}: oldText was not found in ${shown}: read the file and copy the text exactly, whitespace included`,
        { edit: n, oldText: clip(e.oldText, 200) },
      );
    }
    if (at.length > 1) {
      throw new ToolFailure(
        `Edit ${n}: oldText matches more than once in ${shown}: add surrounding lines so it is unique`,
        { edit: n, oldText: clip(e.oldText, 200) },
      );
    }
    spans.push({ start: at[0], end: at[0] + e.oldText.length, newText: e.newText, n });
  });
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) {
      throw new ToolFailure(
        `Edits ${spans[i - 1].n} and ${spans[i].n} overlap in ${shown}: merge them into one edit`,
      );
    }
  }
  let out = "";
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.start) + s.newText;
    pos = s.end;
  }
  return out + text.slice(pos);
}

function readEdits(args: Record<string, unknown>): Array<{ oldText: string; newText: string }> {
  const raw = args.edits;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ToolFailure(`Argument "edits" must be a non-empty array of {oldText, newText}`);
  }
  if (raw.length > MAX_EDITS) {
    throw new ToolFailure(
      `${raw.length} edits in one call, over the ${MAX_EDITS} limit: split them`,
    );
  }
  return raw.map((e, i) => {
    if (typeof e !== "object" || e === null) {
      throw new ToolFailure(`Edit ${i + 1} must be an object {oldText, newText}`);
    }
    const r = e as Record<string, unknown>;
    if (typeof r.oldText !== "string" || typeof r.newText !== "string") {
      throw new ToolFailure(`Edit ${i + 1} needs string oldText and newText`);
    }
    return { oldText: r.oldText, newText: r.newText };
  });
}

/** The `edit` tool. */
export function createEditTool(opts: EditToolOptions): Tool {
  const maxBytes = opts.maxBytes ?? TOOL_DEFAULTS.fileMaxBytes;
  return {
    name: "edit",
    description:
      "Exact single-file replacements. oldText unique/non-overlapping against original. Merge nearby changes; omit large unchanged spans.",
    parameters: {
      type: "object",
      required: ["path", "edits"],
      properties: {
        path: { type: "string", description: "File path; relative/absolute." },
        edits: {
          type: "array",
          items: {
            type: "object",
            required: ["oldText", "newText"],
            properties: {
              oldText: {
                type: "string",
                description: "Exact original text; unique and non-overlapping in this call.",
              },
              newText: { type: "string", description: "Replacement text." },
            },
          },
          description:
            "Targeted replacements against original file; no overlap/nesting. Merge nearby changes.",
        },
      },
    },
    title: (args) => `Edit ${clip(String(args.path ?? ""), 60)}`,
    execute: guarded(async (args, ctx) => {
      const raw = reqString(args, "path", { max: 4096 });
      const edits = readEdits(args);
      const path = await resolveToolPath(raw, { workspace: ctx.workspace, ...opts });
      const shown = displayPath(path, ctx.workspace);
      const info = await Deno.stat(path).catch(() => undefined);
      if (!info) throw new ToolFailure(`File not found: ${shown} (use write to create it)`);
      if (!info.isFile) throw new ToolFailure(`${shown} is not a regular file`);
      if (info.size > maxBytes) {
        throw new ToolFailure(
          `${shown} is ${info.size} bytes, over the ${maxBytes}-byte edit limit: use exec with sed`,
        );
      }
      const original = await Deno.readTextFile(path);
      // Models send LF; match a CRLF file in LF form and write CRLF back.
      const crlf = original.includes("\r\n") && !edits.some((e) => e.oldText.includes("\r"));
      const text = crlf ? original.replaceAll("\r\n", "\n") : original;
      const next = applyEdits(text, edits, shown);
      await Deno.writeTextFile(path, crlf ? next.replace(/\r?\n/g, "\r\n") : next);
      const firstChangedLine = text.slice(0, firstDiff(text, next)).split("\n").length;
      return textResult(`Successfully replaced ${edits.length} block(s) in ${shown}.`, {
        path: shown,
        edits: edits.length,
        firstChangedLine,
      });
    }),
  };
}

function firstDiff(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
