import assert from "node:assert/strict";
import OpenAI from "openai";
import { authJson, base, fetchT, readSse, startHttpGateway, TEST_TOKEN } from "./_http_gateway.ts";

function client(url: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey: TEST_TOKEN, timeout: 15_000, maxRetries: 0 });
}

Deno.test("responses answers the openai client with a completed response resource", async () => {
  await using fx = await startHttpGateway();
  const res = await client(base(fx)).responses.create({
    model: "openclaw",
    instructions: "Answer briefly.",
    input: [
      { role: "user", content: "first" },
      { role: "assistant", content: "first answer" },
      { role: "user", content: [{ type: "input_text", text: "hello" }] },
    ],
  });
  assert.match(res.id, /^resp_[0-9a-f-]{36}$/);
  assert.equal(res.object, "response");
  assert.equal(res.status, "completed");
  assert.equal(res.output_text, "Hello from stub.");
  const item = res.output[0];
  assert.equal(item.type, "message");
  assert.match((item as { id: string }).id, /^msg_/);
  assert.equal(typeof res.usage?.total_tokens, "number");
  const [req] = fx.provider.chatRequests();
  assert.match(JSON.stringify(req.body.messages[0]), /Answer briefly\./);
  assert.match(JSON.stringify(req.body.messages), /first answer/);
});

Deno.test("responses streams the typed events to the openai client, then completed", async () => {
  await using fx = await startHttpGateway();
  const stream = await client(base(fx)).responses.create({
    model: "openclaw",
    input: "hello",
    stream: true,
  });
  const types: string[] = [];
  let text = "";
  let final: { status?: string; output_text?: string } | undefined;
  for await (const ev of stream) {
    types.push(ev.type);
    if (ev.type === "response.output_text.delta") text += ev.delta;
    if (ev.type === "response.completed") final = ev.response;
  }
  assert.equal(text, "Hello from stub.");
  assert.equal(final?.status, "completed");
  const order = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
  ];
  const firsts = order.map((t) => types.indexOf(t));
  assert.ok(firsts.every((i) => i >= 0), types.join(","));
  assert.deepEqual(firsts, [...firsts].sort((a, b) => a - b), types.join(","));
});

Deno.test("responses SSE frames carry event: lines and end with [DONE]", async () => {
  await using fx = await startHttpGateway();
  const res = await fetchT(`${base(fx)}/v1/responses`, {
    method: "POST",
    headers: authJson(),
    body: JSON.stringify({ input: "hello", stream: true }),
  });
  const frames = await readSse(res);
  assert.equal(frames.at(-1)?.data, "[DONE]");
  for (const f of frames.slice(0, -1)) assert.equal(JSON.parse(f.data).type, f.event);
});

Deno.test("responses puts input_file text in the system prompt, not in history", async () => {
  await using fx = await startHttpGateway();
  const data = btoa("the secret number is 42");
  const res = await fetchT(`${base(fx)}/v1/responses`, {
    method: "POST",
    headers: authJson(),
    body: JSON.stringify({
      input: [{
        role: "user",
        content: [
          { type: "input_text", text: "hello" },
          {
            type: "input_file",
            source: { type: "base64", media_type: "text/plain", data, filename: "n.txt" },
          },
        ],
      }],
    }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
  const [req] = fx.provider.chatRequests();
  const system = JSON.stringify(req.body.messages[0]);
  assert.match(system, /<file name=\\"n\.txt\\">/);
  assert.match(system, /the secret number is 42/);
});

Deno.test("responses validates the body: 400 naming the path and issue", async () => {
  await using fx = await startHttpGateway();
  const post = (body: unknown) =>
    fetchT(`${base(fx)}/v1/responses`, {
      method: "POST",
      headers: authJson(),
      body: JSON.stringify(body),
    });
  const cases: Array<[unknown, RegExp]> = [
    [{}, /^input: /],
    [{ input: [{ role: "wizard", content: "x" }] }, /^input\.0/],
    [{ input: [{ role: "assistant", content: "only me" }] }, /^Missing user message in `input`\.$/],
    [{ input: "x", tool_choice: "required" }, /tool_choice/],
    [
      {
        input: "x",
        tools: [{ type: "function", name: "a" }],
        tool_choice: { type: "function", name: "b" },
      },
      /no tool named "b"/,
    ],
    [{ input: "x", stream: "yes" }, /^stream: /],
  ];
  for (const [body, re] of cases) {
    const res = await post(body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const err = (await res.json()).error;
    assert.equal(err.type, "invalid_request_error");
    assert.match(err.message, re, JSON.stringify(body));
  }
  assert.equal(fx.provider.chatRequests().length, 0, "no run for a bad request");
});
