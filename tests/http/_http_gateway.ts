/**
 * Helpers of the HTTP API tests: a gateway with the scripted provider and
 * the endpoints switched on, and fetch with a time limit.
 *
 * @module
 */

import { TEST_TOKEN } from "../_helpers/gateway.ts";
import { type AgentFixture, startAgentGateway } from "../agent/e2e/_agent_gateway.ts";
import type { ScriptedProviderOptions } from "../_fakes/scripted_provider.ts";

export { TEST_TOKEN };

/** A hooks token (differs from the gateway token). */
export const HOOK_TOKEN = "hook-token-abcdefghijklmnopqrstuvwxyz012345";

/** The gateway's base URL. */
export function base(fx: AgentFixture): string {
  return `http://127.0.0.1:${fx.gw.port}`;
}

/** Starts the scripted provider and a gateway with both OpenAI endpoints and hooks on. */
export function startHttpGateway(
  opts: { extra?: Record<string, unknown>; endpoints?: boolean } & ScriptedProviderOptions = {},
): Promise<AgentFixture> {
  const { extra = {}, endpoints = true, ...providerOpts } = opts;
  const gateway = {
    mode: "local",
    auth: { token: TEST_TOKEN },
    ...(endpoints
      ? {
        http: {
          endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } },
        },
      }
      : {}),
    ...(extra.gateway as Record<string, unknown> | undefined),
  };
  return startAgentGateway({
    ...providerOpts,
    extra: {
      ...extra,
      gateway,
      ...(endpoints && !("hooks" in extra) ? { hooks: { enabled: true, token: HOOK_TOKEN } } : {}),
    },
  });
}

/** fetch with a 15 s limit (a regression fails, never hangs). */
export function fetchT(url: string, init: RequestInit = {}, ms = 15_000): Promise<Response> {
  return fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(ms) });
}

/** Headers with the gateway bearer and JSON. */
export function authJson(token = TEST_TOKEN): Record<string, string> {
  return { authorization: `Bearer ${token}`, "content-type": "application/json" };
}

/** Reads an SSE body into its `data:` payloads (with `event:` names). */
export async function readSse(
  res: Response,
  ms = 15_000,
): Promise<Array<{ event?: string; data: string }>> {
  const text = await Promise.race([
    res.text(),
    new Promise<never>((_, rej) => setTimeout(() => rej(new Error("SSE read timed out")), ms)),
  ]);
  return text.split("\n\n").filter((b) => b.trim()).map((block) => {
    const lines = block.split("\n");
    const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
    const data = lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
    return event ? { event, data } : { data };
  });
}
