/**
 * Helpers of the agent end-to-end tests: a gateway configured with the
 * scripted provider, a client that records events, and waits with limits.
 *
 * @module
 */

import type { EventFrame } from "../../../protocol/frames.ts";
import type { GatewayClient } from "../../../src/client/gateway_client.ts";
import { startTestGateway, TEST_TOKEN, type TestGateway } from "../../_helpers/gateway.ts";
import {
  type ScriptedProvider,
  type ScriptedProviderOptions,
  startScriptedProvider,
} from "../../_fakes/scripted_provider.ts";

/** Every operator scope (the capture client's). */
export const ALL_SCOPES = [
  "operator.read",
  "operator.write",
  "operator.admin",
  "operator.approvals",
  "operator.pairing",
];

/** Config with the scripted provider as `stub/stub-model`. */
export function stubConfig(provider: ScriptedProvider, extra: Record<string, unknown> = {}) {
  const { agents, tools, ...rest } = extra as {
    agents?: { defaults?: Record<string, unknown> };
    tools?: Record<string, unknown>;
  };
  return {
    gateway: { mode: "local", auth: { token: TEST_TOKEN } },
    models: {
      providers: {
        stub: {
          baseUrl: provider.baseUrl("openai"),
          apiKey: "sk-stub-123",
          api: "openai-completions",
          models: [{
            id: "stub-model",
            name: "Stub Model",
            contextWindow: 128000,
            maxTokens: 4096,
          }],
        },
      },
    },
    agents: {
      ...agents,
      defaults: { model: { primary: "stub/stub-model" }, ...agents?.defaults },
    },
    ...(tools ? { tools } : {}),
    ...rest,
  };
}

/** A gateway + scripted provider pair, disposed together. */
export interface AgentFixture {
  gw: TestGateway;
  provider: ScriptedProvider;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the scripted provider and a gateway using it. */
export async function startAgentGateway(
  opts: { extra?: Record<string, unknown> } & ScriptedProviderOptions = {},
): Promise<AgentFixture> {
  const { extra: _extra, ...providerOpts } = opts;
  const provider = await startScriptedProvider(providerOpts);
  const gw = await startTestGateway({ config: stubConfig(provider, opts.extra) });
  return {
    gw,
    provider,
    async [Symbol.asyncDispose]() {
      await gw[Symbol.asyncDispose]();
      await provider.close();
    },
  };
}

/** A connected client that records events and closes with `await using`. */
export interface RecordingClient extends AsyncDisposable {
  client: GatewayClient;
  events: EventFrame[];
  /** Payloads of `event` frames named `name` (optionally of one run). */
  of(name: string, runId?: string): Record<string, unknown>[];
  /** Resolves with the first event matching, or rejects after `timeoutMs`. */
  waitEvent(
    pred: (e: EventFrame) => boolean,
    timeoutMs?: number,
  ): Promise<EventFrame>;
  /** Waits for the terminal `chat` event (final/aborted/error) of `runId`. */
  chatEnd(runId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** Connects with every operator scope and records events. */
export async function recordingClient(
  gw: TestGateway,
  opts: { caps?: string[]; scopes?: string[] } = {},
): Promise<RecordingClient> {
  const client = await gw.connect({
    scopes: opts.scopes ?? ALL_SCOPES,
    ...(opts.caps ? { extra: { caps: opts.caps } } : {}),
  });
  const events: EventFrame[] = [];
  const waiters = new Set<{ pred: (e: EventFrame) => boolean; resolve(e: EventFrame): void }>();
  client.onEvent((e) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.delete(w);
        w.resolve(e);
      }
    }
  });
  const rec: RecordingClient = {
    client,
    events,
    of: (name, runId) =>
      events.filter((e) => e.event === name)
        .map((e) => e.payload as Record<string, unknown>)
        .filter((p) => !runId || p.runId === runId),
    waitEvent(pred, timeoutMs = 10_000) {
      const hit = events.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (e: EventFrame) => (clearTimeout(t), resolve(e)) };
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no matching event within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    async chatEnd(runId, timeoutMs = 10_000) {
      const e = await rec.waitEvent((e) => {
        const p = e.payload as Record<string, unknown>;
        return e.event === "chat" && p.runId === runId && p.agentId !== undefined &&
          ["final", "aborted", "error"].includes(String(p.state));
      }, timeoutMs);
      return e.payload as Record<string, unknown>;
    },
    [Symbol.asyncDispose]: () => client.close(),
  };
  return rec;
}

/** A fresh idempotency key. */
export function idem(prefix = "idem"): string {
  return `${prefix}-${crypto.randomUUID()}`;
}
