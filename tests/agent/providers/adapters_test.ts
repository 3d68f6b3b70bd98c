import assert from "node:assert/strict";
import { createModelCatalog } from "../../../src/agent/providers/mod.ts";
import type { AgentMessage, ModelApi } from "../../../src/agent/types.ts";
import { startScriptedProvider } from "../../_fakes/scripted_provider.ts";
import { configWith, drain, providerEntry, request } from "./_setup.ts";

const APIS: ModelApi[] = ["openai-completions", "anthropic-messages", "ollama"];
const READ_TOOL = {
  name: "read",
  description: "Read a file",
  parameters: {
    type: "object",
    properties: { path: { type: "string" }, limit: { type: "number" } },
    required: ["path"],
  },
};
const EXPECTED_USAGE: Record<ModelApi, [number, number]> = {
  "openai-completions": [1234, 7],
  "anthropic-messages": [321, 5],
  "ollama": [222, 6],
};

for (const api of APIS) {
  Deno.test(`stream() ${api} streams text in chunks and maps usage and finish`, async () => {
    const p = await startScriptedProvider();
    try {
      const catalog = createModelCatalog(configWith({ stub: providerEntry(p, api) }), {});
      const { events, error } = await drain(
        catalog.stream(catalog.defaultRefs(), request("hello")),
      );
      assert.equal(error, undefined);
      const deltas = events.filter((e) => e.type === "text-delta").map((e) => e.delta);
      assert.deepEqual(deltas, ["Hello", " from", " stub."]);
      const finish = events.at(-1)!;
      assert.equal(finish.type, "finish");
      if (finish.type !== "finish") return;
      assert.equal(finish.stopReason, "stop");
      const [input, output] = EXPECTED_USAGE[api];
      assert.deepEqual(finish.usage, {
        input,
        output,
        cacheRead: 0,
        cacheWrite: 0,
        totalTokens: input + output,
        cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
      });
      if (api !== "ollama") assert.match(finish.responseId ?? "", /stub/);
      assert.ok(events.every((e) => e.ref === "stub/stub-model"));
      assert.equal(events.filter((e) => e.type === "finish").length, 1);
    } finally {
      await p.close();
    }
  });

  Deno.test(`stream() ${api} round-trips a tool call and sends the result back in the API's shape`, async () => {
    const p = await startScriptedProvider();
    try {
      const catalog = createModelCatalog(configWith({ stub: providerEntry(p, api) }), {});
      const user: AgentMessage = {
        role: "user",
        content: 'TOOLTEST:read:{"path":"SOUL.md","limit":5}',
        timestamp: 1,
      };
      const first = await drain(
        catalog.stream(catalog.defaultRefs(), {
          ...request(""),
          messages: [user],
          tools: [READ_TOOL],
        }),
      );
      assert.equal(first.error, undefined);
      const call = first.events.find((e) => e.type === "tool-call");
      assert.ok(call && call.type === "tool-call");
      assert.equal(call.name, "read");
      assert.deepEqual(call.arguments, { path: "SOUL.md", limit: 5 });
      const fin = first.events.at(-1);
      assert.ok(fin?.type === "finish" && fin.stopReason === "toolUse");

      const history: AgentMessage[] = [
        user,
        {
          role: "assistant",
          content: [{
            type: "toolCall",
            id: "call_stub_1",
            name: "read",
            arguments: call.arguments,
          }],
          stopReason: "toolUse",
          timestamp: 2,
        },
        {
          role: "toolResult",
          toolCallId: "call_stub_1",
          toolName: "read",
          content: [{ type: "text", text: "soul text" }],
          isError: false,
          timestamp: 3,
        },
      ];
      const second = await drain(
        catalog.stream(catalog.defaultRefs(), {
          ...request(""),
          messages: history,
          tools: [READ_TOOL],
        }),
      );
      assert.equal(second.error, undefined);
      const text = second.events.filter((e) => e.type === "text-delta").map((e) => e.delta).join(
        "",
      );
      assert.equal(text, "Tool done: soul text");

      const body = p.chatRequests()[1].body;
      if (api === "openai-completions") {
        const msgs = body.messages;
        assert.deepEqual(msgs.at(-2), {
          role: "assistant",
          content: null,
          tool_calls: [{
            id: "callstub1",
            type: "function",
            function: { name: "read", arguments: '{"path":"SOUL.md","limit":5}' },
          }],
        });
        assert.deepEqual(msgs.at(-1), {
          role: "tool",
          tool_call_id: "callstub1",
          content: "soul text",
        });
      } else if (api === "anthropic-messages") {
        assert.deepEqual(body.messages.at(-2), {
          role: "assistant",
          content: [{
            type: "tool_use",
            id: "callstub1",
            name: "read",
            input: { path: "SOUL.md", limit: 5 },
          }],
        });
        assert.deepEqual(body.messages.at(-1), {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "callstub1", content: "soul text" }],
        });
      } else {
        assert.equal(body.messages.at(-2).role, "assistant");
        assert.deepEqual(body.messages.at(-2).tool_calls[0].function, {
          name: "read",
          arguments: { path: "SOUL.md", limit: 5 },
        });
        assert.deepEqual(
          { role: body.messages.at(-1).role, content: body.messages.at(-1).content },
          { role: "tool", content: "soul text" },
        );
      }
    } finally {
      await p.close();
    }
  });
}

