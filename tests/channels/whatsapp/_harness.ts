/**
 * Test harness for the WhatsApp channel: the fake WhatsApp Web server with
 * Baileys trusting it, a private state dir, a connection whose log lines and
 * inbound envelopes are recorded, and the loopback-only net guard.
 *
 * @module
 */

import { createLogSink } from "../../../src/log/logger.ts";
import { WhatsAppConnection } from "../../../src/channels/whatsapp/connection.ts";
import { authDirFor } from "../../../src/channels/whatsapp/auth_state.ts";
import type {
  WhatsAppAccountSettings,
  WhatsAppInboundEnvelope,
} from "../../../src/channels/whatsapp/types.ts";
import { FakeWaServer, installTrustRoot } from "../../_fakes/whatsapp/mod.ts";
import { installNetGuard, type NetGuard } from "../../_fakes/net_guard.ts";

/** Every Baileys test needs these: Baileys keeps timers (keep-alive, caches) beyond a test. */
export const BAILEYS_TEST = { sanitizeOps: false, sanitizeResources: false } as const;

/** One test's world. `await using` stops everything and checks the net guard. */
export interface WaHarness extends AsyncDisposable {
  server: FakeWaServer;
  guard: NetGuard;
  stateDir: string;
  lines: string[];
  inbound: WhatsAppInboundEnvelope[];
  /** Makes (and remembers, for disposal) a connection for `accountId`. */
  connection(
    overrides?: Partial<WhatsAppAccountSettings>,
    opts?: { accept?: boolean; throwOnInbound?: boolean },
  ): WhatsAppConnection;
  /** Resolves with the next inbound envelope matching `pred`, or fails after `ms`. */
  nextInbound(
    pred?: (e: WhatsAppInboundEnvelope) => boolean,
    ms?: number,
  ): Promise<WhatsAppInboundEnvelope>;
  /** Links `conn` through a QR and the fake phone's scan (incl. the 515 restart). */
  link(conn: WhatsAppConnection): Promise<void>;
}

/** Polls `cond` every 10 ms until true or `ms` passed (then throws naming `what`). */
export async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts the fake server and guard in a fresh temp state dir. */
export async function startHarness(): Promise<WaHarness> {
  const guard = installNetGuard();
  const server = await FakeWaServer.start({
    log: Deno.env.get("SRVLOG") ? (...a) => console.log("SRV", ...a) : undefined,
  });
  installTrustRoot(server.rootPublicKey);
  const stateDir = await Deno.makeTempDir({ prefix: "openclaw-wa-" });
  const lines: string[] = [];
  const sink = createLogSink({
    fileLevel: "silent",
    consoleLevel: Deno.env.get("WALOG") ? "debug" : "info",
    console: {
      write: (l) => {
        lines.push(l);
        if (Deno.env.get("WALOG")) console.log(l);
      },
    },
  });
  const inbound: WhatsAppInboundEnvelope[] = [];
  const waiters = new Set<() => void>();
  const conns: WhatsAppConnection[] = [];
  const h: WaHarness = {
    server,
    guard,
    stateDir,
    lines,
    inbound,
    connection(overrides = {}, opts = {}) {
      const accountId = overrides.accountId ?? "default";
      const conn = new WhatsAppConnection({
        accountId,
        authDir: authDirFor(stateDir, accountId),
        wsUrl: server.url,
        reconnect: { initialMs: 250, maxMs: 1_000, maxAttempts: 4 },
        ...overrides,
      }, {
        logger: sink.logger(`whatsapp/${accountId}`),
        onInbound: (e) => {
          inbound.push(e);
          for (const w of [...waiters]) w();
          if (opts.throwOnInbound) throw new Error("handler exploded");
          return opts.accept ?? true;
        },
      });
      conns.push(conn);
      return conn;
    },
    nextInbound(pred = () => true, ms = 15_000) {
      const start = inbound.length;
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = inbound.slice(start).find(pred);
          if (!hit) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Timed out after ${ms} ms waiting for an inbound WhatsApp message`));
        }, ms);
        waiters.add(check);
      });
    },
    async link(conn) {
      const qr = new Promise<string>((resolve) => {
        const off = conn.onQr((q) => {
          off();
          resolve(q);
        });
      });
      await conn.startLogin();
      const code = await Promise.race([
        qr,
        new Promise<never>((_, rej) =>
          setTimeout(() => rej(new Error("no QR within 15 s")), 15_000)
        ),
      ]);
      const restarted = server.waitFor("paired");
      server.phoneScan(code);
      await restarted;
      await conn.waitForOpen(20_000);
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(conns.map((c) => c.stop()));
      await server.stop();
      guard.restore();
      await Deno.remove(stateDir, { recursive: true }).catch(() => {});
      guard.assertClean();
    },
  };
  return h;
}
