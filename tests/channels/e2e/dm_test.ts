/**
 * Telegram DMs on the real agent engine (scripted provider behind it):
 * allowed DM answered, pairing approved through the CLI, a long reply
 * chunked, streaming edits, and the turn in the session transcript.
 */

import assert from "node:assert/strict";
import { CHANNEL_TEST } from "../../_helpers/channels.ts";
import { makeUser, postJson } from "../../_fakes/telegram/mod.ts";
import { cliEnv, TEST_TOKEN } from "../../_helpers/gateway.ts";
import { runCliBounded } from "../../_helpers/cli_e2e.ts";
import { PAIRING_ALPHABET } from "../../../src/channels/pairing.ts";
import { startAgentChannels, userTexts } from "./_fixture.ts";

Deno.test(
  "telegram e2e: an allowed DM is answered by the agent and the turn is in the transcript",
  CHANNEL_TEST,
  async () => {
    await using fx = await startAgentChannels({
      telegram: { allowFrom: [4242] },
      extra: { messages: { responsePrefix: "[bot]" } },
    });
    const user = makeUser(fx.emu.apiRoot, fx.token, { chatId: 4242, userId: 4242 });
    await user.sendText("what is the weather on mars");
    const msgs = await user.waitFor(
      (m) => m.at(-1)?.text === "[bot] Hello from stub.",
      10_000,
      "the agent's reply",
    );
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].chat.id, 4242);
    // The model saw the user's text, with the channel in the runtime line.
    const seen = userTexts(fx.provider);
    assert.equal(seen.length, 1);
    assert.match(seen[0], /\] what is the weather on mars\n/);
    assert.match(seen[0], /session=agent:main:main .*channel=telegram/);
    const actions = (await postJson(fx.emu.apiRoot, "/getChatActions", { token: fx.token }))
      .result;
    assert.ok(
      actions.some((a: { action: string; chat_id: number }) =>
        a.action === "typing" && a.chat_id === 4242
      ),
      "typing shown while the agent worked",
    );

    const client = await fx.gw.connect();
    try {
      // deno-lint-ignore no-explicit-any
      const history = await client.request<{ messages: any[] }>("chat.history", {
        sessionKey: "main",
      });
      const turn = history.messages.map((m) => [
        m.role,
        typeof m.content === "string" ? m.content : m.content[0].text,
      ]);
      assert.deepEqual(turn, [
        ["user", "what is the weather on mars"],
        ["assistant", "Hello from stub."],
      ]);
    } finally {
      await client.close();
    }
  },
);

Deno.test(
  "telegram e2e: an unknown sender gets a pairing code; `openclaw pairing approve` lets the next message through",
  CHANNEL_TEST,
  async () => {
    await using fx = await startAgentChannels();
    const user = makeUser(fx.emu.apiRoot, fx.token, { chatId: 555, userId: 555 });
    await user.sendText("let me in");
    const [reply] = await user.waitFor((m) => m.length === 1, 5000, "pairing reply");
    const code = /Pairing code: ([A-Z0-9]+)/.exec(reply.text ?? "")?.[1];
    assert.ok(code, String(reply.text));
    assert.equal(code.length, 8);
    for (const ch of code) assert.ok(PAIRING_ALPHABET.includes(ch), `code char ${ch}`);
    await user.sendText("still waiting");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await user.botMessages()).length, 1, "no second code");
    assert.equal(fx.provider.chatRequests().length, 0, "no agent run before approval");

    const res = await runCliBounded(
      [
        "pairing",
        "approve",
        "telegram",
        code,
        "--url",
        fx.gw.proc.instance.url,
        "--token",
        TEST_TOKEN,
      ],
      cliEnv(fx.gw.home),
    );
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Approved telegram sender 555/);

    await user.sendText("now may I?");
    await user.waitFor(
      (m) => m.at(-1)?.text === "Hello from stub.",
      10_000,
      "the agent's answer after approval",
    );
    const seen = userTexts(fx.provider);
    assert.equal(seen.length, 1, "only the approved message reached the model");
    assert.match(seen[0], /now may I\?/);
  },
);

Deno.test(
  "telegram e2e: a long agent reply is chunked at textChunkLimit",
  CHANNEL_TEST,
  async () => {
    const para = "word ".repeat(300).trim(); // 1499 characters
    const long = Array(6).fill(para).join("\n\n");
    await using fx = await startAgentChannels({
      telegram: { allowFrom: [77], streaming: "off" },
      provider: { respond: (t) => (t.includes("long please") ? { text: long } : undefined) },
    });
    const user = makeUser(fx.emu.apiRoot, fx.token, { chatId: 77, userId: 77 });
    await user.sendText("long please");
    await user.waitFor((m) => m.length >= 3, 10_000, "three chunks");
    await new Promise((r) => setTimeout(r, 200));
    const all = await user.botMessages();
    assert.equal(all.length, 3);
    for (const m of all) assert.ok(m.text!.length <= 4000, `chunk of ${m.text!.length}`);
    assert.equal(
      all.map((m) => m.text).join(" ").replace(/\s+/g, " "),
      Array(6).fill(para).join(" "),
    );
  },
);

Deno.test(
  "telegram e2e: a slow agent reply streams as edits of one message, then the final text",
  CHANNEL_TEST,
  async () => {
    await using fx = await startAgentChannels({
      telegram: { allowFrom: [9], streaming: "partial" },
      provider: { slowChunkMs: 150, slowChunks: 12 },
    });
    const user = makeUser(fx.emu.apiRoot, fx.token, { chatId: 9, userId: 9 });
    const final = Array.from({ length: 12 }, (_, i) => `tick${i}`).join(" ");
    const texts = new Set<string>();
    await user.sendText("SLOW please");
    const msgs = await user.waitFor(
      (m) => {
        for (const x of m) texts.add(x.text ?? "");
        return m.at(-1)?.text?.trim() === final;
      },
      15_000,
      "final streamed text",
    );
    assert.equal(msgs.length, 1, "one message, edited in place");
    assert.ok(msgs[0].edits >= 2, `edits: ${msgs[0].edits}`);
    // A preview shorter than the final text was seen before the end.
    assert.ok(
      [...texts].some((t) => t.startsWith("tick0") && t.trim() !== final),
      `previews: ${JSON.stringify([...texts])}`,
    );
  },
);
