import assert from "node:assert/strict";
import OpenAI from "openai";
import { authJson, base, fetchT, readSse, startHttpGateway, TEST_TOKEN } from "./_http_gateway.ts";
import { recordingClient } from "../agent/e2e/_agent_gateway.ts";

function client(url: string, apiKey = TEST_TOKEN): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey, timeout: 15_000, maxRetries: 0 });
}

Deno.test("chat completions answers the openai client with the agent's reply", async () => {
  await using fx = await startHttpGateway();
  const res = await client(base(fx)).chat.completions.create({
    model: "openclaw",
    messages: [
      { role: "system", content: "Be terse." },
      { role: "user", content: "earlier question" },
      { role: "assistant", content: "earlier answer" },
      { role: "user", content: "hello" },
    ],
  });
  assert.match(res.id, /^chatcmpl_[0-9a-f-]{36}$/);
  assert.equal(res.object, "chat.completion");
  assert.equal(res.model, "openclaw");
  assert.equal(res.choices[0].message.role, "assistant");
  assert.equal(res.choices[0].message.content, "Hello from stub.");
  assert.equal(res.choices[0].finish_reason, "stop");
  assert.equal(typeof res.usage?.total_tokens, "number");
  // The provider saw the system text, the history and the current message, in order.
  const [req] = fx.provider.chatRequests();
  const msgs = req.body.messages as Array<{ role: string; content: unknown }>;
  assert.equal(msgs[0].role, "system");
  assert.match(String(msgs[0].content), /Be terse\./);
  const convo = JSON.stringify(msgs.slice(1));
  assert.ok(convo.indexOf("earlier question") < convo.indexOf("earlier answer"));
  assert.ok(convo.indexOf("earlier answer") < convo.indexOf("hello"));
});

Deno.test("chat completions streams chunks to the openai client, one id, then stop", async () => {
  await using fx = await startHttpGateway();
  const stream = await client(base(fx)).chat.completions.create({
    model: "openclaw",
    messages: [{ role: "user", content: "hello" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  const ids = new Set(chunks.map((c) => c.id));
  assert.equal(ids.size, 1);
  assert.match([...ids][0], /^chatcmpl_/);
  assert.equal(chunks[0].choices[0].delta.role, "assistant");
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
  assert.equal(text, "Hello from stub.");
  const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
  assert.equal(finish.length, 1);
  assert.equal(finish[0].choices[0].finish_reason, "stop");
  assert.equal(typeof chunks.at(-1)?.usage?.total_tokens, "number", "trailing usage chunk");
});

Deno.test("chat completions SSE: headers, data frames and the [DONE] terminator", async () => {
  await using fx = await startHttpGateway();
  const res = await fetchT(`${base(fx)}/v1/chat/completions`, {
    method: "POST",
    headers: authJson(),
    body: JSON.stringify({ messages: [{ role: "user", content: "hello" }], stream: true }),
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  const frames = await readSse(res);
  assert.equal(frames.at(-1)?.data, "[DONE]");
  for (const f of frames.slice(0, -1)) {
    assert.equal(JSON.parse(f.data).object, "chat.completion.chunk");
  }
});

Deno.test("chat completions picks the agent and session from headers and the user field", async () => {
  await using fx = await startHttpGateway({
    extra: { agents: { list: [{ id: "main", default: true }, { id: "ops" }] } },
  });
  const send = async (headers: Record<string, string>, body: Record<string, unknown>) => {
    const res = await fetchT(`${base(fx)}/v1/chat/completions`, {
      method: "POST",
      headers: { ...authJson(), ...headers },
      body: JSON.stringify({ messages: [{ role: "user", content: "hello" }], ...body }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return await res.json();
  };
  const sessions = async () => {
    const ws = await fx.gw.connect({ scopes: ["operator.read"] });
    try {
      const r = await ws.request<{ sessions: Array<{ key: string }> }>("sessions.list", {});
      return r.sessions.map((s) => s.key);
    } finally {
      await ws.close();
    }
  };
  await send({}, { model: "openclaw/ops", user: "alice" });
  await send({}, { model: "openclaw/ops", user: "alice" });
  await send({ "x-openclaw-agent-id": "ops" }, {});
  await send({ "x-openclaw-session-key": "agent:main:my-thread" }, {});
  const keys = await sessions();
  assert.ok(keys.includes("agent:ops:openai-user:alice"), keys.join(","));
  assert.equal(keys.filter((k) => k === "agent:ops:openai-user:alice").length, 1);
  assert.ok(keys.some((k) => /^agent:ops:openai:[0-9a-f-]{36}$/.test(k)), keys.join(","));
  assert.ok(keys.includes("agent:main:my-thread"), keys.join(","));
  // The user field keeps one conversation: the second call carried the first's turn.
  const userReqs = fx.provider.chatRequests().slice(0, 2);
  assert.match(JSON.stringify(userReqs[1].body.messages), /Hello from stub\./);
});

Deno.test("GET /v1/models lists the agents; /v1/models/{id} finds one or answers 404", async () => {
  await using fx = await startHttpGateway();
  const models = await client(base(fx)).models.list();
  const ids = models.data.map((m) => m.id);
  assert.deepEqual(ids, ["openclaw", "openclaw/main"]);
  const one = await client(base(fx)).models.retrieve("openclaw/main");
  assert.equal(one.id, "openclaw/main");
  const missing = await fetchT(`${base(fx)}/v1/models/openclaw%2Fnope`, { headers: authJson() });
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.type, "invalid_request_error");
});

// A 1x1 PNG.
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

Deno.test("chat completions passes data: images of the latest user turn to the model", async () => {
  await using fx = await startHttpGateway();
  const res = await fetchT(`${base(fx)}/v1/chat/completions`, {
    method: "POST",
    headers: authJson(),
    body: JSON.stringify({
      messages: [{
        role: "user",
        content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } }],
      }],
    }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
  const sent = JSON.stringify(fx.provider.chatRequests()[0].body.messages);
  assert.ok(sent.includes(PNG), "the image reached the provider");
  assert.match(sent, /User sent image\(s\) with no text\./);
});

Deno.test("chat completions: a client that leaves a stream aborts the run", async () => {
  await using fx = await startHttpGateway({ slowChunkMs: 100, slowChunks: 50 });
  await using rec = await recordingClient(fx.gw);
  const res = await fetchT(`${base(fx)}/v1/chat/completions`, {
    method: "POST",
    headers: authJson(),
    body: JSON.stringify({ messages: [{ role: "user", content: "SLOW" }], stream: true }),
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  while (!/"content":"tick/.test(buf)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("stream ended early");
    buf += value;
  }
  const runId = /"id":"(chatcmpl_[^"]+)"/.exec(buf)![1];
  await reader.cancel();
  const end = await rec.chatEnd(runId, 10_000);
  assert.equal(end.state, "aborted");
});

Deno.test("chat completions: gateway.http.securityHeaders adds Strict-Transport-Security", async () => {
  await using fx = await startHttpGateway({
    extra: {
      gateway: {
        http: {
          endpoints: { chatCompletions: { enabled: true } },
          securityHeaders: { strictTransportSecurity: "max-age=63072000" },
        },
      },
    },
  });
  for (const path of ["/v1/models", "/v1/chat/completions"]) {
    const res = await fetchT(`${base(fx)}${path}`, { headers: authJson() });
    assert.equal(res.headers.get("strict-transport-security"), "max-age=63072000", path);
    await res.body?.cancel();
  }
});
