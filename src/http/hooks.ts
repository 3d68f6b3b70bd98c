/**
 * Webhook ingress (spec http.md section 4): `POST <hooks.path>/wake`,
 * `/agent` and `/<mapping>`, off unless `hooks.enabled`, authenticated with
 * `hooks.token` (never the gateway secret), behind their own failure limiter
 * and body cap. Payloads reach the model wrapped as untrusted content.
 *
 * @module
 */

import type { HookMapping } from "../config/schema_http.ts";
import { foldAgentId } from "../config/agents.ts";
import type { RunRequest } from "../agent/types.ts";
import { AuthRateLimiter } from "../server/auth.ts";
import { requireHookAuth } from "./_auth.ts";
import { badRequest, HttpError, json, readBody, SECURITY_HEADERS } from "./_common.ts";
import { type ApiContext, needAgent } from "./_context.ts";
import { renderTemplate, UNTRUSTED_NOTE, WakeQueue, wrapUntrusted } from "./_hook_content.ts";
import { startStreamedRun } from "./_agent.ts";
import { HTTP_DEFAULTS } from "./config.ts";
import { isObject, optBool, optNumber, optString } from "./_validate.ts";

/** How long `waitForCompletion` waits at most. */
export const HOOK_WAIT_MAX_MS = 120_000;
const IDEM_TTL_MS = 24 * 3600_000;
const IDEM_MAX = 2000;
const MAX_MESSAGE_CHARS = 100_000;

/** State that outlives one hook request. */
export interface HookState {
  limiter: AuthRateLimiter;
  wake: WakeQueue;
  /** Idempotency-Key -> body digest, so a reuse with another body is a 409. */
  seen: Map<string, { digest: string; at: number; answer?: string }>;
}

/** Builds the hook state; `run` starts a wake turn. */
export function createHookState(ctx: { run(req: RunRequest): Promise<unknown> }): HookState {
  return {
    limiter: new AuthRateLimiter({ ...HTTP_DEFAULTS.hooksRateLimit }),
    wake: new WakeQueue(async (sessionKey, message) => {
      await ctx.run({
        idempotencyKey: `wake-${crypto.randomUUID()}`,
        sessionKey,
        message,
        extraSystemPrompt: UNTRUSTED_NOTE,
      });
    }),
    seen: new Map(),
  };
}

