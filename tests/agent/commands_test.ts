import assert from "node:assert/strict";
import {
  type CommandDeps,
  createCommands,
  parseCommand,
  runCommand,
} from "../../src/agent/commands.ts";
import { createSessionStore } from "../../src/agent/sessions/mod.ts";
import { ProviderError, type ResolvedModel, type ThinkingLevel } from "../../src/agent/types.ts";

const KEY = "agent:main:main";

function model(provider: string, id: string, levels: ThinkingLevel[]): ResolvedModel {
  return {
    ref: { provider, model: id },
    name: id,
    api: "openai-completions",
    baseUrl: "http://127.0.0.1:1/v1",
    apiKey: "sk-secret-never-shown",
    credential: { kind: "config", name: `models.providers.${provider}.apiKey` },
    contextWindow: 128000,
    reasoning: levels.length > 1,
    thinkingLevels: levels,
    idleTimeoutMs: 1000,
    cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  };
}

const MODELS: Record<string, ResolvedModel> = {
  "stub/stub-model": model("stub", "stub-model", ["off"]),
  "deep/thinker": model("deep", "thinker", ["off", "low", "medium", "high"]),
};

async function setup(aborted: string[] = []) {
  const dir = await Deno.makeTempDir({ prefix: "oc-cmd-" });
  const sessions = createSessionStore({ stateDir: dir });
  const deps: CommandDeps = {
    sessions,
    catalog: {
      defaultRefs: () => [{ provider: "stub", model: "stub-model" }],
      resolve(ref) {
        const key = typeof ref === "string" ? ref : `${ref.provider}/${ref.model}`;
        const m = MODELS[key];
        if (!m) {
          throw new ProviderError(`Unknown model ${key} (add it under models.providers)`, {
            provider: key.split("/")[0],
            model: key.split("/")[1] ?? "",
            reason: "bad_request",
          });
        }
        return m;
      },
      list: () =>
        Object.values(MODELS).map((m) => ({
          id: m.ref.model,
          name: m.name,
          provider: m.ref.provider,
          contextWindow: m.contextWindow,
          reasoning: m.reasoning,
          input: ["text"],
          credential: m.credential,
        })),
    },
    abort: (key) => key === KEY ? aborted : [],
    version: "0.1.0",
    startedAt: Date.parse("2026-11-30T01:00:00Z"),
    now: () => Date.parse("2026-11-30T01:51:00Z"),
    timeZone: "UTC",
  };
  const { entry } = await sessions.ensure(KEY);
  const target = async () => ({
    agentId: "main",
    sessionKey: KEY,
    runId: "cmd-run",
    entry: (await sessions.get(KEY))!,
  });
  return {
    deps,
    sessions,
    target,
    entry,
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

Deno.test("parseCommand() takes only whole commands and leaves the rest to the model", () => {
  assert.deepEqual(parseCommand("/new"), { name: "new" });
  assert.deepEqual(parseCommand("  /Think high "), { name: "think", arg: "high" });
  assert.deepEqual(parseCommand("/think:high"), { name: "think", arg: "high" });
  assert.deepEqual(parseCommand("/t low"), { name: "think", arg: "low" });
  assert.deepEqual(parseCommand("/model a/b"), { name: "model", arg: "a/b" });
  for (
    const text of ["/status now", "/think high please", "/unknown", "hello /new", "/", "/new a b"]
  ) {
    assert.equal(parseCommand(text), undefined, text);
  }
});

Deno.test("/new and /reset append a reset row, keep the sessionId and reply as the capture", async () => {
  const s = await setup();
  try {
    await s.sessions.append(KEY, {
      type: "message",
      message: { role: "user", content: "x", timestamp: 1 },
    });
    const a = await runCommand("/new", await s.target(), s.deps);
    assert.deepEqual(a, { handled: true, command: "new", reply: "✅ New session started." });
    const b = await runCommand("/reset", await s.target(), s.deps);
    assert.equal(b.handled && b.reply, "✅ Session reset.");
    const resets = (await s.sessions.rows(KEY)).filter((r) => r.type === "reset");
    assert.deepEqual(resets.map((r) => (r as { reason: string }).reason), ["new", "reset"]);
    assert.equal((await s.sessions.get(KEY))?.sessionId, s.entry.sessionId);
    assert.deepEqual(await s.sessions.modelContext(KEY), []);

    const c = await runCommand("/new deep/thinker", await s.target(), s.deps);
    assert.equal(c.handled && c.reply, "✅ New session started.\nModel set to deep/thinker.");
    assert.equal((await s.sessions.get(KEY))?.modelOverride, "thinker");
    const bad = await runCommand("/new nope/x", await s.target(), s.deps);
    assert.match(bad.handled ? bad.reply : "", /^Cannot switch to nope\/x: Unknown model nope\/x/);
    assert.equal(
      (await s.sessions.rows(KEY)).filter((r) => r.type === "reset").length,
      3,
      "no reset on a bad model",
    );
  } finally {
    await s.cleanup();
  }
});

Deno.test("/think validates against the model's levels with the spec's error text", async () => {
  const s = await setup();
  try {
    const no = await runCommand("/think high", await s.target(), s.deps);
    assert.equal(
      no.handled && no.reply,
      'Thinking level "high" is not supported for stub/stub-model. Use one of: off.',
    );
    const bad = await runCommand("/think banana", await s.target(), s.deps);
    assert.match(
      bad.handled ? bad.reply : "",
      /^Unrecognized thinking level "banana"\. Valid levels: off, minimal/,
    );
    await runCommand("/model deep/thinker", await s.target(), s.deps);
    const ok = await runCommand("/think:x-high", await s.target(), s.deps);
    assert.match(
      ok.handled ? ok.reply : "",
      /"xhigh" is not supported for deep\/thinker\. Use one of: off, low, medium, high\./,
    );
    const set = await runCommand("/thinking HIGH", await s.target(), s.deps);
    assert.equal(set.handled && set.reply, "Thinking level set to high.");
    assert.equal((await s.sessions.get(KEY))?.thinkingLevel, "high");
    const show = await runCommand("/think", await s.target(), s.deps);
    assert.equal(
      show.handled && show.reply,
      "Current thinking level: high. Options: off, low, medium, high.",
    );
  } finally {
    await s.cleanup();
  }
});

Deno.test("/model switches, lists and resets the session's model", async () => {
  const s = await setup();
  try {
    const cur = await runCommand("/model", await s.target(), s.deps);
    assert.equal(
      cur.handled && cur.reply,
      "Current model: stub/stub-model.\nAvailable: stub/stub-model, deep/thinker",
    );
    const set = await runCommand("/model deep/thinker", await s.target(), s.deps);
    assert.equal(set.handled && set.reply, "Model set to deep/thinker.");
    const e = await s.sessions.get(KEY);
    assert.equal(e?.providerOverride, "deep");
    const notRef = await runCommand("/model gpt", await s.target(), s.deps);
    assert.match(
      notRef.handled ? notRef.reply : "",
      /^Model "gpt" is not a provider\/model reference/,
    );
    const back = await runCommand("/model default", await s.target(), s.deps);
    assert.equal(back.handled && back.reply, "Model reset to the default (stub/stub-model).");
    assert.equal((await s.sessions.get(KEY))?.providerOverride, undefined);
  } finally {
    await s.cleanup();
  }
});

Deno.test("/status shows model, auth source, tokens, context and session without the key", async () => {
  const s = await setup();
  try {
    await s.sessions.recordUsage(KEY, {
      input: 2500,
      output: 14,
      cacheRead: 0,
      cacheWrite: 0,
      totalTokens: 1241,
      cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
    });
    const r = await runCommand("/status", await s.target(), s.deps);
    assert.ok(r.handled);
    const lines = r.reply.split("\n");
    assert.equal(lines[0], "🦞 OpenClaw 0.1.0");
    assert.equal(lines[1], "🕒 Time: Mon 2026-11-30 01:51 UTC · uptime 51m");
    assert.ok(lines.includes("🧠 Model: stub/stub-model"));
    assert.ok(lines.includes("🔑 Auth: api-key (config: models.providers.stub.apiKey)"));
    assert.ok(lines.includes("🧮 Tokens: 2.5k in / 14 out"));
    assert.ok(lines.includes("📚 Context: 1.2k/128k (1%)"));
    assert.ok(lines.some((l) => l.startsWith("🧵 Session: agent:main:main • started")));
    assert.ok(!r.reply.includes("sk-secret"), "no key in the card");
  } finally {
    await s.cleanup();
  }
});

Deno.test("/stop aborts the session's runs; createCommands() adapts to the engine port", async () => {
  const s = await setup(["run-1"]);
  try {
    const cmds = createCommands(s.deps);
    assert.deepEqual(await cmds.handle("/stop", await s.target()), {
      text: "⚙️ Agent was aborted.",
    });
    assert.equal(await cmds.handle("tell me a joke", await s.target()), undefined);
    const help = await cmds.handle("/help", await s.target());
    assert.match(help!.text, /\/think <level>/);
    const idle = await setup([]);
    try {
      assert.match(
        (await createCommands(idle.deps).handle("/stop", await idle.target()))!.text,
        /Nothing to stop/,
      );
    } finally {
      await idle.cleanup();
    }
  } finally {
    await s.cleanup();
  }
});
