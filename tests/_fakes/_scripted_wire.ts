/**
 * Wire encoders of the scripted provider: one reply (text chunks, tool calls,
 * usage) rendered as OpenAI chat-completions SSE or JSON, Anthropic messages
 * SSE or JSON, and Ollama NDJSON or JSON; plus readers that find the last
 * user text and tool results in each API's request body. Only
 * `scripted_provider.ts` imports this file.
 *
 * @module
 */

/** The three wire protocols the fake speaks. */
export type WireApi = "openai" | "anthropic" | "ollama";

/** Token counts a reply reports. */
export interface WireUsage {
  input: number;
  output: number;
}

/** A tool call the fake model makes. */
export interface WireToolCall {
  id: string;
  name: string;
  /** Arguments as a JSON text (sent in two halves when streaming). */
  arguments: string;
}

/** One successful reply, independent of the wire. */
export interface WireReply {
  /** Reasoning chunks, streamed before the text. */
  reasoning: string[];
  chunks: string[];
  toolCalls: WireToolCall[];
  usage: WireUsage;
  /** Pause before each chunk, ms. */
  delayMs: number;
  /** Pause before text chunk i, overriding `delayMs` where given. */
  chunkDelays?: number[];
  finish: "stop" | "length";
  /** Response id (`chatcmpl-…`, `msg_…`). */
  id: string;
  model: string;
}

/** Default usage per API, as the capture stub reported it. */
export const DEFAULT_USAGE: Record<WireApi, WireUsage> = {
  openai: { input: 1234, output: 7 },
  anthropic: { input: 321, output: 5 },
  ollama: { input: 222, output: 6 },
};

/** Streams strings to the client; `write` resolves false once the client is gone. */
export interface Sink {
  write(text: string): boolean;
  sleep(ms: number): Promise<boolean>;
}

const INTERNAL = "<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>";

// deno-lint-ignore no-explicit-any
type Json = any;

function textOf(content: Json): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((p: Json) => p && (p.type === "text" || p.type === undefined))
    .map((p: Json) => p.text ?? "")
    .join("");
}

/** What the fake reads from a request: the last real user text and tool results after it. */
export interface RequestView {
  lastUserText: string;
  toolResults: string[];
  model: string;
  stream: boolean;
  includeUsage: boolean;
}

/** Reads a chat request body of any of the three APIs. */
export function viewRequest(api: WireApi, body: Json): RequestView {
  const messages: Json[] = Array.isArray(body?.messages) ? body.messages : [];
  const isToolResult = (m: Json) =>
    api === "anthropic"
      ? m.role === "user" && Array.isArray(m.content) &&
        m.content.some((p: Json) => p?.type === "tool_result")
      : m.role === "tool";
  let last = -1;
  messages.forEach((m, i) => {
    if (m?.role !== "user" || isToolResult(m)) return;
    if (textOf(m.content).startsWith(INTERNAL)) return;
    last = i;
  });
  const toolResults: string[] = [];
  for (const m of messages.slice(last + 1)) {
    if (!isToolResult(m)) continue;
    if (api === "anthropic") {
      for (const p of m.content) {
        if (p?.type === "tool_result") toolResults.push(textOf(p.content));
      }
    } else toolResults.push(textOf(m.content));
  }
  return {
    lastUserText: last >= 0 ? textOf(messages[last].content) : "",
    toolResults,
    model: typeof body?.model === "string" ? body.model : "stub-model",
    stream: api === "ollama" ? body?.stream !== false : body?.stream === true,
    includeUsage: body?.stream_options?.include_usage === true,
  };
}

/** An error body in the API's own shape. */
export function errorBody(api: WireApi, status: number, message: string): Json {
  const type = status === 429
    ? "rate_limit_error"
    : status === 401
    ? "authentication_error"
    : status >= 500
    ? (api === "anthropic" ? "api_error" : "server_error")
    : "invalid_request_error";
  if (api === "anthropic") return { type: "error", error: { type, message } };
  if (api === "ollama") return { error: message };
  return { error: { message, type } };
}

/** Content type of a streamed reply. */
export function streamContentType(api: WireApi): string {
  return api === "ollama" ? "application/x-ndjson" : "text/event-stream";
}

function halves(s: string): [string, string] {
  const mid = Math.floor(s.length / 2);
  return [s.slice(0, mid), s.slice(mid)];
}

/** Streams `reply` in the API's wire format; stops early when the client leaves. */
export async function streamReply(
  api: WireApi,
  reply: WireReply,
  sink: Sink,
  includeUsage: boolean,
): Promise<void> {
  if (api === "openai") return await streamOpenAI(reply, sink, includeUsage);
  if (api === "anthropic") return await streamAnthropic(reply, sink);
  return await streamOllama(reply, sink);
}

