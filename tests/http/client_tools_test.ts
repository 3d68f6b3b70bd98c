import assert from "node:assert/strict";
import OpenAI from "openai";
import { base, startHttpGateway, TEST_TOKEN } from "./_http_gateway.ts";

function client(url: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey: TEST_TOKEN, timeout: 15_000, maxRetries: 0 });
}

const WEATHER_PARAMS = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
};
// The scripted provider answers this text with a call of get_weather.
const ASK = 'TOOLTEST:get_weather:{"city":"Paris"}';

/** Tool names the provider was offered in chat request `i`. */
function offered(body: { tools?: Array<{ function: { name: string } }> }): string[] {
  return (body.tools ?? []).map((t) => t.function.name);
}

Deno.test("chat completions: the model's call of a client tool ends the run as finish_reason tool_calls", async () => {
  await using fx = await startHttpGateway();
  const res = await client(base(fx)).chat.completions.create({
    model: "openclaw",
    messages: [{ role: "user", content: ASK }],
    tools: [{
      type: "function",
      function: {
        name: "get_weather",
        description: "Weather of a city",
        parameters: WEATHER_PARAMS,
      },
    }],
  });
  const choice = res.choices[0];
  assert.equal(choice.finish_reason, "tool_calls");
  assert.equal(choice.message.content, null);
  const call = choice.message.tool_calls?.[0];
  assert.ok(call && call.type === "function", JSON.stringify(choice.message));
  assert.equal(call.function.name, "get_weather");
  assert.deepEqual(JSON.parse(call.function.arguments), { city: "Paris" });
  assert.match(call.id, /^call_stub_/);
  // Offered next to the gateway's own tools; not executed: no second model call.
  const reqs = fx.provider.chatRequests();
  assert.equal(reqs.length, 1);
  const names = offered(reqs[0].body);
  assert.ok(names.includes("get_weather"), names.join(","));
  assert.ok(names.includes("read"), `gateway tools missing: ${names.join(",")}`);
});

Deno.test("chat completions stream: a client tool call arrives as tool_calls deltas", async () => {
  await using fx = await startHttpGateway();
  const stream = await client(base(fx)).chat.completions.create({
    model: "openclaw",
    stream: true,
    messages: [{ role: "user", content: ASK }],
    tools: [{ type: "function", function: { name: "get_weather", parameters: WEATHER_PARAMS } }],
  });
  let name = "";
  let args = "";
  let finish: string | null = null;
  for await (const chunk of stream) {
    const c = chunk.choices[0];
    for (const t of c?.delta?.tool_calls ?? []) {
      name += t.function?.name ?? "";
      args += t.function?.arguments ?? "";
    }
    finish = c?.finish_reason ?? finish;
  }
  assert.equal(finish, "tool_calls");
  assert.equal(name, "get_weather");
  assert.deepEqual(JSON.parse(args), { city: "Paris" });
  assert.equal(fx.provider.chatRequests().length, 1);
});

Deno.test("responses: a client tool call is a function_call item; function_call_output continues", async () => {
  await using fx = await startHttpGateway();
  const api = client(base(fx));
  const tools = [{
    type: "function" as const,
    name: "get_weather",
    description: "Weather of a city",
    parameters: WEATHER_PARAMS,
    strict: false,
  }];
  const first = await api.responses.create({ model: "openclaw", input: ASK, tools });
  assert.equal(first.status, "completed");
  const call = first.output.find((o) => o.type === "function_call");
  assert.ok(call && call.type === "function_call", JSON.stringify(first.output));
  assert.equal(call.name, "get_weather");
  assert.deepEqual(JSON.parse(call.arguments), { city: "Paris" });
  assert.equal(fx.provider.chatRequests().length, 1);
  assert.ok(offered(fx.provider.chatRequests()[0].body).includes("get_weather"));

  const second = await api.responses.create({
    model: "openclaw",
    tools,
    input: [
      { role: "user", content: ASK },
      { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
      { type: "function_call_output", call_id: call.call_id, output: "sunny, 21 C" },
    ],
  });
  assert.equal(second.status, "completed");
  assert.ok(second.output_text.length > 0, JSON.stringify(second.output));
  assert.equal(second.output.filter((o) => o.type === "function_call").length, 0);
  const reqs = fx.provider.chatRequests();
  assert.equal(reqs.length, 2);
  // The tool's output (and the call it answers) reached the model.
  const sent = JSON.stringify(reqs[1].body.messages);
  assert.match(sent, /sunny, 21 C/);
  assert.ok(sent.includes(call.call_id), sent);
});
