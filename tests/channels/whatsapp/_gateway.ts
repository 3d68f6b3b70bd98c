/**
 * A whole gateway with WhatsApp configured against the fake WhatsApp Web
 * server (real Baileys, net guard on) and the real agent engine on the
 * scripted provider: link through `web.login.*`, talk as fake peers, read
 * what the gateway sent as the peer decrypted it.
 *
 * @module
 */

import { GatewayCallError, type GatewayClient } from "../../../src/client/gateway_client.ts";
import { FakeWaServer, installTrustRoot } from "../../_fakes/whatsapp/mod.ts";
import type { ClientMessage } from "../../_fakes/whatsapp/mod.ts";
import { installNetGuard, type NetGuard } from "../../_fakes/net_guard.ts";
import { type ScriptedProvider, startScriptedProvider } from "../../_fakes/scripted_provider.ts";
import { stubConfig } from "../../agent/e2e/_agent_gateway.ts";
import { type ChannelGateway, eventually, startChannelGateway } from "../../_helpers/channels.ts";

/** The test's world; `await using` stops it all and checks the net guard. */
export interface WaGateway extends AsyncDisposable {
  server: FakeWaServer;
  guard: NetGuard;
  provider: ScriptedProvider;
  gw: ChannelGateway;
  home: string;
  /** `$STATE` of the gateway (`<home>/.openclaw`). */
  stateDir: string;
  /** Restarts the gateway on the same home (and fake server). */
  restart(): Promise<void>;
  /** A call with a fresh client (closed after). */
  call<T = unknown>(method: string, params?: unknown, timeoutMs?: number): Promise<T>;
  /** The error a call fails with (`GatewayCallError`); fails the test when the call succeeds. */
  fail(method: string, params?: unknown): Promise<GatewayCallError>;
  /** Links the default account through `web.login.start` + the fake phone's scan + `web.login.wait`. */
  link(): Promise<void>;
  /** The whatsapp account row of `channels.status`. */
  // deno-lint-ignore no-explicit-any
  account(id?: string): Promise<any>;
  /** Resolves with the next message the gateway sent to the peer (PN or LID JID) whose text matches. */
  nextToPeer(
    peer: { pnJid: string; lidJid: string },
    pred?: (text: string) => boolean,
    ms?: number,
  ): Promise<string>;
}

/** The text of a message the fake peer decrypted. */
export function decryptedText(m: ClientMessage): string | undefined {
  for (const d of m.decrypted) {
    const msg = d.message as
      | { conversation?: string; extendedTextMessage?: { text?: string } }
      | undefined;
    const t = msg?.conversation ?? msg?.extendedTextMessage?.text;
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Starts the fake, the provider and a gateway with `channels.whatsapp` (+ `whatsapp` keys). */
export async function startWaGateway(
  opts: { whatsapp?: Record<string, unknown>; extra?: Record<string, unknown> } = {},
): Promise<WaGateway> {
  const guard = installNetGuard();
  const server = await FakeWaServer.start();
  installTrustRoot(server.rootPublicKey);
  const provider = await startScriptedProvider({ chunkDelayMs: 0 });
  const home = await Deno.makeTempDir({ prefix: "openclaw-wagw-" });
  const config = stubConfig(provider, {
    ...opts.extra,
    channels: {
      whatsapp: {
        wsUrl: server.url,
        reconnect: { initialMs: 250, maxMs: 1000, maxAttempts: 6 },
        heartbeatSeconds: 0,
        ...opts.whatsapp,
      },
    },
  });
  const start = () => startChannelGateway({ config, home });
  let gw = await start();
  const call = async <T>(method: string, params: unknown = {}, timeoutMs = 30_000) => {
    const client: GatewayClient = await gw.connect();
    try {
      return await client.request<T>(method, params, { timeoutMs });
    } finally {
      await client.close();
    }
  };
  const h: WaGateway = {
    server,
    guard,
    provider,
    get gw() {
      return gw;
    },
    home,
    stateDir: `${home}/.openclaw`,
    async restart() {
      await gw.stop();
      gw = await start();
    },
    call,
    async fail(method, params) {
      try {
        await call(method, params);
      } catch (err) {
        if (err instanceof GatewayCallError) return err;
        throw err;
      }
      throw new Error(`${method} succeeded but was expected to fail`);
    },
    async link() {
      // The adapter exists once the manager started it (right after the gateway is up).
      await eventually(async () => (await h.account())?.running, "whatsapp account started");
      const started = await call<{ qr?: string; qrDataUrl?: string }>("web.login.start", {
        timeoutMs: 15_000,
      });
      if (!started.qr || !started.qrDataUrl?.startsWith("data:image/png;base64,")) {
        throw new Error(`web.login.start gave no QR: ${JSON.stringify(started)}`);
      }
      const waited = call<{ connected: boolean; message: string }>("web.login.wait", {
        timeoutMs: 20_000,
      });
      server.phoneScan(started.qr);
      const r = await waited;
      if (!r.connected) throw new Error(`web.login.wait: ${r.message}`);
    },
    async account(id = "default") {
      // deno-lint-ignore no-explicit-any
      const st = await call<any>("channels.status", {});
      // deno-lint-ignore no-explicit-any
      return st.channels.whatsapp?.accounts.find((a: any) => a.accountId === id);
    },
    nextToPeer(peer, pred = () => true, ms = 15_000) {
      const jids = [peer.pnJid, peer.lidJid];
      return new Promise((resolve, reject) => {
        const on = (m: ClientMessage) => {
          const text = decryptedText(m);
          if (!jids.includes(m.to) || text === undefined || !pred(text)) return;
          clearTimeout(timer);
          server.off("client-message", on);
          resolve(text);
        };
        const timer = setTimeout(() => {
          server.off("client-message", on);
          reject(
            new Error(`Timed out after ${ms} ms waiting for a message to ${jids.join(" / ")}`),
          );
        }, ms);
        server.on("client-message", on);
      });
    },
    async [Symbol.asyncDispose]() {
      await gw.stop().catch(() => {});
      await server.stop();
      await provider.close();
      guard.restore();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      guard.assertClean();
    },
  };
  return h;
}