async function streamOpenAI(r: WireReply, sink: Sink, includeUsage: boolean) {
  const created = Math.floor(Date.now() / 1000);
  const send = (o: Json) => sink.write(`data: ${JSON.stringify(o)}\n\n`);
  const chunk = (delta: Json, finish: string | null = null) => ({
    id: r.id,
    object: "chat.completion.chunk",
    created,
    model: r.model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  if (!send(chunk({ role: "assistant", content: "" }))) return;
  for (const text of r.reasoning) {
    if (!await sink.sleep(r.delayMs)) return;
    if (!send(chunk({ reasoning_content: text }))) return;
  }
  for (const [i, text] of r.chunks.entries()) {
    if (!await sink.sleep(r.chunkDelays?.[i] ?? r.delayMs)) return;
    if (!send(chunk({ content: text }))) return;
  }
  for (const [index, call] of r.toolCalls.entries()) {
    const [a, b] = halves(call.arguments);
    send(chunk({
      tool_calls: [{
        index,
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: a },
      }],
    }));
    if (!await sink.sleep(r.delayMs)) return;
    send(chunk({ tool_calls: [{ index, function: { arguments: b } }] }));
  }
  send(chunk({}, r.toolCalls.length ? "tool_calls" : r.finish));
  if (includeUsage) {
    send({
      id: r.id,
      object: "chat.completion.chunk",
      created,
      model: r.model,
      choices: [],
      usage: {
        prompt_tokens: r.usage.input,
        completion_tokens: r.usage.output,
        total_tokens: r.usage.input + r.usage.output,
      },
    });
  }
  sink.write("data: [DONE]\n\n");
}

async function streamAnthropic(r: WireReply, sink: Sink) {
  const ev = (name: string, o: Json) =>
    sink.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...o })}\n\n`);
  ev("message_start", {
    message: {
      id: r.id,
      type: "message",
      role: "assistant",
      model: r.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: r.usage.input, output_tokens: 1 },
    },
  });
  let index = 0;
  if (r.reasoning.length) {
    ev("content_block_start", { index, content_block: { type: "thinking", thinking: "" } });
    for (const thinking of r.reasoning) {
      if (!await sink.sleep(r.delayMs)) return;
      if (!ev("content_block_delta", { index, delta: { type: "thinking_delta", thinking } })) {
        return;
      }
    }
    ev("content_block_delta", { index, delta: { type: "signature_delta", signature: "stub-sig" } });
    ev("content_block_stop", { index });
    index++;
  }
  if (r.chunks.length) {
    ev("content_block_start", { index, content_block: { type: "text", text: "" } });
    for (const [i, text] of r.chunks.entries()) {
      if (!await sink.sleep(r.chunkDelays?.[i] ?? r.delayMs)) return;
      if (!ev("content_block_delta", { index, delta: { type: "text_delta", text } })) return;
    }
    ev("content_block_stop", { index });
    index++;
  }
  for (const call of r.toolCalls) {
    ev("content_block_start", {
      index,
      content_block: { type: "tool_use", id: call.id, name: call.name, input: {} },
    });
    for (const part of halves(call.arguments)) {
      if (!await sink.sleep(r.delayMs)) return;
      ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: part } });
    }
    ev("content_block_stop", { index });
    index++;
  }
  const stop = r.toolCalls.length ? "tool_use" : r.finish === "length" ? "max_tokens" : "end_turn";
  ev("message_delta", {
    delta: { stop_reason: stop, stop_sequence: null },
    usage: { output_tokens: r.usage.output },
  });
  ev("message_stop", {});
}

async function streamOllama(r: WireReply, sink: Sink) {
  const base = () => ({ model: r.model, created_at: new Date().toISOString() });
  const line = (o: Json) => sink.write(JSON.stringify(o) + "\n");
  for (const thinking of r.reasoning) {
    if (!await sink.sleep(r.delayMs)) return;
    const message = { role: "assistant", content: "", thinking };
    if (!line({ ...base(), message, done: false })) return;
  }
  for (const [i, text] of r.chunks.entries()) {
    if (!await sink.sleep(r.chunkDelays?.[i] ?? r.delayMs)) return;
    if (!line({ ...base(), message: { role: "assistant", content: text }, done: false })) return;
  }
  if (r.toolCalls.length) {
    line({
      ...base(),
      message: {
        role: "assistant",
        content: "",
        tool_calls: r.toolCalls.map((c) => ({
          function: { name: c.name, arguments: JSON.parse(c.arguments || "{}") },
        })),
      },
      done: false,
    });
  }
  line({
    ...base(),
    message: { role: "assistant", content: "" },
    done: true,
    done_reason: r.finish === "length" ? "length" : "stop",
    total_duration: 1000,
    prompt_eval_count: r.usage.input,
    eval_count: r.usage.output,
  });
}

/** A non-streaming reply body. */
export function replyJson(api: WireApi, r: WireReply): Json {
  const text = r.chunks.join("");
  if (api === "anthropic") {
    const content: Json[] = text ? [{ type: "text", text }] : [];
    for (const c of r.toolCalls) {
      content.push({ type: "tool_use", id: c.id, name: c.name, input: JSON.parse(c.arguments) });
    }
    return {
      id: r.id,
      type: "message",
      role: "assistant",
      model: r.model,
      content,
      stop_reason: r.toolCalls.length ? "tool_use" : "end_turn",
      stop_sequence: null,
      usage: { input_tokens: r.usage.input, output_tokens: r.usage.output },
    };
  }
  if (api === "ollama") {
    return {
      model: r.model,
      created_at: new Date().toISOString(),
      message: {
        role: "assistant",
        content: text,
        ...(r.toolCalls.length
          ? {
            tool_calls: r.toolCalls.map((c) => ({
              function: { name: c.name, arguments: JSON.parse(c.arguments) },
            })),
          }
          : {}),
      },
      done: true,
      done_reason: "stop",
      prompt_eval_count: r.usage.input,
      eval_count: r.usage.output,
    };
  }
  return {
    id: r.id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: r.model,
    choices: [{
      index: 0,
      message: r.toolCalls.length
        ? {
          role: "assistant",
          content: null,
          tool_calls: r.toolCalls.map((c) => ({
            id: c.id,
            type: "function",
            function: { name: c.name, arguments: c.arguments },
          })),
        }
        : { role: "assistant", content: text },
      finish_reason: r.toolCalls.length ? "tool_calls" : r.finish,
    }],
    usage: {
      prompt_tokens: r.usage.input,
      completion_tokens: r.usage.output,
      total_tokens: r.usage.input + r.usage.output,
    },
  };
}
