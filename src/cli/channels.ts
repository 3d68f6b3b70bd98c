/**
 * Channel commands, all through the running gateway (it owns every channel
 * connection and the pairing stores): `openclaw channels status`,
 * `openclaw pairing list|approve`, `openclaw message send`.
 *
 * @module
 */

import type { Command } from "commander";
import type { ChannelsStatusResult } from "../../protocol/schemas/channels.ts";
import { allFlags, type CliContext, CliError } from "./context.ts";
import { addTargetOptions, type ClientFlags, parseTimeout, withClient } from "./rpc.ts";
import { registerChannelLoginCommands } from "./channels_login.ts";

/** One screen of channel status. */
function formatChannelsStatus(s: ChannelsStatusResult): string {
  if (!s.channelOrder.length) return "Channels: none configured";
  const lines: string[] = [];
  for (const id of s.channelOrder) {
    const c = s.channels[id];
    lines.push(
      `${id}: ${c.running ? "running" : "not running"}${c.connected ? ", connected" : ""}` +
        (c.lastError ? ` (last error: ${c.lastError})` : ""),
    );
    for (const a of c.accounts) {
      const bot = a.bot?.username ? ` @${a.bot.username}` : "";
      const probe = a.probe ? `, probe ${a.probe.ok ? "ok" : `failed: ${a.probe.error}`}` : "";
      const link = a.linked === undefined
        ? ""
        : `, ${
          a.linked ? `linked${a.bot ? ` as ${a.bot.id}` : ""}` : "not linked"
        }, ${a.connection}` +
          (a.reconnectAttempts ? `, ${a.reconnectAttempts} reconnects` : "");
      lines.push(
        `  ${a.accountId}${bot}: ${a.state}${a.mode ? ` (${a.mode})` : ""}` +
          `${link}${a.enabled ? "" : ", disabled"}${
            a.restartAttempts ? `, ${a.restartAttempts} restarts` : ""
          }` +
          `${probe}${a.lastError ? `; ${a.lastError}` : ""}`,
      );
    }
  }
  return lines.join("\n");
}

/** Registers `channels status`, `pairing list|approve`, `message send`. */
export function registerChannelCommands(
  program: Command,
  context: (cmd: Command) => CliContext,
): void {
  const channels = program.command("channels").description(
    "Channel connections (WhatsApp, Telegram)",
  );
  registerChannelLoginCommands(channels, context);
  addTargetOptions(channels.command("status").description("Show channel and account state"))
    .option("--probe", "check each running account live (Telegram getMe)")
    .action(async (_f: unknown, cmd: Command) => {
      const flags = allFlags<ClientFlags & { probe?: boolean }>(cmd);
      const ctx = context(cmd);
      const result = await withClient(ctx, flags, (c) =>
        c.request<ChannelsStatusResult>(
          "channels.status",
          { probe: flags.probe === true },
          { timeoutMs: parseTimeout(flags.timeout, 10_000) },
        ));
      ctx.io.out(flags.json ? JSON.stringify(result, null, 2) : formatChannelsStatus(result));
    });

  const pairing = program.command("pairing").description("Approve DM senders (pairing codes)");
  addTargetOptions(pairing.command("list [channel]").description("Pending pairing requests"))
    .action(async (channel: string | undefined, _f: unknown, cmd: Command) => {
      const flags = allFlags<ClientFlags>(cmd);
      const ctx = context(cmd);
      const result = await withClient(
        ctx,
        flags,
        (c) =>
          c.request<{ requests: Array<Record<string, unknown>> }>(
            "channels.pairing.list",
            channel ? { channel } : {},
          ),
      );
      if (flags.json) return ctx.io.out(JSON.stringify(result, null, 2));
      if (!result.requests.length) return ctx.io.out("No pending pairing requests");
      for (const r of result.requests) {
        const meta = r.meta as { name?: string; username?: string } | undefined;
        const who = meta?.username ? ` @${meta.username}` : meta?.name ? ` ${meta.name}` : "";
        const age = Math.round((Date.now() - Number(r.createdAt)) / 60_000);
        ctx.io.out(`${r.channel} ${r.code} sender ${r.senderId}${who} (${age} min ago)`);
      }
    });
  addTargetOptions(
    pairing.command("approve <channel> <code>").description("Let the sender of CODE talk to you"),
  )
    .option("--account <id>", "account id (default: any)")
    .option("--notify", "tell the sender they were approved")
    .action(async (channel: string, code: string, _f: unknown, cmd: Command) => {
      const flags = allFlags<ClientFlags & { account?: string; notify?: boolean }>(cmd);
      const ctx = context(cmd);
      const result = await withClient(
        ctx,
        flags,
        (c) =>
          c.request<{ senderId: string; notified: boolean }>("channels.pairing.approve", {
            channel,
            code,
            ...(flags.account ? { accountId: flags.account } : {}),
            ...(flags.notify ? { notify: true } : {}),
          }),
      );
      ctx.io.out(
        flags.json
          ? JSON.stringify(result, null, 2)
          : `Approved ${channel} sender ${result.senderId}${result.notified ? " (notified)" : ""}`,
      );
    });

  const message = program.command("message").description("Send messages through a channel");
  addTargetOptions(
    message.command("send").description("Send a message or a file through the gateway"),
  )
    .requiredOption("--target <to>", "chat id, @username or <chatId>:topic:<id>")
    .option("--channel <id>", "channel (default: the only configured one, else whatsapp)")
    .option("--message <text>", "text to send")
    .option("--media <path>", "file (absolute path or URL) to send")
    .option("--account <id>", "account id")
    .action(async (_f: unknown, cmd: Command) => {
      const flags = allFlags<
        ClientFlags & {
          target: string;
          channel?: string;
          message?: string;
          media?: string;
          account?: string;
        }
      >(cmd);
      const ctx = context(cmd);
      if (!flags.message && !flags.media) {
        throw new CliError("message send needs --message or --media: nothing to send");
      }
      let media = flags.media;
      if (media && !/^https?:\/\//i.test(media) && !media.startsWith("/")) {
        media = `${Deno.cwd()}/${media}`;
      }
      const result = await withClient(ctx, flags, (c) =>
        c.request<Record<string, string>>("send", {
          to: flags.target,
          ...(flags.channel ? { channel: flags.channel } : {}),
          ...(flags.message ? { message: flags.message } : {}),
          ...(media ? { mediaUrl: media } : {}),
          ...(flags.account ? { accountId: flags.account } : {}),
          idempotencyKey: crypto.randomUUID(),
        }, { timeoutMs: parseTimeout(flags.timeout, 10_000) }));
      ctx.io.out(
        flags.json
          ? JSON.stringify(result, null, 2)
          : `Sent via ${result.channel} (message ${result.messageId})`,
      );
    });
}
