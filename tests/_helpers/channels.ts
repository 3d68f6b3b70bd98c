/**
 * Channel end-to-end helpers: an in-process gateway whose Telegram channel
 * talks to the local emulator over real sockets, with the echo engine (a
 * test double) answering. A gateway can be stopped and started again on the
 * same home to test restarts.
 *
 * @module
 */

import { type GatewayProcess, startGatewayProcess } from "../../src/gateway_process.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { createLogSink } from "../../src/log/logger.ts";
import { processMethods } from "../../src/cli/process_methods.ts";
import { GatewayClient } from "../../src/client/gateway_client.ts";
import type { AgentEngine } from "../../src/agent/types.ts";
import { FakeSignals, TEST_TOKEN, writeConfig } from "./gateway.ts";

/** A fresh bot token per test, so emulator state never leaks between tests. */
let seq = 0;
export function botToken(): string {
  return `${700000 + ++seq}:CHAN_${Date.now()}_${crypto.randomUUID().slice(0, 8)}`;
}

/** The config of a gateway with Telegram pointed at the emulator. */
export function telegramConfig(
  apiRoot: string,
  token: string,
  telegram: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    gateway: { mode: "local", auth: { token: TEST_TOKEN } },
    channels: { telegram: { botToken: token, apiRoot, ...telegram } },
    ...extra,
  };
}

/** A running gateway of a channel test. */
export interface ChannelGateway {
  proc: GatewayProcess;
  home: string;
  lines: string[];
  connect(): Promise<GatewayClient>;
  /** Stops the gateway (the home stays). */
  stop(): Promise<void>;
}

/** Starts a gateway on `home` (created when absent) with `config` and `engine`. */
export async function startChannelGateway(opts: {
  config: Record<string, unknown>;
  engine?: AgentEngine;
  home?: string;
  env?: Record<string, string>;
  /** Default 0: channels start with the listener. */
  channelStartDelayMs?: number;
}): Promise<ChannelGateway> {
  const home = opts.home ?? await Deno.makeTempDir({ prefix: "openclaw-chan-" });
  await writeConfig(home, opts.config);
  const env = { OPENCLAW_HOME: home, ...opts.env };
  const paths = resolvePaths({}, env);
  const lines: string[] = [];
  const sink = createLogSink({
    dir: paths.logDir,
    fileLevel: "debug",
    consoleLevel: "debug",
    console: { write: (line) => lines.push(line) },
  });
  const proc = await startGatewayProcess({
    channelStartDelayMs: opts.channelStartDelayMs ?? 0,
    paths,
    env,
    flags: { port: 0 },
    sink,
    signals: new FakeSignals(),
    processMethods,
    watch: false,
    agentEngine: opts.engine,
  });
  return {
    proc,
    home,
    lines,
    connect: () => GatewayClient.connect(proc.instance.url, { token: TEST_TOKEN }),
    stop: () => proc.stop("test done"),
  };
}

/** Polls `fn` until it returns a truthy value, or throws naming `what` after `timeoutMs`. */
export async function eventually<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 5000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`,
  );
}

/** Channel status of the gateway, through the WS method. */
// deno-lint-ignore no-explicit-any
export async function channelStatus(gw: ChannelGateway): Promise<any> {
  const client = await gw.connect();
  try {
    return await client.request("channels.status", {});
  } finally {
    await client.close();
  }
}

/** Waits until the Telegram account runs (connected to the emulator). */
export function telegramRunning(gw: ChannelGateway, timeoutMs = 8000): Promise<unknown> {
  return eventually(
    async () => {
      const st = await channelStatus(gw);
      return st.channels.telegram?.running && st.channels.telegram?.connected;
    },
    "telegram channel running",
    timeoutMs,
  );
}

/** Test options for tests with emulators and gateways (both hold sockets across awaits). */
export const CHANNEL_TEST = { sanitizeOps: false, sanitizeResources: false } as const;
