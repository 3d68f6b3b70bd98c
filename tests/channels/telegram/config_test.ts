import assert from "node:assert/strict";
import { resolveTelegram } from "../../../src/channels/telegram/config.ts";
import { parseConfigText } from "../../../src/config/load.ts";

Deno.test("resolveTelegram() applies the spec defaults, per-account overrides and the env token", () => {
  const { accounts, issues } = resolveTelegram({ allowFrom: ["tg:1", 2] }, {
    TELEGRAM_BOT_TOKEN: "env:tok",
  });
  assert.deepEqual(issues, []);
  const a = accounts[0];
  assert.equal(a.accountId, "default");
  assert.equal(a.botToken, "env:tok");
  assert.equal(a.apiRoot, "https://api.telegram.org");
  assert.deepEqual(a.access.allowFrom, ["1", "2"]);
  assert.equal(a.access.dmPolicy, "pairing");
  assert.equal(a.access.groupPolicy, "allowlist");
  assert.equal(a.reply.textChunkLimit, 4000);
  assert.equal(a.reply.streaming, "partial");
  assert.equal(a.mediaMaxBytes, 100 * 1024 * 1024);
  assert.equal(a.pollingStallThresholdMs, 120_000);

  const multi = resolveTelegram({
    botToken: "top",
    textChunkLimit: 100,
    accounts: { work: { botToken: "w", apiRoot: "http://x/" }, home: {} },
  }, { TELEGRAM_BOT_TOKEN: "env" });
  assert.deepEqual(multi.accounts.map((x) => [x.accountId, x.botToken, x.reply.textChunkLimit]), [
    ["work", "w", 100],
    ["home", "top", 100],
  ]);
  assert.equal(multi.accounts[0].apiRoot, "http://x");
});

Deno.test("resolveTelegram() names invalid policy combinations", () => {
  const { issues } = resolveTelegram({
    dmPolicy: "open",
    webhookUrl: "https://x/hook",
    mentionPatterns: ["(oops"],
  }, {});
  assert.equal(issues.length, 3);
  assert.match(issues[0], /channels\.telegram\.dmPolicy is "open" but allowFrom has no "\*"/);
  assert.match(issues.join("\n"), /webhookSecret/);
  assert.match(issues.join("\n"), /invalid regular expression "\(oops"/);
  assert.match(resolveTelegram({ dmPolicy: "allowlist" }, {}).issues[0], /allowFrom is empty/);
});

Deno.test("channels.telegram is closed: a typo is an issue naming the key; other channels stay open", async () => {
  const text = `{
  gateway: { mode: "local" },
  channels: {
    telegram: { botTokn: "x", dmPolicy: "pairing" },
    discord: { anything: true }, // whatsapp is closed too now (its own test)
  },
}`;
  const snap = await parseConfigText("/tmp/openclaw.json", text, {});
  assert.deepEqual(snap.issues.map((i) => i.path), ["channels.telegram.botTokn"]);
  const bad = await parseConfigText(
    "/tmp/openclaw.json",
    `{ channels: { telegram: { dmPolicy: "sometimes" } } }`,
    {},
  );
  assert.ok(bad.issues.some((i) => i.path === "channels.telegram.dmPolicy"));
});