async function digest(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

function mode(v: unknown, key: string): "now" | "next-heartbeat" {
  if (v === undefined || v === null) return "now";
  if (v === "now" || v === "next-heartbeat") return v;
  throw badRequest(`Invalid ${key}: use "now" or "next-heartbeat"`);
}

/** A hook's agent turn, as requested or as a mapping renders it. */
interface HookTurn {
  message: string;
  name?: string;
  agentId?: string;
  sessionKey?: string;
  model?: string;
  thinking?: string;
  timeoutSeconds?: number;
  waitForCompletion?: boolean;
  unsafe?: boolean;
}

function agentTurn(body: Record<string, unknown>): HookTurn {
  const message = optString(body, "message", MAX_MESSAGE_CHARS);
  if (!message?.trim()) throw badRequest('Missing message: send {"message": "..."}');
  mode(body.wakeMode, "wakeMode");
  optBool(body, "deliver");
  if (
    body.sessionMode !== undefined && !["isolated", "persistent"].includes(String(body.sessionMode))
  ) {
    throw badRequest('Invalid sessionMode: use "isolated" or "persistent"');
  }
  return {
    message,
    name: optString(body, "name", 128),
    agentId: optString(body, "agentId", 64),
    sessionKey: optString(body, "sessionKey", 256),
    model: optString(body, "model", 256),
    thinking: optString(body, "thinking", 16),
    timeoutSeconds: optNumber(body, "timeoutSeconds", 1, 86_400, { integer: true }),
    waitForCompletion: optBool(body, "waitForCompletion"),
  };
}

async function runHook(
  turn: HookTurn,
  ctx: ApiContext,
  opts: { idemKey?: string; explicitSession: boolean },
): Promise<Response> {
  const agent = needAgent(ctx);
  const h = ctx.settings.hooks;
  const agentId = turn.agentId === undefined ? undefined : foldAgentId(turn.agentId);
  if (agentId !== undefined) {
    if (h.allowedAgentIds && !h.allowedAgentIds.includes(agentId)) {
      throw badRequest(`agentId "${agentId}" is not in hooks.allowedAgentIds`);
    }
    if (!agent.agents().ids.includes(agentId)) throw badRequest(`Unknown agent "${agentId}"`);
  }
  if (turn.sessionKey !== undefined && opts.explicitSession) {
    if (!h.allowRequestSessionKey) {
      throw badRequest("sessionKey is not accepted: set hooks.allowRequestSessionKey to allow it");
    }
    const prefixes = h.allowedSessionKeyPrefixes;
    if (prefixes?.length && !prefixes.some((p) => turn.sessionKey!.startsWith(p))) {
      throw badRequest(`sessionKey does not start with one of hooks.allowedSessionKeyPrefixes`);
    }
  }
  const sessionKey = turn.sessionKey ?? h.defaultSessionKey ?? `hook:${crypto.randomUUID()}`;
  const source = `hook:${turn.name ?? "agent"}`;
  const { handle, result } = await startStreamedRun(agent, {
    idempotencyKey: opts.idemKey ? `hook-${opts.idemKey}` : `hook-${crypto.randomUUID()}`,
    message: turn.unsafe ? turn.message : wrapUntrusted(turn.message, source),
    ...(agentId ? { agentId } : {}),
    sessionKey,
    ...(turn.model ? { model: turn.model } : {}),
    ...(turn.thinking ? { thinking: turn.thinking as RunRequest["thinking"] } : {}),
    ...(turn.timeoutSeconds ? { timeoutMs: turn.timeoutSeconds * 1000 } : {}),
    ...(turn.unsafe ? {} : { extraSystemPrompt: UNTRUSTED_NOTE }),
    client: { id: "hooks", mode: "webhook" },
  });
  if (!turn.waitForCompletion) return json(200, { ok: true, runId: handle.runId });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = Math.min(HOOK_WAIT_MAX_MS, (turn.timeoutSeconds ?? 120) * 1000 + 1000);
  const r = await Promise.race([
    result,
    new Promise<undefined>((res) => (timer = setTimeout(() => res(undefined), limit))),
  ]).finally(() => clearTimeout(timer));
  const completion = r
    ? {
      status: r.status,
      replyDisposition: r.text ? "reply" : "empty",
      delivered: false,
      deliveryAttempted: false,
      text: r.text,
    }
    : {
      status: "running",
      replyDisposition: "pending",
      delivered: false,
      deliveryAttempted: false,
    };
  return json(200, { ok: true, runId: handle.runId, completion });
}

function findMapping(
  mappings: HookMapping[],
  name: string,
  payload: unknown,
): HookMapping | undefined {
  const source = isObject(payload) && typeof payload.source === "string"
    ? payload.source
    : undefined;
  return mappings.find((m) => {
    const path = (m.match?.path ?? m.id ?? "").replace(/^\/+/, "");
    if (path !== name) return false;
    return !m.match?.source || m.match.source === source;
  });
}

/** Everything under `hooks.path`. `sub` is the path after it (`wake`, `agent`, a mapping). */
export async function hooks(
  req: Request,
  ctx: ApiContext,
  state: HookState,
  sub: string,
): Promise<Response> {
  const h = ctx.settings.hooks;
  if (!h.enabled || !h.token) throw new HttpError(404, "not_found", "Not Found");
  if (req.method !== "POST") {
    throw new HttpError(405, "method_not_allowed", "Method Not Allowed", { Allow: "POST" });
  }
  requireHookAuth(req, ctx.remoteIp, { token: h.token, limiter: state.limiter, url: ctx.url });
  const bytes = await readBody(req, h.maxBodyBytes);
  let payload: unknown;
  try {
    payload = bytes.byteLength ? JSON.parse(new TextDecoder().decode(bytes)) : {};
  } catch {
    throw badRequest("Invalid JSON body: send a JSON object");
  }
  if (!isObject(payload)) throw badRequest("Invalid request body: expected a JSON object");

  const idemKey = req.headers.get("idempotency-key")?.trim() || undefined;
  if (idemKey === undefined) return await dispatch(ctx, state, sub, payload);
  if (idemKey.length > 200 || !/^[\x21-\x7e]+$/.test(idemKey)) {
    throw badRequest("Invalid Idempotency-Key: 1-200 printable ASCII characters");
  }
  const d = await digest(bytes);
  const now = Date.now();
  const slot = `${sub}:${idemKey}`;
  const prev = state.seen.get(slot);
  if (prev && now - prev.at < IDEM_TTL_MS) {
    if (prev.digest !== d) {
      throw new HttpError(
        409,
        "conflict",
        "Idempotency-Key was already used with a different body: use a new key",
      );
    }
    // A retry gets the first answer; nothing runs twice.
    if (prev.answer) return json(200, JSON.parse(prev.answer));
  }
  const res = await dispatch(ctx, state, sub, payload, idemKey);
  if (res.status === 200) {
    state.seen.delete(slot);
    state.seen.set(slot, { digest: d, at: now, answer: await res.clone().text() });
    if (state.seen.size > IDEM_MAX) state.seen.delete(state.seen.keys().next().value!);
  }
  return res;
}

async function dispatch(
  ctx: ApiContext,
  state: HookState,
  sub: string,
  payload: Record<string, unknown>,
  idemKey?: string,
): Promise<Response> {
  const h = ctx.settings.hooks;
  const agent = needAgent(ctx);

  if (sub === "wake") {
    const text = optString(payload, "text", MAX_MESSAGE_CHARS);
    if (!text?.trim()) throw badRequest('Missing text: send {"text": "..."}');
    const m = mode(payload.mode, "mode");
    const raw = optString(payload, "agentId", 64);
    const agentId = raw === undefined ? agent.agents().defaultId : foldAgentId(raw);
    if (
      h.allowedAgentIds && payload.agentId !== undefined && !h.allowedAgentIds.includes(agentId)
    ) {
      throw badRequest(`agentId "${agentId}" is not in hooks.allowedAgentIds`);
    }
    if (!agent.agents().ids.includes(agentId)) throw badRequest(`Unknown agent "${agentId}"`);
    const mainKey = `agent:${agentId}:${agent.agents().mainKey}`;
    const eventOutcome = await state.wake.enqueue(mainKey, text, m);
    return json(200, { ok: true, eventOutcome });
  }
  if (sub === "agent") {
    return await runHook(agentTurn(payload), ctx, { idemKey, explicitSession: true });
  }
  const mapping = findMapping(h.mappings, sub, payload);
  if (!mapping) throw new HttpError(404, "not_found", `No hook mapping for "${sub.slice(0, 64)}"`);
  const vars = { payload, path: sub };
  if (mapping.action === "wake") {
    const text = renderTemplate(mapping.textTemplate ?? "{{payload.text}}", vars).trim();
    if (!text) return new Response(null, { status: 204, headers: SECURITY_HEADERS });
    const agentId = mapping.agentId === undefined
      ? agent.agents().defaultId
      : foldAgentId(mapping.agentId);
    const eventOutcome = await state.wake.enqueue(
      `agent:${agentId}:${agent.agents().mainKey}`,
      text,
      mapping.wakeMode ?? "now",
    );
    return json(200, { ok: true, eventOutcome });
  }
  const message = mapping.messageTemplate
    ? renderTemplate(mapping.messageTemplate, vars).trim()
    : JSON.stringify(payload);
  if (!message) return new Response(null, { status: 204, headers: SECURITY_HEADERS });
  return await runHook(
    {
      message: message.slice(0, MAX_MESSAGE_CHARS),
      name: mapping.name ?? sub,
      agentId: mapping.agentId,
      sessionKey: mapping.sessionKey,
      model: mapping.model,
      thinking: mapping.thinking,
      timeoutSeconds: mapping.timeoutSeconds,
      unsafe: mapping.allowUnsafeExternalContent === true,
    },
    ctx,
    { idemKey: idemKey && `${sub}-${idemKey}`, explicitSession: false },
  );
}
