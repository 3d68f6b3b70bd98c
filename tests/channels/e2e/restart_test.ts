/**
 * A gateway restart in the middle of a Telegram conversation on the real
 * agent engine: every message is answered exactly once, and the model is
 * asked again only for the turn the restart cut off (the channel's journal
 * replays it with `retryInterrupted`, so the engine runs it instead of
 * answering "interrupted").
 */

import assert from "node:assert/strict";
import { CHANNEL_TEST } from "../../_helpers/channels.ts";
import { makeUser } from "../../_fakes/telegram/mod.ts";
import { startAgentChannels, userTexts } from "./_fixture.ts";

Deno.test(
  "telegram e2e: a restart mid-conversation loses and repeats nothing",
  CHANNEL_TEST,
  async () => {
    // Each reply takes 2.4 s (two chunks 1.2 s apart), so the restart lands
    // while runs are in flight: the stop drains 3 s (m2 finishes), m3 is cut
    // off and comes back from the journal after the restart.
    await using fx = await startAgentChannels({
      telegram: { allowFrom: [88], streaming: "off" },
      provider: {
        respond: (t) => {
          const m = /\] (m\d)\b/.exec(t)?.[1];
          return m ? { text: [`re: `, m], delayMs: 1200 } : undefined;
        },
      },
    });
    const user = makeUser(fx.emu.apiRoot, fx.token, { chatId: 88, userId: 88 });
    for (const t of ["m1", "m2", "m3"]) await user.sendText(t);
    await user.waitFor((m) => m.length >= 1, 10_000, "first answer");
    await fx.gw.stop(); // m2/m3 were received (journaled), not all answered
    await user.sendText("m4"); // arrives while the gateway is down
    await fx.restart();
    const msgs = await user.waitFor((m) => m.length >= 4, 20_000, "all four answers");
    await new Promise((r) => setTimeout(r, 500));
    const texts = (await user.botMessages()).map((m) => m.text);
    assert.deepEqual(texts, ["re: m1", "re: m2", "re: m3", "re: m4"], JSON.stringify(msgs));

    const asked = userTexts(fx.provider).map((t) => /\] (m\d)\b/.exec(t)?.[1]);
    const count = (m: string) => asked.filter((x) => x === m).length;
    assert.equal(count("m1"), 1, `m1 not asked again: ${asked}`);
    assert.equal(count("m2"), 1, `m2 not asked again: ${asked}`);
    assert.equal(count("m4"), 1, `m4 asked once: ${asked}`);
    // m3 was cut off by the stop and run again from the journal after it.
    assert.equal(count("m3"), 2, `m3 replayed once: ${asked}`);
    const m3Calls = fx.provider.chatRequests().filter((_r, i) => asked[i] === "m3");
    assert.equal(m3Calls[0].clientGone, true, "the first m3 call was cut off by the stop");
    // The rerun's context holds m3 once (the cut-off attempt's row, not a second copy).
    const m3Rows = (m3Calls[1].body.messages as Array<{ role: string; content: unknown }>)
      .filter((m) => m.role === "user" && /\bm3\b/.test(JSON.stringify(m.content)));
    assert.equal(m3Rows.length, 1, JSON.stringify(m3Calls[1].body.messages));

    // The transcript holds each user message once and an answer to each.
    const client = await fx.gw.connect();
    try {
      // deno-lint-ignore no-explicit-any
      const history = await client.request<{ messages: any[] }>("chat.history", {
        sessionKey: "main",
      });
      const text = (m: { content: unknown }) =>
        typeof m.content === "string"
          ? m.content
          : (m.content as Array<{ text?: string }>).map((p) => p.text ?? "").join("");
      // Each message and answer once; the cut-off attempt of m3 is recorded
      // as ended before a reply, and the rerun answers the same user row.
      const rows = history.messages.map((m) =>
        m.role === "custom" ? `${m.customType}` : `${m.role}:${text(m)}`
      );
      assert.deepEqual(rows, [
        "user:m1",
        "assistant:re: m1",
        "user:m2",
        "assistant:re: m2",
        "user:m3",
        "run-failed-before-reply",
        "assistant:re: m3",
        "user:m4",
        "assistant:re: m4",
      ]);
    } finally {
      await client.close();
    }
  },
);
