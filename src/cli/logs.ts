/**
 * `openclaw logs [--follow] [--limit N] [--json] [--interval ms]`: the
 * gateway's file log through the `logs.tail` RPC with a cursor, so it works
 * against a remote gateway too. Never reads the file itself.
 *
 * @module
 */

import type { Command } from "commander";
import type { LogsTailResult } from "../../protocol/schemas/logs.ts";
import type { GatewayClient } from "../client/gateway_client.ts";
import { type CliContext, CliError, type Io } from "./context.ts";
import { type ClientFlags, withClient } from "./rpc.ts";

/** Flags of `openclaw logs`. */
export interface LogsFlags extends ClientFlags {
  follow?: boolean;
  limit?: string;
  interval?: string;
}

/** Registers `logs`. */
export function registerLogsCommand(
  program: Command,
  context: (cmd: Command) => CliContext,
): void {
  program.command("logs")
    .description("Show the gateway's log (through the logs.tail RPC)")
    .option("--follow", "keep printing new lines (polls; Ctrl-C to stop)")
    .option("--limit <n>", "lines to show first (1-5000)", "200")
    .option("--interval <ms>", "poll interval with --follow", "1000")
    .option("--json", "print the raw JSON lines")
    .option("--url <url>", "gateway WebSocket URL (default: loopback on the configured port)")
    .option("--token <token>", "gateway token (default: config or OPENCLAW_GATEWAY_TOKEN)")
    .option("--password <password>", "gateway password")
    .option("--timeout <ms>", "connect and call timeout in ms", "10000")
    .action(async (flags: LogsFlags, cmd: Command) => await logsAction(context(cmd), flags));
}

function wholeNumber(value: string | undefined, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError(`Invalid ${flag} "${value}": use a whole number ${min}-${max}`);
  }
  return n;
}

/** Where the reader is in the log. */
interface Position {
  file?: string;
  cursor?: number;
}

/** Runs `logs`; with `--follow` it only returns when `signal` aborts. */
export async function logsAction(
  ctx: CliContext,
  flags: LogsFlags,
  signal?: AbortSignal,
): Promise<void> {
  const limit = wholeNumber(flags.limit ?? "200", "--limit", 1, 5000);
  const interval = wholeNumber(flags.interval ?? "1000", "--interval", 50, 3_600_000);
  const pos: Position = {};
  const print = (line: string) => ctx.io.out(flags.json ? line : formatLogLine(line));
  if (!flags.follow) {
    await withClient(ctx, flags, (c) => readOnce(c, pos, limit, print, ctx.io));
    return;
  }
  let connectedOnce = false;
  let backoff = interval;
  while (!signal?.aborted) {
    try {
      await withClient(ctx, flags, async (c) => {
        connectedOnce = true;
        backoff = interval;
        while (!signal?.aborted) {
          const more = await readOnce(c, pos, limit, print, ctx.io);
          if (!more) await sleep(interval, signal);
        }
      });
    } catch (err) {
      // The first connect failing is an error; a lost connection is retried.
      if (!connectedOnce || signal?.aborted) throw err;
      ctx.io.err(`Lost the gateway (${(err as Error).message}); retrying in ${backoff} ms`);
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, 30_000);
    }
  }
}

/** One `logs.tail` call; resolves `true` when more lines are already waiting. */
async function readOnce(
  client: GatewayClient,
  pos: Position,
  limit: number,
  print: (line: string) => void,
  io: Io,
): Promise<boolean> {
  const params = pos.cursor === undefined ? { limit } : { cursor: pos.cursor, limit: 5000 };
  let res = await client.request<LogsTailResult>("logs.tail", params);
  if (pos.file !== undefined && res.file !== pos.file && !res.reset) {
    // A new day's file: the old cursor means nothing there.
    res = await client.request<LogsTailResult>("logs.tail", { cursor: 0, limit: 5000 });
  }
  if (pos.file !== undefined && (res.reset || res.file !== pos.file)) {
    io.err(`(log restarted: now reading ${res.file} from the top)`);
  }
  for (const line of res.lines) print(line);
  const more = pos.cursor !== undefined && res.truncated === true;
  pos.file = res.file;
  pos.cursor = res.cursor;
  return more;
}

/** `time LEVEL [subsystem] msg {fields}` for a JSON record; other lines as they are. */
export function formatLogLine(line: string): string {
  if (!line.startsWith("{")) return line;
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line);
  } catch {
    return line;
  }
  if (!rec || typeof rec !== "object" || typeof rec.msg !== "string") return line;
  const { time, level, subsystem, msg, ...rest } = rec;
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
  return `${time ?? ""} ${String(level ?? "").toUpperCase().padEnd(5)} [${
    subsystem ?? "-"
  }] ${msg}${extra}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
