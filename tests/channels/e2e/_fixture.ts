/**
 * Channel end-to-end tests on the REAL agent engine: the local Telegram Bot
 * API emulator, an in-process gateway (grammY over real sockets) and the
 * scripted model provider (HTTP on 127.0.0.1) behind the engine.
 *
 * @module
 */

import {
  botToken,
  type ChannelGateway,
  startChannelGateway,
  telegramConfig,
  telegramRunning,
} from "../../_helpers/channels.ts";
import {
  type ScriptedProvider,
  type ScriptedProviderOptions,
  startScriptedProvider,
} from "../../_fakes/scripted_provider.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../../_fakes/telegram/mod.ts";
import { stubConfig } from "../../agent/e2e/_agent_gateway.ts";

/** Emulator + scripted provider + gateway of one test, stopped together. */
export interface AgentChannelFixture {
  emu: TelegramEmulator;
  provider: ScriptedProvider;
  token: string;
  gw: ChannelGateway;
  /** The full config the gateway runs with (restart with the same one). */
  config: Record<string, unknown>;
  /** Stops the gateway and starts a new one on the same home (a restart). */
  restart(): Promise<ChannelGateway>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Gateway config: Telegram at the emulator and the scripted provider as the default model. */
export function agentTelegramConfig(
  provider: ScriptedProvider,
  apiRoot: string,
  token: string,
  telegram: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { gateway: _g, ...tg } = telegramConfig(apiRoot, token, telegram);
  return stubConfig(provider, { ...tg, ...extra });
}

/** Starts the three parts; the gateway runs the real engine (no engine double). */
export async function startAgentChannels(opts: {
  telegram?: Record<string, unknown>;
  extra?: Record<string, unknown>;
  provider?: ScriptedProviderOptions;
} = {}): Promise<AgentChannelFixture> {
  const emu = await startTelegramEmulator();
  const provider = await startScriptedProvider(opts.provider);
  const token = botToken();
  const config = agentTelegramConfig(provider, emu.apiRoot, token, opts.telegram, opts.extra);
  let gw: ChannelGateway | undefined;
  try {
    gw = await startChannelGateway({ config });
    await telegramRunning(gw);
  } catch (err) {
    await gw?.stop();
    await provider.close();
    await emu.stop();
    throw err;
  }
  const fx: AgentChannelFixture = {
    emu,
    provider,
    token,
    gw,
    config,
    async restart() {
      await fx.gw.stop();
      fx.gw = await startChannelGateway({ config, home: fx.gw.home });
      await telegramRunning(fx.gw);
      return fx.gw;
    },
    async [Symbol.asyncDispose]() {
      await fx.gw.stop();
      await provider.close();
      await emu.stop();
      await Deno.remove(fx.gw.home, { recursive: true }).catch(() => {});
    },
  };
  return fx;
}

/** The last real user text of each chat request the provider received. */
export function userTexts(provider: ScriptedProvider): string[] {
  return provider.chatRequests().map((r) => {
    const msgs: Array<{ role: string; content: unknown }> = r.body?.messages ?? [];
    const c = msgs.filter((m) => m.role === "user").at(-1)?.content;
    if (typeof c === "string") return c;
    return Array.isArray(c) ? c.map((p: { text?: string }) => p.text ?? "").join("") : "";
  });
}
