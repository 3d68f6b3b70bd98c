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
import { addTargetOptions, type ClientFlags, withClient } from "./rpc.ts";

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
  const logs = program.command("logs")
    .description("Show the gateway's log (through the logs.tail RPC)")
    .option("--follow", "keep printing new lines (polls; Ctrl-C to stop)")
    .option("--limit <n>", "lines to show first (1-5000)", "200")
    .option("--interval <ms>", "poll interval with --follow", "1000");
  addTargetOptions(logs, { json: "print the raw JSON lines" })
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
  const reader: Reader = {
    pos: {},
    limit,
    print: (line) => ctx.io.out(flags.json ? line : formatLogLine(line)),
    io: ctx.io,
  };
  if (!flags.follow) {
    await withClient(ctx, flags, (c) => readOnce(c, reader));
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
          const more = await readOnce(c, reader);
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

/** What successive `logs.tail` calls share. */
interface Reader {
  /** Where the last answer left off; updated by each call. */
  pos: Position;
  /** Lines asked for by the first call. */
  limit: number;
  print(line: string): void;
  io: Io;
}

/** One `logs.tail` call; resolves `true` when more lines are already waiting. */
async function readOnce(client: GatewayClient, reader: Reader): Promise<boolean> {
  const { pos } = reader;
  // The cursor names its file, so after midnight the gateway finishes
  // yesterday's file before it starts on today's.
  const params = pos.cursor === undefined
    ? { limit: reader.limit }
    : { cursor: pos.cursor, file: pos.file, limit: 5000 };
  const res = await client.request<LogsTailResult>("logs.tail", params);
  if (pos.file !== undefined && res.reset) {
    reader.io.err(`(log restarted: now reading ${res.file} from the top)`);
  }
  for (const line of res.lines) reader.print(line);
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
