/**
 * The gateway's logger: JSON lines in a daily file under the state dir, and
 * human lines on stdout. `--verbose` mirrors debug lines to stdout too.
 *
 * @module
 */

import type { LogLevel } from "../config/schema.ts";
import { Redactor } from "./redact.ts";
import { Sampler } from "./sample.ts";

const RANK: Record<LogLevel, number> = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
  silent: 5,
};

/** How long the file log pauses after a write error. */
export const FILE_RETRY_MS = 60_000;
/** A day's file is rotated past this size... */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** ...keeping this many rotated files (`.1` newest): a day's log stays under 200 MiB. */
export const MAX_ROTATED_FILES = 3;

/** Structured fields of one record. */
export type LogFields = Record<string, unknown>;

/** What parts of the gateway log through. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Whether a debug record would be written anywhere (skip building costly fields). */
  readonly debugEnabled: boolean;
  /** A logger whose records carry `subsystem`. */
  child(subsystem: string): Logger;
}

/** Where the console lines go; tests swap it. */
export interface ConsoleSink {
  write(line: string): void;
}

/** Options of {@link createLogSink}. */
export interface LogSinkOptions {
  /** Folder of the daily files; `undefined` disables the file log. */
  dir?: string;
  /** File name prefix; files are `<prefix>-YYYY-MM-DD.log`. */
  prefix?: string;
  fileLevel: LogLevel;
  consoleLevel: LogLevel;
  console?: ConsoleSink;
  /** Clock, for the record time and the daily file name. */
  now?: () => Date;
  /** Size past which the day's file is rotated (default {@link MAX_FILE_BYTES}). */
  maxFileBytes?: number;
  /** Rotated files kept per day (default {@link MAX_ROTATED_FILES}). */
  maxRotatedFiles?: number;
  /** Messages written sampled (default `SAMPLED_MESSAGES` of `sample.ts`); `[]` turns it off. */
  sampledMessages?: readonly string[];
}

/** The daily log file for `date`: `<dir>/<prefix>-YYYY-MM-DD.log` (UTC date). */
export function logFilePath(dir: string, date: Date, prefix = "openclaw"): string {
  return `${dir}/${prefix}-${date.toISOString().slice(0, 10)}.log`;
}

const stdoutSink: ConsoleSink = {
  write(line) {
    Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));
  },
};

/** The shared state behind a logger and its children; owns the open file. */
export class LogSink {
  readonly redactor = new Redactor();
  #opts: LogSinkOptions;
  #file: Deno.FsFile | undefined;
  #filePath: string | undefined;
  #encoder = new TextEncoder();
  /** After a write error the file log pauses until then (ms), or until the day's file changes. */
  #retryAt = 0;
  #failedPath: string | undefined;
  /** Bytes in the open file. */
  #size = 0;
  #sampler: Sampler;

