/**
 * A scripted model provider for tests: a real HTTP server on 127.0.0.1
 * (port 0) that speaks the three wire protocols the gateway calls, modelled on
 * the capture stub `shared/spec/captures/stub-llm.mjs`:
 *
 * | route | protocol |
 * |---|---|
 * | `POST /v1/chat/completions` | OpenAI chat completions: SSE (`stream:true`, usage chunk when `stream_options.include_usage`) or JSON |
 * | `POST /v1/messages` | Anthropic messages: SSE or JSON |
 * | `POST /api/chat` | Ollama native: NDJSON (default) or JSON with `stream:false` |
 * | `GET /v1/models`, `GET /api/tags`, `GET /api/version`, `POST /api/show` | discovery answers |
 *
 * Without a script, the reply depends on the last real user text (internal
 * context blocks and tool results are skipped), as in the capture stub:
 *
 * - default: `"Hello from stub."` in 3 chunks (`"Hello"`, `" from"`, `" stub."`);
 * - `TOOLTEST:<tool>:<json>` and no tool result yet: one tool call
 *   (id `call_stub_<n>`), then, once the request carries the tool result,
 *   `"Tool done: <first 80 chars of the result>"`;
 * - `SLOW`: `slowChunks` chunks `"tick<i> "`, one every `slowChunkMs`;
 * - `FAIL500`: HTTP 500; `FAIL429`: HTTP 429 with `retry-after`;
 *   `FAIL401`: HTTP 401;
 * - `STALL`: 200 and stream headers, then silence until the client leaves;
 *   `HANG`: not even headers.
 *
 * `script([...])` queues exact replies; each chat request (any API) takes the
 * next one, and the automatic behaviour resumes when the queue is empty.
 * Every request is recorded (lower-case headers + parsed JSON body).
 *
 * @example
 * ```ts
 * const provider = await startScriptedProvider();
 * provider.script([{ status: 500 }, { text: ["Hi", " there"] }]);
 * // config: models.providers.stub = { baseUrl: provider.baseUrl("openai"), apiKey: "sk-test", ... }
 * // ... run the code under test ...
 * assertEquals(provider.chatRequests().length, 2);
 * await provider.close();
 * ```
 *
 * @module
 */

import {
  DEFAULT_USAGE,
  errorBody,
  replyJson,
  type Sink,
  streamContentType,
  streamReply,
  viewRequest,
  type WireApi,
  type WireReply,
  type WireUsage,
} from "./_scripted_wire.ts";

export type { WireApi, WireUsage };

/** Options of {@link startScriptedProvider}. */
export interface ScriptedProviderOptions {
  /** Pause before each chunk of a normal reply, ms. Default 10. */
  chunkDelayMs?: number;
  /** `SLOW`: pause before each chunk, ms. Default 200. */
  slowChunkMs?: number;
  /** `SLOW`: number of chunks. Default 20. */
  slowChunks?: number;
  /** `FAIL429`: the `retry-after` header, seconds. Default 1. */
  retryAfterSeconds?: number;
  /**
   * Picks the reply from the last real user text when the script queue is
   * empty (undefined: the automatic behaviour). Lets a test answer each
   * message by its content even when requests arrive in any order.
   */
  respond?: (lastUserText: string, n: number) => ScriptStep | undefined;
}

/** A tool call in a scripted reply. */
export interface ScriptedToolCall {
  /** Default `call_stub_<request number>_<index>`. */
  id?: string;
  name: string;
  /** An object (sent as JSON) or raw JSON text. */
  arguments: Record<string, unknown> | string;
}

