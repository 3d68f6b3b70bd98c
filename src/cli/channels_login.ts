/**
 * `openclaw channels login|logout`: linking WhatsApp. With a gateway running,
 * everything goes through it (`web.login.start` / `web.login.wait` /
 * `channels.logout`), because a second WhatsApp socket for the same device
 * would be answered 440 and knock the gateway's off. With no gateway
 * answering, `login` links offline in this process (`terminalLogin`).
 *
 * @module
 */

import type { Command } from "commander";
import type { ChannelsStatusResult } from "../../protocol/schemas/channels.ts";
import { GatewayClient, GatewayConnectionError } from "../client/gateway_client.ts";
import { readConfig } from "../config/load.ts";
import type { GatewayConfig } from "../config/schema.ts";
import { createLogSink } from "../log/logger.ts";
import { importLazy } from "../runtime/lazy_import.ts";
import { connectCli } from "./device_connect.ts";
import { allFlags, type CliContext, CliError, resolveTarget } from "./context.ts";
import { addTargetOptions, type ClientFlags, describeClientError, parseTimeout } from "./rpc.ts";

/** Flags of `channels login`. */
interface LoginFlags extends ClientFlags {
  account?: string;
  verbose?: boolean;
  /** How long to wait for the phone, in ms (default 180 s). */
  wait?: string;
}

/** Waiting for the phone goes in slices, so a rotated QR code is printed again. */
const WAIT_SLICE_MS = 20_000;
/** Connection states in which a login is still under way. */
const IN_PROGRESS = ["waiting_qr", "connecting", "reconnecting"];

type StartResult = { qrDataUrl?: string; qr?: string; message: string };

async function printQr(ctx: CliContext, qr: string, verbose?: boolean): Promise<void> {
  const { qrToTerminal } = await importLazy<typeof import("../channels/whatsapp/login.ts")>(
    "src/channels/whatsapp/login.ts",
  );
  ctx.io.out(await qrToTerminal(qr));
  // The raw text, for rendering with another tool (or a terminal too narrow for the code).
  if (verbose) ctx.io.out(`QR text: ${qr}`);
  ctx.io.out("Scan this QR code in WhatsApp: Settings, Linked Devices, Link a device");
}

/** `channels login` through the running gateway. */
async function loginThroughGateway(
  ctx: CliContext,
  client: GatewayClient,
  flags: LoginFlags,
  totalMs: number,
): Promise<void> {
  const accountId = flags.account ? { accountId: flags.account } : {};
  const start = await client.request<StartResult>(
    "web.login.start",
    { ...accountId, timeoutMs: 30_000 },
    { timeoutMs: 35_000 },
  );
  if (!start.qrDataUrl) {
    // Already linked: nothing to scan. Anything else (no QR in time) is a failure.
    if (/already linked/i.test(start.message)) return ctx.io.out(start.message);
    throw new CliError(start.message);
  }
  let shown = start.qr;
  if (shown) await printQr(ctx, shown, flags.verbose);
  else ctx.io.out(`${start.message} (open the control UI to see the QR code)`);
  const deadline = Date.now() + totalMs;
  while (true) {
    const slice = Math.max(1000, Math.min(WAIT_SLICE_MS, deadline - Date.now()));
    const r = await client.request<{ connected: boolean; message: string }>(
      "web.login.wait",
      { ...accountId, timeoutMs: slice },
      { timeoutMs: slice + 5000 },
    );
    if (r.connected) return ctx.io.out(r.message);
    const status = await client.request<ChannelsStatusResult>("channels.status", {});
    const rows = status.channels.whatsapp?.accounts ?? [];
    const row = rows.find((a) => a.accountId === (flags.account ?? "default")) ?? rows[0];
    if (!row?.connection || !IN_PROGRESS.includes(row.connection) || Date.now() >= deadline) {
      throw new CliError(`WhatsApp was not linked: ${r.message}`);
    }
    const again = await client.request<StartResult>("web.login.start", accountId, {
      timeoutMs: 35_000,
    });
    if (again.qr && again.qr !== shown) await printQr(ctx, shown = again.qr, flags.verbose);
  }
}

/** The account `--account` names (default: `default`, else the first), from the config file. */
async function offlineAccount(ctx: CliContext, accountId?: string) {
  const snap = await readConfig(ctx.paths.configPath, ctx.env);
  const config = (snap.config ?? {}) as GatewayConfig;
  const { resolveWhatsApp } = await import("../channels/whatsapp/config.ts");
  const accounts = resolveWhatsApp(config.channels?.whatsapp ?? {}, ctx.paths.stateDir).accounts;
  const id = accountId ??
    (accounts.some((a) => a.accountId === "default")
      ? "default"
      : accounts[0]?.accountId ?? "default");
  const account = accounts.find((a) => a.accountId === id);
  if (!account) {
    throw new CliError(
      `Unknown WhatsApp account "${id}" (configured: ${
        accounts.map((a) => a.accountId).join(", ")
      }; add it under channels.whatsapp.accounts)`,
    );
  }
  return account;
}