  constructor(opts: LogSinkOptions) {
    this.#opts = opts;
    this.#sampler = new Sampler({
      messages: opts.sampledMessages,
      now: () => this.#now().getTime(),
      summary: (level, subsystem, msg, fields) =>
        this.#emit(level as LogLevel, subsystem, msg, fields),
    });
  }

  /** Changes levels (config reload, `--verbose`). */
  setLevels(levels: { fileLevel?: LogLevel; consoleLevel?: LogLevel }): void {
    this.#opts = { ...this.#opts, ...levels };
  }

  /** The file today's records go to, if the file log is on. */
  currentFile(): string | undefined {
    if (!this.#opts.dir) return undefined;
    return logFilePath(this.#opts.dir, this.#now(), this.#opts.prefix);
  }

  /** Lowest level written anywhere. */
  minRank(): number {
    return Math.min(
      this.#opts.dir ? RANK[this.#opts.fileLevel] : RANK.silent,
      RANK[this.#opts.consoleLevel],
    );
  }

  #now(): Date {
    return this.#opts.now?.() ?? new Date();
  }

  /** Writes one record to the sinks whose level admits it. */
  write(level: LogLevel, subsystem: string, msg: string, fields?: LogFields): void {
    if (!this.#sampler.admit(level, subsystem, msg, fields)) return;
    this.#emit(level, subsystem, msg, fields);
  }

  #emit(level: LogLevel, subsystem: string, msg: string, fields?: LogFields): void {
    const rank = RANK[level];
    const now = this.#now();
    const text = this.redactor.text(msg);
    const safe = fields ? this.redactor.value(fields) as LogFields : undefined;
    if (this.#opts.dir && rank >= RANK[this.#opts.fileLevel]) {
      const record = { time: now.toISOString(), level, subsystem, msg: text, ...safe };
      this.#appendFile(now, JSON.stringify(record));
    }
    if (rank >= RANK[this.#opts.consoleLevel]) {
      const extra = safe && Object.keys(safe).length ? " " + JSON.stringify(safe) : "";
      const time = now.toISOString().slice(11, 19);
      (this.#opts.console ?? stdoutSink).write(
        `${time} ${level.toUpperCase().padEnd(5)} [${subsystem}] ${text}${extra}`,
      );
    }
  }

  #appendFile(now: Date, line: string): void {
    const path = logFilePath(this.#opts.dir!, now, this.#opts.prefix);
    if (path === this.#failedPath && now.getTime() < this.#retryAt) return;
    try {
      if (path !== this.#filePath) {
        this.#file?.close();
        this.#file = undefined;
        Deno.mkdirSync(this.#opts.dir!, { recursive: true, mode: 0o700 });
        this.#file = Deno.openSync(path, { create: true, append: true, mode: 0o600 });
        this.#filePath = path;
        this.#size = this.#file.statSync().size;
      }
      const bytes = this.#encoder.encode(line + "\n");
      if (this.#size > 0 && this.#size + bytes.length > this.#maxBytes()) this.#rotate(path);
      let written = 0;
      while (written < bytes.length) written += this.#file!.writeSync(bytes.subarray(written));
      this.#size += bytes.length;
      this.#failedPath = undefined;
    } catch (err) {
      // A full disk or a vanished folder must not take the gateway down: pause
      // the file log for a minute (or until the next day's file), then retry.
      const first = this.#failedPath === undefined;
      this.#failedPath = path;
      this.#retryAt = now.getTime() + FILE_RETRY_MS;
      this.#file?.close();
      this.#file = undefined;
      this.#filePath = undefined;
      if (first) {
        (this.#opts.console ?? stdoutSink).write(
          `log file ${path} cannot be written (${err instanceof Error ? err.message : err}); ` +
            "logging to stdout only, retrying every minute",
        );
      }
    }
  }

  #maxBytes(): number {
    return this.#opts.maxFileBytes ?? MAX_FILE_BYTES;
  }

  /** `path` becomes `path.1` (older ones shift up, the oldest is dropped); a new file starts. */
  #rotate(path: string): void {
    this.#file?.close();
    const keep = this.#opts.maxRotatedFiles ?? MAX_ROTATED_FILES;
    try {
      Deno.removeSync(`${path}.${keep}`);
    } catch { /* not there */ }
    for (let i = keep - 1; i >= 1; i--) {
      try {
        Deno.renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      } catch { /* not there */ }
    }
    if (keep > 0) Deno.renameSync(path, `${path}.1`);
    else Deno.removeSync(path);
    this.#file = Deno.openSync(path, { create: true, append: true, mode: 0o600 });
    this.#size = 0;
  }

  /** Closes the file. */
  close(): void {
    this.#sampler.flushAll();
    this.#file?.close();
    this.#file = undefined;
    this.#filePath = undefined;
  }

  /** A logger writing to this sink. */
  logger(subsystem = "gateway"): Logger {
    return makeLogger(this, subsystem);
  }
}

function makeLogger(sink: LogSink, subsystem: string): Logger {
  return {
    debug: (msg, fields) => {
      if (sink.minRank() <= RANK.debug) sink.write("debug", subsystem, msg, fields);
    },
    info: (msg, fields) => sink.write("info", subsystem, msg, fields),
    warn: (msg, fields) => sink.write("warn", subsystem, msg, fields),
    error: (msg, fields) => sink.write("error", subsystem, msg, fields),
    get debugEnabled() {
      return sink.minRank() <= RANK.debug;
    },
    child: (name) => makeLogger(sink, name),
  };
}

/** A sink with the given options. */
export function createLogSink(opts: LogSinkOptions): LogSink {
  return new LogSink(opts);
}

/** A logger that drops everything (for pure unit tests). */
export function silentLogger(): Logger {
  return createLogSink({ fileLevel: "silent", consoleLevel: "silent" }).logger();
}