/**
 * One scripted reply:
 * - `{text}`: a text reply (a string is one chunk; an array is the chunks),
 *   optionally after `reasoning` chunks;
 * - `{toolCalls}`: tool calls (with optional text before them);
 * - `{status}`: an HTTP error in the API's error shape, with extra `headers`
 *   (e.g. `{"retry-after": "2"}`), or a `body` (an object is sent as JSON, a
 *   string as is: text/html when it starts with `<`);
 * - `{stall: true}`: stream headers and optional `chunks`, then silence until
 *   the client goes away (or the provider closes);
 * - `{hang: true}`: no answer at all (not even headers) until the client goes
 *   away or the provider closes. Deno.serve may not notice a client that left
 *   while no response was started (its socket sits in CLOSE-WAIT), so
 *   `clientGone` is reliable for streams, not for a hang.
 */
export type ScriptStep =
  | {
    text: string | string[];
    /** Reasoning chunks streamed before the text (`reasoning_content`, thinking blocks, `thinking`). */
    reasoning?: string[];
    /** Pause before each chunk, ms; or per text chunk (missing entries use the default). */
    delayMs?: number | number[];
    usage?: Partial<WireUsage>;
    finish?: "stop" | "length";
  }
  | {
    toolCalls: ScriptedToolCall[];
    text?: string | string[];
    delayMs?: number;
    usage?: Partial<WireUsage>;
  }
  | { status: number; message?: string; headers?: Record<string, string>; body?: unknown }
  | { stall: true; chunks?: string[] }
  | { hang: true };

/** One request the provider received. */
export interface RecordedRequest {
  /** 1-based arrival number. */
  n: number;
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  /** The chat API the route belongs to; `null` for other routes. */
  api: WireApi | null;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  // deno-lint-ignore no-explicit-any
  body: any;
  /** `Date.now()` at arrival. */
  at: number;
  /** Set once a streamed reply was cut because the client went away. */
  clientGone: boolean;
}