/** `channels logout` with no gateway running: deletes the auth folder (WhatsApp is not told). */
async function logoutOffline(ctx: CliContext, accountId?: string): Promise<void> {
  const account = await offlineAccount(ctx, accountId);
  const { deleteAuthState } = await importLazy<typeof import("../channels/whatsapp/auth_state.ts")>(
    "src/channels/whatsapp/auth_state.ts",
  );
  await deleteAuthState(account.authDir);
  ctx.io.out(
    `WhatsApp account "${account.accountId}" credentials deleted (no gateway was running, so ` +
      "WhatsApp was not told: remove the device on the phone under Linked Devices too)",
  );
}

/** `channels login` with no gateway running: this process links the account, then exits. */
async function loginOffline(ctx: CliContext, flags: LoginFlags, totalMs: number): Promise<void> {
  const account = await offlineAccount(ctx, flags.account);
  const id = account.accountId;
  ctx.io.err("No gateway is running: linking in this process (the gateway picks it up on start)");
  const sink = createLogSink({
    fileLevel: "silent",
    consoleLevel: flags.verbose ? "info" : "warn",
  });
  const { WhatsAppConnection, terminalLogin } = await importLazy<
    typeof import("../channels/whatsapp/mod.ts")
  >("src/channels/whatsapp/mod.ts");
  const conn = new WhatsAppConnection(account, { logger: sink.logger(`whatsapp/${id}`) });
  const off = flags.verbose ? conn.onQr((qr) => ctx.io.out(`QR text: ${qr}`)) : () => {};
  try {
    const s = await terminalLogin(conn, { write: (t) => ctx.io.out(t), timeoutMs: totalMs });
    ctx.io.out(`Linked as ${s.self?.e164 ?? s.self?.jid ?? "this number"}`);
  } catch (err) {
    throw new CliError(`WhatsApp was not linked: ${(err as Error).message}`);
  } finally {
    off();
    await conn.stop();
  }
}

/** Registers `channels login` and `channels logout` under `channels`. */
export function registerChannelLoginCommands(
  channels: Command,
  context: (cmd: Command) => CliContext,
): void {
  addTargetOptions(channels.command("login").description("Link WhatsApp: show a QR code to scan"))
    .option("--account <id>", "WhatsApp account id (default: default, else the first)")
    .option("--wait <ms>", "how long to wait for the phone (default 180000)")
    .option("--verbose", "also print the raw QR text and the connection's log")
    .action(async (_f: unknown, cmd: Command) => {
      const flags = allFlags<LoginFlags>(cmd);
      const ctx = context(cmd);
      const totalMs = parseTimeout(flags.wait, 180_000);
      const target = await resolveTarget(ctx, flags);
      let client: GatewayClient | undefined;
      try {
        client = await connectOrOffline(ctx, target, flags, !flags.url);
      } catch (err) {
        throw describeClientError(err, target.url);
      }
      if (!client) return await loginOffline(ctx, flags, totalMs);
      try {
        await loginThroughGateway(ctx, client, flags, totalMs);
      } catch (err) {
        throw err instanceof CliError ? err : describeClientError(err, target.url);
      } finally {
        await client.close();
      }
    });

  addTargetOptions(
    channels.command("logout").description("Unlink WhatsApp and delete its credentials"),
  )
    .option("--account <id>", "account id (default: default, else the first)")
    .option("--channel <id>", "channel (default: whatsapp)")
    .action(async (_f: unknown, cmd: Command) => {
      const flags = allFlags<ClientFlags & { account?: string; channel?: string }>(cmd);
      const ctx = context(cmd);
      const target = await resolveTarget(ctx, flags);
      let client: GatewayClient | undefined;
      try {
        const wa = (flags.channel ?? "whatsapp") === "whatsapp";
        client = await connectOrOffline(ctx, target, flags, wa && !flags.url);
        if (!client) return await logoutOffline(ctx, flags.account);
        const r = await client.request<{ message: string }>("channels.logout", {
          channel: flags.channel ?? "whatsapp",
          ...(flags.account ? { accountId: flags.account } : {}),
        }, { timeoutMs: 15_000 });
        ctx.io.out(flags.json ? JSON.stringify(r, null, 2) : r.message);
      } catch (err) {
        throw err instanceof CliError ? err : describeClientError(err, target.url);
      } finally {
        await client?.close();
      }
    });
}

/**
 * Connects a channels command to the gateway. With `offline` allowed, a
 * gateway that is not running answers `undefined`: the command then works on
 * the channel's files itself. Any other failure throws.
 */
async function connectOrOffline(
  ctx: CliContext,
  target: { url: string; token?: string; password?: string },
  flags: ClientFlags,
  offline: boolean,
): Promise<GatewayClient | undefined> {
  try {
    return await connectCli(ctx, target.url, {
      token: target.token,
      password: target.password,
      timeoutMs: parseTimeout(flags.timeout, 10_000),
    });
  } catch (err) {
    const notRunning = err instanceof GatewayConnectionError &&
      err.message.startsWith("Gateway not reachable");
    if (notRunning && offline) return undefined;
    throw err;
  }
}