Deno.test("stream() openai-completions sends the captured request shape (system role, usage, max_completion_tokens, bearer key)", async () => {
  const p = await startScriptedProvider();
  try {
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "openai-completions") }),
      {},
    );
    await drain(catalog.stream(catalog.defaultRefs(), { ...request("hi"), tools: [READ_TOOL] }));
    const req = p.chatRequests()[0];
    assert.equal(req.path, "/v1/chat/completions");
    assert.equal(req.headers.authorization, "Bearer sk-test-key-1234567890");
    const b = req.body;
    assert.equal(b.model, "stub-model");
    assert.equal(b.stream, true);
    assert.deepEqual(b.stream_options, { include_usage: true });
    assert.equal(b.tool_choice, "auto");
    assert.equal(b.max_completion_tokens, 4096);
    assert.equal(b.max_tokens, undefined);
    assert.equal(b.truncate, undefined);
    assert.deepEqual(b.messages[0], { role: "system", content: "You are a test." });
    assert.deepEqual(b.tools, [{ type: "function", function: READ_TOOL }]);
  } finally {
    await p.close();
  }
});

Deno.test("stream() anthropic-messages sends the captured shape: x-api-key, version, cached system block and user turn, input_schema tools", async () => {
  const p = await startScriptedProvider();
  try {
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "anthropic-messages") }),
      {},
    );
    await drain(catalog.stream(catalog.defaultRefs(), { ...request("hi"), tools: [READ_TOOL] }));
    const req = p.chatRequests()[0];
    assert.equal(req.path, "/v1/messages");
    assert.equal(req.headers["x-api-key"], "sk-test-key-1234567890");
    assert.equal(req.headers["anthropic-version"], "2023-06-01");
    assert.equal(req.headers["anthropic-dangerous-direct-browser-access"], "true");
    assert.equal(
      req.headers["anthropic-beta"],
      undefined,
      "beta headers are dropped off the canonical host",
    );
    assert.equal(req.headers.authorization, undefined);
    const b = req.body;
    assert.equal(b.max_tokens, 4096);
    assert.equal(b.stream, true);
    const ephemeral = { type: "ephemeral" };
    assert.deepEqual(b.system, [{
      type: "text",
      text: "You are a test.",
      cache_control: ephemeral,
    }]);
    assert.deepEqual(b.messages, [{
      role: "user",
      content: [{ type: "text", text: "hi", cache_control: ephemeral }],
    }]);
    assert.deepEqual(b.tools, [{
      name: "read",
      description: "Read a file",
      input_schema: READ_TOOL.parameters,
    }]);
  } finally {
    await p.close();
  }
});

