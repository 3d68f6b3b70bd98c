/**
 * OpenAI Chat Completions on the gateway (spec http.md section 1):
 * `POST /v1/chat/completions` runs one agent turn, answered as one JSON
 * completion or streamed as SSE chunks; `GET /v1/models[/id]` lists the
 * agents as models. Off unless `gateway.http.endpoints.chatCompletions.enabled`.
 *
 * @module
 */

import type { RunResult, ToolSchema } from "../agent/types.ts";
import { badRequest, HttpError, json, readJsonObject, sseStream } from "./_common.ts";
import { type ApiContext, needAgent } from "./_context.ts";
import { startStreamedRun } from "./_agent.ts";
import { buildTurn, parseDataUri, type Turn } from "./_prompt.ts";
import { runRequestOf, selectRun } from "./_select.ts";
import { isObject, optBool, optNumber, optString } from "./_validate.ts";

/** Reply text when the agent said nothing (spec). */
export const EMPTY_REPLY = "No response from OpenClaw.";
const MAX_MESSAGES = 4096;
const MAX_TOOLS = 128;
const ROLES: Record<string, Turn["role"]> = {
  system: "system",
  developer: "system",
  user: "user",
  assistant: "assistant",
  tool: "tool",
  function: "tool",
};

function partsOf(content: unknown, index: number): Pick<Turn, "text" | "images"> {
  if (content === undefined || content === null) return { text: "", images: [] };
  if (typeof content === "string") return { text: content, images: [] };
  if (!Array.isArray(content)) {
    throw badRequest(`Invalid messages[${index}].content: expected a string or an array of parts`);
  }
  const texts: string[] = [];
  const images: Turn["images"] = [];
  content.forEach((part, j) => {
    if (!isObject(part)) throw badRequest(`Invalid messages[${index}].content[${j}]`);
    if ((part.type === "text" || part.type === "input_text") && typeof part.text === "string") {
      texts.push(part.text);
    } else if (part.type === "image_url") {
      const ref = isObject(part.image_url) ? part.image_url.url : part.image_url;
      if (typeof ref !== "string") throw badRequest("Invalid image_url content in `messages`.");
      images.push(parseDataUri(ref) ?? { url: ref.slice(0, 64) });
    }
  });
  return { text: texts.join("\n"), images };
}

/** Normalises `messages`; 400 naming the bad index. */
function chatTurns(messages: unknown): Turn[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw badRequest("Missing user message in `messages`.");
  }
  if (messages.length > MAX_MESSAGES) {
    throw badRequest(`Invalid messages: at most ${MAX_MESSAGES} messages`);
  }
  return messages.map((m, i) => {
    if (!isObject(m) || typeof m.role !== "string" || !(m.role in ROLES)) {
      throw badRequest(
        `Invalid messages[${i}].role: use system, developer, user, assistant or tool`,
      );
    }
    const { text, images } = partsOf(m.content, i);
    const callId = typeof m.tool_call_id === "string"
      ? m.tool_call_id.slice(0, 128)
      : typeof m.name === "string"
      ? m.name.slice(0, 128)
      : undefined;
    return { role: ROLES[m.role], text, images, ...(callId ? { callId } : {}) };
  });
}

/** Client function tools and `tool_choice`, as the engine takes them. */
export function clientTools(body: Record<string, unknown>): ToolSchema[] | undefined {
  if (body.tools === undefined || body.tools === null) {
    if (body.tool_choice === "required") {
      throw badRequest('Invalid tool_choice: "required" needs at least one tool in `tools`');
    }
    return undefined;
  }
  if (!Array.isArray(body.tools) || body.tools.length > MAX_TOOLS) {
    throw badRequest(`Invalid tools: expected an array of at most ${MAX_TOOLS} function tools`);
  }
  let tools: ToolSchema[] = body.tools.map((t, i) => {
    const fn = isObject(t) && t.type === "function" && isObject(t.function) ? t.function : null;
    if (!fn || typeof fn.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) {
      throw badRequest(`Invalid tools[${i}]: expected {type:"function", function:{name}}`);
    }
    return {
      name: fn.name,
      description: typeof fn.description === "string" ? fn.description : "",
      parameters: isObject(fn.parameters) ? fn.parameters : { type: "object", properties: {} },
    };
  });
  const choice = body.tool_choice;
  if (choice === "none") return undefined;
  if (choice === "required" && tools.length === 0) {
    throw badRequest('Invalid tool_choice: "required" needs at least one tool in `tools`');
  }
  if (isObject(choice)) {
    const name = isObject(choice.function) ? choice.function.name : undefined;
    tools = tools.filter((t) => t.name === name);
    if (!tools.length) throw badRequest(`Invalid tool_choice: no tool named "${String(name)}"`);
  }
  return tools.length ? tools : undefined;
}

