import assert from "node:assert/strict";
import { startScriptedProvider } from "../../_fakes/scripted_provider.ts";

async function post(url: string, body: unknown, signal?: AbortSignal) {
  return await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-x" },
    body: JSON.stringify(body),
    signal: signal ?? AbortSignal.timeout(5000),
  });
}

Deno.test("scriptedProvider() streams the default OpenAI reply with a usage chunk and records the request", async () => {
  const p = await startScriptedProvider();
  try {
    const res = await post(`${p.baseUrl("openai")}/chat/completions`, {
      model: "stub-model",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const text = await res.text();
    const data = text.split("\n\n").filter(Boolean).map((l) => l.replace(/^data: /, ""));
    assert.equal(data.at(-1), "[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    const content = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    assert.equal(content, "Hello from stub.");
    assert.deepEqual(chunks.at(-1).usage, {
      prompt_tokens: 1234,
      completion_tokens: 7,
      total_tokens: 1241,
    });
    assert.equal(p.requests[0].headers.authorization, "Bearer sk-x");
    assert.equal(p.requests[0].body.model, "stub-model");
  } finally {
    await p.close();
  }
});

Deno.test("scriptedProvider() answers TOOLTEST with a tool call and then with the tool result text", async () => {
  const p = await startScriptedProvider();
  try {
    const user = { role: "user", content: 'TOOLTEST:read:{"path":"SOUL.md"}' };
    const first =
      await (await post(`${p.url}/api/chat`, { model: "m", stream: false, messages: [user] }))
        .json();
    assert.deepEqual(first.message.tool_calls, [{
      function: { name: "read", arguments: { path: "SOUL.md" } },
    }]);
    const second = await (await post(`${p.url}/api/chat`, {
      model: "m",
      stream: false,
      messages: [user, { role: "assistant", content: "", tool_calls: first.message.tool_calls }, {
        role: "tool",
        content: "soul text",
      }],
    })).json();
    assert.equal(second.message.content, "Tool done: soul text");
  } finally {
    await p.close();
  }
});

Deno.test("scriptedProvider() plays the script in order, then falls back to automatic replies", async () => {
  const p = await startScriptedProvider();
  try {
    p.script([{ status: 429, headers: { "retry-after": "3" } }, { text: "scripted" }]);
    const body = { model: "c", max_tokens: 10, messages: [{ role: "user", content: "hi" }] };
    const r1 = await post(`${p.url}/v1/messages`, body);
    assert.equal(r1.status, 429);
    assert.equal(r1.headers.get("retry-after"), "3");
    assert.equal((await r1.json()).error.type, "rate_limit_error");
    const r2 = await (await post(`${p.url}/v1/messages`, body)).json();
    assert.deepEqual(r2.content, [{ type: "text", text: "scripted" }]);
    const r3 = await (await post(`${p.url}/v1/messages`, body)).json();
    assert.deepEqual(r3.content, [{ type: "text", text: "Hello from stub." }]);
    assert.equal(p.pending(), 0);
  } finally {
    await p.close();
  }
});

Deno.test("scriptedProvider() stalls after the headers until the client leaves, and close() ends it", async () => {
  const p = await startScriptedProvider();
  try {
    const ctl = new AbortController();
    const res = await post(`${p.baseUrl("openai")}/chat/completions`, {
      model: "m",
      stream: true,
      messages: [{ role: "user", content: "STALL" }],
    }, ctl.signal);
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const race = await Promise.race([
      reader.read().then(() => "data"),
      new Promise((r) => setTimeout(() => r("silence"), 150)),
    ]);
    assert.equal(race, "silence");
    ctl.abort();
    await reader.read().catch(() => {});
    await p.waitFor(() => p.requests[0].clientGone, 2000);
  } finally {
    await p.close();
  }
});
