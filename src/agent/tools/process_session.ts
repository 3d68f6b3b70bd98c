/**
 * One running command and its output: what `exec` waits on in the
 * foreground and what `process` polls once it is backgrounded. Output is
 * kept as a capped tail; a timeout or kill takes the whole process group.
 *
 * @module
 */

import type { CommandRunner, SpawnedProcess } from "./runner.ts";

/** Where a command stands. */
export type ProcessStatus = "running" | "completed" | "failed" | "killed" | "timeout";

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  id: string;
  command: string;
  cwd: string;
  /** The complete environment of the command. */
  env: Record<string, string>;
  /** 0 = no timeout. */
  timeoutMs: number;
  /** Characters of output kept (the tail). */
  maxOutputChars: number;
  /** The session key that started it: `process` only sees its own. */
  scopeKey: string;
  now?: () => number;
}

/** A started command. */
export interface ProcessSession {
  readonly id: string;
  readonly command: string;
  readonly cwd: string;
  readonly pid: number;
  readonly startedAt: number;
  readonly scopeKey: string;
  status: ProcessStatus;
  exitCode: number | null;
  exitSignal: string | null;
  endedAt: number | undefined;
  /** Moved to the background (listed by `process`). */
  backgrounded: boolean;
  /** Characters ever written (stdout and stderr, interleaved as they came). */
  readonly totalChars: number;
  /** Characters dropped from the front of the kept tail. */
  readonly droppedChars: number;
  /** The kept output. */
  output(): string;
  /** Output since the previous call. */
  takeNew(): string;
  /** Called on every output chunk; returns the unsubscribe. */
  onOutput(listener: (chunk: string) => void): () => void;
  /** Resolves when the process has exited and its output is drained. */
  readonly done: Promise<void>;
  /** Writes to stdin; `eof` closes it. */
  write(data: string, eof?: boolean): Promise<void>;
  /** Kills the process group (`reason` decides the final status). */
  kill(reason?: "killed" | "timeout"): void;
}

/** Grace for pipes still held by a grandchild after the shell exits. */
const DRAIN_GRACE_MS = 500;

/** Starts `command` and returns its session. Throws when it cannot start (bad cwd, ...). */
export function startProcess(runner: CommandRunner, opts: StartProcessOptions): ProcessSession {
  const now = opts.now ?? Date.now;
  const proc: SpawnedProcess = runner.spawn(opts.command, { cwd: opts.cwd, env: opts.env });
  let buf = "";
  let dropped = 0;
  let total = 0;
  let readPos = 0;
  let killReason: "killed" | "timeout" | undefined;
  const listeners = new Set<(chunk: string) => void>();
  const writer = proc.stdin.getWriter();
  let stdinClosed = false;

  const append = (chunk: string) => {
    if (!chunk) return;
    buf += chunk;
    total += chunk.length;
    if (buf.length > opts.maxOutputChars * 1.25) {
      const cut = buf.length - opts.maxOutputChars;
      buf = buf.slice(cut);
      dropped += cut;
    }
    for (const l of listeners) l(chunk);
  };
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    readers.push(reader);
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        append(decoder.decode(value, { stream: true }));
      }
      append(decoder.decode());
    } catch { /* cancelled */ }
  };
  const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  const pumps = Promise.all([pump(proc.stdout), pump(proc.stderr)]);
  const timer = opts.timeoutMs > 0 ? setTimeout(() => session.kill("timeout"), opts.timeoutMs) : 0;

  const settle = async (session: ProcessSession) => {
    const st = await proc.status;
    clearTimeout(timer);
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((r) => graceTimer = setTimeout(r, DRAIN_GRACE_MS));
    await Promise.race([pumps, grace]);
    clearTimeout(graceTimer);
    for (const r of readers) r.cancel().catch(() => {});
    if (!stdinClosed) {
      stdinClosed = true;
      writer.close().catch(() => {});
    }
    session.exitCode = st.signal ? null : st.code;
    session.exitSignal = st.signal;
    session.endedAt = now();
    session.status = killReason ?? (st.code === 0 && !st.signal ? "completed" : "failed");
  };
  let markDone!: () => void;
  const done = new Promise<void>((r) => markDone = r);

  const session: ProcessSession = {
    id: opts.id,
    command: opts.command,
    cwd: opts.cwd,
    pid: proc.pid,
    startedAt: now(),
    scopeKey: opts.scopeKey,
    status: "running",
    exitCode: null,
    exitSignal: null,
    endedAt: undefined,
    backgrounded: false,
    get totalChars() {
      return total;
    },
    get droppedChars() {
      return dropped;
    },
    output: () => buf,
    takeNew() {
      const from = Math.max(readPos, dropped);
      readPos = total;
      return buf.slice(from - dropped);
    },
    onOutput(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    done,
    async write(data, eof) {
      if (session.status !== "running") throw new Error(`Process ${opts.id} is not running`);
      if (stdinClosed) throw new Error(`Stdin of process ${opts.id} is closed`);
      if (data) await writer.write(new TextEncoder().encode(data));
      if (eof) {
        stdinClosed = true;
        await writer.close();
      }
    },
    kill(reason = "killed") {
      if (session.status !== "running" || killReason) return;
      killReason = reason;
      proc.kill();
    },
  };
  settle(session).catch(() => {}).then(markDone);
  return session;
}