function checkSampling(body: Record<string, unknown>): void {
  optNumber(body, "temperature", 0, 2);
  optNumber(body, "top_p", 0, 1);
  optNumber(body, "presence_penalty", -2, 2);
  optNumber(body, "frequency_penalty", -2, 2);
  optNumber(body, "seed", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, { integer: true });
  optNumber(body, "max_tokens", 1, 10_000_000, { integer: true });
  optNumber(body, "max_completion_tokens", 1, 10_000_000, { integer: true });
  optNumber(body, "n", 1, 1, { integer: true });
  const stop = body.stop;
  if (
    stop !== undefined && stop !== null && typeof stop !== "string" &&
    !(Array.isArray(stop) && stop.length <= 4 && stop.every((s) => typeof s === "string"))
  ) {
    throw badRequest("Invalid stop: expected a string or an array of at most 4 strings");
  }
}

function usageOf(r: RunResult) {
  return {
    prompt_tokens: r.usage.input,
    completion_tokens: r.usage.output,
    total_tokens: r.usage.input + r.usage.output,
  };
}

function toolCallsOf(r: RunResult) {
  return (r.clientToolCalls ?? []).map((c, index) => ({
    index,
    id: c.id,
    type: "function",
    function: { name: c.name, arguments: c.arguments },
  }));
}

const runFailed = () => new HttpError(500, "api_error", "internal error");

/** `POST /v1/chat/completions`. */
export async function chatCompletions(req: Request, ctx: ApiContext): Promise<Response> {
  const agent = needAgent(ctx);
  const body = await readJsonObject(req, ctx.settings.chat.maxBodyBytes);
  const model = optString(body, "model", 256) ?? "openclaw";
  const stream = optBool(body, "stream") ?? false;
  checkSampling(body);
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const turn = buildTurn(chatTurns(body.messages), {
    limits: ctx.settings.chat.images,
    missing: "Missing user message in `messages`.",
    invalidImage: "Invalid image_url content in `messages`.",
  });
  const tools = clientTools(body);
  const sel = selectRun(req, body, agent, "openai");
  const id = `chatcmpl_${crypto.randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const runReq = runRequestOf(id, { turn, sel, tools }, "openai-http");
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

  if (!stream) {
    const { result } = await startStreamedRun(agent, runReq);
    const r = await result;
    if (r.status !== "ok") {
      ctx.log.warn("chat completion run failed", { runId: id, status: r.status, error: r.error });
      throw runFailed();
    }
    const calls = toolCallsOf(r);
    return json(200, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [{
        index: 0,
        message: {
          role: "assistant",
          content: r.text || (calls.length ? null : EMPTY_REPLY),
          ...(calls.length ? { tool_calls: calls.map(({ index: _i, ...c }) => c) } : {}),
        },
        finish_reason: calls.length ? "tool_calls" : "stop",
      }],
      usage: usageOf(r),
    }, ctx.settings.headers);
  }

  const sse = sseStream(() => agent.abort(sel.sessionKey, id), ctx.settings.headers);
  sse.send({
    ...chunk({ role: "assistant" }, null),
    choices: [{ index: 0, delta: { role: "assistant" } }],
  });
  let sent = false;
  const { result } = await startStreamedRun(agent, runReq, (delta) => {
    sent = true;
    sse.send(chunk({ content: delta }, null));
  });
  void result.then((r) => {
    if (r.status !== "ok") {
      if (r.status !== "aborted" || !sse.closed) {
        ctx.log.warn("chat completion run failed", { runId: id, status: r.status, error: r.error });
      }
      sse.send({ error: { message: "internal error", type: "api_error" } });
      return sse.done();
    }
    const calls = toolCallsOf(r);
    if (calls.length) sse.send(chunk({ tool_calls: calls }, null));
    else if (!sent) sse.send(chunk({ content: r.text || EMPTY_REPLY }, null));
    sse.send(chunk({}, calls.length ? "tool_calls" : "stop"));
    if (includeUsage) sse.send({ ...chunk({}, null), choices: [], usage: usageOf(r) });
    sse.done();
  });
  return sse.response;
}

/** `GET /v1/models`: the agents as models (`openclaw/<agentId>`). */
export function listModels(_req: Request, ctx: ApiContext): Promise<Response> {
  const agents = needAgent(ctx).agents();
  const row = (id: string) => ({ id, object: "model", created: 0, owned_by: "openclaw" });
  return Promise.resolve(json(200, {
    object: "list",
    data: [row("openclaw"), ...agents.ids.map((a) => row(`openclaw/${a}`))],
  }, ctx.settings.headers));
}

/** `GET /v1/models/{id}`. */
export function getModel(_req: Request, ctx: ApiContext): Promise<Response> {
  const agents = needAgent(ctx).agents();
  const id = decodeURIComponent(ctx.url.pathname.slice("/v1/models/".length));
  const agentId = /^openclaw(\/default)?$/i.test(id)
    ? agents.defaultId
    : /^(?:openclaw[:/]|agent:)(.+)$/i.exec(id)?.[1]?.toLowerCase();
  if (!agentId || !agents.ids.includes(agentId)) {
    throw new HttpError(
      404,
      "invalid_request_error",
      `The model "${id.slice(0, 128)}" does not exist: GET /v1/models lists the agents`,
    );
  }
  return Promise.resolve(
    json(200, { id, object: "model", created: 0, owned_by: "openclaw" }, ctx.settings.headers),
  );
}
