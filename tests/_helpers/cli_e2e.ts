/**
 * Helpers for end-to-end tests of the `openclaw` CLI as a real subprocess:
 * bounded runs (a command that should refuse to start must not hang the
 * suite when it starts after all), gateways that report their port, event
 * recorders, and small file and port utilities.
 *
 * @module
 */

import assert from "node:assert/strict";
import { GatewayClient } from "../../src/client/gateway_client.ts";
import type { EventFrame } from "../../protocol/frames.ts";
import { type CliProcess, MAIN, RUN_FLAGS, spawnCli } from "./gateway.ts";

/** Output of a bounded CLI run. */
export interface BoundedResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The run was killed because it outlived its time limit. */
  timedOut: boolean;
  /** Wall time of the run in ms. */
  ms: number;
}

/**
 * Runs `openclaw <args>` and kills it (SIGKILL) after `timeoutMs`, so a
 * refusal that regresses into a running gateway fails the test instead of
 * hanging it.
 */
export async function runCliBounded(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<BoundedResult> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_FLAGS, MAIN, ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    timedOut,
    ms: performance.now() - started,
  };
}

/** Asserts a refusal: exit 1, not killed by the time limit, one clear `Error:` line, no stack. */
export function assertRefused(res: BoundedResult, label: string): void {
  const show = `${label}\n--- stdout\n${res.stdout}\n--- stderr\n${res.stderr}`;
  assert.equal(res.timedOut, false, `${label}: still running at the time limit\n${show}`);
  assert.equal(res.code, 1, `${label}: exit code\n${show}`);
  assert.match(res.stderr, /^Error: /m, `${label}: no "Error:" line\n${show}`);
  assert.doesNotMatch(res.stderr, /Error: Error:/, `${label}: doubled error prefix\n${show}`);
  assert.doesNotMatch(res.stderr, /^\s+at .+:\d+:\d+\)?$/m, `${label}: stack trace\n${show}`);
}

/** A gateway subprocess that printed its ready line. */
export interface RunningGateway extends CliProcess {
  port: number;
  url: string;
}

const READY = /gateway ready on (ws:\/\/127\.0\.0\.1:(\d+))/;

/** Spawns `openclaw <args>` and waits for "gateway ready on ws://127.0.0.1:<port>". */
export async function startGatewayCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<RunningGateway> {
  const proc = spawnCli(args, env);
  let line: string;
  try {
    line = await Promise.race([
      proc.waitFor(READY, timeoutMs),
      proc.status.then((s) => {
        throw new Error(
          `openclaw ${args.join(" ")} exited (${s.code}) before it was ready:\n${
            proc.lines.join("\n")
          }`,
        );
      }),
    ]);
  } catch (err) {
    await proc[Symbol.asyncDispose]();
    throw err;
  }
  const m = READY.exec(line)!;
  return Object.assign(proc, { url: m[1], port: Number(m[2]) });
}

/** Sends `signal` and waits for the exit status, failing after `timeoutMs`. */
export async function stopWith(
  proc: CliProcess,
  signal: Deno.Signal,
  timeoutMs = 10_000,
): Promise<Deno.CommandStatus> {
  proc.child.kill(signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      proc.status,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`no exit ${timeoutMs} ms after ${signal}:\n${proc.lines.join("\n")}`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a connected client saw, in order: event names, then "close". */
export interface Recording {
  client: GatewayClient;
  /** `event:<name>` per event and `close:<code>` when the socket closed. */
  seen: string[];
  events: EventFrame[];
}

/** Connects and records every event and the close, in order. */
export async function connectRecorder(url: string, token: string): Promise<Recording> {
  const client = await GatewayClient.connect(url, { token, timeoutMs: 5_000, mode: "ui" });
  const seen: string[] = [];
  const events: EventFrame[] = [];
  client.onEvent((e) => {
    seen.push(`event:${e.event}`);
    events.push(e);
  });
  client.closed.then(({ code }) => seen.push(`close:${code}`));
  return { client, seen, events };
}

/** A port that was free a moment ago (bound on 127.0.0.1, then released). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Holds a port on 127.0.0.1 until closed. */
export function holdPort(): Deno.TcpListener & { port: number } {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return Object.assign(l, { port: (l.addr as Deno.NetAddr).port });
}

/** The permission bits of `path`. */
export async function modeOf(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

/** Names of the entries of `dir` (empty when it does not exist). */
export async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return names.sort();
}

/** The UTC date `YYYY-MM-DD` of `d` (default: now), as daily log file names use it. */
export function utcDate(d = new Date()): string {
  return d.toISOString().slice(0, 10);
}

/** Reads the gateway token the first run wrote into a JSON5 config. */
export async function tokenIn(configPath: string): Promise<string> {
  const text = await Deno.readTextFile(configPath);
  const m = /token:\s*"([^"]+)"/.exec(text);
  assert.ok(m, `no token in ${configPath}:\n${text}`);
  return m[1];
}

/** Bytes of a base64url string. */
export function base64UrlBytes(text: string): Uint8Array {
  assert.match(text, /^[A-Za-z0-9_-]+$/, `not base64url: ${text}`);
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}
