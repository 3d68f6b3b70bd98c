/**
 * What every HTTP API endpoint shares: the security headers, the OpenAI
 * error envelope, one typed error turned into a response in one place, a
 * body reader that stops at a byte cap and a deadline, and SSE framing.
 * Private to `src/http/`.
 *
 * @module
 */

import { SECURITY_HEADERS } from "../server/http.ts";

/** Headers on every HTTP response (spec http.md section 0): the transport's one set. */
export { SECURITY_HEADERS };

/** `Content-Type` of JSON answers. */
export const JSON_TYPE = "application/json; charset=utf-8";

/** How long a client may take to send its body. */
export const BODY_TIMEOUT_MS = 30_000;

/** Extra headers (HSTS when configured) added to every API answer. */
export type ExtraHeaders = Record<string, string>;

/** A JSON answer with the security headers. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...SECURITY_HEADERS, "Content-Type": JSON_TYPE, ...headers },
  });
}

/** Which envelope an endpoint's errors use. */
export type Envelope = "openai" | "ok";

/**
 * A refusal an endpoint throws; {@link errorResponse} turns it into the
 * endpoint's envelope: OpenAI `{error:{message,type}}` or tools/hooks
 * `{ok:false,error:{type,message}}`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** 400 naming the bad field. */
export function badRequest(message: string): HttpError {
  return new HttpError(400, "invalid_request_error", message);
}

/** The answer for a thrown error; anything untyped is a 500 without details. */
export function errorResponse(err: unknown, envelope: Envelope): Response {
  if (!(err instanceof HttpError)) {
    return envelope === "ok"
      ? json(500, { ok: false, error: { type: "api_error", message: "internal error" } })
      : json(500, { error: { message: "internal error", type: "api_error" } });
  }
  // 401/429/405/413/408 have one shape everywhere (spec section 0).
  const common = [401, 408, 413, 429].includes(err.status);
  if (err.status === 405) {
    return new Response("Method Not Allowed", {
      status: 405,
      headers: { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8", ...err.headers },
    });
  }
  if (envelope === "ok" && !common) {
    return json(err.status, { ok: false, error: { type: err.type, message: err.message } }, {
      ...err.headers,
    });
  }
  return json(err.status, { error: { message: err.message, type: err.type } }, err.headers);
}

/** 405 with the methods a path allows. */
export function methodNotAllowed(allow: string): HttpError {
  return new HttpError(405, "method_not_allowed", "Method Not Allowed", { Allow: allow });
}

/** 413 (spec text). */
function payloadTooLarge(): HttpError {
  return new HttpError(413, "invalid_request_error", "Payload too large");
}

/**
 * Reads the body, at most `maxBytes`, within `timeoutMs`. A `Content-Length`
 * above the cap is refused before a byte is read; a body without one (or
 * lying about it) is read chunk by chunk and cancelled the moment it passes
 * the cap, so a huge body never sits in memory.
 */
export async function readBody(
  req: { headers: Headers; body: ReadableStream<Uint8Array> | null },
  maxBytes: number,
  timeoutMs = BODY_TIMEOUT_MS,
): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw payloadTooLarge();
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HttpError(408, "invalid_request_error", "Request body timeout")),
      timeoutMs,
    );
  });
  try {
    while (true) {
      const { done, value } = await Promise.race([reader.read(), timeout]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw payloadTooLarge();
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

// A page can POST `text/plain` cross-site without a CORS preflight;
// `application/json` always needs one, so JSON bodies must say so.

/** Whether a `Content-Type` is JSON (`application/json`, `application/*+json`). */
function isJsonType(value: string | null): boolean {
  if (value === null) return false;
  const type = value.split(";")[0].trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** 415 unless the request declares a JSON body (checked before a byte is read). */
function requireJsonType(req: Request): void {
  if (isJsonType(req.headers.get("content-type"))) return;
  throw new HttpError(
    415,
    "invalid_request_error",
    `Unsupported Content-Type ${
      JSON.stringify((req.headers.get("content-type") ?? "(none)").slice(0, 100))
    }: send the JSON body with Content-Type: application/json`,
  );
}

/**
 * Reads a capped body and parses it as a JSON object; 415 (before reading)
 * unless `Content-Type` is JSON, 400 when the body is not a JSON object.
 */
export async function readJsonObject(
  req: Request,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  requireJsonType(req);
  const bytes = await readBody(req, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw badRequest("Invalid JSON body: send a JSON object with Content-Type application/json");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("Invalid request body: expected a JSON object");
  }
  return value as Record<string, unknown>;
}

/** An SSE stream: `send` frames events, `close` ends it; `onCancel` runs when the client leaves. */
export interface SseStream {
  response: Response;
  /** `data: <json>` (with `event: <name>` when given). */
  send(data: unknown, event?: string): void;
  /** `data: [DONE]` then end. */
  done(): void;
  readonly closed: boolean;
}

const encoder = new TextEncoder();

/** Starts an SSE answer; headers go out at once (status 200). */
export function sseStream(onCancel: () => void, headers: ExtraHeaders = {}): SseStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => {
      closed = true;
      onCancel();
    },
  });
  const write = (text: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      closed = true;
    }
  };
  return {
    response: new Response(body, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache",
        "Connection": "keep-alive",
        ...headers,
      },
    }),
    send(data, event) {
      write(`${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
    },
    done() {
      write("data: [DONE]\n\n");
      if (closed) return;
      closed = true;
      try {
        controller.close();
      } catch { /* already closed */ }
    },
    get closed() {
      return closed;
    },
  };
}
