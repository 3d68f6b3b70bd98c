/**
 * The agent as the HTTP APIs use it (a narrow port over the engine), and a
 * run whose assistant text is streamed as it arrives. Private to
 * `src/http/`.
 *
 * @module
 */

import type {
  RunEvent,
  RunHandle,
  RunRequest,
  RunResult,
  SessionsView,
  Tool,
} from "../agent/types.ts";
import { HttpError } from "./_common.ts";

/** What the HTTP APIs need of the agent runtime. */
export interface HttpAgent {
  /** Starts a run; resolves once admitted. */
  run(req: RunRequest): Promise<RunHandle>;
  subscribe(listener: (ev: RunEvent) => void): () => void;
  abort(sessionKey: string, runId?: string): string[];
  /** The default agent and every configured agent id (lower case). */
  agents(): { defaultId: string; ids: string[]; mainKey: string };
  /** The tools an agent's runs get (tool policy applied). */
  tools(agentId: string): Tool[];
  /** The agent's workspace folder (created when missing). */
  workspace(agentId: string): Promise<string>;
  /** Read-only sessions for the session tools. */
  sessions(): SessionsView;
}

/** A started run and its end. */
export interface StreamedRun {
  handle: RunHandle;
  result: Promise<RunResult>;
}

/** 503 while the agent cannot take runs. */
export function agentUnavailable(): HttpError {
  return new HttpError(
    503,
    "unavailable",
    "The agent is not available (the gateway is starting or stopping); retry shortly",
    { "Retry-After": "1" },
  );
}

/**
 * Starts `req` and calls `onDelta` with each chunk of assistant text. The
 * listener is attached before the run starts (no early chunk is missed) and
 * removed when it ends. A refused run is a 400 (bad session key ...) or a
 * 503 (engine stopped).
 */
export async function startStreamedRun(
  agent: HttpAgent,
  req: RunRequest,
  onDelta?: (delta: string) => void,
): Promise<StreamedRun> {
  const runId = req.idempotencyKey;
  const unsubscribe = onDelta
    ? agent.subscribe((ev) => {
      if (ev.event !== "agent") return;
      const p = ev.payload as { runId?: string; stream?: string; data?: { delta?: unknown } };
      if (p.runId === runId && p.stream === "assistant" && typeof p.data?.delta === "string") {
        onDelta(p.data.delta);
      }
    })
    : () => {};
  let handle: RunHandle;
  try {
    handle = await agent.run(req);
  } catch (err) {
    unsubscribe();
    const message = (err as Error).message ?? String(err);
    if (/stopped/i.test(message)) throw agentUnavailable();
    throw new HttpError(400, "invalid_request_error", message);
  }
  const result = handle.done.finally(unsubscribe);
  return { handle, result };
}