/** A running scripted provider. */
export interface ScriptedProvider {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The `baseUrl` to configure for an API: `<url>/v1` for openai, `<url>` for the others. */
  baseUrl(api: WireApi): string;
  /** Every request so far, in arrival order (a live array). */
  readonly requests: RecordedRequest[];
  /** Only the chat requests (`/v1/chat/completions`, `/v1/messages`, `/api/chat`). */
  chatRequests(): RecordedRequest[];
  /** Queues scripted replies (appended after any still queued). */
  script(steps: ScriptStep[]): void;
  /** Number of scripted replies not yet used. */
  pending(): number;
  /** Resolves once `n` chat requests arrived; rejects after `timeoutMs` (default 5000). */
  waitForChatRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Resolves once `predicate` holds (polled every 10 ms); rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Ends open streams (stalled ones too) and stops the server. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const ROUTES: Record<string, WireApi> = {
  "/v1/chat/completions": "openai",
  "/v1/messages": "anthropic",
  "/api/chat": "ollama",
};

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function chunksOf(text: string | string[] | undefined): string[] {
  if (text === undefined) return [];
  return typeof text === "string" ? [text] : text;
}

/** Starts a scripted provider on 127.0.0.1, port 0. */
export function startScriptedProvider(
  opts: ScriptedProviderOptions = {},
): Promise<ScriptedProvider> {
  const chunkDelayMs = opts.chunkDelayMs ?? 10;
  const slowChunkMs = opts.slowChunkMs ?? 200;
  const slowChunks = opts.slowChunks ?? 20;
  const retryAfterSeconds = opts.retryAfterSeconds ?? 1;
  const requests: RecordedRequest[] = [];
  const queue: ScriptStep[] = [];
  const wakers = new Set<() => void>();
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let closing = false;
  const enc = new TextEncoder();

  function wakeAll() {
    for (const w of [...wakers]) w();
  }

  /** A response body fed by `produce`; stops when the client cancels or we close. */
  function streamed(rec: RecordedRequest, produce: (sink: Sink) => Promise<void>): ReadableStream {
    let gone = false;
    let ctl!: ReadableStreamDefaultController<Uint8Array>;
    const sink: Sink = {
      write(text) {
        if (gone || closing) return false;
        try {
          ctl.enqueue(enc.encode(text));
          return true;
        } catch {
          gone = true;
          rec.clientGone = true;
          return false;
        }
      },
      sleep(ms) {
        if (gone || closing) return Promise.resolve(false);
        return new Promise((resolve) => {
          const done = () => {
            clearTimeout(timer);
            wakers.delete(done);
            resolve(!gone && !closing);
          };
          const timer = setTimeout(done, ms);
          wakers.add(done);
        });
      },
    };
    return new ReadableStream<Uint8Array>({
      start(c) {
        ctl = c;
        streams.add(c);
        produce(sink).finally(() => {
          streams.delete(c);
          if (!gone) {
            try {
              c.close();
            } catch { /* already closed */ }
          }
        });
      },
      cancel() {
        gone = true;
        rec.clientGone = true;
        wakeAll();
      },
    });
  }

  function stalled(rec: RecordedRequest, chunks: string[], api: WireApi): ReadableStream {
    return streamed(rec, async (sink) => {
      if (chunks.length) {
        await streamReply(
          api,
          {
            reasoning: [],
            chunks,
            toolCalls: [],
            usage: DEFAULT_USAGE[api],
            delayMs: 0,
            finish: "stop",
            id: `stall${rec.n}`,
            model: String(rec.body?.model ?? "stub-model"),
          },
          { write: sink.write, sleep: () => Promise.resolve(true) },
          false,
        ).catch(() => {});
      }
      // Silence: wait until the client leaves or the provider closes.
      while (await sink.sleep(60_000)) { /* keep waiting */ }
    });
  }

  function automaticStep(api: WireApi, rec: RecordedRequest): ScriptStep {
    const view = viewRequest(api, rec.body);
    const text = view.lastUserText;
    const chosen = view.toolResults.length ? undefined : opts.respond?.(text, rec.n);
    if (chosen) return chosen;
    if (text.includes("FAIL500")) return { status: 500, message: "stub forced failure" };
    if (text.includes("FAIL429")) {
      return {
        status: 429,
        message: "stub rate limited",
        headers: { "retry-after": String(retryAfterSeconds) },
      };
    }
    if (text.includes("FAIL401")) return { status: 401, message: "stub rejected the key" };
    if (text.includes("STALL")) return { stall: true };
    if (text.includes("HANG")) return { hang: true };
    const tool = text.match(/TOOLTEST:([A-Za-z0-9_]+):(\{.*\})/);
    if (tool && view.toolResults.length === 0) {
      return { toolCalls: [{ id: `call_stub_${rec.n}`, name: tool[1], arguments: tool[2] }] };
    }
    if (view.toolResults.length) {
      return { text: "Tool done: " + view.toolResults[view.toolResults.length - 1].slice(0, 80) };
    }
    if (text.includes("SLOW")) {
      return {
        text: Array.from({ length: slowChunks }, (_, i) => `tick${i} `),
        delayMs: slowChunkMs,
      };
    }
    return { text: ["Hello", " from", " stub."] };
  }

  /** Holds the request open, unanswered, until the client leaves or we close. */
  async function hang(req: Request, rec: RecordedRequest): Promise<Response> {
    await new Promise<void>((resolve) => {
      const done = () => {
        wakers.delete(done);
        req.signal.removeEventListener("abort", done);
        resolve();
      };
      wakers.add(done);
      req.signal.addEventListener("abort", done, { once: true });
    });
    rec.clientGone = req.signal.aborted;
    return json(errorBody(rec.api ?? "openai", 503, "stub closed"), 503);
  }

  function respond(
    api: WireApi,
    rec: RecordedRequest,
    step: Exclude<ScriptStep, { hang: true }>,
  ): Response {
    const view = viewRequest(api, rec.body);
    if ("status" in step) {
      if (typeof step.body === "string") {
        const type = step.body.trimStart().startsWith("<") ? "text/html" : "text/plain";
        return new Response(step.body, {
          status: step.status,
          headers: { "content-type": type, ...step.headers },
        });
      }
      const body = step.body ?? errorBody(api, step.status, step.message ?? "stub error");
      return json(body, step.status, step.headers);
    }
    if ("stall" in step) {
      return new Response(stalled(rec, step.chunks ?? [], api), {
        headers: { "content-type": streamContentType(api), "cache-control": "no-cache" },
      });
    }
    const reply: WireReply = {
      reasoning: "reasoning" in step && step.reasoning ? step.reasoning : [],
      chunks: chunksOf(step.text),
      toolCalls: ("toolCalls" in step ? step.toolCalls : []).map((c, i) => ({
        id: c.id ?? `call_stub_${rec.n}_${i}`,
        name: c.name,
        arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments),
      })),
      usage: { ...DEFAULT_USAGE[api], ...step.usage },
      delayMs: typeof step.delayMs === "number" ? step.delayMs : chunkDelayMs,
      chunkDelays: Array.isArray(step.delayMs) ? step.delayMs : undefined,
      finish: "finish" in step && step.finish ? step.finish : "stop",
      id: api === "anthropic" ? `msg_stub${rec.n}` : `chatcmpl-stub${rec.n}`,
      model: view.model,
    };
    if (!view.stream) return json(replyJson(api, reply));
    const body = streamed(rec, (sink) => streamReply(api, reply, sink, view.includeUsage));
    return new Response(body, {
      headers: { "content-type": streamContentType(api), "cache-control": "no-cache" },
    });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => (headers[k] = v));
    if (Number(headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      return json({ error: { message: "request body too large" } }, 413);
    }
    const raw = req.body ? await req.text() : "";
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch { /* keep the raw text */ }
    const api = req.method === "POST" ? ROUTES[url.pathname] ?? null : null;
    const rec: RecordedRequest = {
      n: requests.length + 1,
      method: req.method,
      path: url.pathname + url.search,
      api,
      headers,
      body,
      at: Date.now(),
      clientGone: false,
    };
    requests.push(rec);
    if (api) {
      const step = queue.shift() ?? automaticStep(api, rec);
      return "hang" in step ? await hang(req, rec) : respond(api, rec, step);
    }
    if (req.method === "GET" && url.pathname === "/v1/models") {
      return json({
        object: "list",
        data: [{ id: "stub-model", object: "model", created: 0, owned_by: "stub" }],
      });
    }
    if (req.method === "GET" && url.pathname === "/api/tags") {
      return json({
        models: [{
          name: "llama-stub",
          model: "llama-stub",
          size: 1,
          details: { family: "llama" },
        }],
      });
    }
    if (req.method === "GET" && url.pathname === "/api/version") return json({ version: "0.9.0" });
    if (req.method === "POST" && url.pathname === "/api/show") {
      return json({
        capabilities: ["completion", "tools"],
        model_info: { "llama.context_length": 32768 },
      });
    }
    return json({ error: { message: "not found", type: "not_found" } }, 404);
  }

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
  }, handle);
  const port = server.addr.port;
  const url = `http://127.0.0.1:${port}`;

  async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) {
        throw new Error(`Scripted provider: condition not met in ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  return Promise.resolve({
    url,
    port,
    requests,
    baseUrl: (api) => (api === "openai" ? `${url}/v1` : url),
    chatRequests: () => requests.filter((r) => r.api !== null),
    script(steps) {
      queue.push(...steps);
    },
    pending: () => queue.length,
    async waitForChatRequests(n, timeoutMs = 5000) {
      await waitFor(() => requests.filter((r) => r.api !== null).length >= n, timeoutMs);
      return requests.filter((r) => r.api !== null);
    },
    waitFor,
    async close() {
      if (closing) return;
      closing = true;
      wakeAll();
      for (const c of [...streams]) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      await server.shutdown();
    },
  });
}
