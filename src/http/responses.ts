/**
 * OpenResponses on the gateway (spec http.md section 2): `POST /v1/responses`
 * runs one agent turn and answers a `response` resource, or streams the
 * typed `response.*` events. Off unless
 * `gateway.http.endpoints.responses.enabled`.
 *
 * @module
 */

import type { RunResult } from "../agent/types.ts";
import { HttpError, json, readJsonObject, sseStream } from "./_common.ts";
import { type ApiContext, needAgent } from "./_context.ts";
import { startStreamedRun } from "./_agent.ts";
import { parseResponsesBody, responsesTools, responsesTurn } from "./_responses_input.ts";
import { runRequestOf, selectRun } from "./_select.ts";
import { fetchImage } from "./_image_fetch.ts";

type Status = "completed" | "failed" | "in_progress";

interface Ids {
  id: string;
  msgId: string;
  created: number;
  model: string;
}

function messageItem(ids: Ids, text: string, status: Status) {
  return {
    type: "message",
    id: ids.msgId,
    role: "assistant",
    status,
    content: status === "in_progress" && !text
      ? []
      : [{ type: "output_text", text, annotations: [] }],
  };
}

function resource(ids: Ids, status: Status, r?: RunResult) {
  const calls = (r?.clientToolCalls ?? []).map((c) => ({
    type: "function_call",
    id: `fc_${c.id}`,
    call_id: c.id,
    name: c.name,
    arguments: c.arguments,
    status: "completed",
  }));
  const output = !r
    ? []
    : status === "failed"
    ? []
    : [...(r.text || !calls.length ? [messageItem(ids, r.text, "completed")] : []), ...calls];
  return {
    id: ids.id,
    object: "response",
    created_at: ids.created,
    status,
    model: ids.model,
    output,
    usage: {
      input_tokens: r?.usage.input ?? 0,
      output_tokens: r?.usage.output ?? 0,
      total_tokens: (r?.usage.input ?? 0) + (r?.usage.output ?? 0),
    },
    ...(status === "failed" ? { error: { code: "server_error", message: "internal error" } } : {}),
  };
}

/** `POST /v1/responses`. */
export async function responses(req: Request, ctx: ApiContext): Promise<Response> {
  const agent = needAgent(ctx);
  const raw = await readJsonObject(req, ctx.settings.responses.maxBodyBytes);
  const body = parseResponsesBody(raw);
  const turn = await responsesTurn(
    body,
    ctx.settings,
    (url, max) => fetchImage(url, max, ctx.imageFetch),
  );
  const tools = responsesTools(body);
  const sel = selectRun(req, body, agent, "openresponses");
  const ids: Ids = {
    id: `resp_${crypto.randomUUID()}`,
    msgId: `msg_${crypto.randomUUID()}`,
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? "openclaw",
  };
  const runReq = runRequestOf(ids.id, { turn, sel, tools }, "openresponses-http");

  if (!body.stream) {
    const { result } = await startStreamedRun(agent, runReq);
    const r = await result;
    if (r.status !== "ok") {
      ctx.log.warn("responses run failed", { runId: ids.id, status: r.status, error: r.error });
      throw new HttpError(500, "api_error", "internal error");
    }
    return json(200, resource(ids, "completed", r), ctx.settings.headers);
  }

  const sse = sseStream(() => agent.abort(sel.sessionKey, ids.id), ctx.settings.headers);
  let seq = 0;
  const emit = (type: string, fields: Record<string, unknown>) =>
    sse.send({ type, sequence_number: seq++, ...fields }, type);
  const at = { item_id: ids.msgId, output_index: 0, content_index: 0 };
  emit("response.created", { response: resource(ids, "in_progress") });
  emit("response.in_progress", { response: resource(ids, "in_progress") });
  let opened = false;
  const open = () => {
    if (opened) return;
    opened = true;
    emit("response.output_item.added", {
      output_index: 0,
      item: messageItem(ids, "", "in_progress"),
    });
    emit("response.content_part.added", {
      ...at,
      part: { type: "output_text", text: "", annotations: [] },
    });
  };
  const { result } = await startStreamedRun(agent, runReq, (delta) => {
    open();
    emit("response.output_text.delta", { ...at, delta });
  });
  void result.then((r) => {
    if (r.status !== "ok") {
      ctx.log.warn("responses run failed", { runId: ids.id, status: r.status, error: r.error });
      emit("response.failed", { response: resource(ids, "failed", r) });
      return sse.done();
    }
    if (r.text || !r.clientToolCalls?.length) {
      open();
      const part = { type: "output_text", text: r.text, annotations: [] };
      emit("response.output_text.done", { ...at, text: r.text });
      emit("response.content_part.done", { ...at, part });
      emit("response.output_item.done", {
        output_index: 0,
        item: messageItem(ids, r.text, "completed"),
      });
    }
    emit("response.completed", { response: resource(ids, "completed", r) });
    sse.done();
  });
  return sse.response;
}