Deno.test("stream() ollama posts to native /api/chat with system as a message, think:false and no silent truncation", async () => {
  const p = await startScriptedProvider();
  try {
    const catalog = createModelCatalog(configWith({ stub: providerEntry(p, "ollama") }), {});
    await drain(catalog.stream(catalog.defaultRefs(), { ...request("hi"), tools: [READ_TOOL] }));
    const req = p.chatRequests()[0];
    assert.equal(req.path, "/api/chat");
    assert.equal(req.headers.authorization, "Bearer sk-test-key-1234567890");
    const b = req.body;
    assert.equal(b.stream, true);
    assert.equal(b.think, false);
    assert.deepEqual([b.options, b.truncate, b.shift], [{}, false, false]);
    assert.deepEqual(b.messages[0], { role: "system", content: "You are a test." });
    assert.deepEqual(b.tools, [{ type: "function", function: READ_TOOL }]);
  } finally {
    await p.close();
  }
});

Deno.test("complete() returns the text of one call without tools", async () => {
  const p = await startScriptedProvider();
  try {
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "openai-completions") }),
      {},
    );
    p.script([{ text: ["## Decisions", "\nnone"] }]);
    const { tools: _t, ...req } = request("summarize");
    const text = await catalog.complete({ provider: "stub", model: "stub-model" }, req);
    assert.equal(text, "## Decisions\nnone");
    assert.equal(p.chatRequests()[0].body.tools, undefined);
  } finally {
    await p.close();
  }
});

for (const api of APIS) {
  Deno.test(`stream() ${api} maps reasoning to thinking-delta before the text`, async () => {
    const p = await startScriptedProvider();
    try {
      const catalog = createModelCatalog(configWith({ stub: providerEntry(p, api) }), {});
      p.script([{ reasoning: ["Let me", " think."], text: ["Done."] }]);
      const { events, error } = await drain(catalog.stream(catalog.defaultRefs(), request("hi")));
      assert.equal(error, undefined);
      const kinds = events.filter((e) => e.type !== "finish").map((e) =>
        e.type === "thinking-delta"
          ? `t:${e.delta}`
          : e.type === "text-delta"
          ? `x:${e.delta}`
          : e.type
      );
      assert.deepEqual(kinds, ["t:Let me", "t: think.", "x:Done."]);
    } finally {
      await p.close();
    }
  });
}

Deno.test("stream() openai-completions sends a user image as a data URL part", async () => {
  const p = await startScriptedProvider();
  try {
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "openai-completions") }),
      {},
    );
    const png = "iVBORw0KGgo=";
    const messages: AgentMessage[] = [{
      role: "user",
      content: [{ type: "text", text: "what is this" }, {
        type: "image",
        data: png,
        mimeType: "image/png",
      }],
      timestamp: 1,
    }];
    const { error } = await drain(
      catalog.stream(catalog.defaultRefs(), { ...request(""), messages }),
    );
    assert.equal(error, undefined);
    const user = p.chatRequests()[0].body.messages[1];
    assert.deepEqual(user.content[0], { type: "text", text: "what is this" });
    assert.equal(user.content[1].type, "image_url");
    assert.equal(user.content[1].image_url.url, `data:image/png;base64,${png}`);
  } finally {
    await p.close();
  }
});

for (const api of APIS) {
  Deno.test(`stream() ${api} yields parallel tool calls in order, and maps a length stop`, async () => {
    const p = await startScriptedProvider();
    try {
      const catalog = createModelCatalog(configWith({ stub: providerEntry(p, api) }), {});
      p.script([
        {
          toolCalls: [
            { id: "call_a", name: "read", arguments: { path: "a" } },
            { id: "call_b", name: "read", arguments: { path: "b" } },
          ],
        },
        { text: ["cut"], finish: "length" },
      ]);
      const tools = [READ_TOOL];
      const first = await drain(catalog.stream(catalog.defaultRefs(), { ...request("go"), tools }));
      assert.equal(first.error, undefined);
      const calls = first.events.filter((e) => e.type === "tool-call");
      assert.deepEqual(calls.map((c) => c.type === "tool-call" && c.arguments), [{ path: "a" }, {
        path: "b",
      }]);
      if (api !== "ollama") {
        assert.deepEqual(calls.map((c) => c.type === "tool-call" && c.id), ["call_a", "call_b"]);
      }
      const second = await drain(catalog.stream(catalog.defaultRefs(), request("go")));
      const fin = second.events.at(-1);
      assert.ok(fin?.type === "finish");
      assert.equal(fin.stopReason, "length");
    } finally {
      await p.close();
    }
  });
}
