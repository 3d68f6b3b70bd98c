/**
 * `read {path, offset?, limit?}`: text in lines (capped at 2000 lines or
 * 50 KB, with a `[N more lines in file. Use offset=M to continue.]` hint),
 * images as attachments. Streams the file so a huge log costs no memory.
 *
 * @module
 */

import type { Tool, ToolResult } from "../types.ts";
import { TOOL_DEFAULTS } from "./config.ts";
import { mimeTypeOf } from "../../mime.ts";
import { displayPath, resolveToolPath } from "./_paths.ts";
import { clip, guarded, optNumber, reqString, textResult, ToolFailure } from "./_util.ts";

/** Image types `read` attaches to the model context (others are read as text). */
const ATTACHED_IMAGES = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/bmp",
]);

/** Options of {@link createReadTool}. */
export interface ReadToolOptions {
  workspaceOnly: boolean;
  maxLines?: number;
  maxBytes?: number;
}

interface Window {
  lines: string[];
  bytes: number;
  /** Lines in the whole file (as `split("\n")` counts them). */
  total: number;
  /** Stopped because of the byte cap (not the line count). */
  byteCapped: boolean;
  /** The first selected line alone is over the byte cap. */
  firstLineTooLong: number | undefined;
}

/** Reads lines `[start, start+max)` of a file, counting every line. */
async function readWindow(
  path: string,
  start: number,
  max: number,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Window> {
  const w: Window = {
    lines: [],
    bytes: 0,
    total: 0,
    byteCapped: false,
    firstLineTooLong: undefined,
  };
  let full = false;
  const take = (line: string, overflow = 0) => {
    const index = w.total++;
    if (index < start || full) return;
    const size = new TextEncoder().encode(line).length + overflow + (w.lines.length ? 1 : 0);
    if (w.lines.length === 0 && size > maxBytes) {
      w.firstLineTooLong = size;
      full = true;
      return;
    }
    if (w.bytes + size > maxBytes) {
      w.byteCapped = true;
      full = true;
      return;
    }
    w.lines.push(line);
    w.bytes += size;
    if (w.lines.length >= max) full = true;
  };
  const file = await Deno.open(path, { read: true });
  const decoder = new TextDecoder();
  let pending = "";
  // Characters of the current line dropped because the line is already over the cap.
  let overflow = 0;
  try {
    for await (const chunk of file.readable) {
      if (signal.aborted) throw new ToolFailure("Aborted while reading");
      pending += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        take(pending.slice(0, nl).replace(/\r$/, ""), overflow);
        pending = pending.slice(nl + 1);
        overflow = 0;
      }
      // A line longer than the cap is never kept whole: count it, drop its text.
      if (pending.length > maxBytes * 4) {
        overflow += pending.length;
        pending = "";
      }
    }
  } finally {
    try {
      file.close();
    } catch { /* closed by the stream */ }
  }
  take(pending + decoder.decode(), overflow);
  return w;
}

async function readImage(path: string, mimeType: string, shown: string): Promise<ToolResult> {
  const info = await Deno.stat(path);
  if (info.size > TOOL_DEFAULTS.readMaxImageBytes) {
    throw new ToolFailure(
      `Image ${shown} is ${info.size} bytes, over the ${TOOL_DEFAULTS.readMaxImageBytes}-byte limit: resize it first`,
    );
  }
  const bytes = await Deno.readFile(path);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return {
    content: [
      { type: "text", text: `Read image file [${mimeType}]` },
      { type: "image", data: btoa(bin), mimeType },
    ],
    details: { path: shown, mimeType, bytes: bytes.length },
  };
}

/** The `read` tool. */
export function createReadTool(opts: ReadToolOptions): Tool {
  const maxLines = opts.maxLines ?? TOOL_DEFAULTS.readMaxLines;
  const maxBytes = opts.maxBytes ?? TOOL_DEFAULTS.readMaxBytes;
  return {
    name: "read",
    description:
      "Read text/image file (jpg/png/gif/webp/bmp); images attach to model context. Text caps 2000 lines or 50KB. Continue with offset/limit.",
    parameters: {
      type: "object",
      required: ["path"],
      properties: {
        path: { type: "string", description: "File path; relative/absolute." },
        offset: { type: "integer", minimum: 1, description: "Start line; 1-based." },
        limit: { type: "number", description: "Max lines." },
      },
    },
    title(args) {
      const p = clip(String(args.path ?? ""), 60);
      const limit = Number(args.limit);
      const offset = Number(args.offset);
      if (Number.isFinite(offset) && offset > 1) {
        return Number.isFinite(limit)
          ? `Read lines ${offset}-${offset + limit - 1} of ${p}`
          : `Read ${p} from line ${offset}`;
      }
      return Number.isFinite(limit) ? `Read first ${limit} lines of ${p}` : `Read ${p}`;
    },
    execute: guarded(async (args, ctx) => {
      const raw = reqString(args, "path", { max: 4096 });
      const offset = optNumber(args, "offset", { min: 1, integer: true }) ?? 1;
      const limit = optNumber(args, "limit", { min: 1, integer: true });
      const path = await resolveToolPath(raw, { workspace: ctx.workspace, ...opts });
      const shown = displayPath(path, ctx.workspace);
      let info: Deno.FileInfo;
      try {
        info = await Deno.stat(path);
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) {
          throw new ToolFailure(`File not found: ${shown} (check the path with ls)`);
        }
        throw err;
      }
      if (info.isDirectory) throw new ToolFailure(`${shown} is a directory: use ls to list it`);
      // A FIFO or device would block (or never end): only regular files are read.
      if (!info.isFile) {
        throw new ToolFailure(`${shown} is not a regular file: read cannot open it`);
      }
      const mime = mimeTypeOf(path);
      if (mime && ATTACHED_IMAGES.has(mime)) return readImage(path, mime, shown);

      const start = offset - 1;
      const want = Math.min(limit ?? maxLines, maxLines);
      const w = await readWindow(path, start, want, maxBytes, ctx.signal);
      if (start >= w.total) {
        throw new ToolFailure(
          `Offset ${offset} is beyond the end of ${shown} (${w.total} lines): use a smaller offset`,
        );
      }
      if (w.firstLineTooLong !== undefined) {
        return textResult(
          `[Line ${offset} of ${shown} is ${w.firstLineTooLong} bytes, over the ${maxBytes}-byte limit. ` +
            `Use exec: sed -n '${offset}p' ${JSON.stringify(shown)} | head -c ${maxBytes}]`,
          { path: shown, truncated: true },
        );
      }
      let text = w.lines.join("\n");
      const next = start + w.lines.length;
      const remaining = w.total - next;
      const truncated = remaining > 0 && (limit === undefined || w.lines.length < limit);
      if (remaining > 0) {
        text += `\n\n[${remaining} more lines in file. Use offset=${next + 1} to continue.]`;
      }
      return textResult(text, {
        path: shown,
        totalLines: w.total,
        startLine: offset,
        lines: w.lines.length,
        ...(truncated
          ? { truncation: { truncatedBy: w.byteCapped ? "bytes" : "lines", maxLines, maxBytes } }
          : {}),
      });
    }),
  };
}
